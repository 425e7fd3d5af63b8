"""Jobs that run once a day: chasing overdue transfers, deadline reminders.

Apps register a django-tasks task from ``AppConfig.ready``; ``xuncha daily`` (run by cron or a systemd
timer, see docs/deployment.md) enqueues every registered job for ``xuncha worker``. Each job must be
idempotent for the day: running ``daily`` twice sends nothing twice.
"""

from typing import Any

from django_tasks.base import Task

_jobs: list[Task[Any, Any]] = []  # tasks taking no arguments


def register_daily(task: Task[Any, Any]) -> None:
    if task not in _jobs:
        _jobs.append(task)


def enqueue_all() -> list[str]:
    """Enqueue every daily job; the names of those enqueued."""
    for job in _jobs:
        job.enqueue()
    return [job.name for job in _jobs]
