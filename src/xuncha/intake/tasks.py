"""Background tasks of intake (django-tasks; run by ``xuncha worker``)."""

from django_tasks import task

from .triage import learned


@task()
def train_triage_models(committee_id: int) -> dict[str, str]:
    """Retrain the committee's learned triage models whose labels changed (see triage/learned.py)."""
    return learned.train(committee_id)
