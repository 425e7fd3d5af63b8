"""API of petitions: the list with the pages' filters, one petition with its triage suggestions, and staff
entry by letter, phone, visit or email (attachments are added through the pages).

No response carries the reporter's identity: only whether the petition is anonymous. Out of scope is the
same 404 as a missing id; a refusal is a 422 naming the field, in Chinese.
"""

import datetime
import uuid
from typing import Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.permissions import acting_user
from xuncha.core.scoping import referenced
from xuncha.rounds.models import Inspection

from ..actions.petitions import PetitionInput, register_petition
from ..choices import Channel, Scope
from ..choices import Status as PetitionStatus
from ..listing import filter_petitions, listed
from ..models import Attachment, Petition, Suggestion
from ..triage import ranking

router = Router(tags=["信访受理"])


class PetitionOut(Schema):
    id: uuid.UUID
    inspection_id: int
    number: str
    channel: Channel
    channel_label: str = Field(..., alias="get_channel_display")
    received_at: datetime.datetime
    in_duty_hours: bool | None
    box_opening_id: int | None
    anonymous: bool
    subject_name: str
    subject_post: str
    title: str
    content: str
    about_inspectors: bool
    status: PetitionStatus
    status_label: str = Field(..., alias="get_status_display")
    decision: str
    scope: str
    scope_reason: str
    discipline_id: int | None
    focus_id: int | None
    important: bool
    duplicate_group_id: int | None
    concluded_at: datetime.datetime | None


class PetitionSuggestionOut(Schema):
    field: str
    value: str
    label: str
    source: str
    reason: str
    score: float


class AttachmentOut(Schema):
    """An attachment without its own name (which may name the reporter); download it on the page."""

    id: uuid.UUID
    content_type: str
    size: int
    added_at: datetime.datetime


class PetitionDetailOut(PetitionOut):
    persons: list[int]
    decided_at: datetime.datetime | None
    decision_note: str
    conclusion: str
    # Null while the suggestions and the duplicate candidates are still being made (analysis.py).
    analysed_at: datetime.datetime | None
    suggestions: list[PetitionSuggestionOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_persons(obj: Petition) -> list[int]:
        return [person.pk for person in obj.persons.all()]

    @staticmethod
    def resolve_suggestions(obj: Petition, context: dict[str, Any]) -> list[Suggestion]:
        """In the order the decision form ranks them (as ``/petitions/{id}/suggestions``)."""
        user = acting_user(context["request"])
        return ranking.ranked(Suggestion.objects.visible_to(user).filter(petition=obj))

    @staticmethod
    def resolve_attachments(obj: Petition, context: dict[str, Any]) -> list[Attachment]:
        user = acting_user(context["request"])
        return list(Attachment.objects.visible_to(user).filter(petition=obj).defer("filename"))


class PetitionFilter(Schema):
    inspection: int | None = None
    channel: Channel | None = None
    status: PetitionStatus | None = None
    scope: Scope | None = None
    category: int | None = None
    person: int | None = None
    important: bool | None = None
    q: str = Field("", max_length=100)
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None


class PetitionIn(Schema):
    inspection: int
    channel: str
    content: str
    received_at: datetime.datetime | None = None
    in_duty_hours: bool | None = None
    anonymous: bool = True
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    reporter_contact: str = ""
    subject_name: str = ""
    subject_post: str = ""
    title: str = ""
    about_inspectors: bool = False


@router.get("/petitions/", response=list[PetitionOut])
@paginate
def petitions(request: HttpRequest, filters: Query[PetitionFilter]) -> Any:
    return filter_petitions(listed(acting_user(request)), **filters.model_dump(exclude_none=True))


@router.get("/petitions/{petition_id}", response=PetitionDetailOut)
def petition_detail(request: HttpRequest, petition_id: uuid.UUID) -> Petition:
    return get_object_or_404(listed(acting_user(request)).prefetch_related("persons"), pk=petition_id)


@router.post("/petitions/", response={201: PetitionDetailOut})
def create_petition(request: HttpRequest, payload: PetitionIn) -> Status[Petition]:
    """A petition received by letter, phone, visit or email, entered by the team or the office. One about
    the inspectors goes to the office alone: the member who entered it gets it back once, here."""
    user = acting_user(request)
    # Never None: the body's id is required.
    inspection = cast(
        Inspection, referenced(Inspection, user, payload.inspection, field="inspection", label="巡察")
    )
    received_at = payload.received_at
    if received_at is not None and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    data = PetitionInput(**payload.model_dump(exclude={"inspection", "received_at"}), received_at=received_at)
    petition = register_petition(inspection, data=data, by=user)
    return Status(201, petition)
