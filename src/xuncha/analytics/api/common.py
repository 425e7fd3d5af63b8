"""API of common problems across rounds (跨轮次共性问题) and their 建章立制 recommendations:
``GET /common-problems`` (``committee``, ``by`` = focus | discipline: the categories recurring across rounds,
the findings similar in text, and — for the office — the counts of the committees below), and
``GET /recommendations/`` (filter committee), ``GET /recommendations/{id}``, ``POST /recommendations/`` (the
office turns a common problem into a 督办单 led by a department or a unit). The same query code and action
as the pages.

The office and the leading group of a committee read its common problems and recommendations; a committee
the caller does not read is the 404 of a missing one. Ids in a body that the caller cannot use are a 422 on
that field.
"""

import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api import ErrorOut
from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rectification.choices import NoticeStatus
from xuncha.taxonomy.models import Category

from .. import common
from ..models import Recommendation, RecommendationBasis

router = Router(tags=["上下联动"])


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class CrossRoundProblemOut(Schema):
    category: CategoryRef
    rounds: int
    terms: int
    inspections: int
    findings: int
    years: list[int]
    finding_ids: list[int]


class SimilarFindingOut(Schema):
    id: int
    number: str
    title: str
    round: str
    unit: str


class SimilarGroupOut(Schema):
    similarity: float
    rounds: list[str]
    findings: list[SimilarFindingOut]


class LowerCountsOut(Schema):
    committee_id: int
    committee: str
    counts: dict[str, int] = Field(..., description="分类名称 → 已审签的问题数")
    common: int = Field(..., description="在两轮以上巡察中出现的分类数")


class CommonProblemsOut(Schema):
    committee_id: int
    committee: str
    by: Literal["focus", "discipline"]
    min_rounds: int
    problems: list[CrossRoundProblemOut]
    similar: list[SimilarGroupOut]
    lower: list[LowerCountsOut]


class CommonProblemsFilter(Schema):
    committee: int | None = None
    by: Literal["focus", "discipline"] = Field(
        "focus", description="focus（三个聚焦）或 discipline（六项纪律）"
    )


class NoticeRef(Schema):
    id: int
    number: str
    subject: str
    due_on: datetime.date
    status: NoticeStatus
    lead_unit_id: int | None
    lead_department_id: int | None


class RecommendationOut(Schema):
    id: int
    committee_id: int
    basis: RecommendationBasis
    basis_label: str = Field(..., alias="get_basis_display")
    category: CategoryRef | None
    findings: list[int]
    notice: NoticeRef
    created_at: datetime.datetime

    @staticmethod
    def resolve_findings(obj: Recommendation) -> list[int]:
        return sorted(f.pk for f in obj.findings.all())


class RecommendationFilter(Schema):
    committee: int | None = None


class RecommendationIn(Schema):
    committee: int
    basis: RecommendationBasis
    category: int | None = Field(
        None, description="三个聚焦或六项纪律的分类 id（basis 为 focus、discipline 时）"
    )
    findings: list[int] = Field([], description="相似问题的 id（basis 为 similar 时）")
    subject: str = Field(..., max_length=200)
    requirements: str = Field(..., max_length=5_000)
    due_on: datetime.date
    lead_department: int | None = None
    lead_unit: int | None = None


def _readable(user: User, committee_id: int | None) -> Committee:
    """The committee asked for, or the caller's first (an office before a leading group); 404 when the caller
    does not read its common problems."""
    readable = common.reader_committee_ids(user)
    if committee_id is None:
        own = sorted(user.scopes.ids(Role.OFFICE)) or sorted(readable)
        committee_id = own[0] if own else None
    if committee_id is None or committee_id not in readable:
        raise Http404
    return get_object_or_404(Committee, pk=committee_id)


@router.get("/common-problems", response={200: CommonProblemsOut, 404: ErrorOut})
def common_problems(request: HttpRequest, filters: Query[CommonProblemsFilter]) -> dict[str, Any]:
    user = acting_user(request)
    committee = _readable(user, filters.committee)
    by = filters.by
    lower: list[dict[str, Any]] = []
    if user.scopes.has(Role.OFFICE, committee.pk):
        categories, entries = common.lower_counts(committee.pk, by)
        lower = [
            {
                "committee_id": entry.committee.pk,
                "committee": entry.committee.name,
                "counts": {c.name: entry.counts[c.pk] for c in categories if c.pk in entry.counts},
                "common": entry.common(),
            }
            for entry in entries
        ]
    similar = [
        {
            "similarity": group.similarity,
            "rounds": group.rounds,
            "findings": [
                {
                    "id": f.pk,
                    "number": f.number,
                    "title": f.title,
                    "round": f.inspection.round.name,
                    "unit": f.inspection.unit.name,
                }
                for f in group.findings
            ],
        }
        for group in common.similar_findings(committee.pk)
    ]
    return {
        "committee_id": committee.pk,
        "committee": committee.name,
        "by": by,
        "min_rounds": common.MIN_ROUNDS,
        "problems": common.across_rounds(committee.pk, by),
        "similar": similar,
        "lower": lower,
    }


def _recommendations(request: HttpRequest) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.visible_to(acting_user(request))
        .select_related("category", "notice")
        .prefetch_related("findings")
    )


@router.get("/recommendations/", response=list[RecommendationOut])
@paginate(BoundedPagination)
def recommendation_list(request: HttpRequest, filters: Query[RecommendationFilter]) -> Any:
    found = _recommendations(request)
    if filters.committee is not None:
        found = found.filter(committee_id=filters.committee)
    return found


@router.get("/recommendations/{recommendation_id}", response=RecommendationOut)
def recommendation_detail(request: HttpRequest, recommendation_id: int) -> Recommendation:
    return get_object_or_404(_recommendations(request), pk=recommendation_id)


@router.post("/recommendations/", response={201: RecommendationOut})
def recommend(request: HttpRequest, payload: RecommendationIn) -> Status[Recommendation]:
    user = acting_user(request)
    committee = referenced(
        Committee,
        user,
        payload.committee,
        field="committee",
        label="党委",
        among=Committee.objects.filter(pk__in=common.reader_committee_ids(user)),
    )
    assert committee is not None  # noqa: S101 - the id is required
    category = referenced(
        Category, user, payload.category, field="category", label="分类", among=Category.objects.all()
    )
    lead_department = referenced(
        Department,
        user,
        payload.lead_department,
        field="lead_department",
        label="部门",
        among=Department.objects.filter(committee=committee),
    )
    lead_unit = referenced(
        Unit,
        user,
        payload.lead_unit,
        field="lead_unit",
        label="单位",
        among=Unit.objects.filter(committee=committee, is_active=True),
    )
    recommendation = perform(
        user,
        common.recommend,
        committee,
        basis=payload.basis,
        category=category,
        finding_ids=payload.findings,
        subject=payload.subject,
        requirements=payload.requirements,
        due_on=payload.due_on,
        lead_department=lead_department,
        lead_unit=lead_unit,
    )
    return Status(201, _recommendations(request).get(pk=recommendation.pk))
