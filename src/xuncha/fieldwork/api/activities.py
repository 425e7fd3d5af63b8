"""API of activities (the other working methods): the list with the page's filters, one activity (its
notes are an audited read), recording, updating and deleting. Attachments are added and downloaded on the
pages. Out of scope is the same 404 as a missing id; a refusal is a 422 naming the field, in Chinese.
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
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection, TeamMember

from ..actions import activities as actions
from ..choices import ActivityKind
from ..models import Activity, team_or_office
from ..models.activities import ActivityQuerySet

router = Router(tags=["了解工作"])


class ActivityOut(Schema):
    id: uuid.UUID
    inspection_id: int
    kind: ActivityKind
    kind_label: str = Field(..., alias="get_kind_display")
    topic: str
    department_id: int | None
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    created_at: datetime.datetime


class ActivityDetailOut(ActivityOut):
    members: list[int]
    other_participants: str
    notes: str
    attachments: int

    @staticmethod
    def resolve_members(obj: Activity) -> list[int]:
        return sorted(m.pk for m in obj.members.all())

    @staticmethod
    def resolve_attachments(obj: Activity) -> int:
        return obj.attachments.count()


class ActivityFilter(Schema):
    inspection: int | None = None
    kind: ActivityKind | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


class ActivityIn(Schema):
    kind: str
    title: str
    starts_at: datetime.datetime
    place: str
    ends_at: datetime.datetime | None = None
    topic: str = ""
    department: int | None = None
    members: list[int] = Field(default_factory=list, max_length=50)
    other_participants: str = ""
    notes: str = ""


class ActivityCreateIn(ActivityIn):
    inspection: int


def _activities(user: User) -> ActivityQuerySet:
    return Activity.objects.visible_to(user).select_related("inspection__round")


def _input(user: User, inspection: Inspection, payload: ActivityIn) -> actions.ActivityInput:
    """The body as the action takes it, its ids looked up among what the action offers (else 422)."""
    team = actions.team_members(inspection)
    members = [
        member
        for pk in dict.fromkeys(payload.members)
        if (member := referenced(TeamMember, user, pk, field="members", label="巡察组成员", among=team))
    ]
    department = referenced(
        Department,
        user,
        payload.department,
        field="department",
        label="专项检查部门",
        among=actions.departments(inspection),
    )
    return actions.ActivityInput(
        kind=payload.kind,
        topic=payload.topic,
        department=department,
        title=payload.title,
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        place=payload.place,
        members=members,
        other_participants=payload.other_participants,
        notes=payload.notes,
    )


@router.get("/activities/", response=list[ActivityOut])
@paginate
def activities(request: HttpRequest, filters: Query[ActivityFilter]) -> Any:
    found = _activities(acting_user(request)).defer("notes", "other_participants")
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    return found.matching(kind=filters.kind or "", since=filters.since, until=filters.until)


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
def activity_detail(request: HttpRequest, activity_id: uuid.UUID) -> Activity:
    user = acting_user(request)
    activity = get_object_or_404(_activities(user), pk=activity_id)
    actions.notes_read(activity, by=user)
    return activity


@router.post("/activities/", response={201: ActivityDetailOut})
def create_activity(request: HttpRequest, payload: ActivityCreateIn) -> Status[Activity]:
    user = acting_user(request)
    ours = Inspection.objects.filter(team_or_office(user)).select_related("round")
    # Never None: the body's id is required.
    inspection = cast(
        Inspection,
        referenced(Inspection, user, payload.inspection, field="inspection", label="巡察", among=ours),
    )
    require(user, actions.writer_roles(inspection), what="登记工作记录")
    activity = perform(user, actions.create_activity, inspection, data=_input(user, inspection, payload))
    return Status(201, activity)


@router.put("/activities/{activity_id}", response=ActivityDetailOut)
def update_activity(request: HttpRequest, activity_id: uuid.UUID, payload: ActivityIn) -> Activity:
    user = acting_user(request)
    activity = get_object_or_404(_activities(user), pk=activity_id)
    require(user, actions.writer_roles(activity.inspection), what="修改工作记录")
    return perform(user, actions.update_activity, activity, data=_input(user, activity.inspection, payload))


@router.delete("/activities/{activity_id}", response={204: None})
def delete_activity(request: HttpRequest, activity_id: uuid.UUID) -> Status[None]:
    user = acting_user(request)
    activity = get_object_or_404(_activities(user), pk=activity_id)
    actions.delete_activity(activity, by=user)
    return Status(204, None)
