"""API of the unit's self-check problems (``self-check-items``): the list (by inspection and status), one
problem, the liaison's registration, and the team leader's ``accept`` (the problem becomes a 边巡边改
rectification item, whose id the answer gives) and ``decline`` (with a reason). Out of scope is the same 404
as a missing id; a refusal is a 422 naming the field, in Chinese.
"""

import datetime
from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.rounds.models import Inspection

from ..actions import self_check as actions
from ..actions.common import liaison_roles, team_leader_roles
from ..models import SelfCheckItem, SelfCheckStatus
from ..models.scope import inspection_scope
from ..models.self_check import SelfCheckItemQuerySet

router = Router(tags=["整改"])


class SelfCheckItemOut(Schema):
    id: int
    code: str
    inspection_id: int
    problem: str
    measure: str
    leader: str
    department: str
    due_on: datetime.date
    status: SelfCheckStatus
    status_label: str = Field(..., alias="get_status_display")
    item_id: int | None
    decline_reason: str
    reported_at: datetime.datetime
    decided_at: datetime.datetime | None


class SelfCheckItemFilter(Schema):
    inspection: int | None = None
    status: SelfCheckStatus | None = None


class SelfCheckItemIn(Schema):
    inspection: int
    problem: str
    measure: str
    leader: str
    department: str
    due_on: datetime.date


class SelfCheckAcceptIn(Schema):
    kind: str = "immediate"
    due_on: datetime.date | None = None


class SelfCheckDeclineIn(Schema):
    reason: str


def _entries(user: User) -> SelfCheckItemQuerySet:
    return SelfCheckItem.objects.visible_to(user).select_related("inspection__round", "inspection__team")


def _entry(user: User, entry_id: int) -> SelfCheckItem:
    return get_object_or_404(_entries(user), pk=entry_id)


@router.get("/self-check-items/", response=list[SelfCheckItemOut])
@paginate
def self_check_items(request: HttpRequest, filters: Query[SelfCheckItemFilter]) -> Any:
    found = _entries(acting_user(request))
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.status:
        found = found.filter(status=filters.status)
    return found.order_by("-reported_at", "-pk")


@router.get("/self-check-items/{entry_id}", response=SelfCheckItemOut)
def self_check_item(request: HttpRequest, entry_id: int) -> SelfCheckItem:
    return _entry(acting_user(request), entry_id)


@router.post("/self-check-items/", response={201: SelfCheckItemOut})
def report_self_check_item(request: HttpRequest, payload: SelfCheckItemIn) -> Status[SelfCheckItem]:
    user = acting_user(request)
    ours = Inspection.objects.filter(inspection_scope(user)).select_related("round", "unit", "team")
    # Never None: the body's id is required.
    inspection = cast(
        Inspection,
        referenced(Inspection, user, payload.inspection, field="inspection", label="巡察", among=ours),
    )
    require(user, liaison_roles(inspection), what="登记自查问题")
    data = actions.SelfCheckInput(**payload.model_dump(exclude={"inspection"}))
    return Status(201, perform(user, actions.report_self_check, inspection, data=data))


@router.post("/self-check-items/{entry_id}/accept", response=SelfCheckItemOut)
def accept_self_check_item(request: HttpRequest, entry_id: int, payload: SelfCheckAcceptIn) -> SelfCheckItem:
    user = acting_user(request)
    entry = _entry(user, entry_id)
    require(user, team_leader_roles(entry.inspection), what="审核自查问题")
    return perform(user, actions.accept_self_check, entry, kind=payload.kind, due_on=payload.due_on)


@router.post("/self-check-items/{entry_id}/decline", response=SelfCheckItemOut)
def decline_self_check_item(
    request: HttpRequest, entry_id: int, payload: SelfCheckDeclineIn
) -> SelfCheckItem:
    user = acting_user(request)
    entry = _entry(user, entry_id)
    require(user, team_leader_roles(entry.inspection), what="审核自查问题")
    return perform(user, actions.decline_self_check, entry, reason=payload.reason)
