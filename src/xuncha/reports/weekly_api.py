"""API of the work log and the weekly reports: ``/weekly-reports/`` (list with filters, one report, ``POST``
to start the 周报 of a week prefilled from the platform, ``PATCH`` of its texts — never its status or its
figures —, ``submit``, ``acknowledge``), ``/weekly-reports/late`` (the weeks past due without a submitted
周报) and ``/work-log-entries/`` (list with a date filter, ``POST`` to add one). Each verb calls the same
action as the page.

Out of scope is the same 404 as a missing id (the unit's liaison included); bad input is 422 with the
field and a Chinese message.
"""

import datetime
from typing import Annotated, Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.findings.models import finding_inspections
from xuncha.rounds.models import Inspection

from . import weekly, weekly_counts
from .choices import WeeklyStatus
from .models import WeeklyReport, WorkLogEntry

router = Router(tags=["工作日志与周报"])


class WeeklyReportOut(Schema):
    id: int
    inspection_id: int
    week_start: datetime.date
    week_end: datetime.date
    due_on: datetime.date
    status: WeeklyStatus
    status_label: str = Field(..., alias="get_status_display")
    late: bool = Field(..., alias="is_late")
    submitted_at: datetime.datetime | None
    acknowledged_at: datetime.datetime | None


class WeeklyFigureOut(Schema):
    label: str
    text: str


class WeeklyReportDetailOut(WeeklyReportOut):
    counts: dict[str, Any]
    figures: list[WeeklyFigureOut]
    narrative: str
    problems: str
    next_plan: str
    office_comment: str

    @staticmethod
    def resolve_figures(obj: WeeklyReport) -> list[dict[str, str]]:
        return [{"label": label, "text": text} for label, text in weekly_counts.lines(obj.counts)]


class WeeklyReportFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    round: Annotated[int | None, FilterLookup("inspection__round_id")] = None
    status: WeeklyStatus | None = None
    week_start: datetime.date | None = None


class WeeklyReportIn(Schema):
    inspection: int
    week_start: datetime.date


class WeeklyReportPatch(Schema):
    """Texts only: a status or figures in the body are ignored, as any unknown key is."""

    narrative: str | None = Field(None, max_length=weekly.TEXT_LIMIT)
    problems: str | None = Field(None, max_length=weekly.TEXT_LIMIT)
    next_plan: str | None = Field(None, max_length=weekly.TEXT_LIMIT)


class AcknowledgeIn(Schema):
    comment: str = Field("", max_length=weekly.TEXT_LIMIT)


class LateWeekOut(Schema):
    inspection_id: int
    team: str
    unit: str
    week_start: datetime.date
    due_on: datetime.date
    report_id: int | None


class WorkLogEntryOut(Schema):
    id: int
    inspection_id: int
    on_date: datetime.date
    content: str
    by: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_by(obj: WorkLogEntry) -> str:
        return str(obj.by)


class WorkLogFilter(Schema):
    inspection: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


class WorkLogEntryIn(Schema):
    inspection: int
    on_date: datetime.date
    content: str = Field(..., max_length=weekly.LOG_LIMIT)


def _report(request: HttpRequest, report_id: int) -> WeeklyReport:
    return get_object_or_404(
        WeeklyReport.objects.visible_to(acting_user(request)).select_related("inspection__round"),
        pk=report_id,
    )


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    user = acting_user(request)
    among = finding_inspections(user).select_related("round")
    return cast(Inspection, referenced(Inspection, user, pk, field="inspection", label="巡察", among=among))


@router.get("/weekly-reports/", response=list[WeeklyReportOut])
@paginate(BoundedPagination)
def weekly_reports(request: HttpRequest, filters: Query[WeeklyReportFilter]) -> Any:
    return filters.filter(WeeklyReport.objects.visible_to(acting_user(request)))


@router.post("/weekly-reports/", response=WeeklyReportDetailOut)
def start_weekly_report(request: HttpRequest, payload: WeeklyReportIn) -> WeeklyReport:
    """Start the 周报 of the week containing ``week_start``, prefilled from the platform."""
    inspection = _inspection(request, payload.inspection)
    return perform(
        acting_user(request), weekly.start_weekly_report, inspection, week_start=payload.week_start
    )


@router.get("/weekly-reports/late", response=list[LateWeekOut])
@paginate(BoundedPagination)
def late_weekly_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """The weeks of 进驻/了解 past their due date without a submitted 周报, of the inspections the caller
    reads, the oldest first."""
    user = acting_user(request)
    inspections = weekly.weekly_inspections(finding_inspections(user))
    return [
        {
            "inspection_id": week.inspection.pk,
            "team": week.inspection.team.name,
            "unit": week.inspection.unit.name,
            "week_start": week.week_start,
            "due_on": week.due_on,
            "report_id": week.report.pk if week.report else None,
        }
        for week in weekly.late_weeks(inspections, timezone.localdate())
    ]


@router.get("/weekly-reports/{report_id}", response=WeeklyReportDetailOut)
def weekly_report(request: HttpRequest, report_id: int) -> WeeklyReport:
    return _report(request, report_id)


@router.patch("/weekly-reports/{report_id}", response=WeeklyReportDetailOut)
def update_weekly_report(request: HttpRequest, report_id: int, payload: WeeklyReportPatch) -> WeeklyReport:
    user = acting_user(request)
    report = _report(request, report_id)
    require(user, weekly.team_roles(report.inspection), what="修改周报")
    current = {name: getattr(report, name) for name in weekly.TEXT_FIELDS}
    data = weekly.WeeklyInput(**{**current, **payload.model_dump(exclude_unset=True, exclude_none=True)})
    return perform(user, weekly.update_weekly_report, report, data=data)


@router.post("/weekly-reports/{report_id}/submit", response=WeeklyReportDetailOut)
def submit_weekly_report(request: HttpRequest, report_id: int) -> WeeklyReport:
    return perform(acting_user(request), weekly.submit_weekly_report, _report(request, report_id))


@router.post("/weekly-reports/{report_id}/acknowledge", response=WeeklyReportDetailOut)
def acknowledge_weekly_report(request: HttpRequest, report_id: int, payload: AcknowledgeIn) -> WeeklyReport:
    report = _report(request, report_id)
    return perform(acting_user(request), weekly.acknowledge_weekly_report, report, comment=payload.comment)


@router.get("/work-log-entries/", response=list[WorkLogEntryOut])
@paginate(BoundedPagination)
def work_log_entries(request: HttpRequest, filters: Query[WorkLogFilter]) -> Any:
    entries = WorkLogEntry.objects.visible_to(acting_user(request)).select_related("by")
    if filters.inspection is not None:
        entries = entries.filter(inspection_id=filters.inspection)
    if filters.since is not None:
        entries = entries.filter(on_date__gte=filters.since)
    if filters.until is not None:
        entries = entries.filter(on_date__lte=filters.until)
    return entries


@router.post("/work-log-entries/", response=WorkLogEntryOut)
def add_work_log_entry(request: HttpRequest, payload: WorkLogEntryIn) -> WorkLogEntry:
    inspection = _inspection(request, payload.inspection)
    return perform(
        acting_user(request),
        weekly.add_worklog_entry,
        inspection,
        on_date=payload.on_date,
        content=payload.content,
    )
