"""Pages of transfers: the petition page's section, the transfer form, the receivers' and senders' list, a
transfer's page (sign, report the result), the transfer letter, and the home-page panels.

A receiver (a department's receiver, a unit's liaison) sees only what was sent to it, and of the petition
only what the letter says: its content and whom it is about, never who wrote it.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.audit import record_read
from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.downloads import document_response
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.rounds.choices import Stage

from .. import transfer_letter
from ..actions import transfers as actions
from ..choices import Decision, Status, TransferStatus
from ..forms.transfers import NO, YES, ReportForm, TransferFilterForm, TransferForm
from ..models import Petition, Transfer, TransferQuerySet

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10


def _transfers(user: User) -> TransferQuerySet:
    return Transfer.objects.visible_to(user).select_related(
        "petition__inspection__round__committee",
        "petition__inspection__team",
        "petition__inspection__unit",
        "department",
        "unit",
        "sent_by",
        "received_by",
        "reported_by",
    )


def _next_url(request: HttpRequest) -> str | None:
    """Where to go back to (the petition page the form was on), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _petitions_seen(user: User, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these petitions the user may open (the sending side; a receiver sees the transfer only)."""
    return set(Petition.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def _may_be_transferred(petition: Petition) -> bool:
    return (
        petition.decision == Decision.TRANSFER
        and petition.status not in (Status.FILED, Status.CONCLUDED)
        and not petition.inspection.is_read_only
    )


# The petition page's section ------------------------------------------------------------------------


def panel(request: HttpRequest, petition: Petition) -> str:
    """The petition's transfers (receiver, status, due date, letter) and, for the team leader and the office
    when the triage decision is 转交, the form to transfer it."""
    user = acting_user(request)
    transfers = _transfers(user).filter(petition=petition).order_by("sent_at", "pk")
    can_transfer = _may_be_transferred(petition) and actions.may_transfer(user, petition)
    context = {
        "petition": petition,
        "transfers": transfers,
        "today": timezone.localdate(),
        "form": TransferForm(petition=petition) if can_transfer else None,
        "next": request.get_full_path(),
        "badges": BADGE_COLOURS,
    }
    return render_to_string("intake/transfers/panel.html", context, request=request)


# Transferring ---------------------------------------------------------------------------------------


def _detail_url(transfer: Transfer) -> str:
    return reverse("intake:transfer-detail", args=[transfer.pk])


@login_required
@require_http_methods(GET_POST)
def transfer_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__team", "inspection__unit"
        ),
        pk=pk,
    )
    form = TransferForm(request.POST or None, petition=petition)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.transfer_petition, petition, **form.cleaned_data),
        allowed=actions.transfer_roles(petition),
        title="转交信访件",
        done=lambda transfer: (
            f"已将 {petition.number} 转交{transfer.receiver_name}（{transfer.letter_number}）。"
        ),
        then=lambda transfer: _next_url(request) or _detail_url(transfer),
        template="intake/transfers/transfer_form.html",
        petition=petition,
        transferable=_may_be_transferred(petition),
        next=_next_url(request) or "",
    )


# Lists and pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Receivers: what was sent to their department or unit. Office and team: their transfers."""
    user = acting_user(request)
    today = timezone.localdate()
    form = TransferFilterForm(request.GET or None)
    transfers = _transfers(user)
    if form.is_valid():
        if form.cleaned_data["status"]:
            transfers = transfers.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["overdue"] == YES:
            transfers = transfers.filter(actions.overdue(today))
        elif form.cleaned_data["overdue"] == NO:
            transfers = transfers.exclude(actions.overdue(today))
    page_obj = paginate(request, transfers)
    context = {
        "form": form,
        "page_obj": page_obj,
        "petition_links": _petitions_seen(user, [t.petition_id for t in page_obj]),
        "query": querystring_without_page(request),
        "today": today,
        "badges": BADGE_COLOURS,
    }
    return render(request, "intake/transfers/transfer_list.html", context)


@login_required
@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(user), pk=pk)
    receiver = actions.may_receive(user, transfer)
    context = {
        "transfer": transfer,
        "petition": transfer.petition,
        "petition_link": bool(_petitions_seen(user, [transfer.petition_id])),
        "shared": transfer_letter.shared_content(transfer.petition),
        "confidential": transfer_letter.CONFIDENTIAL,
        "can_receive": receiver and transfer.status == TransferStatus.SENT,
        "report_form": ReportForm() if receiver and transfer.status == TransferStatus.RECEIVED else None,
        "today": timezone.localdate(),
        "badges": BADGE_COLOURS,
    }
    return render(request, "intake/transfers/transfer_detail.html", context)


@login_required
@require_POST
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(user), pk=pk)
    require(user, actions.receiver_roles(transfer), what="签收转交件")
    return confirm_page(
        request,
        lambda: perform(user, actions.receive_transfer, transfer),
        done=f"已签收 {transfer.letter_number}。请在期限内报送办理结果。",
        back=_detail_url(transfer),
    )


@login_required
@require_http_methods(GET_POST)
def transfer_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(user), pk=pk)
    form = ReportForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.report_transfer_result, transfer, result=form.cleaned_data["result"]),
        allowed=actions.receiver_roles(transfer),
        title="报送转交件办理结果",
        done=f"已报送 {transfer.letter_number} 的办理结果。",
        then=_detail_url(transfer),
        template="intake/transfers/report_form.html",
        transfer=transfer,
    )


def _reader_role(user: User, transfer: Transfer) -> str:
    inspection = transfer.petition.inspection
    candidates = {
        **actions.receiver_roles(transfer),
        Role.OFFICE: inspection.round.committee_id,
        Role.TEAM_LEADER: inspection.team_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }
    return next((role for role, scope in candidates.items() if user.scopes.has(role, scope)), "")


@login_required
@require_GET
def transfer_letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 转交函 (.docx), for the sending side and the receiver; every download is an audit event."""
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(user), pk=pk)
    data = transfer_letter.transfer_letter(transfer)
    record_read(
        "transfer.letter_read",
        transfer,
        by=user,
        role=_reader_role(user, transfer),
        details={"petition_number": transfer.petition.number, "letter_number": transfer.letter_number},
    )
    return document_response(request, data, transfer_letter.filename(transfer))


# Home page ------------------------------------------------------------------------------------------


def home_panels(user: User) -> list[Panel]:
    """Receivers: what waits to be signed for or reported. Office and team: transfers past their due date."""
    scopes = user.scopes
    panels: list[Panel] = []
    departments, units = scopes.ids(Role.RECEIVER), scopes.ids(Role.UNIT_LIAISON)
    today = timezone.localdate()
    if departments or units:
        context: dict[str, object]
        waiting = (
            _transfers(user)
            .filter(Q(department_id__in=departments) | Q(unit_id__in=units))
            .exclude(status=TransferStatus.REPORTED)
            .exclude(petition__inspection__stage=Stage.ARCHIVED)
            .order_by("due_on", "pk")
        )
        rows, count = head(waiting, PANEL_LIMIT)
        context = {"transfers": rows, "count": count, "badges": BADGE_COLOURS}
        panels.append(
            Panel("待签收/待报结果的转交件", "intake/transfers/home_receiver.html", context, order=15)
        )
    committees, teams = scopes.ids(Role.OFFICE), scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if committees or teams:
        overdue = (
            _transfers(user)
            .filter(
                Q(petition__inspection__round__committee_id__in=committees)
                | Q(petition__inspection__team_id__in=teams)
            )
            .filter(actions.overdue(today))
            .exclude(petition__inspection__stage=Stage.ARCHIVED)
            .order_by("due_on", "pk")
        )
        transfers, count = head(overdue, PANEL_LIMIT)
        context = {"transfers": transfers, "count": count, "badges": BADGE_COLOURS}
        panels.append(Panel("逾期未报结果的转交件", "intake/transfers/home_overdue.html", context, order=25))
    return panels


urlpatterns: list[URLPattern] = [
    path("petitions/<uuid:pk>/transfer/", transfer_create, name="petition-transfer"),
    path("transfers/", transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/receive/", transfer_receive, name="transfer-receive"),
    path("transfers/<int:pk>/report/", transfer_report, name="transfer-report"),
    path("transfers/<int:pk>/letter/", transfer_letter_download, name="transfer-letter"),
]
