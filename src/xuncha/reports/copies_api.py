"""API of feedback copies (抄送分管联系领导、通报有关部门): the copies the caller sees, one copy, sending
copies of a delivered feedback (``POST /feedbacks/{id}/copies``) and the receipt
(``POST /feedback-copies/{id}/acknowledge``), the same actions as the pages. Out of scope: the 404 of a
missing id; bad input: 422 with the field and a Chinese message."""

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

from . import copies
from .choices import CopyKind
from .models import Feedback, FeedbackCopy

router = Router(tags=["反馈意见抄送和通报"])


class FeedbackCopyOut(Schema):
    id: int
    feedback_id: int
    kind: CopyKind
    kind_label: str = Field(..., alias="get_kind_display")
    leader_id: int | None
    department_id: int | None
    receiver: str = Field(..., alias="receiver_name")
    sent_at: datetime.datetime
    acknowledged_at: datetime.datetime | None


class FeedbackCopyFilter(FilterSchema):
    feedback: Annotated[int | None, FilterLookup("feedback_id")] = None


class FeedbackCopiesIn(Schema):
    leaders: list[int] = []
    departments: list[int] = []


def _copy(request: HttpRequest, copy_id: int) -> FeedbackCopy:
    return get_object_or_404(
        FeedbackCopy.objects.visible_to(acting_user(request)).select_related(
            "feedback__inspection__round", "leader", "department"
        ),
        pk=copy_id,
    )


@router.get("/feedback-copies/", response=list[FeedbackCopyOut])
@paginate(BoundedPagination)
def feedback_copies(request: HttpRequest, filters: Query[FeedbackCopyFilter]) -> Any:
    found = FeedbackCopy.objects.visible_to(acting_user(request)).select_related("leader", "department")
    return filters.filter(found)


@router.get("/feedback-copies/{copy_id}", response=FeedbackCopyOut)
def feedback_copy(request: HttpRequest, copy_id: int) -> FeedbackCopy:
    return _copy(request, copy_id)


@router.post("/feedbacks/{feedback_id}/copies", response=list[FeedbackCopyOut])
def send(request: HttpRequest, feedback_id: int, payload: FeedbackCopiesIn) -> list[FeedbackCopy]:
    user = acting_user(request)
    feedback = get_object_or_404(
        Feedback.objects.visible_to(user).select_related("inspection__round"), pk=feedback_id
    )
    require(user, copies.sender_roles(feedback), what="抄送、通报反馈意见")
    leaders = list(copies.leader_choices(feedback).filter(pk__in=payload.leaders))
    departments = list(copies.department_choices(feedback).filter(pk__in=payload.departments))
    if len(leaders) != len(set(payload.leaders)):
        raise Refused("分管联系领导应从本级巡察工作领导小组成员中选择。", field="leaders")
    if len(departments) != len(set(payload.departments)):
        raise Refused("只能通报本级党委的部门。", field="departments")
    perform(user, copies.send_copies, feedback, leaders=leaders, departments=departments)
    return list(feedback.copies.select_related("leader", "department"))


@router.post("/feedback-copies/{copy_id}/acknowledge", response=FeedbackCopyOut)
def acknowledge(request: HttpRequest, copy_id: int) -> FeedbackCopy:
    return perform(acting_user(request), copies.acknowledge_copy, _copy(request, copy_id))
