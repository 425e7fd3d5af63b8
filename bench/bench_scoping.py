"""Time of the scoped querysets (visible_to) that every list and detail goes through."""

from xuncha.demo.benchmarks import timed
from xuncha.orgs.models import Unit
from xuncha.rounds.models import Inspection


def run(ctx):
    for persona, user in ctx.users.items():
        for model in (Inspection, Unit):
            rows = model.objects.visible_to(user).count()

            def fetch(model=model, user=user):
                user.__dict__.pop("_scopes", None)  # reload the role assignments, as a new request does
                return list(model.objects.visible_to(user))

            timing = timed(fetch, repeat=ctx.repeat)
            ctx.latency(f"{model.__name__}.visible_to ({persona})", timing, f"   rows={rows}")
