"""API of rectification's supervision: supervision notices (督办单; filters status, inspection, unit) with
``respond``, ``close`` and ``return``, issued by POST with the inspection's id; the office's assessments
(整改评估) and the 回访 visits, read only. Response files are downloaded on the page.

Out of scope is the same 404 as a missing id; an id in a body that the caller cannot see is a 422 on that
field, like a missing one; bad input is 422 with the field and a Chinese message.
"""

import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Department, Unit
from xuncha.rounds.kinds import unit_committee_ids
from xuncha.rounds.models import Inspection

from ..actions import supervision as actions
from ..actions.common import NOTE_LIMIT
from ..choices import NoticeStatus
from ..models import Assessment, Item, SupervisionNotice, Visit
from ..models.scope import inspection_scope
from ..views.supervision import responder

router = Router(tags=["整改"])


class UnitRef(Schema):
    id: int
    name: str


class DepartmentRef(Schema):
    id: int
    name: str


class ResponseOut(Schema):
    id: int
    unit: UnitRef | None
    department: DepartmentRef | None
    text: str
    is_result: bool
    by: str
    at: datetime.datetime
    files: list[str]

    @staticmethod
    def resolve_by(obj: Any) -> str:
        return obj.by.username if obj.by else "system"

    @staticmethod
    def resolve_files(obj: Any) -> list[str]:
        return [str(f.pk) for f in obj.files.all()]


class NoticeOut(Schema):
    id: int
    inspection_id: int
    number: str
    subject: str
    requirements: str
    lead_unit: UnitRef | None
    lead_department: DepartmentRef | None
    cooperating_units: list[UnitRef]
    items: list[int]
    due_on: datetime.date
    status: NoticeStatus
    status_label: str = Field(..., alias="get_status_display")
    issued_at: datetime.datetime
    closed_at: datetime.datetime | None
    closing_note: str
    return_reason: str

    @staticmethod
    def resolve_cooperating_units(obj: SupervisionNotice) -> list[Any]:
        return list(obj.cooperating_units.all())

    @staticmethod
    def resolve_items(obj: SupervisionNotice) -> list[int]:
        """The items concerned that the caller sees (prefetched through ``visible_to``)."""
        return [i.pk for i in obj.items.all()]


class NoticeDetailOut(NoticeOut):
    responses: list[ResponseOut]

    @staticmethod
    def resolve_responses(obj: SupervisionNotice) -> list[Any]:
        return list(obj.responses.select_related("unit", "department", "by").prefetch_related("files"))


class NoticeFilter(Schema):
    status: NoticeStatus | None = None
    inspection: int | None = None
    unit: int | None = None


class NoticeIn(Schema):
    inspection: int
    subject: str = Field(..., max_length=actions.SUBJECT_LIMIT)
    requirements: str = Field(..., max_length=actions.TEXT_LIMIT)
    due_on: datetime.date
    lead_unit: int | None = None
    lead_department: int | None = None
    cooperating_units: list[int] = []
    items: list[int] = []


class RespondIn(Schema):
    text: str = Field(..., max_length=actions.TEXT_LIMIT)


class NoticeCloseIn(Schema):
    note: str = Field("", max_length=NOTE_LIMIT)


class NoticeReasonIn(Schema):
    reason: str = Field(..., max_length=NOTE_LIMIT)


class AssessmentOut(Schema):
    id: int
    inspection_id: int
    score: int
    comments: str
    assessed_at: datetime.datetime


class VisitOut(Schema):
    id: int
    inspection_id: int
    visited_on: datetime.date
    visitors: str
    method: str
    findings: str
    conclusion: str
    recorded_at: datetime.datetime


class NoticeInspectionFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None


def _notices(request: HttpRequest) -> QuerySet[SupervisionNotice]:
    user = acting_user(request)
    return (
        SupervisionNotice.objects.visible_to(user)
        .select_related(
            "lead_unit",
            "lead_department",
            "inspection__round__committee",
            "inspection__unit",
            "inspection__team",
        )
        .prefetch_related("cooperating_units", Prefetch("items", queryset=Item.objects.visible_to(user)))
    )


def _notice(request: HttpRequest, notice_id: int) -> SupervisionNotice:
    return get_object_or_404(_notices(request), pk=notice_id)


@router.get("/supervision-notices/", response=list[NoticeOut])
@paginate(BoundedPagination)
def notices(request: HttpRequest, filters: Query[NoticeFilter]) -> Any:
    found = _notices(request)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.unit is not None:
        found = found.filter(
            pk__in=SupervisionNotice.objects.filter(
                Q(lead_unit_id=filters.unit) | Q(cooperating_units=filters.unit)
            ).values("pk")
        )
    return found


@router.post("/supervision-notices/", response={201: NoticeDetailOut})
def issue_notice(request: HttpRequest, payload: NoticeIn) -> Status[SupervisionNotice]:
    user = acting_user(request)
    inspection = referenced(
        Inspection,
        user,
        payload.inspection,
        field="inspection",
        label="巡察",
        among=Inspection.objects.filter(inspection_scope(user)),
    )
    assert inspection is not None  # noqa: S101 - the id is required
    units = Unit.objects.filter(committee_id__in=unit_committee_ids(inspection.round))

    def unit(pk: int | None, field: str) -> Unit | None:
        return referenced(Unit, user, pk, field=field, label="单位", among=units)

    cooperating = [u for pk in payload.cooperating_units if (u := unit(pk, "cooperating_units"))]
    items = []
    for pk in payload.items:
        item = referenced(
            Item, user, pk, field="items", label="整改事项", among=Item.objects.visible_to(user)
        )
        if item is not None:
            items.append(item)
    notice = perform(
        user,
        actions.issue_notice,
        inspection,
        subject=payload.subject,
        requirements=payload.requirements,
        due_on=payload.due_on,
        lead_unit=unit(payload.lead_unit, "lead_unit"),
        lead_department=referenced(
            Department,
            user,
            payload.lead_department,
            field="lead_department",
            label="部门",
            among=Department.objects.filter(committee_id=inspection.round.committee_id),
        ),
        cooperating_units=cooperating,
        items=items,
    )
    return Status(201, notice)


@router.get("/supervision-notices/{notice_id}", response=NoticeDetailOut)
def notice_detail(request: HttpRequest, notice_id: int) -> SupervisionNotice:
    return _notice(request, notice_id)


@router.post("/supervision-notices/{notice_id}/respond", response=NoticeDetailOut)
def respond(request: HttpRequest, notice_id: int, payload: RespondIn) -> SupervisionNotice:
    user = acting_user(request)
    notice = _notice(request, notice_id)
    perform(user, actions.respond, notice, **responder(user, notice), text=payload.text)
    return _notice(request, notice_id)


@router.post("/supervision-notices/{notice_id}/close", response=NoticeDetailOut)
def close_notice(request: HttpRequest, notice_id: int, payload: NoticeCloseIn) -> SupervisionNotice:
    perform(acting_user(request), actions.close_notice, _notice(request, notice_id), note=payload.note)
    return _notice(request, notice_id)


@router.post("/supervision-notices/{notice_id}/return", response=NoticeDetailOut)
def return_notice(request: HttpRequest, notice_id: int, payload: NoticeReasonIn) -> SupervisionNotice:
    perform(acting_user(request), actions.return_notice, _notice(request, notice_id), reason=payload.reason)
    return _notice(request, notice_id)


@router.get("/rectification-assessments/", response=list[AssessmentOut])
@paginate(BoundedPagination)
def assessments(request: HttpRequest, filters: Query[NoticeInspectionFilter]) -> Any:
    return filters.filter(Assessment.objects.visible_to(acting_user(request)))


@router.get("/rectification-assessments/{assessment_id}", response=AssessmentOut)
def assessment_detail(request: HttpRequest, assessment_id: int) -> Assessment:
    return get_object_or_404(Assessment.objects.visible_to(acting_user(request)), pk=assessment_id)


@router.get("/rectification-visits/", response=list[VisitOut])
@paginate(BoundedPagination)
def visits(request: HttpRequest, filters: Query[NoticeInspectionFilter]) -> Any:
    return filters.filter(Visit.objects.visible_to(acting_user(request)))


@router.get("/rectification-visits/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: int) -> Visit:
    return get_object_or_404(Visit.objects.visible_to(acting_user(request)), pk=visit_id)
