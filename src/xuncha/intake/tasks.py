"""Background tasks of intake (django-tasks; run by ``xuncha worker``)."""

import datetime

from django_tasks import task

from .actions import transfers
from .triage import learned


@task()
def chase_overdue_transfers(today: str | None = None) -> int:
    """Chase the transfers whose result is overdue (once a day each); ``today`` as YYYY-MM-DD, for reruns.
    Returns how many were chased."""
    day = datetime.date.fromisoformat(today) if today else None
    return len(transfers.chase_overdue_transfers(today=day))


@task()
def train_triage_models(committee_id: int) -> dict[str, str]:
    """Retrain the committee's learned triage models whose labels changed (see triage/learned.py)."""
    return learned.train(committee_id)
