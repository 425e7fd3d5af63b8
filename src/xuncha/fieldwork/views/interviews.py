"""Pages of interviews: an inspection's plan (list with filters, generation from the roster, adding,
scheduling, cancelling), one interview with its record, scans and problems, the printable outline and
record form, the liaison's schedule (confirm or report a conflict), the fieldwork page's section and the
home-page panels.

The liaison is shown who, when and where, never the topics, the record or the petition mark: its pages are
rendered from ``Interview.LIAISON_FIELDS`` alone. Reading a record, downloading a scan or a document is an
audit event.
"""

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.audit import record_read
from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.downloads import document_response
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..actions import interviews as actions
from ..choices import InterviewStatus
from ..forms.interviews import (
    CancelForm,
    ConflictForm,
    EditForm,
    InterviewFilterForm,
    InterviewForm,
    ProblemForm,
    RecordForm,
    ScanForm,
)
from ..models.interviews import Interview, InterviewQuerySet, InterviewRecord, InterviewScan

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10
SECTION_LIMIT = 5


def _inspection(user: User, inspection_id: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee", "team", "unit"),
        pk=inspection_id,
    )


def _detail_url(interview: Interview) -> str:
    return reverse("fieldwork:interview-detail", args=[interview.pk])


def _interviews(user: User) -> InterviewQuerySet:
    return Interview.objects.visible_to(user).select_related(
        "inspection__round__committee", "inspection__team", "inspection__unit"
    )


def _internal(user: User, pk: uuid.UUID) -> Interview:
    """An interview the user may see in full (the office, the leading group, the team); the liaison 404s
    here, since its own pages show only the schedule."""
    return get_object_or_404(_interviews(user).internal_to(user).with_petition_mark(), pk=pk)


def _context(**extra: Any) -> dict[str, Any]:
    return {"badges": BADGE_COLOURS, **extra}


# The inspection's plan ------------------------------------------------------------------------------


@login_required
@require_GET
def interview_list(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    require(user, actions.internal_roles(inspection), what="查看谈话安排")
    form = InterviewFilterForm(request.GET or None)
    interviews = (
        Interview.objects.filter(inspection=inspection)
        .with_petition_mark()
        .defer("topics")
        .prefetch_related("inspectors")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            interviews = interviews.filter(status=data["status"])
        if data["date"]:
            interviews = interviews.filter(starts_at__date=data["date"])
        if data["person"].strip():
            interviews = interviews.filter(name__icontains=data["person"].strip())
    context = _context(
        inspection=inspection,
        form=form,
        page_obj=paginate(request, interviews),
        query=querystring_without_page(request),
        can_plan=holds(user, actions.planner_roles(inspection)) and not inspection.is_read_only,
    )
    return render(request, "fieldwork/interviews/interview_list.html", context)


@login_required
@require_http_methods(GET_POST)
def interview_generate(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """A confirmation page; the POST adds the roster's people who are not in the plan yet."""
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    require(user, actions.planner_roles(inspection), what="生成谈话安排")
    if request.method == "POST":
        before = Interview.objects.filter(inspection=inspection).count()
        try:
            perform(user, actions.generate_plan, inspection)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            added = Interview.objects.filter(inspection=inspection).count() - before
            messages.success(request, f"已按花名册增加 {added} 人，请逐一安排时间、地点和谈话人。")
        return redirect("fieldwork:interview-list", inspection_id=inspection.pk)
    planned = set(Interview.objects.filter(inspection=inspection).values_list("person_id", flat=True))
    roster = list(actions.roster(inspection))
    context = {"inspection": inspection, "roster": roster, "planned": planned}
    return render(request, "fieldwork/interviews/generate_confirm.html", context)


@login_required
@require_http_methods(GET_POST)
def interview_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    form = InterviewForm(request.POST or None, inspection=inspection)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.add_interview, inspection, **form.cleaned_data),
        allowed=actions.planner_roles(inspection),
        title="增加个别谈话",
        done=lambda interview: f"已安排与{interview.name}的谈话。",
        then=_detail_url,
        template="fieldwork/interviews/interview_form.html",
        inspection=inspection,
    )


# One interview --------------------------------------------------------------------------------------


def _read_record(user: User, interview: Interview) -> tuple[InterviewRecord | None, list[Any]]:
    """The record and the problems raised, when the user may read them; showing either (both encrypted)
    is an audit event."""
    if not holds(user, actions.record_reader_roles(interview.inspection)):
        return None, []
    entry = (
        InterviewRecord.objects.visible_to(user)
        .filter(interview=interview)
        .select_related("written_by")
        .first()
    )
    problems = list(interview.problems.all())
    if entry is not None or problems:
        role = require(user, actions.record_reader_roles(interview.inspection), what="查看谈话记录")
        record_read("interview.record_read", interview, by=user, role=role, details={"name": interview.name})
    return entry, problems


@login_required
@require_GET
def interview_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    visible = get_object_or_404(_interviews(user).only("pk", "inspection_id"), pk=pk)
    if not holds(user, actions.internal_roles(visible.inspection)):
        return _liaison_detail(request, user, pk)
    interview = _internal(user, pk)
    inspection = interview.inspection
    reader = holds(user, actions.record_reader_roles(inspection))
    planner = holds(user, actions.planner_roles(inspection)) and not inspection.is_read_only
    entry, problems = _read_record(user, interview)
    context = _context(
        interview=interview,
        inspection=inspection,
        inspectors=list(interview.inspectors.all()),
        record=entry,
        reader=reader,
        planner=planner,
        scans=list(InterviewScan.objects.visible_to(user).filter(interview=interview)) if reader else [],
        problems=problems,
        problem_form=ProblemForm() if planner and interview.status == InterviewStatus.DONE else None,
    )
    return render(request, "fieldwork/interviews/interview_detail.html", context)


def _liaison_detail(request: HttpRequest, user: User, pk: uuid.UUID) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.scheduled_for_liaison(user).select_related("inspection__team", "inspection__unit"),
        pk=pk,
    )
    context = _context(interview=interview, conflict_form=ConflictForm(), may_answer=interview.is_open)
    return render(request, "fieldwork/interviews/liaison_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def interview_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    initial = {
        "name": interview.name,
        "post": interview.post,
        "starts_at": interview.starts_at and timezone.localtime(interview.starts_at),
        "ends_at": interview.ends_at and timezone.localtime(interview.ends_at),
        "place": interview.place,
        "inspectors": list(interview.inspectors.all()),
        "topics": interview.topics,
    }
    form = EditForm(request.POST or None, interview=interview, initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_interview, interview, **form.cleaned_data),
        allowed=actions.planner_roles(interview.inspection),
        title="修改谈话安排",
        done=f"已保存与{interview.name}的谈话安排。",
        then=_detail_url(interview),
        template="fieldwork/interviews/interview_form.html",
        inspection=interview.inspection,
        interview=interview,
    )


@login_required
@require_http_methods(GET_POST)
def interview_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A confirmation page with the reason; the POST cancels."""
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    form = CancelForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.cancel_interview, interview, reason=form.cleaned_data["reason"]),
        allowed=actions.planner_roles(interview.inspection),
        title="取消个别谈话",
        done=f"已取消与{interview.name}的谈话。",
        then=_detail_url(interview),
        template="fieldwork/interviews/cancel_form.html",
        interview=interview,
    )


@login_required
@require_http_methods(GET_POST)
def interview_record(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Write or revise the record; the current text shown to revise it is a read like any other."""
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    require(user, actions.planner_roles(interview.inspection), what="记录个别谈话")
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            try:
                perform(user, actions.record_interview, interview, text=form.cleaned_data["text"])
            except Refused as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, "谈话记录已加密保存。")
                return redirect("fieldwork:interview-detail", pk=interview.pk)
    else:
        entry, _ = _read_record(user, interview)
        form = RecordForm(initial={"text": entry.text if entry else ""})
    return render(request, "fieldwork/interviews/record_form.html", {"form": form, "interview": interview})


@login_required
@require_http_methods(GET_POST)
def interview_scans(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    require(user, actions.planner_roles(interview.inspection), what="上传谈话记录扫描件")
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            perform(user, actions.add_scans, interview, uploads=form.cleaned_data["scans"])
        except Refused as refused:
            form.add_error("scans", refused.message)
        else:
            messages.success(request, "扫描件已加密保存。")
            return redirect("fieldwork:interview-detail", pk=interview.pk)
    return render(request, "fieldwork/interviews/scan_form.html", {"form": form, "interview": interview})


@login_required
@require_GET
def scan_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    scan = get_object_or_404(
        InterviewScan.objects.visible_to(user).select_related("interview__inspection__round"), pk=pk
    )
    role = require(user, actions.record_reader_roles(scan.interview.inspection), what="下载谈话记录扫描件")
    data = scan.read()
    details = {"name": scan.interview.name, "content_type": scan.content_type, "size": scan.size}
    record_read("interview.scan_read", scan, by=user, role=role, details=details)
    response = HttpResponse(data, content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition_header(True, scan.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(GET_POST)
def interview_problem(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    form = ProblemForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.add_problem, interview, **form.cleaned_data),
        allowed=actions.planner_roles(interview.inspection),
        title="登记谈话反映的问题",
        done="已登记谈话反映的问题。",
        then=_detail_url(interview),
        template="fieldwork/interviews/problem_form.html",
        interview=interview,
    )


@login_required
@require_GET
def outline_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The 谈话提纲 (.docx): the office, the leading group and the team; audited."""
    user = acting_user(request)
    interview = _internal(user, pk)
    role = require(user, actions.internal_roles(interview.inspection), what="下载谈话提纲")
    data = actions.outline_document(interview)
    record_read("interview.outline_read", interview, by=user, role=role, details={"name": interview.name})
    return document_response(request, data, actions.document_filename(interview, "谈话提纲"))


@login_required
@require_GET
def record_form_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The 谈话记录 form (.docx), filled with the record when there is one: the team and the office;
    audited."""
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user).internal_to(user), pk=pk)
    role = require(user, actions.record_reader_roles(interview.inspection), what="下载谈话记录")
    entry = InterviewRecord.objects.filter(interview=interview).first()
    data = actions.record_form_document(interview, entry.text if entry else "")
    details = {"name": interview.name, "filled": entry is not None}
    record_read("interview.record_form_read", interview, by=user, role=role, details=details)
    return document_response(request, data, actions.document_filename(interview, "谈话记录"))


# The liaison's schedule -----------------------------------------------------------------------------


@login_required
@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """The liaison's units' interviews with a time slot: who, when, where, to confirm; nothing else."""
    user = acting_user(request)
    interviews = Interview.objects.scheduled_for_liaison(user).select_related(
        "inspection__team", "inspection__unit"
    )
    if request.GET.get("open") == "1":
        interviews = interviews.filter(status=InterviewStatus.PLANNED)
    context = _context(page_obj=paginate(request, interviews), query=querystring_without_page(request))
    return render(request, "fieldwork/interviews/schedule.html", context)


@login_required
@require_POST
def interview_confirm(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    require(user, actions.liaison_roles(interview.inspection), what="确认谈话安排")
    return confirm_page(
        request,
        lambda: perform(user, actions.confirm_interview, interview),
        done=f"已确认{interview.name}按时参加谈话。",
        back=_detail_url(interview),
    )


@login_required
@require_http_methods(GET_POST)
def interview_conflict(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    interview = get_object_or_404(_interviews(user), pk=pk)
    form = ConflictForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.report_conflict, interview, note=form.cleaned_data["note"]),
        allowed=actions.liaison_roles(interview.inspection),
        title="反馈谈话时间冲突",
        done="已向巡察组反馈时间冲突。",
        then=_detail_url(interview),
        template="fieldwork/interviews/conflict_form.html",
        interview=interview,
    )


# The fieldwork page's section and the home page -----------------------------------------------------


def section(request: HttpRequest, inspection: Inspection) -> str:
    """Counts by status, what is unscheduled or has a conflict, and the next interviews (two queries)."""
    user = acting_user(request)
    if not holds(user, actions.internal_roles(inspection)):
        return ""
    now = timezone.now()
    interviews = Interview.objects.filter(inspection=inspection)
    counts = interviews.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in InterviewStatus.values},
        unscheduled=Count("pk", filter=Q(starts_at__isnull=True, status=InterviewStatus.PLANNED)),
        conflicts=Count("pk", filter=Q(conflict_at__isnull=False, status=InterviewStatus.PLANNED)),
        overdue=Count(
            "pk",
            filter=Q(ends_at__lt=now, status__in=(InterviewStatus.PLANNED, InterviewStatus.CONFIRMED)),
        ),
    )
    upcoming = interviews.filter(
        starts_at__gte=now, status__in=(InterviewStatus.PLANNED, InterviewStatus.CONFIRMED)
    ).only("pk", "name", "post", "starts_at", "ends_at", "place", "status")[:SECTION_LIMIT]
    context = _context(inspection=inspection, counts=counts, upcoming=upcoming)
    return render_to_string("fieldwork/interviews/section.html", context, request=request)


def home_panels(user: User) -> list[Panel]:
    """A team member: their own interviews of today and the days ahead. A liaison: interviews waiting for
    the unit's confirmation."""
    panels: list[Panel] = []
    today_start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    if user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER):
        mine = (
            Interview.objects.visible_to(user)
            .filter(inspectors__user=user, starts_at__gte=today_start)
            .filter(status__in=(InterviewStatus.PLANNED, InterviewStatus.CONFIRMED))
            .exclude(inspection__stage=Stage.ARCHIVED)
            .select_related("inspection__unit")
            .only("pk", "name", "post", "starts_at", "ends_at", "place", "status", "inspection__unit__name")
        )
        rows, count = head(mine, PANEL_LIMIT)
        context = _context(interviews=rows, count=count, today=timezone.localdate())
        panels.append(Panel("我的谈话安排", "fieldwork/interviews/home_mine.html", context, order=20))
    if user.scopes.ids(Role.UNIT_LIAISON):
        waiting = (
            Interview.objects.scheduled_for_liaison(user)
            .filter(status=InterviewStatus.PLANNED, starts_at__gte=timezone.now())
            .exclude(inspection__stage=Stage.ARCHIVED)
        )
        rows, count = head(waiting, PANEL_LIMIT)
        context = _context(interviews=rows, count=count)
        panels.append(Panel("待确认的谈话安排", "fieldwork/interviews/home_liaison.html", context, order=16))
    return panels


urlpatterns: list[URLPattern] = [
    path("interviews/inspections/<int:inspection_id>/", interview_list, name="interview-list"),
    path(
        "interviews/inspections/<int:inspection_id>/generate/", interview_generate, name="interview-generate"
    ),
    path("interviews/inspections/<int:inspection_id>/new/", interview_create, name="interview-create"),
    path("interviews/schedule/", schedule, name="interview-schedule"),
    path("interviews/<uuid:pk>/", interview_detail, name="interview-detail"),
    path("interviews/<uuid:pk>/edit/", interview_edit, name="interview-edit"),
    path("interviews/<uuid:pk>/cancel/", interview_cancel, name="interview-cancel"),
    path("interviews/<uuid:pk>/confirm/", interview_confirm, name="interview-confirm"),
    path("interviews/<uuid:pk>/conflict/", interview_conflict, name="interview-conflict"),
    path("interviews/<uuid:pk>/record/", interview_record, name="interview-record"),
    path("interviews/<uuid:pk>/scans/", interview_scans, name="interview-scans"),
    path("interviews/<uuid:pk>/problems/", interview_problem, name="interview-problem"),
    path("interviews/<uuid:pk>/outline/", outline_download, name="interview-outline"),
    path("interviews/<uuid:pk>/record-form/", record_form_download, name="interview-record-form"),
    path("interviews/scans/<uuid:pk>/", scan_download, name="interview-scan"),
]
