"""Ledger exports in the API: always a background job (``core.exports``), polled until done, then its file.
A job is its own user's only: anyone else gets 404, as for a missing id."""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from ninja import Router, Schema
from ninja.responses import Status

from . import exports
from .api import ErrorOut
from .choices import ExportState
from .models import ExportJob
from .permissions import acting_user

router = Router(tags=["core"])


class ExportIn(Schema):
    ledger: str  # petitions, findings or rectification
    filters: dict[str, str | list[str]] = {}  # the list page's query parameters (findings: inspection)


class ExportOut(Schema):
    id: uuid.UUID
    ledger: str
    ledger_label: str
    filters: dict[str, list[str]]
    state: str
    state_label: str
    rows_done: int
    rows_total: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    expires_at: datetime.datetime
    file: str | None  # the file's path in the API once done (until it expires)


def _out(job: ExportJob) -> dict[str, Any]:
    expired = exports.expired(job)
    state = ExportState.EXPIRED if expired else ExportState(job.state)
    return {
        "id": job.pk,
        "ledger": job.ledger,
        "ledger_label": exports.label_of(job),
        "filters": job.filters,
        "state": state.value,
        "state_label": str(state.label),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
        "file": f"/api/v1/exports/{job.pk}/file" if state == ExportState.DONE else None,
    }


@router.post("/exports/", response={201: ExportOut})
def start(request: HttpRequest, payload: ExportIn) -> Status[dict[str, Any]]:
    """Queue a ledger export with the list's filters (checked now, as the page checks them); poll
    ``GET /exports/{id}`` for its progress."""
    job = exports.start(acting_user(request), payload.ledger, payload.filters)
    return Status(201, _out(job))


@router.get("/exports/{uuid:job_id}", response=ExportOut)
def job(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    return _out(exports.job_of(acting_user(request), job_id))


@router.get("/exports/{uuid:job_id}/file", response={200: None, 409: ErrorOut, 410: ErrorOut})
def file(request: HttpRequest, job_id: uuid.UUID) -> HttpResponseBase | Status[dict[str, str]]:
    """The workbook (watermarked); every download is an audit event, as a direct export is. 409 while
    the job runs or when it failed, 410 once the file has expired."""
    user = acting_user(request)
    found = exports.job_of(user, job_id)
    if exports.expired(found):
        return Status(410, {"detail": "导出文件已过期，请重新导出。"})
    if found.state != ExportState.DONE:
        return Status(409, {"detail": found.error or "导出尚未完成。"})
    return exports.download(user, found)
