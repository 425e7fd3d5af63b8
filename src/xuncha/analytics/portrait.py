"""The unit portrait (政治生态画像): one unit across all its inspections (its own committee's, and an upper
committee's 提级 or 交叉 ones), as statistics.

Democratic evaluation over time (the leadership surveys' 好和较好率), petitions (pieces and distinct matters,
by channel), findings by category (三个聚焦 first-level item, 六项纪律, 问题性质, 四风), clue outcomes,
rectification performance (closed, on time, overdue) and the look-back verdicts (真改实改 / 虚假整改 /
反弹回潮); then the same per person for the principal leader and the leadership team named on the roster.

Who reads it: the office and the leading group of the unit's committee (the office also downloads it as a
研判报告 .docx); everyone else 404. It holds counts and rates only — no petition, clue or interview content,
never a reporter. Every section is one GROUP BY query (a fixed number of queries whatever the data).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.fieldwork.choices import FAVOURABLE, QuestionKind, SurveyKind
from xuncha.fieldwork.models import Answer
from xuncha.findings.choices import ClueKind, ClueStatus, FindingStatus, Outcome
from xuncha.findings.models import Clue, Finding
from xuncha.intake.models import Petition
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person, Unit
from xuncha.rectification.choices import ItemStatus, Verdict
from xuncha.rectification.models import Item, LookbackCheck
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.models import Category

from .radar import CHANNEL_NAMES, CHANNEL_ORDER

AUDIT_ACTIONS = {
    "unit_portrait.read": "查看单位政治生态画像",
    "unit_portrait.document_read": "下载政治生态研判报告",
}
LEADER_CATEGORIES = (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)
FAVOURABLE_RATING = FAVOURABLE[QuestionKind.RATING]


def reader_role(user: User, unit: Unit) -> str:
    """The role under which ``user`` reads the unit's portrait; 404 for anyone else."""
    if not user.is_active:
        raise Http404
    for role in (Role.OFFICE, Role.LEADING_GROUP):
        if user.scopes.has(role, unit.committee_id):
            return role
    raise Http404


def portrait_unit(user: User, pk: int) -> tuple[Unit, str]:
    unit = Unit.objects.select_related("committee").filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit, reader_role(user, unit)


def _rate(favourable: int, total: int) -> float | None:
    return round(100 * favourable / total, 1) if total else None


@dataclass
class InspectionLine:
    inspection: Inspection
    year: int
    evaluation: float | None = None  # 领导班子总体评价 好和较好率
    evaluation_votes: int = 0
    pieces: int = 0
    matters: int = 0
    findings: int = 0
    clues: int = 0
    items: int = 0
    closed: int = 0


@dataclass
class LeaderLine:
    person: Person
    petitions: int = 0
    findings: int = 0
    clues: int = 0
    items: int = 0
    items_closed: int = 0
    evaluations: list[tuple[str, float | None]] = field(default_factory=list)  # (round, rate)


@dataclass
class Portrait:
    unit: Unit
    inspections: list[InspectionLine]
    channels: list[tuple[str, int]]
    pieces: int
    matters: int
    focus: list[tuple[str, int]]
    discipline: list[tuple[str, int]]
    nature: list[tuple[str, int]]
    four_winds: list[tuple[str, int]]
    findings: int
    clue_kinds: list[tuple[str, int]]
    clue_outcomes: list[tuple[str, int]]
    clues: int
    clues_transferred: int
    items: int
    items_closed: int
    items_on_time: int
    items_overdue: int
    verdicts: list[tuple[str, int]]
    leaders: list[LeaderLine]
    today: datetime.date

    @property
    def checks(self) -> int:
        return sum(n for _, n in self.verdicts)

    def rate(self, part: int, whole: int) -> float | None:
        return _rate(part, whole)

    @property
    def closure_rate(self) -> float | None:
        return _rate(self.items_closed, self.items)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.items_on_time, self.items_closed)

    def verdict_rate(self, verdict: str) -> float | None:
        return _rate(dict(self.verdicts).get(str(Verdict(verdict).label), 0), self.checks)

    @property
    def false_rate(self) -> float | None:
        return self.verdict_rate(Verdict.FALSE)

    @property
    def relapsed_rate(self) -> float | None:
        return self.verdict_rate(Verdict.RELAPSED)

    def charts(self) -> dict[str, Any]:
        """The data the page's ECharts draw (json_script; no inline script)."""
        return {
            "evaluation": {
                "labels": [f"{i.year} {i.inspection.round.name}" for i in self.inspections],
                "values": [i.evaluation for i in self.inspections],
            },
            "channels": {"labels": [n for n, _ in self.channels], "values": [v for _, v in self.channels]},
            "focus": {"labels": [n for n, _ in self.focus], "values": [v for _, v in self.focus]},
            "verdicts": {"labels": [n for n, _ in self.verdicts], "values": [v for _, v in self.verdicts]},
        }


def _root_names(ids: set[int]) -> dict[int, str]:
    """Each category's first-level ancestor's name ("2.4" → 群众身边腐败问题和不正之风), in one query of the
    schemes the categories belong to."""
    if not ids:
        return {}
    schemes = Category.objects.filter(pk__in=ids).values("scheme_id")
    tree = {c.pk: c for c in Category.objects.filter(scheme_id__in=schemes).only("pk", "parent_id", "name")}
    out = {}
    for pk in ids:
        node = tree[pk]
        while node.parent_id is not None and node.parent_id in tree:
            node = tree[node.parent_id]
        out[pk] = node.name
    return out


def _counted(rows: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(rows.items(), key=lambda kv: (-kv[1], kv[0]))


def build(unit: Unit, user: User, today: datetime.date | None = None) -> Portrait:
    today = today or timezone.localdate()
    inspections = Inspection.objects.filter(unit=unit)  # the upper committee's (提级, 交叉) included
    lines = {
        i.pk: InspectionLine(i, i.round.planned_start.year)
        for i in inspections.select_related("round", "team").order_by("round__planned_start", "pk")
    }

    # Democratic evaluation: the leadership surveys' answers, by inspection, person and option.
    answers = (
        Answer.objects.filter(
            question__survey__inspection__in=inspections,
            question__survey__kind=SurveyKind.LEADERSHIP,
            question__kind=QuestionKind.RATING,
        )
        .values("question__survey__inspection_id", "question__person_id", "option")
        .annotate(n=Count("pk"))
    )
    votes: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for row in answers:
        voter = (row["question__survey__inspection_id"], row["question__person_id"])
        votes[voter][1] += row["n"]
        if row["option"] in FAVOURABLE_RATING:
            votes[voter][0] += row["n"]
    for (inspection_id, person_id), (good, total) in votes.items():
        if person_id is None and inspection_id in lines:
            lines[inspection_id].evaluation = _rate(good, total)
            lines[inspection_id].evaluation_votes = total

    # Petitions: pieces and matters by inspection; pieces by channel.
    petitions = Petition.objects.filter(inspection__in=inspections, about_inspectors=False)
    for row in petitions.values("inspection_id").annotate(
        pieces=Count("pk", distinct=True),
        singles=Count("pk", filter=Q(duplicate_group__isnull=True), distinct=True),
        groups=Count("duplicate_group", distinct=True),
    ):
        line = lines[row["inspection_id"]]
        line.pieces, line.matters = row["pieces"], row["singles"] + row["groups"]
    pieces, matters = petitions.pieces_and_matters()
    by_channel = dict(petitions.values_list("channel").annotate(n=Count("pk")))
    channels = [(CHANNEL_NAMES[c], by_channel[c]) for c in CHANNEL_ORDER if by_channel.get(c)]

    # Findings (discussed or signed off) by inspection and category.
    findings = Finding.objects.filter(inspection__in=inspections).exclude(status=FindingStatus.DRAFT)
    rows = list(
        findings.values("inspection_id", "focus_id", "discipline_id", "nature_id", "four_winds_id").annotate(
            n=Count("pk")
        )
    )
    names = _root_names(
        {
            row[k]
            for row in rows
            for k in ("focus_id", "discipline_id", "nature_id", "four_winds_id")
            if row[k]
        }
    )
    tallies: dict[str, dict[str, int]] = {
        k: defaultdict(int) for k in ("focus", "discipline", "nature", "four_winds")
    }
    for row in rows:
        lines[row["inspection_id"]].findings += row["n"]
        for key in tallies:
            if row[f"{key}_id"]:
                tallies[key][names[row[f"{key}_id"]]] += row["n"]

    # Clues (not drafts or withdrawn): kinds, outcomes reported back.
    clues = Clue.objects.filter(inspection__in=inspections).exclude(
        status__in=(ClueStatus.DRAFT, ClueStatus.WITHDRAWN)
    )
    kinds: dict[str, int] = defaultdict(int)
    outcomes: dict[str, int] = defaultdict(int)
    transferred = 0
    for row in clues.values("inspection_id", "kind", "status", "transfer__outcome").annotate(n=Count("pk")):
        lines[row["inspection_id"]].clues += row["n"]
        kinds[str(ClueKind(row["kind"]).label)] += row["n"]
        if row["status"] == ClueStatus.TRANSFERRED:
            transferred += row["n"]
        outcome = row["transfer__outcome"]
        label = str(Outcome(outcome).label).split("（")[0] if outcome else "尚未报告结果"
        outcomes[label] += row["n"]

    # Rectification: items in force, closed, closed by their deadline, overdue.
    items = Item.objects.filter(inspection__in=inspections).active()
    closed_q = Q(status=ItemStatus.CLOSED)
    for row in items.values("inspection_id").annotate(n=Count("pk"), closed=Count("pk", filter=closed_q)):
        lines[row["inspection_id"]].items, lines[row["inspection_id"]].closed = row["n"], row["closed"]
    totals = items.aggregate(
        n=Count("pk"),
        closed=Count("pk", filter=closed_q),
        on_time=Count("pk", filter=closed_q & (Q(due_on__isnull=True) | Q(closed_at__date__lte=F("due_on")))),
        overdue=Count("pk", filter=~closed_q & Q(due_on__lt=today)),
    )
    verdicts = dict(
        LookbackCheck.objects.filter(item__inspection__in=inspections)
        .values_list("verdict")
        .annotate(n=Count("pk"))
    )

    leaders = _leaders(unit, inspections, lines, votes)
    return Portrait(
        unit=unit,
        inspections=list(lines.values()),
        channels=channels,
        pieces=pieces,
        matters=matters,
        focus=_counted(tallies["focus"]),
        discipline=_counted(tallies["discipline"]),
        nature=_counted(tallies["nature"]),
        four_winds=_counted(tallies["four_winds"]),
        findings=sum(line.findings for line in lines.values()),
        clue_kinds=_counted(kinds),
        clue_outcomes=_counted(outcomes),
        clues=sum(line.clues for line in lines.values()),
        clues_transferred=transferred,
        items=totals["n"],
        items_closed=totals["closed"],
        items_on_time=totals["on_time"],
        items_overdue=totals["overdue"],
        verdicts=[(str(v.label), verdicts[v.value]) for v in Verdict if verdicts.get(v.value)],
        leaders=leaders,
        today=today,
    )


def _leaders(
    unit: Unit,
    inspections: Any,
    lines: dict[int, InspectionLine],
    votes: dict[tuple[int, int | None], list[int]],
) -> list[LeaderLine]:
    """The principal leader and the leadership team on the roster, each with what names them."""
    people = (
        Person.objects.filter(unit=unit, category__in=LEADER_CATEGORIES, is_active=True)
        .annotate(
            n_petitions=Count(
                "petitions",
                filter=Q(petitions__inspection__in=inspections, petitions__about_inspectors=False),
                distinct=True,
            ),
            n_findings=Count(
                "findings",
                filter=Q(findings__inspection__in=inspections) & ~Q(findings__status=FindingStatus.DRAFT),
                distinct=True,
            ),
            n_clues=Count(
                "clues",
                filter=Q(clues__inspection__in=inspections)
                & ~Q(clues__status__in=(ClueStatus.DRAFT, ClueStatus.WITHDRAWN)),
                distinct=True,
            ),
        )
        .order_by("category", "pk")
    )
    items = dict(
        Item.objects.filter(inspection__in=inspections, leader_person__unit=unit)
        .active()
        .values_list("leader_person_id")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        Item.objects.filter(inspection__in=inspections, leader_person__unit=unit, status=ItemStatus.CLOSED)
        .active()
        .values_list("leader_person_id")
        .annotate(n=Count("pk"))
    )
    out = []
    for p in people:
        evaluations = [
            (f"{line.year} {line.inspection.round.name}", _rate(*votes[(pk, p.pk)]))
            for pk, line in lines.items()
            if (pk, p.pk) in votes
        ]
        out.append(
            LeaderLine(
                person=p,
                petitions=p.n_petitions,  # type: ignore[attr-defined]
                findings=p.n_findings,  # type: ignore[attr-defined]
                clues=p.n_clues,  # type: ignore[attr-defined]
                items=items.get(p.pk, 0),
                items_closed=closed.get(p.pk, 0),
                evaluations=evaluations,
            )
        )
    out.sort(
        key=lambda line: (line.person.category != PostCategory.PRINCIPAL, line.person.pk)
    )  # 一把手 first
    return out


def as_json(p: Portrait) -> dict[str, Any]:
    """The portrait as the API answers it: the same numbers as the page."""

    def pairs(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"name": name, "count": n} for name, n in rows]

    return {
        "unit_id": p.unit.pk,
        "unit": p.unit.name,
        "committee_id": p.unit.committee_id,
        "inspections": [
            {
                "inspection_id": line.inspection.pk,
                "round": line.inspection.round.name,
                "year": line.year,
                "stage": line.inspection.stage,
                "evaluation_favourable_rate": line.evaluation,
                "evaluation_votes": line.evaluation_votes,
                "petitions": line.pieces,
                "petition_matters": line.matters,
                "findings": line.findings,
                "clues": line.clues,
                "rectification_items": line.items,
                "rectification_closed": line.closed,
            }
            for line in p.inspections
        ],
        "petitions": {"pieces": p.pieces, "matters": p.matters, "by_channel": pairs(p.channels)},
        "findings": {
            "count": p.findings,
            "by_focus": pairs(p.focus),
            "by_discipline": pairs(p.discipline),
            "by_nature": pairs(p.nature),
            "by_four_winds": pairs(p.four_winds),
        },
        "clues": {
            "count": p.clues,
            "transferred": p.clues_transferred,
            "by_kind": pairs(p.clue_kinds),
            "by_outcome": pairs(p.clue_outcomes),
        },
        "rectification": {
            "items": p.items,
            "closed": p.items_closed,
            "closed_on_time": p.items_on_time,
            "overdue": p.items_overdue,
            "closure_rate": p.closure_rate,
            "on_time_rate": p.on_time_rate,
        },
        "lookback": {
            "checks": p.checks,
            "by_verdict": pairs(p.verdicts),
            "false_rate": p.false_rate,
            "relapsed_rate": p.relapsed_rate,
        },
        "leaders": [
            {
                "person_id": line.person.pk,
                "name": line.person.name,
                "post": line.person.post,
                "category": line.person.category,
                "petitions": line.petitions,
                "findings": line.findings,
                "clues": line.clues,
                "rectification_items": line.items,
                "rectification_closed": line.items_closed,
                "evaluations": [{"round": r, "favourable_rate": v} for r, v in line.evaluations],
            }
            for line in p.leaders
        ],
    }
