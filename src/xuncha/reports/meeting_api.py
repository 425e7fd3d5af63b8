"""API of the 书记专题会: the meetings (the office and leading group of their committee), one meeting with
its decisions, and recording one for a round (``POST /rounds/{id}/secretary-meetings``, the same action as
the page). Out of scope is the 404 of a missing id; bad input is 422 with the field and a Chinese message.
"""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from xuncha.core.errors import Refused
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform
from xuncha.rounds.models import Inspection, Round

from . import meeting
from .actions import NOTE_LIMIT, SHORT_LIMIT, TEXT_LIMIT, hearing_roles
from .choices import MeetingOutcome
from .models import READERS, SecretaryMeeting

router = Router(tags=["书记专题会"])


class MeetingDecisionOut(Schema):
    inspection_id: int
    outcome: MeetingOutcome
    outcome_label: str = Field(..., alias="get_outcome_display")
    feedback_points: str
    clue_instructions: str
    remarks: str


class SecretaryMeetingOut(Schema):
    id: int
    round_id: int
    held_on: datetime.date
    place: str
    chair: str


class SecretaryMeetingDetailOut(SecretaryMeetingOut):
    attendee_ids: list[int]
    other_attendees: str
    secretary_opinions: str
    member_opinions: str
    decisions: list[MeetingDecisionOut]

    @staticmethod
    def resolve_attendee_ids(obj: SecretaryMeeting) -> list[int]:
        return list(obj.attendees.order_by("pk").values_list("pk", flat=True))

    @staticmethod
    def resolve_decisions(obj: SecretaryMeeting) -> list[Any]:
        return list(obj.decisions.order_by("inspection_id"))


class SecretaryMeetingFilter(FilterSchema):
    round: Annotated[int | None, FilterLookup("round_id")] = None


class MeetingDecisionIn(Schema):
    inspection: int
    outcome: MeetingOutcome
    feedback_points: str = Field("", max_length=TEXT_LIMIT)
    clue_instructions: str = Field("", max_length=TEXT_LIMIT)
    remarks: str = Field("", max_length=TEXT_LIMIT)


class SecretaryMeetingIn(Schema):
    held_on: datetime.date
    place: str = Field(..., max_length=SHORT_LIMIT)
    chair: str = Field(..., max_length=SHORT_LIMIT)
    attendees: list[int] = []
    other_attendees: str = Field("", max_length=NOTE_LIMIT)
    secretary_opinions: str = Field(..., max_length=TEXT_LIMIT)
    member_opinions: str = Field("", max_length=TEXT_LIMIT)
    decisions: list[MeetingDecisionIn] = Field(..., min_length=1)


@router.get("/secretary-meetings/", response=list[SecretaryMeetingOut])
@paginate(BoundedPagination)
def meetings(request: HttpRequest, filters: Query[SecretaryMeetingFilter]) -> Any:
    return filters.filter(SecretaryMeeting.objects.visible_to(acting_user(request)))


@router.get("/secretary-meetings/{meeting_id}", response=SecretaryMeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: int) -> SecretaryMeeting:
    return get_object_or_404(SecretaryMeeting.objects.visible_to(acting_user(request)), pk=meeting_id)


@router.post("/rounds/{round_id}/secretary-meetings", response=SecretaryMeetingDetailOut)
def record(request: HttpRequest, round_id: int, payload: SecretaryMeetingIn) -> SecretaryMeeting:
    user = acting_user(request)
    round_ = get_object_or_404(
        Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)).select_related("committee"),
        pk=round_id,
    )
    require(user, hearing_roles(round_), what="记录书记专题会")
    wanted = {d.inspection for d in payload.decisions}
    found = Inspection.objects.filter(round=round_, pk__in=wanted).select_related("unit", "team").in_bulk()
    if len(found) != len(wanted):
        raise Refused("巡察不存在或不属于本轮。", field="decisions")
    attendees = list(meeting.candidate_attendees(round_).filter(pk__in=payload.attendees))
    if len(attendees) != len(set(payload.attendees)):
        raise Refused("出席人员应从本级党委的巡察工作领导小组和巡察办人员中选择。", field="attendees")
    data = meeting.MeetingInput(
        held_on=payload.held_on,
        place=payload.place,
        chair=payload.chair,
        secretary_opinions=payload.secretary_opinions,
        member_opinions=payload.member_opinions,
        other_attendees=payload.other_attendees,
        attendees=attendees,
    )
    items = [
        meeting.MeetingItem(found[d.inspection], d.outcome, d.feedback_points, d.clue_instructions, d.remarks)
        for d in payload.decisions
    ]
    return perform(user, meeting.record_secretary_meeting, round_, data=data, items=items)
