"""API of the unit's reports to the team (``unit-notices``): the list (by inspection, kind, status), one
report (its details read by the team or the office are audited), the liaison's report, and the team's
decisions ``attend`` (列席, recorded as an activity) and ``note`` (阅知). Out of scope is the same 404 as a
missing id; a refusal is a 422 naming the field, in Chinese.
"""

import datetime
import uuid
from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.dates import aware
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.rounds.models import Inspection, TeamMember

from ..actions import activities as activity_actions
from ..actions import notices as actions
from ..models import NoticeKind, UnitNotice, UnitNoticeStatus
from ..models.notices import UnitNoticeQuerySet, notice_scope

router = Router(tags=["了解工作"])


class UnitNoticeOut(Schema):
    id: uuid.UUID
    inspection_id: int
    kind: NoticeKind
    kind_label: str = Field(..., alias="get_kind_display")
    subject: str
    starts_at: datetime.datetime | None
    place: str
    status: UnitNoticeStatus
    status_label: str = Field(..., alias="get_status_display")
    activity_id: uuid.UUID | None
    remark: str
    reported_at: datetime.datetime
    handled_at: datetime.datetime | None


class UnitNoticeDetailOut(UnitNoticeOut):
    details: str


class UnitNoticeFilter(Schema):
    inspection: int | None = None
    kind: NoticeKind | None = None
    status: UnitNoticeStatus | None = None


class UnitNoticeIn(Schema):
    inspection: int
    kind: str
    subject: str
    starts_at: datetime.datetime | None = None
    place: str = ""
    details: str = ""


class UnitNoticeAttendIn(Schema):
    members: list[int] = Field(default_factory=list, max_length=50)
    remark: str = ""


class UnitNoticeNoteIn(Schema):
    remark: str


def _notices(user: User) -> UnitNoticeQuerySet:
    return UnitNotice.objects.visible_to(user).select_related("inspection__round", "inspection__unit")


def _notice(user: User, notice_id: uuid.UUID) -> UnitNotice:
    return get_object_or_404(_notices(user), pk=notice_id)


@router.get("/unit-notices/", response=list[UnitNoticeOut])
@paginate
def unit_notices(request: HttpRequest, filters: Query[UnitNoticeFilter]) -> Any:
    found = _notices(acting_user(request)).defer("details")
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.status:
        found = found.filter(status=filters.status)
    return found


@router.get("/unit-notices/{notice_id}", response=UnitNoticeDetailOut)
def unit_notice_detail(request: HttpRequest, notice_id: uuid.UUID) -> UnitNotice:
    user = acting_user(request)
    notice = _notice(user, notice_id)
    actions.details_read(notice, by=user)
    return notice


@router.post("/unit-notices/", response={201: UnitNoticeDetailOut})
def report_unit_notice(request: HttpRequest, payload: UnitNoticeIn) -> Status[UnitNotice]:
    user = acting_user(request)
    ours = Inspection.objects.filter(notice_scope(user)).select_related("round", "unit")
    # Never None: the body's id is required.
    inspection = cast(
        Inspection,
        referenced(Inspection, user, payload.inspection, field="inspection", label="巡察", among=ours),
    )
    require(user, actions.liaison_roles(inspection), what="向巡察组报告重要事项")
    data = actions.NoticeInput(
        kind=payload.kind,
        subject=payload.subject,
        starts_at=aware(payload.starts_at),
        place=payload.place,
        details=payload.details,
    )
    return Status(201, perform(user, actions.report_notice, inspection, data=data))


@router.post("/unit-notices/{notice_id}/attend", response=UnitNoticeDetailOut)
def attend_unit_notice(request: HttpRequest, notice_id: uuid.UUID, payload: UnitNoticeAttendIn) -> UnitNotice:
    user = acting_user(request)
    notice = _notice(user, notice_id)
    require(user, actions.team_roles(notice.inspection), what="安排列席")
    team = activity_actions.team_members(notice.inspection)
    members = [
        member
        for pk in dict.fromkeys(payload.members)
        if (member := referenced(TeamMember, user, pk, field="members", label="巡察组成员", among=team))
    ]
    return perform(user, actions.attend_notice, notice, members=members, remark=payload.remark)


@router.post("/unit-notices/{notice_id}/note", response=UnitNoticeDetailOut)
def note_unit_notice(request: HttpRequest, notice_id: uuid.UUID, payload: UnitNoticeNoteIn) -> UnitNotice:
    user = acting_user(request)
    notice = _notice(user, notice_id)
    return perform(user, actions.note_notice, notice, remark=payload.remark)
