"""Pages of the unit's reports to the team (被巡察单位报告事项): an inspection's list, the liaison's report
form, a report's page (its details read by the team or the office are audited), and the team's two
decisions: attend (列席, recorded as an activity) or note (阅知).

The unit's liaison, the inspection's team and the office of its committee see them; anyone else, the
leading group included, gets 404 as for a missing id. The liaison reports; the team decides; the office
reads. A home panel shows the team what waits for its decision and the liaison where to report.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page, paginate
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..actions import notices as actions
from ..forms.notices import AttendForm, NoteForm, NoticeForm
from ..models import UnitNotice, UnitNoticeStatus
from .checks import inspection_for

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 5


def _inspection(user: User, pk: int) -> Inspection:
    return inspection_for(user, pk, actions.reader_roles)


def _notice(user: User, pk: uuid.UUID) -> UnitNotice:
    return get_object_or_404(
        UnitNotice.objects.visible_to(user).select_related(
            "inspection__round",
            "inspection__team",
            "inspection__unit",
            "activity",
            "reported_by",
            "handled_by",
        ),
        pk=pk,
    )


def list_url(inspection: Inspection) -> str:
    return reverse("fieldwork:notice-list", args=[inspection.pk])


def _detail_url(notice: UnitNotice) -> str:
    return reverse("fieldwork:notice-detail", args=[notice.pk])


@login_required
@require_GET
def notice_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    notices = (
        UnitNotice.objects.visible_to(user)
        .filter(inspection=inspection)
        .defer("details")
        .order_by("-reported_at", "pk")
    )
    context = {
        "inspection": inspection,
        "page_obj": paginate(request, notices),
        "may_report": holds(user, actions.liaison_roles(inspection))
        and inspection.stage in actions.REPORT_STAGES,
    }
    return render(request, "fieldwork/notices/list.html", context)


@login_required
@require_http_methods(GET_POST)
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    form = NoticeForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.report_notice, inspection, data=form.notice_input()),
        allowed=actions.liaison_roles(inspection),
        done="已向巡察组报告。",
        then=_detail_url,
        title="向巡察组报告重要事项",
        back=list_url(inspection),
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    notice = _notice(user, pk)
    inspection = notice.inspection
    actions.details_read(notice, by=user)
    team = holds(user, actions.team_roles(inspection))
    context = {
        "notice": notice,
        "inspection": inspection,
        "may_decide": team and notice.is_open and not inspection.is_read_only,
        "sees_activity": team or holds(user, {Role.OFFICE: inspection.round.committee_id}),
    }
    return render(request, "fieldwork/notices/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def notice_attend(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    notice = _notice(user, pk)
    form = AttendForm(request.POST or None, inspection=notice.inspection)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.attend_notice,
            notice,
            members=list(form.cleaned_data["members"]),
            remark=form.cleaned_data["remark"],
        ),
        allowed=actions.team_roles(notice.inspection),
        done="已安排列席，并登记为其他方式工作记录。",
        then=_detail_url,
        title=f"列席：{notice.subject}",
        back=_detail_url(notice),
    )


@login_required
@require_http_methods(GET_POST)
def notice_note(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    notice = _notice(user, pk)
    form = NoteForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.note_notice, notice, remark=form.cleaned_data["remark"]),
        allowed=actions.team_roles(notice.inspection),
        done="已阅知。",
        then=_detail_url,
        title=f"阅知：{notice.subject}",
        back=_detail_url(notice),
    )


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The reports' block of the inspection's fieldwork page (one query), or "" for who may not see it."""
    user = acting_user(request)
    if not holds(user, actions.reader_roles(inspection)):
        return ""
    counts = UnitNotice.objects.filter(inspection=inspection).aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(status=UnitNoticeStatus.REPORTED)),
        attended=Count("pk", filter=Q(status=UnitNoticeStatus.ATTENDED)),
    )
    context = {
        "inspection": inspection,
        "counts": counts,
        "may_report": holds(user, actions.liaison_roles(inspection))
        and inspection.stage in actions.REPORT_STAGES,
    }
    return render_to_string("fieldwork/notices/_section.html", context, request=request)


def home_panels(user: User) -> list[Panel]:
    """For the team: the unit's reports waiting for its decision (one query). For a liaison: the
    inspections of its unit where the team is stationed, to report to (one query)."""
    scopes = user.scopes
    teams, units = scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER), scopes.ids(Role.UNIT_LIAISON)
    if not teams and not units:
        return []
    waiting: list[UnitNotice] = []
    total = 0
    if teams:
        waiting, total = head(
            UnitNotice.objects.filter(inspection__team_id__in=teams, status=UnitNoticeStatus.REPORTED)
            .exclude(inspection__stage=Stage.ARCHIVED)  # archived: none of its work (fieldwork/closing.py)
            .select_related("inspection__unit")
            .defer("details")
            .order_by("-reported_at"),
            PANEL_LIMIT,
        )
    stationed: list[Inspection] = []
    if units:
        stationed = list(
            Inspection.objects.filter(unit_id__in=units, stage__in=actions.REPORT_STAGES)
            .select_related("team", "unit")
            .order_by("pk")[:PANEL_LIMIT]
        )
    if not waiting and not stationed:
        return []
    context = {"waiting": waiting, "total": total, "stationed": stationed}
    return [Panel("被巡察单位报告事项", "fieldwork/notices/home_panel.html", context, order=18)]


urlpatterns: list[URLPattern] = [
    path("notices/inspections/<int:pk>/", notice_list, name="notice-list"),
    path("notices/inspections/<int:pk>/new/", notice_new, name="notice-new"),
    path("notices/<uuid:pk>/", notice_detail, name="notice-detail"),
    path("notices/<uuid:pk>/attend/", notice_attend, name="notice-attend"),
    path("notices/<uuid:pk>/note/", notice_note, name="notice-note"),
]
