"""API of rectification: items (tasks of approved plans and 边巡边改 items; filters as the page's) with
``submit``, ``close`` and ``return`` (of the item, or of one milestone named in the body); plans with their
tasks, ``submit``, ``approve`` and ``return``; the unit's uploaded reports (metadata; files through the page).

Out of scope is the same 404 as a missing id; bad input is 422 with the field and a Chinese message.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from xuncha.core.api import inline_enum
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced

from ..actions import items as item_actions
from ..actions import plans as plan_actions
from ..actions.common import NOTE_LIMIT
from ..choices import ItemKind, ItemSource, ItemStatus, Light, PlanStatus, ReportKind
from ..listing import ItemFilters, items_for, light_of
from ..models import Item, Milestone, Plan, UnitReport

router = Router(tags=["整改"])


class MilestoneOut(Schema):
    id: int
    sequence: int
    goal: str
    due_on: datetime.date
    status: ItemStatus
    return_reason: str
    closed_at: datetime.datetime | None


class ItemOut(Schema):
    id: int
    inspection_id: int
    number: int
    code: str
    source: ItemSource
    problem_id: int | None
    problem: str
    measure: str
    kind: ItemKind
    leader: str
    department: str
    due_on: datetime.date | None
    status: ItemStatus
    status_label: str = Field(..., alias="get_status_display")
    light: Light
    return_reason: str
    closed_at: datetime.datetime | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_problem(obj: Item) -> str:
        return str(obj.problem) if obj.problem is not None else obj.issue

    @staticmethod
    def resolve_light(obj: Item) -> str:
        return light_of(obj)

    @staticmethod
    def resolve_milestones(obj: Item) -> list[Any]:
        return list(obj.milestones.all())


class ProgressOut(Schema):
    id: int
    milestone_id: int | None
    text: str
    by: str
    at: datetime.datetime
    evidence: list[uuid.UUID]

    @staticmethod
    def resolve_by(obj: Any) -> str:
        return obj.by.username if obj.by else "system"

    @staticmethod
    def resolve_evidence(obj: Any) -> list[uuid.UUID]:
        return [e.pk for e in obj.evidence.all()]


class ItemDetailOut(ItemOut):
    closing_note: str
    progress: list[ProgressOut]

    @staticmethod
    def resolve_progress(obj: Item) -> list[Any]:
        return list(obj.progress.select_related("by").prefetch_related("evidence"))


class ItemFilter(Schema):
    round: int | None = None
    inspection: int | None = None
    light: Light | None = None
    kind: ItemKind | None = None
    source: ItemSource | None = None
    overdue: bool = False


class TargetIn(Schema):
    milestone: int | None = None


class CloseIn(TargetIn):
    note: str = Field("", max_length=NOTE_LIMIT)


class ItemReasonIn(TargetIn):
    reason: str = Field(..., max_length=NOTE_LIMIT)


class PlanOut(Schema):
    id: int
    inspection_id: int
    title: str
    summary: str
    status: PlanStatus
    status_label: str = Field(..., alias="get_status_display")
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_note: str
    return_reason: str


class PlanDetailOut(PlanOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Plan, context: dict[str, Any]) -> list[Any]:
        """The plan's tasks the caller sees (the liaison not those on the principal leader's problems)."""
        tasks = Item.objects.visible_to(acting_user(context["request"]))
        found = tasks.filter(inspection_id=obj.inspection_id, source=ItemSource.PLAN)
        return list(
            found.select_related("problem", "inspection__round__committee__settings").prefetch_related(
                "milestones"
            )
        )


class PlanFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: PlanStatus | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=NOTE_LIMIT)


class PlanReasonIn(Schema):
    reason: str = Field(..., max_length=NOTE_LIMIT)


class RectificationReportOut(Schema):
    id: uuid.UUID
    inspection_id: int
    kind: Annotated[ReportKind, inline_enum(ReportKind)]
    kind_label: str = Field(..., alias="get_kind_display")
    note: str
    content_type: str
    size: int
    added_at: datetime.datetime


class RectificationReportFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    kind: Annotated[ReportKind, inline_enum(ReportKind)] | None = None


def _item(request: HttpRequest, item_id: int) -> Item:
    return get_object_or_404(
        Item.objects.visible_to(acting_user(request)).select_related(
            "inspection__round__committee", "problem"
        ),
        pk=item_id,
    )


def _milestone(request: HttpRequest, item: Item, payload: TargetIn) -> Milestone | None:
    return referenced(
        Milestone,
        acting_user(request),
        payload.milestone,
        field="milestone",
        label="阶段目标",
        among=Milestone.objects.filter(item=item),
    )


@router.get("/rectification-items/", response=list[ItemOut])
@paginate(BoundedPagination)
def items(request: HttpRequest, filters: Query[ItemFilter]) -> Any:
    wanted = ItemFilters(
        round=filters.round,
        inspection=filters.inspection,
        light=filters.light or "",
        kind=filters.kind or "",
        source=filters.source or "",
        overdue=filters.overdue,
    )
    return items_for(acting_user(request), wanted).prefetch_related("milestones")


@router.get("/rectification-items/{item_id}", response=ItemDetailOut)
def item_detail(request: HttpRequest, item_id: int) -> Item:
    return _item(request, item_id)


@router.post("/rectification-items/{item_id}/submit", response=ItemDetailOut)
def submit_item(request: HttpRequest, item_id: int, payload: TargetIn) -> Item:
    item = _item(request, item_id)
    milestone = _milestone(request, item, payload)
    return perform(acting_user(request), item_actions.submit_item, item, milestone=milestone)


@router.post("/rectification-items/{item_id}/close", response=ItemDetailOut)
def close_item(request: HttpRequest, item_id: int, payload: CloseIn) -> Item:
    item = _item(request, item_id)
    milestone = _milestone(request, item, payload)
    return perform(
        acting_user(request), item_actions.close_item, item, milestone=milestone, note=payload.note
    )


@router.post("/rectification-items/{item_id}/return", response=ItemDetailOut)
def return_item(request: HttpRequest, item_id: int, payload: ItemReasonIn) -> Item:
    item = _item(request, item_id)
    milestone = _milestone(request, item, payload)
    return perform(
        acting_user(request), item_actions.return_item, item, milestone=milestone, reason=payload.reason
    )


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(acting_user(request)).select_related("inspection__round"), pk=plan_id
    )


@router.get("/rectification-plans/", response=list[PlanOut])
@paginate(BoundedPagination)
def plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    return filters.filter(Plan.objects.visible_to(acting_user(request)))


@router.get("/rectification-plans/{plan_id}", response=PlanDetailOut)
def plan_detail(request: HttpRequest, plan_id: int) -> Plan:
    return _plan(request, plan_id)


@router.post("/rectification-plans/{plan_id}/submit", response=PlanDetailOut)
def submit_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = perform(acting_user(request), plan_actions.submit_plan, _plan(request, plan_id))
    return plan


@router.post("/rectification-plans/{plan_id}/approve", response=PlanDetailOut)
def approve_plan(request: HttpRequest, plan_id: int, payload: NoteIn) -> Plan:
    plan = perform(
        acting_user(request), plan_actions.approve_plan, _plan(request, plan_id), note=payload.note
    )
    return plan


@router.post("/rectification-plans/{plan_id}/return", response=PlanDetailOut)
def return_plan(request: HttpRequest, plan_id: int, payload: PlanReasonIn) -> Plan:
    plan = perform(
        acting_user(request), plan_actions.return_plan, _plan(request, plan_id), reason=payload.reason
    )
    return plan


@router.get("/rectification-reports/", response=list[RectificationReportOut])
@paginate(BoundedPagination)
def reports(request: HttpRequest, filters: Query[RectificationReportFilter]) -> Any:
    return filters.filter(UnitReport.objects.visible_to(acting_user(request)))


@router.get("/rectification-reports/{report_id}", response=RectificationReportOut)
def report_detail(request: HttpRequest, report_id: uuid.UUID) -> UnitReport:
    return get_object_or_404(UnitReport.objects.visible_to(acting_user(request)), pk=report_id)
