"""Analysis of a received petition: its triage suggestions and its place in the duplicate index.

A clerk's entry is analysed inside its intake action, so the suggestions are there when the clerk opens the
petition. A public submission is not: 20 reporters submitting at once on two cores cannot each wait for it
(bench/bench_portal.py, docs/decisions/0007-intake-analysis-in-background.md). Its intake keeps what decides
who may see it (the check for petitions about the inspectors, triage.route) and ``schedule`` enqueues
``analyse_petition`` once the intake commits; ``xuncha worker`` runs it, and until then the pages say 分析中.

``analyse`` may run again on the same petition (a task retried, or run by hand) and leaves the same rows:
its suggestions are replaced, its fingerprints rewritten, and pairs already suggested not suggested again.
So ``analyse_pending``, a daily job, simply enqueues again whatever is still 分析中 after ``STALE``: an
enqueue lost to a crash between the commit and the enqueue, or a task that failed.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from xuncha.core.audit import action_scope, record
from xuncha.core.permissions import SYSTEM

from . import duplicates, triage
from .models import Petition, Suggestion

# A petition still without its analysis this long after it was received was lost on the way to the queue.
STALE = datetime.timedelta(minutes=10)


def analyse(petition: Petition) -> dict[str, int]:
    """Make the petition's suggestions and duplicate candidates (inside an action); returns their counts."""
    Suggestion.objects.filter(petition=petition).delete()
    suggestions = triage.suggest(petition)
    candidates = duplicates.index(petition)
    petition.analysed_at = timezone.now()
    petition.save(update_fields=["analysed_at"])
    return {"suggestions": len(suggestions), "duplicate_candidates": len(candidates)}


def schedule(petition: Petition) -> None:
    """Analyse the petition in the background once the current transaction commits (never before: the worker
    would not find it)."""
    petition_id = str(petition.pk)
    transaction.on_commit(lambda: analyse_petition.enqueue(petition_id))


@task()
def analyse_petition(petition_id: str) -> dict[str, int]:
    """The background analysis of one petition, as an action of the system."""
    petition = Petition.objects.select_related("inspection__round").filter(pk=petition_id).first()
    if petition is None:  # deleted in the meantime: nothing to analyse
        return {}
    with action_scope("intake.analyse_petition"):
        counts = analyse(petition)
        record("petition.analysed", petition, by=None, role=SYSTEM, details=counts)
    return counts


@task()
def analyse_pending() -> int:
    """Enqueue the analysis of every petition still without one ``STALE`` after it was received (daily)."""
    cutoff = timezone.now() - STALE
    pending = Petition.objects.filter(analysed_at__isnull=True, received_at__lt=cutoff)
    petition_ids = [str(pk) for pk in pending.values_list("pk", flat=True)]
    for petition_id in petition_ids:
        analyse_petition.enqueue(petition_id)
    return len(petition_ids)
