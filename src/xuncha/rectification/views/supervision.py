"""Supervision pages: the list of notices (the office's, or those a liaison's unit leads or cooperates on),
a notice with its responses, the issue form from an inspection's rectification page, the units' responses,
the office's close and return, the 督办单 .docx and the audited download of response files; the office's
assessment and the 回访 record; the section on the inspection's rectification page."""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.forms import uploads
from xuncha.core.home import Panel
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds
from xuncha.core.scoping import perform
from xuncha.core.todos import Todo
from xuncha.core.ui import paginate, querystring_without_page
from xuncha.orgs.models import Department, Unit
from xuncha.rounds.kinds import unit_committee_ids
from xuncha.rounds.models import Inspection

from ..actions import supervision as actions
from ..actions.common import office_roles, team_leader_roles
from ..choices import NoticeStatus
from ..forms import (
    AssessmentForm,
    NoteForm,
    NoticeFilterForm,
    NoticeForm,
    ReasonForm,
    ResponseForm,
    VisitForm,
)
from ..models import Assessment, Item, ResponseFile, SupervisionNotice, Visit
from .common import GET_POST, form_page, inspection_for, inspection_url, inspections_for, reader_role
from .items import file_response
from .lists import RECTIFICATION_ROLES

OPEN = (NoticeStatus.ISSUED, NoticeStatus.RETURNED)
PANEL_LIMIT = 10


def notice_url(notice: SupervisionNotice) -> str:
    return reverse("rectification:notice", args=[notice.pk])


def overdue(notices: QuerySet[SupervisionNotice], today: Any = None) -> QuerySet[SupervisionNotice]:
    """Notices past their due date that still wait for the lead unit's result."""
    return notices.filter(status__in=OPEN, due_on__lt=today or timezone.localdate())


def is_overdue(notice: SupervisionNotice) -> bool:
    return notice.status in OPEN and notice.due_on < timezone.localdate()


def notice_for(user: User, pk: int) -> SupervisionNotice:
    return get_object_or_404(
        SupervisionNotice.objects.visible_to(user).select_related(
            "inspection__round__committee",
            "inspection__unit",
            "inspection__team",
            "lead_unit",
            "lead_department",
            "committee",
        ),
        pk=pk,
    )


def own_unit(user: User, notice: SupervisionNotice) -> Unit | None:
    """The unit ``user`` answers for: the lead unit if they are its liaison, else a cooperating unit they
    liaise for; the lead unit otherwise (whose role they then lack: 403). None when a department leads
    and the user liaises for no cooperating unit."""
    units = user.scopes.ids(Role.UNIT_LIAISON)
    if notice.lead_unit_id in units:
        return notice.lead_unit
    mine = notice.cooperating_units.filter(pk__in=units).first()
    return mine or notice.lead_unit


def responder(user: User, notice: SupervisionNotice) -> dict[str, Any]:
    """Whom ``user`` answers a notice for, as the ``respond`` action's keyword: the lead department (its
    receiver), or their unit (``own_unit``)."""
    if notice.lead_department_id and (
        notice.lead_department_id in user.scopes.ids(Role.RECEIVER) or own_unit(user, notice) is None
    ):
        return {"department": notice.lead_department}
    return {"unit": own_unit(user, notice)}


def responder_roles(answering: dict[str, Any]) -> dict[str, int]:
    if "department" in answering:
        return {Role.RECEIVER: answering["department"].pk}
    return {Role.UNIT_LIAISON: answering["unit"].pk}


def notice_role(user: User, notice: SupervisionNotice) -> str:
    """The role a read of the notice is recorded under."""
    role = reader_role(user, notice.inspection)
    if role:
        return role
    return Role.UNIT_LIAISON if user.scopes.ids(Role.UNIT_LIAISON) else ""


def _reader(request: HttpRequest) -> User:
    user = acting_user(request)
    if not user.scopes.ids(*RECTIFICATION_ROLES):
        raise NotAllowed("只有巡察办、领导小组、巡察组和被巡察单位联络人可以查看督办单。")
    return user


def _with_units(notices: QuerySet[SupervisionNotice]) -> QuerySet[SupervisionNotice]:
    return notices.select_related("lead_unit", "lead_department", "inspection__unit").prefetch_related(
        "cooperating_units"
    )


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    visible = SupervisionNotice.objects.visible_to(user)
    units = Unit.objects.filter(
        Q(led_supervision_notices__in=visible) | Q(cooperating_supervision_notices__in=visible)
    ).distinct()
    form = NoticeFilterForm(request.GET or None, units=units)
    notices: QuerySet[SupervisionNotice] = visible
    if form.is_valid():
        data = form.cleaned_data
        if data.get("status"):
            notices = notices.filter(status=data["status"])
        if data.get("unit"):
            involved = Q(lead_unit=data["unit"]) | Q(cooperating_units=data["unit"])
            notices = notices.filter(pk__in=SupervisionNotice.objects.filter(involved).values("pk"))
        if data.get("overdue"):
            notices = overdue(notices)
    page = paginate(request, _with_units(notices))
    rows = [(n, is_overdue(n)) for n in page]
    context = {"form": form, "page_obj": page, "rows": rows, "query": querystring_without_page(request)}
    return render(request, "rectification/supervision_list.html", context)


@login_required
@require_GET
def notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    notice = notice_for(user, pk)
    inspection = notice.inspection
    units = user.scopes.ids(Role.UNIT_LIAISON)
    cooperating = list(notice.cooperating_units.all())
    responses = notice.responses.select_related("unit", "by").prefetch_related("files")
    context = {
        "notice": notice,
        "inspection": inspection,
        "cooperating": cooperating,
        "items": Item.objects.visible_to(user).filter(pk__in=notice.items.values("pk")).order_by("number"),
        "responses": responses,
        "overdue": is_overdue(notice),
        "office": holds(user, office_roles(inspection)),
        "may_respond": not notice.is_closed
        and (
            notice.lead_unit_id in units
            or any(u.pk in units for u in cooperating)
            or notice.lead_department_id in user.scopes.ids(Role.RECEIVER)
        ),
        "leads": notice.lead_unit_id in units or notice.lead_department_id in user.scopes.ids(Role.RECEIVER),
        "sees_inspection": inspections_for(user).filter(pk=inspection.pk).exists(),
    }
    return render(request, "rectification/supervision_notice.html", context)


@login_required
@require_http_methods(GET_POST)
def notice_issue(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    units = Unit.objects.filter(committee_id__in=unit_committee_ids(inspection.round)).order_by("name")
    items = Item.objects.visible_to(user).filter(inspection=inspection).order_by("number")
    departments = Department.objects.filter(committee_id=inspection.round.committee_id).order_by("pk")
    form = NoticeForm(
        request.POST or None,
        units=units,
        items=items,
        departments=departments,
        initial={"lead_unit": inspection.unit_id},
    )
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.issue_notice,
            inspection,
            subject=form.cleaned_data["subject"],
            requirements=form.cleaned_data["requirements"],
            due_on=form.cleaned_data["due_on"],
            lead_unit=form.cleaned_data["lead_unit"],
            lead_department=form.cleaned_data.get("lead_department"),
            cooperating_units=list(form.cleaned_data["cooperating_units"]),
            items=list(form.cleaned_data["items"]),
        ),
        allowed=office_roles(inspection),
        done="已签发督办单。",
        then=notice_url,
        title="签发督办单",
        back=inspection_url(inspection.pk),
    )


@login_required
@require_http_methods(GET_POST)
def notice_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    notice = notice_for(user, pk)
    answering = responder(user, notice)
    form = ResponseForm(request.POST or None, request.FILES or None)
    lead = "department" in answering or answering["unit"].pk == notice.lead_unit_id
    return form_page(
        request,
        form,
        lambda: (
            perform(
                user,
                actions.respond,
                notice,
                **answering,
                text=form.cleaned_data["text"],
                files=uploads(form.cleaned_data["attachments"]),
            ).notice
        ),
        allowed=responder_roles(answering),
        done="已报送。",
        then=notice_url,
        title=f"{'报送办理结果' if lead else '报送配合情况'}（{notice.number}）",
        back=notice_url(notice),
        multipart=True,
    )


@login_required
@require_http_methods(GET_POST)
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    notice = notice_for(user, pk)
    form = NoteForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.close_notice, notice, note=form.cleaned_data["note"]),
        allowed=office_roles(notice.inspection),
        done="督办单已办结。",
        then=notice_url,
        title=f"办结督办单（{notice.number}）",
        back=notice_url(notice),
    )


@login_required
@require_http_methods(GET_POST)
def notice_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    notice = notice_for(user, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.return_notice, notice, reason=form.cleaned_data["reason"]),
        allowed=office_roles(notice.inspection),
        done="已退回重办。",
        then=notice_url,
        title=f"退回督办单重办（{notice.number}）",
        back=notice_url(notice),
    )


@login_required
@require_GET
def notice_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The 督办单 (.docx, watermarked, audited), with the items the reader sees."""
    user = acting_user(request)
    notice = notice_for(user, pk)
    items = list(Item.objects.visible_to(user).filter(pk__in=notice.items.values("pk")).order_by("number"))
    data = actions.notice_document(notice, items)
    record_read(
        "supervision_notice.read",
        notice,
        by=user,
        role=notice_role(user, notice),
        details={"number": notice.number},
    )
    return document_response(request, data, f"督办单-{notice.year}-{notice.sequence}.docx")


@login_required
@require_GET
def response_file_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    file = get_object_or_404(
        ResponseFile.objects.visible_to(user).select_related(
            "response__notice__inspection__round", "response__notice__committee"
        ),
        pk=pk,
    )
    notice = file.response.notice
    data = file.read()
    record_read(
        "supervision_file.downloaded",
        file,
        by=user,
        role=notice_role(user, notice),
        details={"number": notice.number, "content_type": file.content_type, "size": file.size},
    )
    return file_response(data, file.content_type, file.filename)


@login_required
@require_http_methods(GET_POST)
def assessment_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    form = AssessmentForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.assess, inspection, **form.cleaned_data),
        allowed=office_roles(inspection),
        done="已记录整改评估。",
        then=lambda a: inspection_url(a.inspection_id),
        title="整改评估",
        back=inspection_url(inspection.pk),
    )


@login_required
@require_http_methods(GET_POST)
def visit_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    form = VisitForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.record_visit, inspection, **form.cleaned_data),
        allowed={**office_roles(inspection), **team_leader_roles(inspection)},
        done="已记录回访。",
        then=lambda v: inspection_url(v.inspection_id),
        title="记录回访",
        back=inspection_url(inspection.pk),
    )


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The supervision section of the inspection's rectification page: its notices, the latest assessment
    and the visits, with what the user may do."""
    user = acting_user(request)
    notices = list(_with_units(SupervisionNotice.objects.visible_to(user).filter(inspection=inspection)))
    assessments = (
        Assessment.objects.visible_to(user).filter(inspection=inspection).select_related("assessed_by")
    )
    office = holds(user, office_roles(inspection))
    active = inspection.stage in actions.SUPERVISION_STAGES
    context = {
        "inspection": inspection,
        "notice_rows": [(n, is_overdue(n)) for n in notices],
        "assessment": assessments.first(),
        "assessment_count": assessments.count(),
        "visits": Visit.objects.visible_to(user).filter(inspection=inspection).select_related("recorded_by"),
        "may_issue": office and active,
        "may_assess": office and active,
        "may_visit": active and holds(user, {**office_roles(inspection), **team_leader_roles(inspection)}),
    }
    return render_to_string("rectification/supervision_section.html", context, request=request)


def _waiting(user: User) -> QuerySet[SupervisionNotice]:
    """The office's 督办单 whose result waits for its review."""
    return SupervisionNotice.objects.filter(
        committee_id__in=user.scopes.ids(Role.OFFICE), status=NoticeStatus.ANSWERED
    ).select_related("lead_unit", "lead_department")


def _to_answer(user: User) -> QuerySet[SupervisionNotice]:
    """The 督办单 a liaison's unit leads or cooperates on that still wait for an answer."""
    units = user.scopes.ids(Role.UNIT_LIAISON)
    involved = Q(lead_unit_id__in=units) | Q(cooperating_units__in=units)
    return SupervisionNotice.objects.filter(
        pk__in=SupervisionNotice.objects.filter(involved, status__in=OPEN).values("pk")
    ).select_related("lead_unit")


def todos(user: User) -> list[Todo]:
    """The 督办单 of the home panel below, as to-dos."""
    found = []
    if user.scopes.ids(Role.OFFICE):
        found += [
            Todo(
                "待审核的督办单办理结果",
                f"{n.number} {n.lead_name}",
                reverse("rectification:notice", args=[n.pk]),
            )
            for n in _waiting(user).order_by("due_on")
        ]
    if user.scopes.ids(Role.UNIT_LIAISON):
        found += [
            Todo(
                "待办理的督办单",
                f"{n.number} {n.subject}",
                reverse("rectification:notice", args=[n.pk]),
                due_on=n.due_on,
            )
            for n in _to_answer(user).order_by("due_on")
        ]
    return found


def home_panels(user: User) -> list[Panel]:
    """督办单 on the home page: for the office those whose result waits for its review, for a liaison those
    its unit leads or cooperates on that still wait for an answer (overdue flagged)."""
    scopes = user.scopes
    offices, units = scopes.ids(Role.OFFICE), scopes.ids(Role.UNIT_LIAISON)
    if not offices and not units:
        return []
    waiting = list(_waiting(user).order_by("due_on")[:PANEL_LIMIT]) if offices else []
    to_answer = list(_to_answer(user).order_by("due_on")[:PANEL_LIMIT]) if units else []
    if not waiting and not to_answer:
        return []
    context = {"waiting": waiting, "to_answer": [(n, is_overdue(n)) for n in to_answer]}
    return [Panel("督办单", "rectification/supervision_home.html", context, order=31)]
