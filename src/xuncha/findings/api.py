"""API of findings: the list (filters) and one finding with its evidence and versions, drafting
(``POST /inspections/{id}/findings``), content edits (``PATCH``, never the status), the verbs ``discuss``,
``sign-off`` and ``return``, the committee's regulations, and a round's common problems
(``GET /findings/common?round=<id>``, a fixed path before ``/findings/{id}``, which takes integers only).

Out of scope is the same 404 as a missing id; bad input is 422 with the field and a Chinese message.
"""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api import ErrorOut
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import NotAllowed, acting_user, require
from xuncha.core.scoping import perform
from xuncha.taxonomy.models import Category

from . import actions
from .choices import FindingStatus
from .common import SCHEMES, common_problems
from .evidence import kind_of, shown
from .models import Finding, Regulation, finding_inspections
from .views import READERS, common_rounds

router = Router(tags=["问题底稿与线索"])


class RegulationOut(Schema):
    id: int
    committee_id: int
    name: str
    article: str
    excerpt: str
    is_active: bool


class NamedOut(Schema):
    id: int
    name: str


class EvidenceIn(Schema):
    kind: str = Field(..., description="证据类别，如 petition（信访件）")
    id: str


class EvidenceOut(Schema):
    kind: str
    label: str
    id: str = Field(..., alias="object_id")
    text: str
    url: str
    visible: bool


class VersionOut(Schema):
    number: int
    event: str
    by: str
    at: datetime.datetime
    data: dict[str, Any]

    @staticmethod
    def resolve_by(obj: Any) -> str:
        return obj.by.username if obj.by else "system"


class FindingOut(Schema):
    id: int
    inspection_id: int
    number: str
    title: str
    description: str
    regulations: list[RegulationOut]
    basis_note: str
    unit_responsible: bool
    persons: list[NamedOut]
    focus_id: int | None
    discipline_id: int | None
    nature_id: int | None
    four_winds_id: int | None
    commonality: str
    root_cause: str
    status: FindingStatus
    status_label: str = Field(..., alias="get_status_display")
    drafted_by: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    meeting_on: datetime.date | None
    meeting_opinion: str
    signed_off_by: str | None
    signed_off_at: datetime.datetime | None
    return_reason: str

    @staticmethod
    def resolve_regulations(obj: Finding) -> list[Regulation]:
        return list(obj.regulations.all())

    @staticmethod
    def resolve_persons(obj: Finding) -> list[Any]:
        return list(obj.persons.all())

    @staticmethod
    def resolve_drafted_by(obj: Finding) -> str | None:
        return obj.drafted_by.username if obj.drafted_by else None

    @staticmethod
    def resolve_signed_off_by(obj: Finding) -> str | None:
        return obj.signed_off_by.username if obj.signed_off_by else None


class FindingDetailOut(FindingOut):
    evidence: list[EvidenceOut]
    versions: list[VersionOut]

    @staticmethod
    def resolve_evidence(obj: Finding, context: dict[str, Any]) -> list[dict[str, Any]]:
        user = acting_user(context["request"])
        return [item.__dict__ for item in shown(obj.evidence.all(), user, obj.inspection)]

    @staticmethod
    def resolve_versions(obj: Finding) -> list[Any]:
        return list(obj.versions.select_related("by").order_by("number"))


class FindingFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: FindingStatus | None = None
    focus: Annotated[int | None, FilterLookup("focus_id")] = None
    discipline: Annotated[int | None, FilterLookup("discipline_id")] = None
    person: Annotated[int | None, FilterLookup("persons")] = None
    q: str | None = Field(None, max_length=100)

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(title__icontains=value) | Q(description__icontains=value) | Q(number__icontains=value)


class FindingIn(Schema):
    title: str = Field(..., max_length=actions.TITLE_LIMIT)
    description: str = Field(..., max_length=actions.DESCRIPTION_LIMIT)
    focus: int | None = None
    regulations: list[int] = []
    basis_note: str = Field("", max_length=actions.NOTE_LIMIT)
    unit_responsible: bool = False
    persons: list[int] = []
    discipline: int | None = None
    nature: int | None = None
    four_winds: int | None = None
    commonality: str = "individual"
    root_cause: str = ""
    evidence: list[EvidenceIn] = []


class FindingPatch(Schema):
    """Content only: a status in the body is ignored, as any unknown key is."""

    title: str | None = Field(None, max_length=actions.TITLE_LIMIT)
    description: str | None = Field(None, max_length=actions.DESCRIPTION_LIMIT)
    focus: int | None = None
    regulations: list[int] | None = None
    basis_note: str | None = Field(None, max_length=actions.NOTE_LIMIT)
    unit_responsible: bool | None = None
    persons: list[int] | None = None
    discipline: int | None = None
    nature: int | None = None
    four_winds: int | None = None
    commonality: str | None = None
    root_cause: str | None = None
    evidence: list[EvidenceIn] | None = None


class DiscussIn(Schema):
    meeting_on: datetime.date
    opinion: str = Field(..., max_length=actions.NOTE_LIMIT)


class ReturnIn(Schema):
    reason: str = Field(..., max_length=actions.NOTE_LIMIT)


class ProblemFindingOut(Schema):
    id: int
    number: str
    title: str
    inspection_id: int
    unit: str = Field(..., alias="inspection.unit.name")


class CommonProblemOut(Schema):
    scheme: str
    category_id: int
    category: str
    inspections: int
    units: int
    unit_names: list[str]
    findings: list[ProblemFindingOut]


def _findings(user: User) -> Any:
    return Finding.objects.visible_to(user).select_related("drafted_by", "signed_off_by")


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    return get_object_or_404(
        _findings(acting_user(request)).select_related("inspection__round", "inspection__unit"), pk=finding_id
    )


def _many(queryset: Any, ids: list[int], *, field: str, label: str) -> list[Any]:
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Refused(f"{label}不存在或不可选。", field=field)
    return found


def _category(kind: str, pk: int | None, field: str) -> Category | None:
    if pk is None:
        return None
    found = actions.categories(kind).filter(pk=pk).first()
    if found is None:
        raise Refused(f"请从{actions.VERSION_LABELS[field]}中选择。", field=field)
    return found


def _input(
    user: User, finding: Finding | None, inspection: Any, values: dict[str, Any]
) -> actions.FindingInput:
    """The action's input from a request body's values (on a PATCH, over the finding's current content)."""
    base = actions.current_input(finding, user) if finding is not None else None
    given = dict(values)
    data: dict[str, Any] = {}
    for name, kind in actions.CATEGORY_KINDS.items():
        if name in given:
            data[name] = _category(kind, given.pop(name), name)
    if "regulations" in given:
        data["regulations"] = _many(
            actions.citable(inspection, finding),
            given.pop("regulations"),
            field="regulations",
            label="定性依据",
        )
    if "persons" in given:
        data["persons"] = _many(
            actions.roster(inspection), given.pop("persons"), field="persons", label="责任人"
        )
    if "evidence" in given:
        evidence = []
        for item in given.pop("evidence"):
            evidence_kind = kind_of(item["kind"])
            obj = (
                evidence_kind.objects(user, inspection).filter(pk=item["id"]).first()
                if _valid_pk(evidence_kind, item["id"])
                else None
            )
            if obj is None:
                raise Refused(f"{evidence_kind.label}不存在或无权访问。", field="evidence")
            evidence.append(obj)
        data["evidence"] = evidence
    data.update(given)
    if base is None:
        return actions.FindingInput(**data)
    return actions.FindingInput(**{**base.__dict__, **data})


def _valid_pk(kind: Any, value: str) -> bool:
    """Whether ``value`` can be an id of the kind's model (a malformed UUID is not found, not an error)."""
    try:
        kind.model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


@router.get("/regulations/", response=list[RegulationOut])
@paginate(BoundedPagination)
def regulations(request: HttpRequest, committee: int | None = None, active: bool | None = None) -> Any:
    found = Regulation.objects.visible_to(acting_user(request))
    if committee is not None:
        found = found.filter(committee_id=committee)
    if active is not None:
        found = found.filter(is_active=active)
    return found


@router.get("/findings/", response=list[FindingOut])
@paginate(BoundedPagination)
def findings(request: HttpRequest, filters: Query[FindingFilter]) -> Any:
    return (
        filters.filter(_findings(acting_user(request))).prefetch_related("regulations", "persons").distinct()
    )


@router.get("/findings/common", response={200: list[CommonProblemOut], 404: ErrorOut})
def common(request: HttpRequest, round: int) -> list[dict[str, Any]]:
    user = acting_user(request)
    if not user.scopes.ids(*READERS):
        raise NotAllowed("只有巡察办和巡察工作领导小组可以查看共性问题。")
    chosen = get_object_or_404(common_rounds(user), pk=round)
    return [
        {
            "scheme": by,
            "category_id": p.category.pk,
            "category": str(p.category),
            "inspections": p.inspections,
            "units": p.units,
            "unit_names": p.unit_names,
            "findings": p.findings,
        }
        for by, _ in SCHEMES
        for p in common_problems(chosen, by)
    ]


@router.get("/findings/{finding_id}", response=FindingDetailOut)
def finding_detail(request: HttpRequest, finding_id: int) -> Finding:
    return _finding(request, finding_id)


@router.post("/inspections/{inspection_id}/findings", response={201: FindingDetailOut})
def draft(request: HttpRequest, inspection_id: int, payload: FindingIn) -> Status[Finding]:
    user = acting_user(request)
    inspection = get_object_or_404(finding_inspections(user).select_related("round"), pk=inspection_id)
    require(user, actions.team_roles(inspection), what="起草问题底稿")
    data = _input(user, None, inspection, payload.model_dump())
    finding = perform(user, actions.draft_finding, inspection, data=data)
    return Status(201, finding)


@router.patch("/findings/{finding_id}", response=FindingDetailOut)
def update(request: HttpRequest, finding_id: int, payload: FindingPatch) -> Finding:
    user = acting_user(request)
    finding = _finding(request, finding_id)
    require(user, actions.team_roles(finding.inspection), what="修改问题底稿")
    data = _input(user, finding, finding.inspection, payload.model_dump(exclude_unset=True))
    return perform(user, actions.update_finding, finding, data=data)


@router.post("/findings/{finding_id}/discuss", response=FindingDetailOut)
def discuss(request: HttpRequest, finding_id: int, payload: DiscussIn) -> Finding:
    finding = _finding(request, finding_id)
    return perform(
        acting_user(request),
        actions.discuss_finding,
        finding,
        meeting_on=payload.meeting_on,
        opinion=payload.opinion,
    )


@router.post("/findings/{finding_id}/sign-off", response=FindingDetailOut)
def sign_off(request: HttpRequest, finding_id: int) -> Finding:
    return perform(acting_user(request), actions.sign_off_finding, _finding(request, finding_id))


@router.post("/findings/{finding_id}/return", response=FindingDetailOut)
def return_(request: HttpRequest, finding_id: int, payload: ReturnIn) -> Finding:
    finding = _finding(request, finding_id)
    return perform(acting_user(request), actions.return_finding, finding, reason=payload.reason)
