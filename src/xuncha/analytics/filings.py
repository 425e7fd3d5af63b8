"""Filings (报备) upward (上下联动): a lower committee's office files with the office of the
committee above it each round plan (巡察工作安排), each team report's summary (巡察报告情况, once the
report is final) and each rectification summary (整改情况, once the unit has uploaded its 整改报告).
A filing is a snapshot — the statistics of its source at the moment of filing plus the summary the lower
office writes for filing — kept as JSON and as rendered text; the upper office acknowledges it (签收).

Due dates (报备时限), the same for every committee (the rule of the upper office, not a local setting):

- a round plan within ``PLAN_FILING_DAYS`` (10) days of the round's creation;
- a team report summary within ``REPORT_FILING_DAYS`` (15) days of the report becoming final (定稿);
- a rectification summary within ``RECTIFICATION_FILING_DAYS`` (15) days of the unit's first 整改报告.

``owed`` lists what a committee owes, filed or not, so the upper office sees who is late (逾期未报备, or
报备 after the due date); the reminder engine's daily job reminds the lower office before a filing falls
due and tells the office above once it is overdue (``filing_deadlines``). Snapshots hold counts, names
of rounds, teams and inspected units, and the summary: never a finding's, petition's or clue's content,
never a person's name.
"""

import datetime
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.reminders import EVERYONE, Deadline, Reach, deadline_met
from xuncha.core.text import clean_text
from xuncha.findings.choices import ClueStatus, FindingStatus
from xuncha.findings.models import Clue, Finding
from xuncha.orgs.models import Committee
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.choices import ReportKind as UnitReportKind
from xuncha.rectification.models import Item, SupervisionNotice, UnitReport
from xuncha.reports.choices import ReportKind, ReportStatus
from xuncha.reports.models import Report
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection, Round, WorkPlan
from xuncha.rounds.reminders import horizon

from .models import Filing, FilingKind

PLAN_FILING_DAYS = 10
REPORT_FILING_DAYS = 15
RECTIFICATION_FILING_DAYS = 15
SUMMARY_LIMIT = 5_000
NOTE_LIMIT = 1_000

AUDIT_ACTIONS = {
    "filing.filed": "向上级巡察办报备",
    "filing.acknowledged": "签收下级报备",
}
AUDIT_DETAILS = {
    "kind": "报备事项",
    "upper": "报备至",
    "due_on": "报备时限",
    "late_days": "逾期天数",
}


def filing_days(kind: str) -> int:
    return {
        FilingKind.ROUND_PLAN: PLAN_FILING_DAYS,
        FilingKind.TEAM_REPORT: REPORT_FILING_DAYS,
        FilingKind.RECTIFICATION: RECTIFICATION_FILING_DAYS,
    }[FilingKind(kind)]


def _local(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# What is owed --------------------------------------------------------------------------------------------


@dataclass
class Owed:
    """One filing a committee owes: its source (a round, or an inspection of it), when it is due, and the
    filing once made."""

    committee_id: int
    kind: str
    round: Round
    inspection: Inspection | None
    due_on: datetime.date
    filing: Filing | None = None

    @property
    def kind_label(self) -> str:
        return str(FilingKind(self.kind).label)

    @property
    def source_label(self) -> str:
        if self.inspection is None:
            return self.round.name
        return f"{self.round.name} {self.inspection.team.name}（{self.inspection.unit.name}）"

    @property
    def source_id(self) -> int:
        return self.inspection.pk if self.inspection is not None else self.round.pk

    def overdue(self, today: datetime.date) -> bool:
        """Not filed and past its due date."""
        return self.filing is None and self.due_on < today

    def late(self, today: datetime.date) -> bool:
        """Overdue, or filed after its due date."""
        return self.overdue(today) or (self.filing is not None and self.filing.is_late)


def lower_committee_ids(user: User) -> set[int]:
    """The committees whose filings ``user`` receives: those directly below a committee whose office they
    are."""
    offices = user.scopes.ids(Role.OFFICE)
    return set(Committee.objects.filter(parent_id__in=offices).values_list("pk", flat=True))


def filing_committee_ids(user: User) -> set[int]:
    """The committees ``user`` files for: those whose office they are and that have a committee above."""
    offices = user.scopes.ids(Role.OFFICE)
    return set(Committee.objects.filter(pk__in=offices, parent__isnull=False).values_list("pk", flat=True))


def owed(committee_ids: Collection[int]) -> list[Owed]:
    """Everything ``committee_ids`` owe or have filed, in five queries whatever their number."""
    ids = list(committee_ids)
    found: list[Owed] = []
    for round_ in Round.objects.filter(committee_id__in=ids).order_by("created_at", "pk"):
        due = _local(round_.created_at) + datetime.timedelta(days=PLAN_FILING_DAYS)
        found.append(Owed(round_.committee_id, FilingKind.ROUND_PLAN, round_, None, due))
    reports = Report.objects.filter(
        kind=ReportKind.TEAM, status=ReportStatus.FINAL, round__committee_id__in=ids, final_at__isnull=False
    ).select_related("round", "inspection__team", "inspection__unit")
    for report in reports.order_by("final_at", "pk"):
        assert report.inspection is not None and report.final_at is not None  # noqa: S101 - filtered
        due = _local(report.final_at) + datetime.timedelta(days=REPORT_FILING_DAYS)
        found.append(
            Owed(report.round.committee_id, FilingKind.TEAM_REPORT, report.round, report.inspection, due)
        )
    uploaded = (
        UnitReport.objects.filter(kind=UnitReportKind.RECTIFICATION, inspection__round__committee_id__in=ids)
        .values("inspection_id")
        .annotate(first=Min("added_at"))
    )
    first = {row["inspection_id"]: row["first"] for row in uploaded}
    inspections = Inspection.objects.filter(pk__in=first).select_related("round", "team", "unit")
    for inspection in inspections.order_by("pk"):
        due = _local(first[inspection.pk]) + datetime.timedelta(days=RECTIFICATION_FILING_DAYS)
        found.append(
            Owed(inspection.round.committee_id, FilingKind.RECTIFICATION, inspection.round, inspection, due)
        )
    filings = {(f.kind, f.round_id, f.inspection_id): f for f in Filing.objects.filter(committee_id__in=ids)}
    for entry in found:
        entry.filing = filings.get(
            (entry.kind, entry.round.pk, entry.inspection.pk if entry.inspection else None)
        )
    return found


@dataclass
class Lateness:
    """A lower committee's record: how much it owes, has filed, had acknowledged, and is late with."""

    committee: Committee
    owed: int = 0
    filed: int = 0
    acknowledged: int = 0
    overdue: int = 0
    filed_late: int = 0

    @property
    def late(self) -> int:
        return self.overdue + self.filed_late


def lateness(committees: Iterable[Committee], today: datetime.date | None = None) -> list[Lateness]:
    """Per committee, counts only (what the upper office sees of who is late)."""
    today = today or timezone.localdate()
    rows = {c.pk: Lateness(c) for c in committees}
    for entry in owed(rows):
        row = rows[entry.committee_id]
        row.owed += 1
        if entry.filing is not None:
            row.filed += 1
            row.acknowledged += entry.filing.is_acknowledged
            row.filed_late += entry.filing.is_late
        elif entry.overdue(today):
            row.overdue += 1
    return list(rows.values())


def deadline_key(kind: str, source_id: int) -> str:
    return f"filing:{kind}:{source_id}"


def filing_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """Filings not yet made that are due soon or overdue, for the reminder engine's daily job: the lower
    office is reminded, and the office above is told once one is overdue (who is late). No home panel:
    the filings page lists them."""
    if not reach.holds_any(Role.OFFICE):  # only offices owe filings or are told of late ones
        return []
    mine = reach.q({Role.OFFICE: ("pk", "parent_id")})
    committees = Committee.objects.filter(mine, parent__isnull=False).select_related("settings")
    lower = {c.pk: c for c in committees}
    last = horizon(today)
    found = []
    for entry in owed(lower):
        if entry.filing is not None or entry.due_on > last:
            continue
        committee = lower[entry.committee_id]
        assert committee.parent_id is not None  # noqa: S101 - filtered
        found.append(
            Deadline(
                key=deadline_key(entry.kind, entry.source_id),
                due_on=entry.due_on,
                title=f"向上级巡察办报备{entry.kind_label}：{entry.source_label}",
                link=reverse("analytics:filings"),
                owners={Role.OFFICE: committee.pk},
                escalate_to={Role.OFFICE: committee.parent_id},
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
            )
        )
    return found


# Snapshots -----------------------------------------------------------------------------------------------


def _work_plan(round_: Round) -> dict[str, Any] | None:
    """The round's work plan (巡察工作方案): its state, schedule, focus and the secretary's 审定."""
    plan = WorkPlan.objects.filter(round=round_).first()
    if plan is None:
        return None
    return {
        "status": plan.get_status_display(),
        "stationing_on": plan.stationing_on.isoformat(),
        "withdrawal_on": plan.withdrawal_on.isoformat(),
        "focus": [str(item) for item in plan.focus or []],
        "topic": plan.topic,
        "ratified_by": plan.ratified_by_name,
        "ratified_on": plan.ratified_on.isoformat() if plan.ratified_on else "",
    }


def plan_snapshot(round_: Round) -> dict[str, Any]:
    inspections = list(
        Inspection.objects.filter(round=round_).select_related("team", "unit").order_by("team__name", "pk")
    )
    members = dict(
        Inspection.objects.filter(round=round_)
        .values_list("team_id")
        .annotate(n=Count("team__members", distinct=True))
    )
    teams: dict[str, dict[str, Any]] = {}
    for inspection in inspections:
        team = teams.setdefault(
            inspection.team.name,
            {"name": inspection.team.name, "members": members.get(inspection.team_id, 0), "units": []},
        )
        team["units"].append(inspection.unit.name)
    return {
        "round": round_.name,
        "number": round_.number,
        "kind": round_.get_kind_display(),
        "topic": round_.topic,
        "term": round_.term.name if round_.term_id and round_.term else "",
        "planned_start": round_.planned_start.isoformat(),
        "planned_end": round_.planned_end.isoformat(),
        "teams": list(teams.values()),
        "units": len(inspections),
        "work_plan": _work_plan(round_),
    }


def _by_category(findings: Any, field: str) -> dict[str, int]:
    rows = findings.filter(**{f"{field}__isnull": False}).values(f"{field}__name").annotate(n=Count("pk"))
    return {row[f"{field}__name"]: row["n"] for row in rows.order_by(f"{field}__name")}


def report_snapshot(inspection: Inspection) -> dict[str, Any]:
    signed = Finding.objects.filter(inspection=inspection, status=FindingStatus.SIGNED_OFF)
    clues = Clue.objects.filter(inspection=inspection).exclude(status=ClueStatus.WITHDRAWN)
    report = Report.objects.filter(kind=ReportKind.TEAM, inspection=inspection).first()
    return {
        "round": inspection.round.name,
        "team": inspection.team.name,
        "unit": inspection.unit.name,
        "final_on": _local(report.final_at).isoformat() if report and report.final_at else "",
        "findings": signed.count(),
        "by_focus": _by_category(signed, "focus"),
        "by_discipline": _by_category(signed, "discipline"),
        "clues": clues.count(),
        "clues_transferred": clues.filter(status=ClueStatus.TRANSFERRED).count(),
    }


def rectification_snapshot(inspection: Inspection, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    items = Item.objects.filter(inspection=inspection)
    counts = Counter(dict(items.values_list("status").annotate(n=Count("pk"))))
    total = sum(counts.values())
    closed = counts.get(ItemStatus.CLOSED, 0)
    overdue = items.exclude(status=ItemStatus.CLOSED).filter(due_on__lt=today).count()
    uploaded = UnitReport.objects.filter(inspection=inspection).values_list("kind", flat=True).distinct()
    return {
        "round": inspection.round.name,
        "team": inspection.team.name,
        "unit": inspection.unit.name,
        "items": total,
        "closed": closed,
        "closure_rate": round(100 * closed / total, 1) if total else 0.0,
        "overdue": overdue,
        "notices": SupervisionNotice.objects.filter(inspection=inspection).count(),
        "reports": sorted({str(UnitReportKind(k).label) for k in uploaded}),
    }


def render(kind: str, snapshot: dict[str, Any], summary: str) -> str:
    """The snapshot as the text the upper office reads."""
    s = snapshot
    lines: list[str] = []
    if kind == FilingKind.ROUND_PLAN:
        topic = f"：{s['topic']}" if s["topic"] else ""
        lines.append(f"轮次：{s['round']}（{s['kind']}{topic}）")
        if s.get("term"):
            lines.append(f"届期：{s['term']}")
        lines.append(f"计划时间：{s['planned_start']} 至 {s['planned_end']}")
        lines.append(f"巡察组 {len(s['teams'])} 个，巡察对象 {s['units']} 个：")
        for team in s["teams"]:
            lines.append(f"  {team['name']}（{team['members']} 人）：{'、'.join(team['units'])}")
        plan = s.get("work_plan")
        if plan:
            stationing, withdrawal = plan.get("stationing_on") or "—", plan.get("withdrawal_on") or "—"
            lines.append(f"巡察工作方案（{plan.get('status', '')}）：进驻 {stationing}，撤离 {withdrawal}")
            if plan.get("focus"):
                lines.append(f"  巡察重点：{'；'.join(str(f) for f in plan['focus'])}")
            if plan.get("topic"):
                lines.append(f"  专项主题：{plan['topic']}")
            if plan.get("ratified_by"):
                lines.append(f"  {plan['ratified_by']}于{plan['ratified_on']}审定")
    elif kind == FilingKind.TEAM_REPORT:
        lines.append(f"{s['round']} {s['team']}巡察{s['unit']}，报告定稿于{s['final_on'] or '—'}。")
        lines.append(
            f"发现问题 {s['findings']} 个，问题线索 {s['clues']} 条（已移交 {s['clues_transferred']} 条）。"
        )
        for key, label in (("by_focus", "按三个聚焦"), ("by_discipline", "按六项纪律")):
            if s[key]:
                lines.append(f"{label}：" + "；".join(f"{k} {v} 个" for k, v in s[key].items()))
    else:
        lines.append(f"{s['round']} {s['team']}巡察{s['unit']}的整改情况：")
        lines.append(
            f"整改事项 {s['items']} 项，已销号 {s['closed']} 项（{s['closure_rate']}%），"
            f"逾期未完成 {s['overdue']} 项；督办单 {s['notices']} 份。"
        )
        if s["reports"]:
            lines.append(f"已报送：{'、'.join(s['reports'])}。")
    if summary:
        lines += ["", "报备说明：", summary]
    return "\n".join(lines)


# Actions -------------------------------------------------------------------------------------------------


def _source(kind: str, committee_id: int, source_id: int) -> Owed:
    """What ``committee_id`` owes for ``source_id`` (a round for a plan, an inspection otherwise)."""
    for entry in owed([committee_id]):
        if entry.kind == kind and entry.source_id == source_id:
            return entry
    if kind == FilingKind.ROUND_PLAN:
        raise Refused("该轮次不存在或不属于本级党委。", field="source")
    if kind == FilingKind.TEAM_REPORT:
        raise Refused("该巡察尚无定稿的巡察报告，不能报备。", field="source")
    raise Refused("被巡察单位尚未报送整改报告，不能报备整改情况。", field="source")


@action
def file_filing(
    *, committee: Committee, kind: str, source_id: int, summary: str = "", by: User | None
) -> Filing:
    """File ``kind`` for the round (plan) or inspection (report, rectification) ``source_id`` of
    ``committee`` with the office of the committee above it. Once per source."""
    role = require(by, {Role.OFFICE: committee.pk}, what="向上级巡察办报备")
    if kind not in FilingKind.values:
        raise Refused("报备事项不正确。", field="kind")
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    if committee.parent_id is None:
        raise Refused("本级党委没有上级党委，无需报备。", field="committee")
    entry = _source(kind, committee.pk, source_id)
    if entry.filing is not None:
        raise Refused("该事项已报备，不能重复报备。", field="source")
    text = clean_text(
        summary, label="报备说明", field="summary", limit=SUMMARY_LIMIT, required=False, multiline=True
    )
    if kind != FilingKind.ROUND_PLAN and not text:
        raise Refused("请填写报备说明（报告或整改情况的摘要）。", field="summary")
    if entry.inspection is None:
        snapshot = plan_snapshot(entry.round)
        title = f"{entry.round.name}巡察工作安排"
    elif kind == FilingKind.TEAM_REPORT:
        snapshot = report_snapshot(entry.inspection)
        title = f"{entry.round.name}{entry.inspection.team.name}巡察报告情况"
    else:
        snapshot = rectification_snapshot(entry.inspection)
        title = f"{entry.round.name}{entry.inspection.team.name}整改情况"
    filing = Filing(
        committee=committee,
        upper_id=committee.parent_id,
        kind=kind,
        round=entry.round,
        inspection=entry.inspection,
        title=title[:200],
        summary=text,
        snapshot=snapshot,
        text=render(kind, snapshot, text),
        due_on=entry.due_on,
        filed_by=by,
    )
    filing.save()
    details = {
        "kind": str(FilingKind(kind).label),
        "upper": committee.parent.name if committee.parent else "",
        "due_on": entry.due_on.isoformat(),
        "late_days": filing.days_late,
    }
    deadline_met(deadline_key(kind, source_id))
    record("filing.filed", filing, by=by, role=role, details=details)
    return filing


@action
def acknowledge_filing(filing: Filing, *, note: str = "", by: User | None) -> Filing:
    """The upper office's 签收, once."""
    role = require(by, {Role.OFFICE: filing.upper_id}, what="签收下级报备")
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.is_acknowledged:
        raise Refused("该报备已签收。", field="filing")
    filing.acknowledgement = clean_text(
        note, label="签收意见", field="note", limit=NOTE_LIMIT, required=False, multiline=True
    )
    filing.acknowledged_by = by
    filing.acknowledged_at = timezone.now()
    filing.save()
    record(
        "filing.acknowledged",
        filing,
        by=by,
        role=role,
        committee_id=filing.upper_id,
        details={"kind": filing.get_kind_display(), "note_length": len(filing.acknowledgement)},
    )
    return filing


def pending_acknowledgement(user: User) -> Any:
    """Filings waiting for ``user``'s office to acknowledge them."""
    return Filing.objects.filter(upper_id__in=user.scopes.ids(Role.OFFICE), acknowledged_at__isnull=True)
