"""Background task of clues (django-tasks; enqueued once a day by ``xuncha daily``)."""

import datetime

from django_tasks import task

from . import transfers


@task()
def chase_overdue_clue_transfers(today: str | None = None) -> int:
    """Chase the clue transfers whose result is overdue (once a day each); ``today`` as YYYY-MM-DD, for
    reruns. Returns how many were chased."""
    day = datetime.date.fromisoformat(today) if today else None
    return len(transfers.chase_overdue_clue_transfers(today=day))
