"""Common problems across rounds (共性问题, "从个别中发现重点、从重点中发现普遍"): beyond one round (the
findings app shows a round's), the 三个聚焦 items and 六项纪律 categories that signed-off findings of two or
more rounds of a committee share — with the rounds, terms and inspections they span — and the same counts
for each committee below it (counts only: 业务指导, no case content); and findings similar in text across
rounds (character-bigram Jaccard similarity of title and description).

A common problem of the office's own committee can be turned into a 建章立制 recommendation: a 督办单
(rectification's supervision notice) sent to a department or a unit, attached to the latest inspection of
the problem that is in 整改 or 评估回访, and recorded as a ``Recommendation`` with the findings it rests on.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Count, QuerySet

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.findings.choices import FindingStatus
from xuncha.findings.models import Finding
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rectification.actions import supervision
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.models import Category

from .models import Recommendation, RecommendationBasis

MIN_ROUNDS = 2
SIMILARITY = 0.3  # bigram Jaccard of two findings' texts: above it, the same problem told twice
SIMILAR_TEXT = 160  # characters of the description compared, after the title
SIMILAR_CAP = 300  # the most recent signed-off findings compared (pairwise)
BASES = (RecommendationBasis.FOCUS, RecommendationBasis.DISCIPLINE)

AUDIT_ACTIONS = {"common_problem.recommended": "共性问题提出建章立制建议"}
AUDIT_DETAILS = {
    "basis": "共性问题类别",
    "category": "分类",
    "findings": "据以提出的问题",
    "notice": "督办单",
}


def reader_committee_ids(user: User) -> set[int]:
    """Committees whose common problems ``user`` reads: where they are the office or leading group."""
    return set(user.scopes.ids(Role.OFFICE, Role.LEADING_GROUP))


def signed(committee_ids: Sequence[int] | set[int]) -> QuerySet[Finding]:
    return Finding.objects.filter(
        inspection__round__committee_id__in=committee_ids, status=FindingStatus.SIGNED_OFF
    )


@dataclass
class CommonProblem:
    category: Category
    rounds: int
    terms: int
    inspections: int
    findings: int
    years: list[int] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)


def across_rounds(committee_id: int, by: str) -> list[CommonProblem]:
    """The categories of ``by`` ("focus" or "discipline") in signed-off findings of ``MIN_ROUNDS`` or more
    rounds of the committee, most widespread first; two queries and one for their findings."""
    found = signed([committee_id]).filter(**{f"{by}__isnull": False})
    counts = (
        found.values(f"{by}_id")
        .annotate(
            rounds=Count("inspection__round", distinct=True),
            terms=Count("inspection__round__term", distinct=True),
            inspections=Count("inspection", distinct=True),
            findings=Count("pk", distinct=True),
        )
        .filter(rounds__gte=MIN_ROUNDS)
    )
    rows = {row[f"{by}_id"]: row for row in counts}
    categories = Category.objects.in_bulk(list(rows))
    problems = {
        pk: CommonProblem(categories[pk], row["rounds"], row["terms"], row["inspections"], row["findings"])
        for pk, row in rows.items()
    }
    members = found.filter(**{f"{by}_id__in": list(rows)}).values_list(
        f"{by}_id", "pk", "inspection__round__planned_start"
    )
    for category_id, pk, start in members.order_by("pk"):
        problem = problems[category_id]
        problem.finding_ids.append(pk)
        if start.year not in problem.years:
            problem.years.append(start.year)
    for problem in problems.values():
        problem.years.sort()
    return sorted(problems.values(), key=lambda p: (-p.rounds, -p.findings, p.category.code))


@dataclass
class CommitteeCounts:
    committee: Committee
    counts: dict[int, int]  # category id → signed-off findings
    rounds: dict[int, int]  # category id → rounds it appears in

    def common(self) -> int:
        return sum(1 for n in self.rounds.values() if n >= MIN_ROUNDS)


def lower_counts(committee_id: int, by: str) -> tuple[list[Category], list[CommitteeCounts]]:
    """For each committee below ``committee_id`` (the whole subtree), findings and rounds per category:
    one GROUP BY, counts only."""
    below = Committee.descendant_ids(committee_id)
    if not below:
        return [], []
    rows = (
        signed(below)
        .filter(**{f"{by}__isnull": False})
        .values("inspection__round__committee_id", f"{by}_id")
        .annotate(n=Count("pk"), rounds=Count("inspection__round", distinct=True))
    )
    committees = {c.pk: CommitteeCounts(c, {}, {}) for c in Committee.objects.filter(pk__in=below)}
    for row in rows:
        entry = committees[row["inspection__round__committee_id"]]
        entry.counts[row[f"{by}_id"]] = row["n"]
        entry.rounds[row[f"{by}_id"]] = row["rounds"]
    used = {pk for entry in committees.values() for pk in entry.counts}
    categories = list(Category.objects.filter(pk__in=used))
    return categories, sorted(committees.values(), key=lambda e: e.committee.pk)


# Similar findings ----------------------------------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：！？（）“”《》,.;:!?()"]
    return {a + b for a, b in pairwise(chars)}


def _similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass
class SimilarGroup:
    findings: list[Finding]
    similarity: float

    @property
    def rounds(self) -> list[str]:
        return sorted({f.inspection.round.name for f in self.findings})

    @property
    def finding_ids(self) -> list[int]:
        return [f.pk for f in self.findings]


def similar_findings(committee_id: int) -> list[SimilarGroup]:
    """Groups of signed-off findings of the committee whose texts are alike (bigram Jaccard at least
    ``SIMILARITY``), spanning two or more rounds; the ``SIMILAR_CAP`` most recent findings compared."""
    recent = list(
        signed([committee_id])
        .select_related("inspection__round", "inspection__unit")
        .order_by("-inspection__round__planned_start", "-pk")[:SIMILAR_CAP]
    )
    grams = [_bigrams(f.title + f.description[:SIMILAR_TEXT]) for f in recent]
    parent = list(range(len(recent)))
    best: dict[int, float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(recent)):
        for j in range(i + 1, len(recent)):
            if recent[i].inspection.round_id == recent[j].inspection.round_id:
                continue
            score = _similarity(grams[i], grams[j])
            if score >= SIMILARITY:
                a, b = root(i), root(j)
                parent[b] = a
                best[a] = max(best.get(a, 0.0), best.get(b, 0.0), score)
    groups: dict[int, list[Finding]] = {}
    for i, finding in enumerate(recent):
        groups.setdefault(root(i), []).append(finding)
    found = [
        SimilarGroup(sorted(members, key=lambda f: f.pk), round(best.get(key, 0.0), 2))
        for key, members in groups.items()
        if len({f.inspection.round_id for f in members}) >= MIN_ROUNDS
    ]
    return sorted(found, key=lambda g: (-len(g.findings), -g.similarity))


# 建章立制 ---------------------------------------------------------------------------------------------------


def basis_findings(
    committee: Committee, *, basis: str, category: Category | None, finding_ids: Sequence[int]
) -> list[Finding]:
    """The findings a recommendation rests on: those of the category across the committee's rounds, or
    the similar findings chosen (signed-off findings of the committee)."""
    found = signed([committee.pk]).select_related("inspection__round")
    if basis in BASES:
        if category is None:
            raise Refused("请选择共性问题的分类。", field="category")
        if category.scheme.kind != basis:
            raise Refused(f"所选分类不是{RecommendationBasis(basis).label}的分类。", field="category")
        return list(found.filter(**{f"{basis}_id": category.pk}).order_by("pk"))
    if basis != RecommendationBasis.SIMILAR:
        raise Refused("共性问题类别不正确。", field="basis")
    chosen = list(found.filter(pk__in=list(finding_ids)).order_by("pk"))
    if len(chosen) != len(set(finding_ids)):
        raise Refused("所选问题不存在或不属于本级已审签的问题底稿。", field="findings")
    return chosen


def target_inspection(findings: Sequence[Finding]) -> Inspection:
    stages = supervision.SUPERVISION_STAGES
    open_ = [f.inspection for f in findings if f.inspection.stage in stages]
    if not open_:
        raise Refused("该共性问题涉及的巡察均不在整改或评估回访阶段，无法签发督办单。", field="findings")
    return max(open_, key=lambda i: (i.round.planned_start, i.pk))


@action
def recommend(
    committee: Committee,
    *,
    basis: str,
    category: Category | None = None,
    finding_ids: Sequence[int] = (),
    subject: str,
    requirements: str,
    due_on: datetime.date,
    lead_department: Department | None = None,
    lead_unit: Unit | None = None,
    by: User | None,
) -> Recommendation:
    """Turn a common problem of ``committee`` into a 建章立制 recommendation: a 督办单 to
    ``lead_department`` or ``lead_unit`` (one of them), on the latest inspection of the problem still in
    整改 or 评估回访."""
    role = require(by, {Role.OFFICE: committee.pk}, what="提出建章立制建议")
    if lead_department is None and lead_unit is None:
        raise Refused("请选择牵头部门或牵头单位。", field="lead_department")
    findings = basis_findings(committee, basis=basis, category=category, finding_ids=finding_ids)
    rounds = {f.inspection.round_id for f in findings}
    if len(rounds) < MIN_ROUNDS:
        raise Refused(f"共性问题须在{MIN_ROUNDS}轮以上巡察中出现。", field="findings")
    inspection = target_inspection(findings)
    notice = supervision.issue_notice(
        inspection,
        subject=subject,
        requirements=requirements,
        due_on=due_on,
        lead_unit=lead_unit,
        lead_department=lead_department,
        by=by,
    )
    recommendation = Recommendation(
        committee=committee,
        basis=basis,
        category=category if basis in BASES else None,
        notice=notice,
        created_by=by,
    )
    recommendation.save()
    recommendation.findings.set(findings)
    details: dict[str, Any] = {
        "basis": str(RecommendationBasis(basis).label),
        "category": category.name if category and basis in BASES else "",
        "findings": [f.number for f in findings],
        "rounds": len(rounds),
        "notice": notice.number,
    }
    record("common_problem.recommended", recommendation, by=by, role=role, details=details)
    return recommendation
