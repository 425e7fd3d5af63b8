"""A background ledger export's page, its progress (polled by htmx) and its file: the user's own only."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .choices import ExportState
from .errors import Refused
from .exports import download, expired, job_of, label_of
from .models import ExportJob
from .permissions import acting_user


def _context(job: ExportJob) -> dict[str, object]:
    total = job.rows_total
    return {
        "job": job,
        "label": label_of(job),
        "expired": expired(job),
        "working": job.state in (ExportState.QUEUED, ExportState.RUNNING),
        "percent": min(100, job.rows_done * 100 // total) if total else 0,
        "step": min(100, job.rows_done * 20 // total * 5) if total else 0,  # the bar's width class
    }


@login_required
@require_GET
def export_job(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = job_of(acting_user(request), pk)
    return render(request, "core/exports/job.html", _context(job))


@login_required
@require_GET
def export_progress(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The progress card alone, which the page polls while the job runs."""
    job = job_of(acting_user(request), pk)
    return render(request, "core/exports/progress.html", _context(job))


@login_required
@require_GET
def export_file(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    user = acting_user(request)
    job = job_of(user, pk)
    if job.state != ExportState.DONE or expired(job):
        messages.error(request, "导出文件已过期，请重新导出。" if expired(job) else "导出尚未完成。")
        return redirect("export-job", pk=job.pk)
    try:
        return download(user, job)
    except Refused as refused:  # its filters no longer hold for the user (a scope has ended, say)
        messages.error(request, refused.message)
        return redirect("export-job", pk=job.pk)
