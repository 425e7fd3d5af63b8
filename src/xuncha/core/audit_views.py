"""The auditor's pages: the audit log in Chinese, one event, and the filtered log as Excel."""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .audit import action_scope, record
from .audit_labels import object_numbers, object_type_label
from .audit_log import EXPORTED, Entry, committee_name, explain
from .choices import Role
from .forms import AuditFilterForm
from .ledger import XLSX, Ledger
from .models import AuditEvent, User
from .permissions import acting_user
from .ui import paginate, querystring_without_page

EXPORT_CHUNK = 500
COLUMNS = [
    ("序号", 10),
    ("时间", 20),
    ("操作人", 20),
    ("角色", 16),
    ("操作", 24),
    ("操作代码", 28),
    ("对象", 28),
    ("详情", 60),
]


def _auditor(request: HttpRequest) -> User:
    """The audit pages exist only for auditors: anyone else gets the same 404 as for a missing page."""
    user = acting_user(request)
    if not user.scopes.has(Role.AUDITOR):
        raise Http404
    return user


def _filtered(request: HttpRequest, user: User) -> tuple[AuditFilterForm, "QuerySet[AuditEvent]"]:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(user)
    if form.is_bound:
        form.is_valid()
        events = events.filter(form.filters())
    return form, events.order_by("-seq")


def _one_object(form: AuditFilterForm) -> str:
    """The object the log is narrowed to (by the links of an event's page), named by its number."""
    data = getattr(form, "cleaned_data", {})
    object_type, object_id = data.get("object_type", ""), data.get("object_id", "")
    if not object_type or not object_id:
        return ""
    number = object_numbers([(object_type, object_id)]).get((object_type, object_id), "")
    return f"{object_type_label(object_type)} {number}".strip()


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    form, events = _filtered(request, user)
    page_obj = paginate(request, events)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": explain(list(page_obj)),
            "one_object": _one_object(form),
            "query": querystring_without_page(request),
        },
    )


@login_required
@require_GET
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    user = _auditor(request)
    event = get_object_or_404(AuditEvent.objects.visible_to(user), seq=seq)
    (row,) = explain([event])
    return render(
        request, "core/audit_detail.html", {"row": row, "committee": committee_name(event.committee_id)}
    )


def _entries(events: "QuerySet[AuditEvent]") -> Iterator[Entry]:
    """Every event in chunks, each explained with its own few queries."""
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(event)
        if len(chunk) == EXPORT_CHUNK:
            yield from explain(chunk)
            chunk = []
    yield from explain(chunk)


@login_required
@require_GET
def audit_export(request: HttpRequest) -> FileResponse:
    user = _auditor(request)
    _, events = _filtered(request, user)
    at = timezone.now()
    ledger = Ledger("审计日志", COLUMNS, user=user, at=at, constant_memory=True)
    rows = 0
    for rows, entry in enumerate(_entries(events), start=1):
        ledger.row(
            rows,
            [
                entry.seq,
                f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M:%S}",
                entry.actor,
                entry.role,
                entry.action,
                entry.action_code,
                entry.object,
                entry.details_text(),
            ],
        )
    handle = ledger.close()
    committees = user.scopes.ids(Role.AUDITOR)
    with action_scope(EXPORTED):
        record(
            EXPORTED,
            None,
            by=user,
            role=Role.AUDITOR,
            # The export belongs to the committee audited; with several, to the installation.
            committee_id=next(iter(committees)) if len(committees) == 1 else None,
            details={"rows": rows, "filters": querystring_without_page(request)},
        )
    filename = f"审计日志-{timezone.localtime(at):%Y%m%d%H%M}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response
