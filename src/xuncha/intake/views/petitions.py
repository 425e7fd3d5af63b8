"""Pages of petitions for the team and the office: the list with filters and search, the Excel 台账, a
petition with the panels of the other areas, its attachments, staff entry by channel and by box opening,
and concluding.

Petitions are found through ``visible_to`` (out of scope → 404, as for a missing id). The reporter's
identity is never loaded for a list, a page or an export: only whether the petition is anonymous. An
attachment's own name (it may carry the reporter's name) is given only with its audited download.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core import exports
from xuncha.core.audit import action_scope, record, record_read
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.exports import Export
from xuncha.core.forms import show_refusal
from xuncha.core.home import Panel
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.todos import Todo
from xuncha.core.ui import paginate, querystring_without_page
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Team

from .. import batch, ledger
from ..actions.handling import conclude_petition, conclude_roles
from ..actions.petitions import (
    PetitionInput,
    member_roles,
    open_box,
    register_box_item,
    register_petition,
)
from ..choices import RECEIVING_STAGES, Status
from ..forms.petitions import (
    BoxOpeningForm,
    ConcludeForm,
    PetitionContentForm,
    PetitionFilterForm,
    PetitionForm,
    in_duty_hours,
)
from ..listing import filter_petitions, listed
from ..models import Announcement, Attachment, BoxOpening, Petition, PetitionQuerySet
from . import duplicates, hide_identity, portal, reveals, transfers, triage

GET_POST = ["GET", "POST"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PETITION_ROLES = (Role.OFFICE, Role.TEAM_LEADER, Role.TEAM_MEMBER)
# The areas whose sections (``panel``) a petition's page shows, in this order.
PANEL_AREAS = (triage, duplicates, reveals, transfers, portal)


def _receivable(user: User, inspection_id: int) -> Inspection:
    """An inspection the user may enter petitions for: 404 out of sight, 403 seen but not the team's."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round", "team", "unit"), pk=inspection_id
    )
    require(user, member_roles(inspection), what="登记信访件")
    return inspection


def _received(
    user: User, intake: Callable[..., Petition], target: Any, *, data: PetitionInput
) -> tuple[Petition, bool]:
    """Run an intake action for ``user``; also say whether the petition is in the user's reach.

    Unlike ``scoping.perform`` this does not refuse a petition that leaves the member's reach: one about
    the inspectors goes to the office alone (domain §4), and the member who entered it is told so."""
    with transaction.atomic():
        petition = intake(target, data=data, by=user)
        visible = Petition.objects.visible_to(user).filter(pk=petition.pk).exists()
    return petition, visible


def _received_message(request: HttpRequest, petition: Petition, visible: bool, prefix: str = "") -> None:
    if visible:
        messages.success(request, f"{prefix}已登记信访件 {petition.number}。")
    else:
        messages.success(
            request,
            f"{prefix}已登记信访件 {petition.number}。"
            "该件反映巡察组或巡察干部，已转巡察办办理，本组不可查看。",
        )


# The list and the export ----------------------------------------------------------------------------


@login_required
@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PetitionFilterForm(request.GET or None, user=user)
    petitions = form.filter(listed(user))
    works = bool(user.scopes.ids(*PETITION_ROLES))
    page = paginate(request, petitions)
    context = {
        "form": form,
        "page_obj": page,
        # Counted only when the list is within the count's cap (no full count per page).
        "matters": None if page.capped else petitions.distinct_matters(),
        "query": querystring_without_page(request),
        "may_export": works,
        "batch_verbs": batch.VERBS if works else {},  # each row's own action decides who may do what
    }
    return render(request, "intake/petitions/petition_list.html", context)


def _export_role(user: User, committee_id: int) -> str:
    if user.scopes.has(Role.OFFICE, committee_id):
        return Role.OFFICE
    return Role.TEAM_LEADER if user.scopes.ids(Role.TEAM_LEADER) else Role.TEAM_MEMBER


def plan_export(user: User, filters: QueryDict) -> Export:
    """The 信访件台账 of the petitions the user lists with ``filters`` (the list's query parameters)."""
    if not user.scopes.ids(*PETITION_ROLES):
        raise NotAllowed("只有巡察组成员和巡察办可以导出信访件台账。")
    form = PetitionFilterForm(filters or None, user=user)
    lookups = form.lookups()
    if form.errors:
        raise Refused("筛选条件有误，请改正后再导出。")
    petitions = filter_petitions(listed(user), **lookups)
    shown = {
        key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in lookups.items()
    }

    def audit(rows: int) -> None:
        # One event for each committee whose petitions the user may export, so that its auditor sees it.
        scopes = user.scopes
        teams = Team.objects.visible_to(user).filter(pk__in=scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER))
        committees = scopes.ids(Role.OFFICE) | set(teams.values_list("round__committee_id", flat=True))
        with action_scope("petition.exported"):
            for committee_id in sorted(committees):
                record(
                    "petition.exported",
                    None,
                    by=user,
                    role=_export_role(user, committee_id),
                    committee_id=committee_id,
                    details={"filters": shown, "rows": rows},
                )

    return Export(
        rows=petitions,
        write=lambda at, progress: ledger.write(petitions, user=user, at=at, progress=progress),
        record=audit,
        filename=lambda at: f"信访件台账-{timezone.localtime(at):%Y%m%d-%H%M}.xlsx",
    )


@login_required
@require_GET
def petition_export(request: HttpRequest) -> HttpResponseBase:
    """The 台账 at once, or in the background above the threshold (``core.exports``)."""
    back = f"{reverse('intake:petition-list')}?{request.GET.urlencode()}"
    return exports.respond(request, acting_user(request), "petitions", back=back)


# One petition and its attachments -------------------------------------------------------------------


def _visible_petition(user: User, pk: Any) -> Petition:
    return get_object_or_404(
        listed(user).select_related(
            "discipline", "focus", "box_opening", "entered_by", "decided_by", "duplicate_group"
        ),
        pk=pk,
    )


@never_cache  # it may show a reporter's identity during an approved reveal
@login_required
@require_GET
def petition_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    user = acting_user(request)
    petition = _visible_petition(user, pk)
    roles = conclude_roles(petition)
    may_conclude = holds(user, roles)
    # Each panel is a template rendered by its area (autoescaped there).
    panels = mark_safe("".join(area.panel(request, petition) for area in PANEL_AREAS))  # noqa: S308
    context = {
        "petition": petition,
        "persons": petition.persons.select_related("unit"),
        "attachments": Attachment.objects.visible_to(user).filter(petition=petition).defer("filename"),
        "may_conclude": may_conclude and petition.status == Status.ACCEPTED,
        "panels": panels,
    }
    return render(request, "intake/petitions/petition_detail.html", context)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: Any) -> HttpResponse:
    user = acting_user(request)
    attachment = get_object_or_404(
        Attachment.objects.visible_to(user).select_related("petition__inspection__round"), pk=pk
    )
    petition = attachment.petition
    role = require(user, member_roles(petition.inspection), what="下载附件")
    data = attachment.read()
    record_read(
        "attachment.downloaded",
        attachment,
        by=user,
        role=role,
        details={
            "petition_number": petition.number,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(GET_POST)
def petition_conclude(request: HttpRequest, pk: Any) -> HttpResponse:
    user = acting_user(request)
    petition = _visible_petition(user, pk)
    require(user, conclude_roles(petition), what="办结信访件")
    form = ConcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(user, conclude_petition, petition, conclusion=form.cleaned_data["conclusion"])
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"信访件 {petition.number} 已办结。")
            return redirect("intake:petition-detail", pk=petition.pk)
    return render(request, "intake/petitions/petition_conclude.html", {"form": form, "petition": petition})


# Staff entry ----------------------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _duty_initial(announcement: Announcement | None) -> str:
    inside = in_duty_hours(announcement, timezone.now())
    return "" if inside is None else "1" if inside else "0"


@hide_identity
@login_required
@require_http_methods(GET_POST)
def petition_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _receivable(user, inspection_id)
    announcement = Announcement.objects.visible_to(user).filter(inspection=inspection).first()
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES, announcement=announcement)
    else:
        initial = {"received_at": _now(), "in_duty_hours": _duty_initial(announcement)}
        form = PetitionForm(initial=initial, announcement=announcement)
    if request.method == "POST" and form.is_valid():
        try:
            petition, visible = _received(user, register_petition, inspection, data=form.to_input())
        except Refused as refused:
            show_refusal(form, refused)
        else:
            _received_message(request, petition, visible)
            if visible:
                return redirect("intake:petition-detail", pk=petition.pk)
            return redirect(f"{reverse('intake:petition-list')}?inspection={inspection.pk}")
    context = {
        "form": form,
        "inspection": inspection,
        "receiving": inspection.stage in RECEIVING_STAGES,
        "openings": BoxOpening.objects.visible_to(user).filter(inspection=inspection)[:10],
    }
    return render(request, "intake/petitions/petition_form.html", context)


@login_required
@require_http_methods(GET_POST)
def box_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _receivable(user, inspection_id)
    form = BoxOpeningForm(request.POST or None, initial={"opened_at": _now()})
    if request.method == "POST" and form.is_valid():
        try:
            opening = perform(user, open_box, inspection, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已登记开箱记录，请逐件登记箱内信件。")
            return redirect("intake:box-detail", pk=opening.pk)
    context = {"form": form, "inspection": inspection, "receiving": inspection.stage in RECEIVING_STAGES}
    return render(request, "intake/petitions/box_form.html", context)


@hide_identity
@login_required
@require_http_methods(GET_POST)
def box_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    opening = get_object_or_404(
        BoxOpening.objects.visible_to(user).select_related(
            "inspection__round", "inspection__team", "inspection__unit", "created_by"
        ),
        pk=pk,
    )
    inspection = opening.inspection
    form = PetitionContentForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None:
        require(user, member_roles(inspection), what="登记意见箱信件")
        if form.is_valid():
            try:
                petition, visible = _received(user, register_box_item, opening, data=form.petition_input())
            except Refused as refused:
                show_refusal(form, refused)
            else:
                _received_message(request, petition, visible, prefix="本次开箱")
                return redirect("intake:box-detail", pk=opening.pk)
    items = listed(user).filter(box_opening=opening).order_by("number")
    context = {
        "opening": opening,
        "inspection": inspection,
        "items": items,
        "form": form or PetitionContentForm(),
        "receiving": inspection.stage in RECEIVING_STAGES,
    }
    return render(request, "intake/petitions/box_detail.html", context)


# The home page --------------------------------------------------------------------------------------


def _teams_petitions(user: User, team_ids: set[int]) -> PetitionQuerySet:
    """The petitions of the user's teams' inspections that still ask for work (not archived)."""
    return (
        Petition.objects.visible_to(user)
        .filter(inspection__team_id__in=team_ids)
        .exclude(inspection__stage=Stage.ARCHIVED)
    )


def todos(user: User) -> list[Todo]:
    """待分拣的信访件: each new petition of the user's teams, oldest first."""
    team_ids = user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if not team_ids:
        return []
    waiting = _teams_petitions(user, team_ids).filter(status=Status.NEW)
    return [
        Todo(
            group="待分拣的信访件",
            title=f"信访件{petition.number}",
            subject=str(petition.inspection),
            link=reverse("intake:petition-detail", args=[petition.pk]),
        )
        for petition in waiting.select_related("inspection__team", "inspection__unit").order_by(
            "received_at", "pk"
        )
    ]


def home_panels(user: User) -> list[Panel]:
    """For team members: petitions waiting for triage and important ones to follow up promptly (约谈)."""
    team_ids = user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if not team_ids:
        return []
    counts = _teams_petitions(user, team_ids).aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        important=Count("pk", filter=Q(status=Status.ACCEPTED, important=True)),
    )
    context = {
        **counts,
        "accepted": Status.ACCEPTED.value,
        "new_status": Status.NEW.value,
    }
    return [Panel("信访件", "intake/petitions/home_panel.html", context, order=15)]


urlpatterns: list[URLPattern] = [
    path("petitions/", petition_list, name="petition-list"),
    path("petitions/export/", petition_export, name="petition-export"),
    path("petitions/<uuid:pk>/", petition_detail, name="petition-detail"),
    path("petitions/<uuid:pk>/conclude/", petition_conclude, name="petition-conclude"),
    path("attachments/<uuid:pk>/", attachment_download, name="attachment-download"),
    path("inspections/<int:inspection_id>/petitions/new/", petition_create, name="petition-new"),
    path("inspections/<int:inspection_id>/box-openings/new/", box_create, name="box-new"),
    path("box-openings/<int:pk>/", box_detail, name="box-detail"),
]
