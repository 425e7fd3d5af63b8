"""Background tasks of intake (django-tasks; run by ``xuncha worker``)."""

import datetime

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .triage import learned

# Decisions come in bursts (a clerk triaging a morning's post): the retraining waits this long, and every
# decision made meanwhile joins the one already queued, since it reads the labels when it runs.
TRAINING_DELAY = datetime.timedelta(seconds=60)


@task()
def train_triage_models(committee_id: int) -> dict[str, str]:
    """Retrain the committee's learned triage models whose labels changed (see triage/learned.py)."""
    return learned.train(committee_id)


def queue_training(committee_id: int) -> None:
    """Queue a retraining of the committee's models unless one is already waiting to start."""
    if not isinstance(train_triage_models.get_backend(), DatabaseBackend):
        train_triage_models.enqueue(committee_id)  # a backend without a queue (tests) runs it now
        return
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,  # queued, not started (whatever its run_after)
        task_path=train_triage_models.module_path,
        args_kwargs__args=[committee_id],
    )
    if not waiting.exists():
        train_triage_models.using(run_after=timezone.now() + TRAINING_DELAY).enqueue(committee_id)
