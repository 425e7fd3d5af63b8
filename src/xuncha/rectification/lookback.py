"""What a look-back inspection (巡察“回头看”) re-examines: the earlier inspections of its unit among its
round's ``lookback_of``, and their items in force (tasks of approved plans and 边巡边改 items). Nothing is
copied: the problems and items are read from the earlier inspections, grouped by feedback problem for the
page (a delivered problem without any item is shown as such), with each item's check of this inspection."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xuncha.core.ledger import Ledger
from xuncha.core.models import User
from xuncha.core.permissions import holds
from xuncha.reports.choices import Recipient
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.choices import RoundKind
from xuncha.rounds.models import Inspection

from .choices import VERDICT_BADGES, Verdict
from .models import Item, LookbackCheck
from .models.items import ItemQuerySet
from .models.scope import READERS, TEAM_ROLES

PRINCIPAL_PROBLEM = Q(problem__feedback__recipient=Recipient.PRINCIPAL)


def is_lookback(inspection: Inspection) -> bool:
    return inspection.round.kind == RoundKind.LOOKBACK


def earlier_inspections(inspection: Inspection) -> QuerySet[Inspection]:
    """The inspections of the same unit this look-back inspection re-examines (none for other kinds)."""
    if not is_lookback(inspection):
        return Inspection.objects.none()
    return (
        inspection.round.lookback_of.filter(unit_id=inspection.unit_id)
        .select_related("round", "team", "unit")
        .order_by("round__number", "pk")
    )


def earlier_items(inspection: Inspection) -> ItemQuerySet:
    """The earlier inspections' items in force: tasks of approved plans and 边巡边改 items."""
    return Item.objects.active().filter(inspection__in=earlier_inspections(inspection).values("pk"))


def liaison_only(user: User, inspection: Inspection) -> bool:
    """Whether ``user`` reads the look-back as the unit's liaison only: then, as for the items themselves,
    nothing of the problem list fed back to the principal leader (谁的问题向谁反馈)."""
    committee, team = inspection.round.committee_id, inspection.team_id
    roles: dict[str, int] = {**dict.fromkeys(READERS, committee), **dict.fromkeys(TEAM_ROLES, team)}
    return not holds(user, roles)


def unchecked_items(inspection: Inspection) -> ItemQuerySet:
    """Earlier items without a check of this look-back inspection yet."""
    checked = LookbackCheck.objects.filter(inspection=inspection).values("item_id")
    return earlier_items(inspection).exclude(pk__in=checked)


@dataclass
class Row:
    item: Item
    evidence: int
    check: LookbackCheck | None


@dataclass
class ProblemGroup:
    """A delivered problem of an earlier inspection with its items (``problem`` None: 边巡边改 items)."""

    problem: FeedbackProblem | None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    inspection: Inspection
    groups: list[ProblemGroup] = field(default_factory=list)


@dataclass
class Checklist:
    sections: list[Section]
    total: int
    checked: int
    counts: list[tuple[str, str, str, int]]  # verdict, label, badge colour, number

    @property
    def percent(self) -> int:
        return round(100 * self.checked / self.total) if self.total else 100


def _items(inspection: Inspection, hide_principal: bool) -> list[Item]:
    items = earlier_items(inspection)
    if hide_principal:
        items = items.exclude(PRINCIPAL_PROBLEM)
    return list(
        items.select_related("problem__feedback", "inspection")
        .annotate(evidence_count=Count("progress__evidence"))
        .order_by("inspection_id", "number")
    )


def _problems(earlier: Iterable[Inspection], hide_principal: bool) -> list[FeedbackProblem]:
    problems = FeedbackProblem.objects.delivered().filter(feedback__inspection__in=list(earlier))
    if hide_principal:
        problems = problems.exclude(feedback__recipient=Recipient.PRINCIPAL)
    return list(
        problems.select_related("feedback").order_by("feedback__inspection_id", "feedback_id", "sequence")
    )


def checklist(inspection: Inspection, user: User) -> Checklist:
    """The page's content in a fixed number of queries."""
    hide = liaison_only(user, inspection)
    earlier = list(earlier_inspections(inspection))
    items = _items(inspection, hide)
    checks = {
        c.item_id: c
        for c in LookbackCheck.objects.filter(
            inspection=inspection, item__in=[i.pk for i in items]
        ).select_related("finding", "checked_by")
    }
    by_problem: dict[int | None, list[Row]] = {}
    by_inspection: dict[int, list[Row]] = {}
    for item in items:
        row = Row(item, getattr(item, "evidence_count", 0), checks.get(item.pk))
        if item.problem_id is None:
            by_inspection.setdefault(item.inspection_id, []).append(row)
        else:
            by_problem.setdefault(item.problem_id, []).append(row)
    sections = {i.pk: Section(i) for i in earlier}
    for problem in _problems(earlier, hide):
        group = ProblemGroup(problem, by_problem.get(problem.pk, []))
        sections[problem.feedback.inspection_id].groups.append(group)
    for inspection_id, rows in by_inspection.items():
        sections[inspection_id].groups.append(ProblemGroup(None, rows))
    counts = [
        (v.value, str(v.label), VERDICT_BADGES[v], sum(1 for c in checks.values() if c.verdict == v))
        for v in Verdict
    ]
    return Checklist(list(sections.values()), total=len(items), checked=len(checks), counts=counts)


LEDGER_SHEET = "回头看核查台账"
LEDGER_COLUMNS = (
    ("原巡察", 24),
    ("被巡察单位", 20),
    ("反馈问题", 36),
    ("整改任务", 8),
    ("整改措施", 44),
    ("原整改状态", 10),
    ("佐证材料", 8),
    ("核实意见", 30),
    ("核查结论", 10),
    ("核查情况", 44),
    ("核查人", 12),
    ("核查时间", 16),
    ("新发现问题底稿", 24),
)


def write_ledger(inspection: Inspection, *, user: User, at: datetime.datetime) -> tuple[IO[bytes], int]:
    """The 回头看核查台账: one row per earlier item the user may read, with its check (blank if none yet);
    the workbook in a temporary file (rewound, deleted when closed) and the number of rows."""
    ledger = Ledger(LEDGER_SHEET, LEDGER_COLUMNS, user=user, at=at)
    found = checklist(inspection, user)
    internal = not liaison_only(user, inspection)  # the team's findings are not the unit's to read
    count = 0
    for section in found.sections:
        for group in section.groups:
            for row in group.rows:
                item, check = row.item, row.check
                problem = str(group.problem) if group.problem is not None else f"（边巡边改）{item.issue}"
                count += 1
                ledger.row(
                    count,
                    (
                        section.inspection.round.name,
                        section.inspection.unit.name,
                        problem,
                        item.code,
                        item.measure,
                        item.get_status_display(),
                        str(row.evidence),
                        item.closing_note,
                        check.get_verdict_display() if check else "未核查",
                        check.note if check else "",
                        str(check.checked_by or "") if check else "",
                        f"{timezone.localtime(check.checked_at):%Y-%m-%d %H:%M}" if check else "",
                        str(check.finding or "") if check and internal else "",
                    ),
                )
    return ledger.close(), count
