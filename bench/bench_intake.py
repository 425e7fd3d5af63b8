"""Petition intake at scale (issue 3): intake with triage and duplicate check, and Chinese search.

Run on a database holding many petitions (`xuncha gen-data --scale 10 --petitions 100000`). Intake is timed
inside a transaction that is rolled back, so nothing is added; the public submission figure is
bench_portal.py's.
"""

from xuncha.core.audit import action_scope
from xuncha.demo.benchmarks import timed
from xuncha.intake import duplicates, search, triage
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.choices import RECEIVING_STAGES
from xuncha.intake.models import Petition
from xuncha.rounds.models import Inspection

QUERIES = ("报销", "工程招标", "公款宴请", "拖欠工资", "红包 购物卡", "选拔 提拔")


class _Rollback(Exception):
    pass


def _rolled_back(fn):
    """Run ``fn`` as an action (triage may save the petition) and undo everything it wrote."""
    try:
        with action_scope("bench.intake"):
            fn()
            raise _Rollback
    except _Rollback:
        pass


def run(ctx):
    office = ctx.users.get("office")
    total = Petition.objects.count()
    ctx.write(f"  petitions in the database: {total}")
    if office is None or total == 0:
        ctx.write("  (no petitions: run `xuncha gen-data --scale 10 --petitions 100000` first)")
        return
    inspection = Inspection.objects.visible_to(office).filter(stage__in=RECEIVING_STAGES).first()
    if inspection is None:
        ctx.write("  (no inspection receiving petitions for the office)")
        return
    texts = list(Petition.objects.filter(inspection=inspection).values_list("content", flat=True)[:50])
    texts = texts or ["市财政局张局长多次在城南宾馆用公款宴请，费用以会议费名义报销。"]
    existing = list(Petition.objects.filter(inspection=inspection)[: ctx.repeat])
    picks = iter(range(10**9))

    def suggest_and_check():
        petition = existing[next(picks) % len(existing)]
        _rolled_back(lambda: (triage.suggest(petition), duplicates.index(petition)))

    ctx.latency("triage + duplicate check of one petition", timed(suggest_and_check, repeat=ctx.repeat))

    def intake():
        text = texts[next(picks) % len(texts)]
        data = PetitionInput(content=text, channel="letter")
        _rolled_back(lambda: register_petition(inspection, data=data, by=office))

    ctx.latency("register_petition (whole intake, rolled back)", timed(intake, repeat=ctx.repeat))

    visible = Petition.objects.visible_to(office)
    for query in QUERIES:

        def find(query=query):
            found = search.search(visible, query)
            return found.count(), list(found.order_by("-received_at")[:20])

        hits = search.search(visible, query).count()
        ctx.latency(f"search “{query}” (office)", timed(find, repeat=ctx.repeat), f"   hits={hits}")
