"""The public portal's API: no login, no CSRF token (there is no session to protect), throttled like the
pages. A receipt travels only in request and response bodies, never in a URL.

``POST /public/petitions`` submits a petition to the inspection whose announcement has ``public_code``
(attachments only through the page) and answers 201 with the receipt, shown this once.
``POST /public/petitions/lookup`` answers the minimal status and the thread with the team; a wrong or a
missing receipt is the same 404 as any missing object.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from xuncha.core import throttle
from xuncha.core.api import ErrorOut
from xuncha.core.errors import Refused

from .. import public
from ..actions.petitions import PetitionInput, submit_public_petition

router = Router(tags=["信访受理"])


class PublicPetitionIn(Schema):
    public_code: str
    content: str = ""
    anonymous: bool = True
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    subject_name: str = ""
    subject_post: str = ""
    about_inspectors: bool = False


class ReceiptOut(Schema):
    receipt: str
    status: str
    status_label: str


class LookupIn(Schema):
    receipt: str = ""


class MessageOut(Schema):
    direction: str
    direction_label: str
    text: str
    attachments: int
    at: datetime.datetime


class LookupOut(Schema):
    status: str
    status_label: str
    messages: list[MessageOut]


def _throttle(request: HttpRequest, kind: str) -> None:
    if not throttle.allow(request, kind):
        raise throttle.Throttled()


@router.post("/public/petitions", auth=None, response={201: ReceiptOut, 429: ErrorOut})
def submit(request: HttpRequest, payload: PublicPetitionIn) -> Status[dict[str, str]]:
    _throttle(request, throttle.SUBMIT)
    announcement = public.receiving(payload.public_code)
    if announcement is None:
        raise Http404
    if not announcement.accepting():
        raise Refused(public.closed_message(announcement), field="public_code")
    data = PetitionInput(**payload.model_dump(exclude={"public_code"}))
    petition, receipt = submit_public_petition(announcement, data=data)
    status = public.status_of(petition)
    return Status(201, {"receipt": receipt, "status": status.value, "status_label": str(status.label)})


@router.post("/public/petitions/lookup", auth=None, response={200: LookupOut, 429: ErrorOut})
def lookup(request: HttpRequest, payload: LookupIn) -> dict[str, Any]:
    _throttle(request, throttle.LOOKUP)
    petition = public.find_by_receipt(payload.receipt)
    if petition is None:
        raise Http404
    status = public.status_of(petition)
    return {
        "status": status.value,
        "status_label": str(status.label),
        "messages": [
            {
                "direction": e.direction,
                "direction_label": e.label,
                "text": e.text,
                "attachments": e.attachments,
                "at": e.at,
            }
            for e in public.reporter_thread(petition)
        ],
    }
