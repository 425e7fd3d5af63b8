"""Ledger exports, directly or in the background.

Each app with a 台账 registers it from ``AppConfig.ready`` (``register_export(name, label, plan)``):
``plan(user, filters)`` checks that the user may export it (``NotAllowed``, ``Http404``), reads the filters
(the list page's query parameters; ``Refused`` when they are wrong) and returns an ``Export``: the rows (a
scoped queryset, for their count), how to write the workbook, how to audit the export and the file's name.

``respond`` serves the app's export view: up to ``XUNCHA_EXPORT_BACKGROUND_ROWS`` rows the workbook is
written in the request and downloaded at once; above that an ``ExportJob`` is queued for ``xuncha worker``
and the user is sent to its page, where a progress bar (polled by htmx) becomes the download link. The
worker writes the workbook as the job's user (the plan is made again, so the scope is the user's at that
time), records the rows written as it goes, and keeps the file sealed with AES-GCM (as uploads are) for
``XUNCHA_EXPORT_KEEP_HOURS``. Only that user sees the job (404 for anyone else); each download is audited
as a direct export is, and the watermark names the user and the time of writing. Expired files are
deleted by the daily job (``purge_expired``) or by ``xuncha purge-exports``.
"""

import datetime
import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from . import crypto
from .choices import ExportState
from .errors import Refused
from .ledger import XLSX
from .models import ExportJob, User

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Export:
    """One ledger export planned for a user."""

    rows: QuerySet[Any]  # the rows to write (scoped and filtered): counted to choose the way
    write: Callable[[datetime.datetime, Progress | None], tuple[IO[bytes], int]]  # at → (file, rows)
    record: Callable[[int], None]  # audits an export of that many rows (opens its own action scope)
    filename: Callable[[datetime.datetime], str]


Plan = Callable[[User, QueryDict], Export]


@dataclass(frozen=True)
class Ledger:
    label: str  # 信访件台账 …
    plan: Plan


_ledgers: dict[str, Ledger] = {}


def register_export(name: str, label: str, plan: Plan) -> None:
    _ledgers[name] = Ledger(label, plan)


def ledgers() -> dict[str, str]:
    """Every registered ledger's name → its label."""
    return {name: ledger.label for name, ledger in sorted(_ledgers.items())}


def label_of(job: ExportJob) -> str:
    found = _ledgers.get(job.ledger)
    return found.label if found else job.ledger


def _query(filters: Mapping[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(str(key), [str(v) for v in (values if isinstance(values, list) else [values])])
    query._mutable = False
    return query


def plan(user: User, name: str, filters: Mapping[str, Any]) -> Export:
    """The export of ledger ``name`` with ``filters`` (parameter → value or values) for ``user``."""
    found = _ledgers.get(name)
    if found is None:
        raise Refused(f"没有名为“{name}”的台账。可选：{'、'.join(_ledgers)}。", field="ledger")
    return found.plan(user, _query(filters))


def threshold() -> int:
    return int(settings.XUNCHA_EXPORT_BACKGROUND_ROWS)


def start(user: User, name: str, filters: Mapping[str, Any], *, total: int | None = None) -> ExportJob:
    """Queue ledger ``name`` for the worker (after checking that the user may export it with these
    filters; ``total``: its rows, when counted already); the job, whose task is enqueued when the
    transaction commits."""
    if total is None:
        total = plan(user, name, filters).rows.count()
    now = timezone.now()
    job = ExportJob.objects.create(
        user=user,
        ledger=name,
        filters={key: list(values) for key, values in _query(filters).lists()},
        rows_total=total,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.XUNCHA_EXPORT_KEEP_HOURS),
    )
    transaction.on_commit(lambda: run_export.enqueue(str(job.pk)))
    return job


def _aad(job: ExportJob) -> bytes:
    return crypto.associated_data(ExportJob._meta.label_lower, "blob", job.pk)


def run(job_id: UUID | str) -> ExportJob:
    """Write the job's workbook (the worker's part); a failure is kept on the job in Chinese."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.state != ExportState.QUEUED:
        return job  # run twice (a retried task): the first run decided
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING)

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    try:
        export = plan(job.user, job.ledger, job.filters)
        at = timezone.now()
        handle, rows = export.write(at, progress)
        with handle:
            data = handle.read()
        job.blob.save(export_name(job), ContentFile(crypto.encrypt_bytes(data, aad=_aad(job))), save=False)
        job.filename = export.filename(at)
        job.rows_done = job.rows_total = rows
        job.state = ExportState.DONE
    except (Refused, PermissionDenied, Http404) as refused:
        job.state = ExportState.FAILED
        job.error = getattr(refused, "message", "") or "您已无权导出这些数据。"
    except Exception:
        log.exception("export %s failed", job.pk)
        job.state = ExportState.FAILED
        job.error = "导出时发生错误，请稍后重试；如仍失败，请联系系统管理员。"
    job.finished_at = timezone.now()
    job.save(update_fields=["blob", "filename", "rows_done", "rows_total", "state", "error", "finished_at"])
    return job


def export_name(job: ExportJob) -> str:
    return f"{job.pk.hex}.bin"


@task()
def run_export(job_id: str) -> str:
    """The background task: the job's state when it ends."""
    return run(job_id).state


def expired(job: ExportJob) -> bool:
    return job.state == ExportState.EXPIRED or job.expires_at <= timezone.now()


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the files of expired jobs (the jobs stay, marked 已过期); how many jobs expired."""
    count = 0
    jobs = ExportJob.objects.filter(expires_at__lte=now or timezone.now()).exclude(state=ExportState.EXPIRED)
    for job in jobs:
        if job.blob:
            job.blob.delete(save=False)
        job.state = ExportState.EXPIRED
        job.save(update_fields=["blob", "state"])
        count += 1
    return count


@task()
def purge_expired_task() -> int:
    """The daily job: expired export files deleted."""
    return purge_expired()


def job_of(user: User, job_id: UUID | str) -> ExportJob:
    """The user's own job (404 for anyone else's, as for a missing id)."""
    return get_object_or_404(ExportJob.objects.filter(user=user), pk=job_id)


def read(job: ExportJob) -> bytes:
    with job.blob.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read(), aad=_aad(job))


def download(user: User, job: ExportJob) -> FileResponse:
    """The finished job's workbook, audited as a direct export is (the plan is made again: the user must
    still be allowed to export that ledger). The caller checks that the job is done and not expired."""
    plan(user, job.ledger, job.filters).record(job.rows_done)
    return _file(io.BytesIO(read(job)), job.filename)


def _file(handle: IO[bytes], filename: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


def respond(
    request: HttpRequest, user: User, name: str, filters: QueryDict | None = None, *, back: str
) -> HttpResponseBase:
    """An app's export view, with ``filters`` (the request's query parameters unless given): the workbook
    at once, or above the threshold a job and its progress page; wrong filters go ``back`` with a
    message."""
    filters = request.GET if filters is None else filters
    try:
        export = plan(user, name, filters)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    total = export.rows.count()
    if total > threshold():
        job = start(user, name, filters, total=total)
        return redirect(reverse("export-job", args=[job.pk]))
    at = timezone.now()
    handle, rows = export.write(at, None)
    export.record(rows)
    return _file(handle, export.filename(at))
