"""Pages of clue transfers: the list (receivers: what was sent to them; the sending side: its transfers),
a transfer's page (the clue as the letter gives it, an audited read) with signing, disposal and
report-back, the 移交函, and the home panels of clues.

A receiver (a department's receiver, a unit's liaison) reaches only the transfers sent to it, never the
clue's own page.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.rounds.choices import Stage

from ..choices import ClueStatus, ClueTransferStatus
from ..models import Clue, ClueTransfer
from . import letter, transfers
from .forms import NO, YES, DisposeForm, ReportForm, TransferFilterForm
from .views import clues_of, reader_role

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10


def transfers_of(user: User) -> Any:
    return ClueTransfer.objects.visible_to(user).select_related(
        "clue__inspection__round__committee",
        "clue__inspection__team",
        "clue__inspection__unit",
        "department",
        "unit",
        "sent_by",
        "received_by",
        "disposed_by",
        "reported_by",
    )


def _transfer(user: User, pk: uuid.UUID) -> ClueTransfer:
    return get_object_or_404(transfers_of(user), pk=pk)


def transfer_reader_role(user: User, transfer: ClueTransfer) -> str:
    """The role in which ``user`` reads the transfer: as its receiver, else as the sending side."""
    receiving = transfers.receiver_roles(transfer)
    role = next((r for r, scope in receiving.items() if user.scopes.has(r, scope)), "")
    return role or reader_role(user, transfer.clue.inspection)


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = TransferFilterForm(request.GET or None)
    found = transfers_of(user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("overdue") == YES:
        found = found.filter(transfers.overdue())
    elif data.get("overdue") == NO:
        found = found.exclude(transfers.overdue())
    context = {"form": form, "page_obj": paginate(request, found), "query": querystring_without_page(request)}
    return render(request, "findings/clues/transfer_list.html", context)


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The transfer with the clue's content and the result: every view is an audited read."""
    user = acting_user(request)
    transfer = _transfer(user, pk)
    clue = transfer.clue
    record_read(
        "clue_transfer.content_read",
        transfer,
        by=user,
        role=transfer_reader_role(user, transfer),
        details={"clue_number": clue.number, "letter_number": transfer.letter_number},
    )
    receiver = transfers.may_receive(user, transfer)
    status = transfer.status
    context = {
        "transfer": transfer,
        "clue": clue,
        "persons": letter.persons_text(transfer),
        "clue_link": clues_of(user).filter(pk=clue.pk).exists(),
        "may_receive": receiver and status == ClueTransferStatus.SENT,
        "dispose_form": DisposeForm(initial={"disposal": transfer.disposal})
        if receiver and status in (ClueTransferStatus.RECEIVED, ClueTransferStatus.DISPOSED)
        else None,
        "report_form": ReportForm() if receiver and status == ClueTransferStatus.DISPOSED else None,
        "secrecy": letter.SECRECY,
    }
    return render(request, "findings/clues/transfer_detail.html", context)


def _back(transfer: ClueTransfer) -> str:
    return reverse("findings:clue-transfer-detail", args=[transfer.pk])


@login_required
@require_http_methods(GET_POST)
def transfer_receive(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    transfer = _transfer(user, pk)
    require(user, transfers.receiver_roles(transfer), what="签收移交的问题线索")
    return confirm_page(
        request,
        lambda: perform(user, transfers.receive_clue_transfer, transfer),
        question=(
            f"确认签收问题线索（{transfer.letter_number}）？"
            f"签收后请在 {transfer.due_on:%Y-%m-%d} 前报告处置结果。"
        ),
        done=f"已签收 {transfer.letter_number}。",
        back=_back(transfer),
    )


def _receiver_form(
    request: HttpRequest, pk: uuid.UUID, form_class: type[Form], run: Any, *, what: str, done: str
) -> HttpResponse:
    user = acting_user(request)
    transfer = _transfer(user, pk)
    form = form_class(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, run, transfer, **form.cleaned_data),
        allowed=transfers.receiver_roles(transfer),
        title=what,
        done=done,
        then=_back(transfer),
        template="findings/clues/transfer_form.html",
        transfer=transfer,
    )


@login_required
@require_http_methods(GET_POST)
def transfer_dispose(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _receiver_form(
        request,
        pk,
        DisposeForm,
        transfers.dispose_clue_transfer,
        what="记录问题线索处置方式",
        done="已记录处置方式。",
    )


@login_required
@require_http_methods(GET_POST)
def transfer_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _receiver_form(
        request,
        pk,
        ReportForm,
        transfers.report_clue_transfer,
        what="报告问题线索处置结果",
        done="已报告处置结果。",
    )


@login_required
@require_GET
def transfer_letter(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The 移交函 (.docx, or PDF with ``?format=pdf``), watermarked, for the sending side and the receiver;
    every download is an audit event."""
    user = acting_user(request)
    transfer = _transfer(user, pk)
    data = letter.clue_letter(transfer)
    record_read(
        "clue_transfer.letter_read",
        transfer,
        by=user,
        role=transfer_reader_role(user, transfer),
        details={"clue_number": transfer.clue.number, "letter_number": transfer.letter_number},
    )
    return document_response(request, data, letter.filename(transfer))


# Home panels -----------------------------------------------------------------------------------------


def home_panels(user: User) -> list[Panel]:
    """Approvers: clues awaiting their approval. Receivers: clues received and not reported. The office
    and the teams: transfers past their due date."""
    scopes = user.scopes
    panels: list[Panel] = []
    led, offices = scopes.ids(Role.TEAM_LEADER), scopes.ids(Role.OFFICE)
    if led or offices:
        waiting = (
            Clue.objects.visible_to(user)
            .filter(status=ClueStatus.SUBMITTED)
            .exclude(inspection__stage=Stage.ARCHIVED)
            .filter(
                Q(inspection__team_id__in=led, leader_approved_by__isnull=True)
                | Q(inspection__round__committee_id__in=offices, office_approved_by__isnull=True)
            )
            .exclude(
                Q(drafted_by=user)
                | Q(submitted_by=user)
                | Q(leader_approved_by=user)
                | Q(office_approved_by=user)
            )
            .select_related("inspection__unit")
            .order_by("submitted_at")
        )
        clues, count = head(waiting, PANEL_LIMIT)
        context = {"clues": clues, "count": count}
        panels.append(Panel("待我审批的问题线索", "findings/clues/home_approval.html", context, order=21))
    departments, units = scopes.ids(Role.RECEIVER), scopes.ids(Role.UNIT_LIAISON)
    if departments or units:
        received = (
            ClueTransfer.objects.visible_to(user)
            .filter(Q(department_id__in=departments) | Q(unit_id__in=units))
            .exclude(status=ClueTransferStatus.REPORTED)
            .exclude(clue__inspection__stage=Stage.ARCHIVED)
            .select_related("clue", "department", "unit")
            .order_by("due_on")
        )
        rows, count = head(received, PANEL_LIMIT)
        context = {"transfers": rows, "count": count, "today": timezone.localdate()}
        panels.append(
            Panel("移交我处、尚未报告结果的问题线索", "findings/clues/home_received.html", context, order=16)
        )
    teams = scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if offices or teams:
        overdue = (
            ClueTransfer.objects.visible_to(user)
            .filter(
                Q(clue__inspection__round__committee_id__in=offices) | Q(clue__inspection__team_id__in=teams)
            )
            .filter(transfers.overdue())
            .exclude(clue__inspection__stage=Stage.ARCHIVED)
            .select_related("clue", "department", "unit")
            .order_by("due_on")
        )
        late, count = head(overdue, PANEL_LIMIT)
        if late:
            context = {"transfers": late, "count": count, "today": timezone.localdate()}
            panels.append(
                Panel("逾期未报告结果的问题线索", "findings/clues/home_overdue.html", context, order=26)
            )
    return panels


urlpatterns: list[URLPattern] = [
    path("clue-transfers/", transfer_list, name="clue-transfer-list"),
    path("clue-transfers/<uuid:pk>/", transfer_detail, name="clue-transfer-detail"),
    path("clue-transfers/<uuid:pk>/receive/", transfer_receive, name="clue-transfer-receive"),
    path("clue-transfers/<uuid:pk>/dispose/", transfer_dispose, name="clue-transfer-dispose"),
    path("clue-transfers/<uuid:pk>/report/", transfer_report, name="clue-transfer-report"),
    path("clue-transfers/<uuid:pk>/letter/", transfer_letter, name="clue-transfer-letter"),
]
