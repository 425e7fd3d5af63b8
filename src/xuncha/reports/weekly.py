"""The team's work log (工作日志) and weekly report (周报) to the office, under 连续工作制 (seed 002).

- **Work log**: the team's members add dated entries (what was done; who is recorded) for an inspection
  that is not archived; the office, the leading group and the team read it.
- **Weekly report**: for every week (Monday to Sunday) of 进驻/了解 the team sends a 周报 to the office, due
  on the Monday after the week (``DUE_DAYS_AFTER_WEEK``). A member or the leader starts it for a week: it is
  prefilled from the platform (``weekly_counts``) with a narrative made of those figures, then edited
  (narrative, problems found, next week's plan; each save refreshes the figures). The team leader submits
  it: the figures are then kept as a snapshot. The office acknowledges it (阅知), with an optional comment.
- **Late**: a week whose due date has passed without a submitted report (``late_weeks``), shown to the office
  on its overview page and home panel, and chased through ``core.reminders``.

Every change is an ``@action`` with its audit event; who reads is scoped by ``weekly_filter``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.reminders import EVERYONE, Deadline, Reach, deadline_met, escalation_roles
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection

from . import weekly_counts
from .choices import WeeklyStatus
from .models import WeeklyReport, WorkLogEntry

AUDIT_ACTIONS = {
    "worklog.added": "登记工作日志",
    "weekly_report.created": "起草周报",
    "weekly_report.updated": "修改周报",
    "weekly_report.submitted": "报送周报",
    "weekly_report.acknowledged": "巡察办阅知周报",
    "weekly_report.exported": "导出周报汇总表",
    "demo.stationed_on_backdated": "演示数据：调整进驻日期",
    "demo.weekly_report_backdated": "演示数据：调整周报报送时间",
}
AUDIT_DETAILS = {
    "on_date": "日期",
    "week": "周次",
    "late": "逾期报送",
    "comment": "附有意见",
    "rows": "行数",
    "stationed_on": "进驻日期",
}

# The stages whose weeks need a 周报 (进驻, 了解).
WEEKLY_STAGES = (Stage.STATIONED, Stage.FIELDWORK)
# A 周报 may still be written once fieldwork has ended, for its last weeks.
WRITING_STAGES = (*WEEKLY_STAGES, Stage.REPORTING)
DUE_DAYS_AFTER_WEEK = 1  # due on the Monday after the week
TEXT_LIMIT = 5000
LOG_LIMIT = 2000
TEXT_FIELDS = ("narrative", "problems", "next_plan")
TEXT_LABELS = {"narrative": "本周工作情况", "problems": "发现的主要问题", "next_plan": "下周工作计划"}


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def due_on(week_start: datetime.date) -> datetime.date:
    return week_start + datetime.timedelta(days=6 + DUE_DAYS_AFTER_WEEK)


def week_label(week_start: datetime.date) -> str:
    end = week_start + datetime.timedelta(days=6)
    return f"{week_start:%Y-%m-%d}至{end:%m-%d}"


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def submitter_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id}


def office_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.OFFICE: inspection.round.committee_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    committee = inspection.round.committee_id
    return {
        Role.OFFICE: committee,
        Role.LEADING_GROUP: committee,
        Role.TEAM_LEADER: inspection.team_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }


def weeks(inspection: Inspection, today: datetime.date) -> list[datetime.date]:
    """The Mondays of the weeks of 进驻/了解 that have begun by ``today`` (none before stationing)."""
    if inspection.stationed_on is None:
        return []
    last = today if inspection.fieldwork_ends_on is None else min(today, inspection.fieldwork_ends_on)
    found, week = [], monday(inspection.stationed_on)
    while week <= last:
        found.append(week)
        week += datetime.timedelta(days=7)
    return found


# Work log ----------------------------------------------------------------------------------------------


@action
def add_worklog_entry(
    inspection: Inspection, *, on_date: datetime.date | None, content: str, by: User | None
) -> WorkLogEntry:
    role = require(by, team_roles(inspection), what="登记工作日志")
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能再登记工作日志。")
    if by is None:
        raise Refused("工作日志须由巡察组成员登记。")
    if on_date is None:
        raise Refused("请填写日期。", field="on_date")
    if on_date > timezone.localdate():
        raise Refused("日期不能晚于今天。", field="on_date")
    entry = WorkLogEntry(
        inspection=inspection,
        on_date=on_date,
        content=clean_text(content, label="工作内容", field="content", limit=LOG_LIMIT, multiline=True),
        by=by,
    )
    entry.save()
    record("worklog.added", entry, by=by, role=role, details={"on_date": on_date.isoformat()})
    return entry


# Weekly reports ----------------------------------------------------------------------------------------


def _writable(report: WeeklyReport) -> None:
    if report.inspection.is_read_only:
        raise Refused("巡察已归档，周报不能再修改。")
    if not report.is_draft:
        raise Refused(f"周报{report.get_status_display()}，不能再修改。")


@action
def start_weekly_report(
    inspection: Inspection, *, week_start: datetime.date | None, by: User | None
) -> WeeklyReport:
    """Start the 周报 of the week containing ``week_start``, prefilled from the platform."""
    role = require(by, team_roles(inspection), what="起草周报")
    if inspection.stage not in WRITING_STAGES:
        raise Refused(f"巡察处于“{inspection.get_stage_display()}”阶段，进驻和了解阶段才报送周报。")
    if week_start is None:
        raise Refused("请选择周次。", field="week_start")
    week = monday(week_start)
    today = timezone.localdate()
    if inspection.stationed_on is None or week < monday(inspection.stationed_on):
        raise Refused("该周在进驻之前，无须报送周报。", field="week_start")
    if week > today:
        raise Refused("该周尚未开始。", field="week_start")
    if inspection.fieldwork_ends_on is not None and week > inspection.fieldwork_ends_on:
        raise Refused("该周在了解阶段结束之后，无须报送周报。", field="week_start")
    if WeeklyReport.objects.filter(inspection=inspection, week_start=week).exists():
        raise Refused(f"{week_label(week)}的周报已经起草。", field="week_start")
    counts = weekly_counts.week_counts(inspection, week)
    report = WeeklyReport(
        inspection=inspection,
        week_start=week,
        due_on=due_on(week),
        counts=counts,
        narrative=weekly_counts.summary(counts),
        created_by=by,
    )
    report.save()
    record("weekly_report.created", report, by=by, role=role, details={"week": week.isoformat()})
    return report


@dataclass(frozen=True)
class WeeklyInput:
    narrative: str = ""
    problems: str = ""
    next_plan: str = ""


@action
def update_weekly_report(report: WeeklyReport, *, data: WeeklyInput, by: User | None) -> WeeklyReport:
    """Save the texts of a draft and refresh its figures."""
    role = require(by, team_roles(report.inspection), what="修改周报")
    _writable(report)
    changed = []
    for name in TEXT_FIELDS:
        text = clean_text(
            getattr(data, name),
            label=TEXT_LABELS[name],
            field=name,
            limit=TEXT_LIMIT,
            required=False,
            multiline=True,
        )
        if text != getattr(report, name):
            changed.append(name)
            setattr(report, name, text)
    report.counts = weekly_counts.week_counts(report.inspection, report.week_start)
    report.updated_at = timezone.now()
    report.save()
    record(
        "weekly_report.updated",
        report,
        by=by,
        role=role,
        details={"week": report.week_start.isoformat(), "sections": changed},
    )
    return report


@action
def submit_weekly_report(report: WeeklyReport, *, by: User | None) -> WeeklyReport:
    """The team leader sends the 周报 to the office; its figures are kept as they stand now."""
    role = require(by, submitter_roles(report.inspection), what="报送周报")
    _writable(report)
    if not report.narrative.strip():
        raise Refused("请先填写本周工作情况。", field="narrative")
    now = timezone.now()
    report.counts = weekly_counts.week_counts(report.inspection, report.week_start)
    report.status = WeeklyStatus.SUBMITTED
    report.submitted_by = by
    report.submitted_at = now
    report.updated_at = now
    report.save()
    late = timezone.localdate(now) > report.due_on
    deadline_met(deadline_key(report.inspection, report.week_start))  # its reminders ask nothing any more
    record(
        "weekly_report.submitted",
        report,
        by=by,
        role=role,
        details={"week": report.week_start.isoformat(), "late": late},
    )
    return report


@action
def acknowledge_weekly_report(report: WeeklyReport, *, comment: str, by: User | None) -> WeeklyReport:
    """The office has read the 周报 (阅知), with an optional comment the team sees."""
    role = require(by, office_roles(report.inspection), what="阅知周报")
    if report.status != WeeklyStatus.SUBMITTED:
        raise Refused(
            "周报尚未报送。" if report.is_draft else "周报已经阅知。",
        )
    report.office_comment = clean_text(
        comment, label="巡察办意见", field="comment", limit=TEXT_LIMIT, required=False, multiline=True
    )
    report.status = WeeklyStatus.ACKNOWLEDGED
    report.acknowledged_by = by
    report.acknowledged_at = timezone.now()
    report.save()
    record(
        "weekly_report.acknowledged",
        report,
        by=by,
        role=role,
        details={"week": report.week_start.isoformat(), "comment": bool(report.office_comment)},
    )
    return report


# Which weeks are late -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    inspection: Inspection
    week_start: datetime.date
    due_on: datetime.date
    report: WeeklyReport | None

    @property
    def label(self) -> str:
        return week_label(self.week_start)

    @property
    def submitted(self) -> bool:
        return self.report is not None and not self.report.is_draft

    def is_late(self, today: datetime.date) -> bool:
        if self.report is not None and self.report.submitted_at is not None:
            return timezone.localdate(self.report.submitted_at) > self.due_on
        return today > self.due_on

    def badge(self, today: datetime.date) -> tuple[str, str]:
        """The colour and text of the week's mark on the pages."""
        late = self.is_late(today)
        if self.report is None:
            return ("danger", "逾期未报") if late else ("light border", "待报送")
        status = self.report.get_status_display()
        if self.submitted:
            return ("warning", f"{status}（逾期报送）") if late else (self.report.status_badge, status)
        return ("danger", f"{status}，逾期未报") if late else ("secondary", status)


def weekly_inspections(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Of ``inspections``, those in 进驻/了解, with what the pages and reminders name."""
    return (
        inspections.filter(stage__in=WEEKLY_STAGES, stationed_on__isnull=False)
        .select_related("round__committee", "team", "unit")
        .order_by("round_id", "team__name", "pk")
    )


def marked(weeks: list[Week], today: datetime.date) -> list[tuple[Week, str, str]]:
    return [(week, *week.badge(today)) for week in weeks]


def grid(inspections: Iterable[Inspection], today: datetime.date) -> list[tuple[Inspection, list[Week]]]:
    """Each inspection with every week begun so far and its report (or None), in two queries."""
    found = list(inspections)
    reports: dict[int, dict[datetime.date, WeeklyReport]] = defaultdict(dict)
    reports_of = WeeklyReport.objects.filter(inspection__in=[i.pk for i in found])
    for report in reports_of.select_related("submitted_by", "acknowledged_by"):
        reports[report.inspection_id][report.week_start] = report
    return [
        (
            inspection,
            [
                Week(inspection, week, due_on(week), reports[inspection.pk].get(week))
                for week in weeks(inspection, today)
            ],
        )
        for inspection in found
    ]


def late_weeks(inspections: Iterable[Inspection], today: datetime.date) -> list[Week]:
    """The weeks past their due date without a submitted report, the oldest first."""
    late = [
        week
        for _, rows in grid(inspections, today)
        for week in rows
        if not week.submitted and today > week.due_on
    ]
    return sorted(late, key=lambda w: (w.due_on, w.inspection.pk))


def deadline_key(inspection: Inspection, week_start: datetime.date) -> str:
    """The reminder engine's key of a week's 周报."""
    return f"weekly-report:{inspection.pk}:{week_start.isoformat()}"


def inspection_url(inspection: Inspection) -> str:
    return reverse("reports:weekly-inspection", args=[inspection.pk])


def deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """``core.reminders`` provider: each week of 进驻/了解 not yet reported, due soon or overdue. The team
    leader is told; the office and leading group are escalated to when overdue. Three queries."""
    mine = reach.q(
        {
            Role.TEAM_LEADER: "team_id",
            Role.OFFICE: "round__committee_id",
            Role.LEADING_GROUP: "round__committee_id",
        }
    )
    inspections = weekly_inspections(Inspection.objects.filter(mine)).select_related(
        "round__committee__settings"
    )
    found = []
    for inspection, rows in grid(inspections, today):
        committee = inspection.round.committee
        remind_days = settings_for(committee).due_soon_days
        for week in rows:
            if week.submitted or week.due_on - datetime.timedelta(days=remind_days) > today:
                continue
            found.append(
                Deadline(
                    key=deadline_key(inspection, week.week_start),
                    due_on=week.due_on,
                    title=f"{inspection.team.name}（{inspection.unit.name}）{week.label}周报",
                    link=inspection_url(inspection),
                    owners={Role.TEAM_LEADER: inspection.team_id},
                    escalate_to=escalation_roles(committee.pk),
                    committee_id=committee.pk,
                    remind_days=remind_days,
                    subject=inspection,
                )
            )
    return found
