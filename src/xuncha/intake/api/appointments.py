"""API of face-to-face appointments (``visit-appointments``, 预约面谈), calling the same actions as the pages.

Staff: the list (by inspection and status) and one appointment, without the visitor's identity (read on
the page by the team, audited); the team's ``POST /visit-appointments/`` (offer a time), ``withdraw`` and
``record``. Out of scope is the same 404 as a missing id; a refusal is a 422 naming the field, in Chinese.

Public (no login, throttled like the portal): ``GET /public/visit-appointments?public_code=…`` lists the times
still open; ``POST /public/visit-appointments`` books one and answers 201 with its time and place.
"""

import datetime
import uuid
from typing import Any, cast

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core import throttle
from xuncha.core.api import ErrorOut
from xuncha.core.dates import aware
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.rounds.models import Inspection

from .. import public
from ..actions import appointments as actions
from ..models import Announcement, Appointment, AppointmentQuerySet, AppointmentStatus

router = Router(tags=["信访受理"])


class VisitAppointmentOut(Schema):
    id: uuid.UUID
    inspection_id: int
    starts_at: datetime.datetime
    place: str
    status: AppointmentStatus
    status_label: str = Field(..., alias="get_status_display")
    booked_at: datetime.datetime | None
    note: str
    handled_at: datetime.datetime | None


class VisitAppointmentFilter(Schema):
    inspection: int | None = None
    status: AppointmentStatus | None = None


class VisitAppointmentIn(Schema):
    inspection: int
    starts_at: datetime.datetime
    place: str


class VisitRecordIn(Schema):
    held: bool
    note: str = ""


class PublicVisitTimesIn(Schema):
    public_code: str


class PublicVisitTimeOut(Schema):
    id: uuid.UUID
    starts_at: datetime.datetime
    place: str


class PublicVisitBookIn(Schema):
    public_code: str
    appointment: uuid.UUID
    name: str = ""
    phone: str = ""
    topic: str = ""


def _appointments(user: User) -> AppointmentQuerySet:
    return (
        Appointment.objects.visible_to(user)
        .select_related("inspection__round")
        .defer("reporter_name", "reporter_phone", "topic")
    )


def _appointment(user: User, appointment_id: uuid.UUID) -> Appointment:
    return get_object_or_404(_appointments(user), pk=appointment_id)


@router.get("/visit-appointments/", response=list[VisitAppointmentOut])
@paginate
def appointments(request: HttpRequest, filters: Query[VisitAppointmentFilter]) -> Any:
    found = _appointments(acting_user(request))
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.status:
        found = found.filter(status=filters.status)
    return found.order_by("-starts_at", "pk")


@router.get("/visit-appointments/{appointment_id}", response=VisitAppointmentOut)
def appointment(request: HttpRequest, appointment_id: uuid.UUID) -> Appointment:
    return _appointment(acting_user(request), appointment_id)


@router.post("/visit-appointments/", response={201: VisitAppointmentOut})
def offer(request: HttpRequest, payload: VisitAppointmentIn) -> Status[Appointment]:
    user = acting_user(request)
    ours = Inspection.objects.visible_to(user).select_related("round")
    # Never None: the body's id is required.
    inspection = cast(
        Inspection,
        referenced(Inspection, user, payload.inspection, field="inspection", label="巡察", among=ours),
    )
    require(user, actions.team_roles(inspection), what="发布预约面谈时间")
    saved = perform(
        user, actions.offer_appointment, inspection, starts_at=aware(payload.starts_at), place=payload.place
    )
    return Status(201, saved)


@router.post("/visit-appointments/{appointment_id}/withdraw", response=VisitAppointmentOut)
def withdraw(request: HttpRequest, appointment_id: uuid.UUID) -> Appointment:
    user = acting_user(request)
    return perform(user, actions.withdraw_appointment, _appointment(user, appointment_id))


@router.post("/visit-appointments/{appointment_id}/record", response=VisitAppointmentOut)
def record(request: HttpRequest, appointment_id: uuid.UUID, payload: VisitRecordIn) -> Appointment:
    user = acting_user(request)
    found = _appointment(user, appointment_id)
    return perform(user, actions.record_appointment, found, held=payload.held, note=payload.note)


def _receiving(request: HttpRequest, public_code: str, kind: str) -> Announcement:
    if not throttle.allow(request, kind):
        raise throttle.Throttled()
    announcement = public.announcements().filter(public_code=public_code).first()
    if announcement is None:
        raise Http404
    if not announcement.accepting():
        raise Refused(public.closed_message(announcement), field="public_code")
    return announcement


@router.get(
    "/public/visit-appointments",
    auth=None,
    response={200: list[PublicVisitTimeOut], 404: ErrorOut, 429: ErrorOut},
)
def public_times(request: HttpRequest, filters: Query[PublicVisitTimesIn]) -> list[Appointment]:
    announcement = _receiving(request, filters.public_code, throttle.LOOKUP)
    return list(
        Appointment.objects.filter(
            inspection=announcement.inspection, status=AppointmentStatus.OPEN, starts_at__gt=timezone.now()
        )
        .only("id", "starts_at", "place")
        .order_by("starts_at")
    )


@router.post(
    "/public/visit-appointments", auth=None, response={201: PublicVisitTimeOut, 404: ErrorOut, 429: ErrorOut}
)
def public_book(request: HttpRequest, payload: PublicVisitBookIn) -> Status[Appointment]:
    announcement = _receiving(request, payload.public_code, throttle.SUBMIT)
    chosen = Appointment.objects.filter(pk=payload.appointment, inspection=announcement.inspection).first()
    if chosen is None:
        raise Refused("请选择本次巡察发布的面谈时间。", field="appointment")
    booked = actions.book_appointment(
        announcement, chosen, name=payload.name, phone=payload.phone, topic=payload.topic
    )
    return Status(201, booked)
