"""Pages of the work log and the weekly reports (工作日志、周报): the overview of every inspection in
进驻/了解 with its reports by week (late ones marked; the office's view of which teams are late), one
inspection's weeks (and the form to start a 周报), its work log (date filter, the form to add an
entry), a 周报 (read, edit, submit, acknowledge), the Excel summary of a round's 周报, and the home panels.

The office, the leading group and the inspection's team see these; everyone else (the unit's liaison
included) gets the 404 of a missing id. Who sees but may not act gets 403 from ``require``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.home import Panel
from xuncha.core.ledger import XLSX
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, held_role, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.findings.models import finding_inspections
from xuncha.rounds.models import Inspection, Round

from . import weekly, weekly_counts, weekly_ledger
from .models import READERS, TEAM_ROLES, WeeklyReport, WorkLogEntry
from .weekly_forms import AcknowledgeForm, StartWeeklyForm, WeeklyForm, WorkLogFilterForm, WorkLogForm

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10


def _inspection(user: User, pk: int) -> Inspection:
    """An inspection whose work log and weekly reports ``user`` reads (the liaison's: 404)."""
    return get_object_or_404(
        finding_inspections(user).select_related("round__committee", "team", "unit"), pk=pk
    )


def _report(user: User, pk: int) -> WeeklyReport:
    return get_object_or_404(
        WeeklyReport.objects.visible_to(user).select_related(
            "inspection__round__committee",
            "inspection__team",
            "inspection__unit",
            "created_by",
            "submitted_by",
            "acknowledged_by",
        ),
        pk=pk,
    )


def _report_url(report: WeeklyReport) -> str:
    return reverse("reports:weekly-detail", args=[report.pk])


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """周报报送情况: every inspection in 进驻/了解 the user reads, with its weeks; late ones marked."""
    user = acting_user(request)
    today = timezone.localdate()
    inspections = weekly.weekly_inspections(finding_inspections(user))
    rows = weekly.grid(inspections, today)
    late = sum(1 for _, weeks in rows for week in weeks if not week.submitted and today > week.due_on)
    exportable = Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)).order_by("-pk")[:20]
    marked = [(inspection, weekly.marked(weeks, today)) for inspection, weeks in rows]
    context = {"rows": marked, "today": today, "late": late, "rounds": exportable}
    return render(request, "reports/weekly_overview.html", context)


@login_required
@require_http_methods(GET_POST)
def inspection_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection's weeks and their reports; the team starts a 周报 here (POST)."""
    user = acting_user(request)
    inspection = _inspection(user, pk)
    posted = request.method == "POST"
    if posted:
        require(user, weekly.team_roles(inspection), what="起草周报")
    form = StartWeeklyForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            report = perform(user, weekly.start_weekly_report, inspection, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已根据平台数据生成周报草稿，请补充后报送。")
            return redirect(_report_url(report))
    today = timezone.localdate()
    weeks = weekly.grid([inspection], today)[0][1]
    listed = {week.week_start for week in weeks}
    others = WeeklyReport.objects.filter(inspection=inspection).exclude(week_start__in=listed)
    context = {
        "inspection": inspection,
        "weeks": weekly.marked(list(reversed(weeks)), today),
        "others": others.order_by("-week_start"),
        "today": today,
        "form": form,
        "may_start": holds(user, weekly.team_roles(inspection)) and inspection.stage in weekly.WRITING_STAGES,
    }
    return render(request, "reports/weekly_inspection.html", context)


@login_required
@require_http_methods(GET_POST)
def worklog(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection's work log, filterable by date; the team adds entries (POST)."""
    user = acting_user(request)
    inspection = _inspection(user, pk)
    posted = request.method == "POST"
    if posted:
        require(user, weekly.team_roles(inspection), what="登记工作日志")
    form = WorkLogForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            perform(user, weekly.add_worklog_entry, inspection, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已登记工作日志。")
            return redirect("reports:worklog", pk=inspection.pk)
    filters = WorkLogFilterForm(request.GET or None)
    entries = WorkLogEntry.objects.visible_to(user).filter(inspection=inspection).select_related("by")
    if filters.is_valid():
        if filters.cleaned_data.get("since"):
            entries = entries.filter(on_date__gte=filters.cleaned_data["since"])
        if filters.cleaned_data.get("until"):
            entries = entries.filter(on_date__lte=filters.cleaned_data["until"])
    context = {
        "inspection": inspection,
        "filters": filters,
        "page_obj": paginate(request, entries),
        "query": querystring_without_page(request),
        "form": form,
        "may_add": holds(user, weekly.team_roles(inspection)) and not inspection.is_read_only,
    }
    return render(request, "reports/worklog_list.html", context)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    inspection = report.inspection
    draft = report.is_draft and not inspection.is_read_only
    context = {
        "report": report,
        "inspection": inspection,
        "figures": weekly_counts.lines(report.counts),
        "may_edit": draft and holds(user, weekly.team_roles(inspection)),
        "may_submit": draft and holds(user, weekly.submitter_roles(inspection)),
        "may_acknowledge": report.status == "submitted" and holds(user, weekly.office_roles(inspection)),
    }
    return render(request, "reports/weekly_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    require(user, weekly.team_roles(report.inspection), what="修改周报")
    if not report.is_draft:
        messages.error(request, f"周报{report.get_status_display()}，不能修改。")
        return redirect(_report_url(report))
    initial = {name: getattr(report, name) for name in weekly.TEXT_FIELDS}
    form = WeeklyForm(request.POST if request.method == "POST" else None, initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, weekly.update_weekly_report, report, data=form.weekly_input()),
        allowed=None,
        title=f"修改{report.inspection.team.name}周报（{weekly.week_label(report.week_start)}）",
        done="已保存周报，本周数据已按平台数据更新。",
        then=_report_url(report),
        back=_report_url(report),
        template="reports/form.html",
    )


@login_required
@require_http_methods(GET_POST)
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    require(user, weekly.submitter_roles(report.inspection), what="报送周报")
    return confirm_page(
        request,
        lambda: perform(user, weekly.submit_weekly_report, report),
        question=f"确认将{weekly.week_label(report.week_start)}的周报报送巡察办？报送后本周数据固定，不能再修改。",
        done="周报已报送巡察办。",
        back=_report_url(report),
    )


@login_required
@require_http_methods(GET_POST)
def report_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    report = _report(user, pk)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda: perform(user, weekly.acknowledge_weekly_report, report, **form.cleaned_data),
        allowed=weekly.office_roles(report.inspection),
        title=f"阅知{report.inspection.team.name}周报（{weekly.week_label(report.week_start)}）",
        done="已阅知周报。",
        then=_report_url(report),
        back=_report_url(report),
        template="reports/form.html",
    )


@login_required
@require_GET
def round_export(request: HttpRequest, round_id: int) -> FileResponse:
    """周报汇总表 of a round (the office and leading group of its committee); the export is audited."""
    user = acting_user(request)
    round_ = get_object_or_404(
        Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)).select_related("committee"),
        pk=round_id,
    )
    at = timezone.now()
    handle, rows = weekly_ledger.write(
        WeeklyReport.objects.visible_to(user).filter(inspection__round=round_), user=user, at=at
    )
    role = held_role(user, {Role.OFFICE: round_.committee_id, Role.LEADING_GROUP: round_.committee_id})
    with action_scope("weekly_report.exported"):
        record(
            "weekly_report.exported",
            round_,
            by=user,
            role=role,
            committee_id=round_.committee_id,
            details={"rows": rows},
        )
    filename = f"周报汇总表-{round_.name}-{timezone.localtime(at):%Y%m%d%H%M}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


# Home panels -------------------------------------------------------------------------------------------


def home_panels(user: User) -> list[Panel]:
    """The office and leading group: 逾期未报周报 of their committees' inspections; a team: its weeks due
    soon or late (待报送周报). Three queries at most, whatever the data size."""
    scopes = user.scopes
    today = timezone.localdate()
    panels: list[Panel] = []
    committees = scopes.ids(*READERS)
    if committees:
        inspections = weekly.weekly_inspections(Inspection.objects.filter(round__committee_id__in=committees))
        late = weekly.late_weeks(inspections, today)
        context = {"weeks": late[:PANEL_LIMIT], "count": len(late), "today": today}
        if late:
            panels.append(Panel("逾期未报周报", "reports/weekly_home_late.html", context, order=24))
    teams = scopes.ids(*TEAM_ROLES)
    if teams:
        inspections = weekly.weekly_inspections(Inspection.objects.filter(team_id__in=teams))
        due = [
            week
            for _, weeks in weekly.grid(inspections, today)
            for week in weeks
            if not week.submitted and week.week_start <= today
        ]
        if due:
            context = {"weeks": due[:PANEL_LIMIT], "count": len(due), "today": today}
            panels.append(Panel("待报送周报", "reports/weekly_home_late.html", context, order=24))
    return panels


urlpatterns: list[URLPattern] = [
    path("weekly/", overview, name="weekly-overview"),
    path("weekly/inspections/<int:pk>/", inspection_page, name="weekly-inspection"),
    path("weekly/inspections/<int:pk>/worklog/", worklog, name="worklog"),
    path("weekly/<int:pk>/", report_detail, name="weekly-detail"),
    path("weekly/<int:pk>/edit/", report_edit, name="weekly-edit"),
    path("weekly/<int:pk>/submit/", report_submit, name="weekly-submit"),
    path("weekly/<int:pk>/acknowledge/", report_acknowledge, name="weekly-acknowledge"),
    path("weekly/rounds/<int:round_id>/export/", round_export, name="weekly-export"),
]
