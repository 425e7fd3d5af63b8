"""What the platform knows of one inspection's week (Monday to Sunday, local time): the figures a 周报 is
prefilled with. Each figure is one aggregate query (COUNT, GROUP BY), whatever the data size:

- interviews held (个别谈话, status 已谈话, starting in the week);
- document items provided by the unit (answered in the week) and received by the team (accepted in it);
- petitions received in the week (those about the inspectors excepted: they are the office's alone), by
  their scope decision (受理范围) and their triage decision;
- findings drafted in the week by 三个聚焦 item, clues drafted in the week (withdrawn ones excepted) by kind;
- surveys opened and closed in the week; other activities starting in the week by kind;
- the team's work-log entries dated in the week.

Counts only: no content, no names (a 高度保密 clue is only counted, as in the team report).
"""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from xuncha.fieldwork.choices import ActivityKind, InterviewStatus, ItemStatus
from xuncha.fieldwork.models import Activity, DocumentItem, Interview, Survey
from xuncha.findings.choices import ClueKind, ClueStatus
from xuncha.findings.models import Clue, Finding
from xuncha.intake.choices import Decision, Scope
from xuncha.intake.models import Petition
from xuncha.rounds.models import Inspection

from .models import WorkLogEntry

UNDECIDED = "undecided"
NO_CATEGORY = "未分类"


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def week_bounds(week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The week as [start, end) in aware datetimes of the current time zone."""
    return day_start(week_start), day_start(week_start + datetime.timedelta(days=7))


def _grouped(rows: Any, key: str) -> dict[str, int]:
    return {(row[key] or UNDECIDED): row["n"] for row in rows}


def week_counts(inspection: Inspection, week_start: datetime.date) -> dict[str, Any]:
    """The week's figures of ``inspection`` as a JSON-able dict (stored on the weekly report)."""
    start, end = week_bounds(week_start)
    week_end = week_start + datetime.timedelta(days=6)
    interviews = Interview.objects.filter(
        inspection=inspection, status=InterviewStatus.DONE, starts_at__gte=start, starts_at__lt=end
    ).count()
    documents = DocumentItem.objects.filter(request__inspection=inspection).aggregate(
        provided=Count("pk", filter=Q(answered_at__gte=start, answered_at__lt=end)),
        reviewed=Count(
            "pk", filter=Q(status=ItemStatus.ACCEPTED, reviewed_at__gte=start, reviewed_at__lt=end)
        ),
    )
    petitions = Petition.objects.filter(
        inspection=inspection, about_inspectors=False, received_at__gte=start, received_at__lt=end
    )
    by_scope = _grouped(petitions.order_by().values("scope").annotate(n=Count("pk")), "scope")
    by_decision = _grouped(petitions.order_by().values("decision").annotate(n=Count("pk")), "decision")
    findings = (
        Finding.objects.filter(inspection=inspection, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("focus__code", "focus__name")
        .annotate(n=Count("pk"))
        .order_by("focus__sort_key")
    )
    clues = _grouped(
        Clue.objects.filter(inspection=inspection, created_at__gte=start, created_at__lt=end)
        .exclude(status=ClueStatus.WITHDRAWN)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk")),
        "kind",
    )
    surveys = Survey.objects.filter(inspection=inspection).aggregate(
        opened=Count("pk", filter=Q(opened_at__gte=start, opened_at__lt=end)),
        closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
    )
    activities = _grouped(
        Activity.objects.filter(inspection=inspection, starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk")),
        "kind",
    )
    log = WorkLogEntry.objects.filter(
        inspection=inspection, on_date__gte=week_start, on_date__lte=week_end
    ).count()
    by_focus = [
        {"code": row["focus__code"] or "", "category": row["focus__name"] or NO_CATEGORY, "count": row["n"]}
        for row in findings
    ]
    return {
        "interviews_held": interviews,
        "documents_provided": documents["provided"],
        "documents_reviewed": documents["reviewed"],
        "petitions_received": sum(by_scope.values()),
        "petitions_by_scope": by_scope,
        "petitions_by_decision": by_decision,
        "findings": sum(row["count"] for row in by_focus),
        "findings_by_focus": by_focus,
        "clues": sum(clues.values()),
        "clues_by_kind": clues,
        "surveys_opened": surveys["opened"],
        "surveys_closed": surveys["closed"],
        "activities": sum(activities.values()),
        "activities_by_kind": activities,
        "work_log_entries": log,
    }


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> str:
    parts = [f"{labels.get(key, key)}{n}" for key, n in counts.items() if n]
    return "，".join(parts)


SCOPE_LABELS = {**{c.value: str(c.label) for c in Scope}, UNDECIDED: "尚未确定受理范围"}
DECISION_LABELS = {**{c.value: str(c.label) for c in Decision}, UNDECIDED: "待分拣"}
CLUE_LABELS = {c.value: str(c.label) for c in ClueKind}
ACTIVITY_LABELS = {c.value: str(c.label) for c in ActivityKind}


def lines(counts: dict[str, Any]) -> list[tuple[str, str]]:
    """The figures as (label, text) pairs in Chinese, for the page, the ledger and the narrative."""
    if not counts:
        return []

    def c(key: str) -> int:
        return int(counts.get(key, 0))

    focus = "；".join(f"{row['category']}{row['count']}个" for row in counts.get("findings_by_focus", []))
    return [
        ("个别谈话（已谈话）", f"{counts.get('interviews_held', 0)}人次"),
        (
            "调阅资料",
            f"单位提供{c('documents_provided')}项，巡察组接收{c('documents_reviewed')}项",
        ),
        (
            "受理信访件",
            f"{counts.get('petitions_received', 0)}件"
            + _bracket(_labelled(counts.get("petitions_by_scope", {}), SCOPE_LABELS))
            + _bracket(_labelled(counts.get("petitions_by_decision", {}), DECISION_LABELS), "分拣："),
        ),
        ("问题底稿", f"{counts.get('findings', 0)}个" + _bracket(focus)),
        (
            "问题线索",
            f"{counts.get('clues', 0)}条" + _bracket(_labelled(counts.get("clues_by_kind", {}), CLUE_LABELS)),
        ),
        ("民主测评/问卷", f"开始{c('surveys_opened')}项，结束{c('surveys_closed')}项"),
        (
            "其他方式",
            f"{counts.get('activities', 0)}次"
            + _bracket(_labelled(counts.get("activities_by_kind", {}), ACTIVITY_LABELS)),
        ),
        ("工作日志", f"{counts.get('work_log_entries', 0)}条"),
    ]


def _bracket(text: str, prefix: str = "") -> str:
    return f"（{prefix}{text}）" if text else ""


def summary(counts: dict[str, Any]) -> str:
    """The narrative a new 周报 starts with: the week's figures in one paragraph, for the team to edit."""
    parts = [f"{label}{text}" for label, text in lines(counts)]
    return "本周" + "；".join(parts) + "。" if parts else ""
