"""API of information requests (了解情况函 / 提请协助函): list, send, read one (with the slots and answers the
caller sees), a department's answer (multipart: ``text`` and ``files``), asking a department again, closing,
drawing a lead from an answer, and downloading an answer's file (audited), each calling the page's action.

Found through ``visible_to``: a receiver sees the requests addressed to its department and its own slot
only; out of scope is the same 404 as a missing id. Slots and answers are addressed under their request, so
a path never reaches one through another request.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api import inline_enum
from xuncha.core.errors import Refused
from xuncha.core.forms import uploads
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection

from . import actions, views
from .choices import AnswerState, RequestKind, RequestStatus
from .models import InformationAnswer, InformationAnswerFile, InformationRequest, Lead, Recipient

router = Router(tags=["巡前了解与协助"])


class InfoAnswerFileOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    added_at: datetime.datetime


class InfoAnswerOut(Schema):
    id: uuid.UUID
    text: str
    answered_by: str = Field(..., alias="answered_by.username")
    answered_at: datetime.datetime
    files: list[InfoAnswerFileOut]

    @staticmethod
    def resolve_files(obj: InformationAnswer) -> list[Any]:
        return list(obj.files.all())


class InfoRecipientOut(Schema):
    id: uuid.UUID
    department_id: int
    department: str = Field(..., alias="department.name")
    state: Annotated[AnswerState, inline_enum(AnswerState)]
    state_label: str
    due_on: datetime.date
    follow_up: str
    asked_again: int
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_state(obj: Recipient) -> str:
        return obj.state()


class InfoRecipientDetailOut(InfoRecipientOut):
    answers: list[InfoAnswerOut]

    @staticmethod
    def resolve_answers(obj: Recipient) -> list[Any]:
        return list(obj.answers.all())


class InfoRequestOut(Schema):
    id: int
    inspection_id: int
    number: int
    kind: Annotated[RequestKind, inline_enum(RequestKind)]
    kind_label: str = Field(..., alias="get_kind_display")
    subject: str
    questions: str
    due_on: datetime.date
    status: Annotated[RequestStatus, inline_enum(RequestStatus)]
    status_label: str = Field(..., alias="get_status_display")
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    recipients: list[InfoRecipientOut]

    @staticmethod
    def resolve_recipients(obj: InformationRequest) -> list[Any]:
        return list(getattr(obj, "shown_slots", []))


class InfoRequestDetailOut(InfoRequestOut):
    recipients: list[InfoRecipientDetailOut]  # type: ignore[assignment]


class InfoRequestIn(Schema):
    inspection: int
    kind: Annotated[RequestKind, inline_enum(RequestKind)]
    subject: str
    questions: str
    due_on: datetime.date
    departments: list[int]


class InfoAskAgainIn(Schema):
    note: str
    due_on: datetime.date


class InfoCloseIn(Schema):
    note: str = ""


class InfoLeadIn(Schema):
    passage: str


class InfoLeadOut(Schema):
    id: uuid.UUID
    inspection_id: int
    answer_id: uuid.UUID
    number: str
    passage: str
    created_at: datetime.datetime


class InfoRequestFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    kind: Annotated[RequestKind | None, inline_enum(RequestKind)] = None
    status: Annotated[RequestStatus | None, inline_enum(RequestStatus)] = None


def _requests(request: HttpRequest) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.visible_to(acting_user(request)).select_related(
        "inspection__round__committee", "inspection__team", "inspection__unit"
    )


def _with_slots(request: HttpRequest, rows: list[InformationRequest], *, answers: bool) -> None:
    user = acting_user(request)
    slots = Recipient.objects.visible_to(user).filter(request__in=rows).select_related("department")
    if answers:
        found = InformationAnswer.objects.select_related("answered_by").prefetch_related("files")
        slots = slots.prefetch_related(Prefetch("answers", queryset=found))
    by_request: dict[int, list[Recipient]] = {r.pk: [] for r in rows}
    for slot in slots.order_by("department_id"):
        slot.state_label = slot.state_label()  # type: ignore[method-assign,assignment]
        by_request[slot.request_id].append(slot)
    for row in rows:
        row.shown_slots = by_request[row.pk]  # type: ignore[attr-defined]


def _detail(request: HttpRequest, request_id: int) -> InformationRequest:
    """One request with the slots and answers the caller sees; the answers' read is audited."""
    user = acting_user(request)
    found = get_object_or_404(_requests(request), pk=request_id)
    _with_slots(request, [found], answers=True)
    slots: list[Recipient] = found.shown_slots  # type: ignore[attr-defined]
    roles = actions.reader_roles(found.inspection)
    for slot in slots:
        roles |= actions.receiver_roles(slot)
    views.audit_answers(user, found, roles, sum(len(slot.answers.all()) for slot in slots))
    return found


def _slot(request: HttpRequest, request_id: int, slot_id: uuid.UUID) -> Recipient:
    slots = Recipient.objects.visible_to(acting_user(request)).select_related(
        "department", "request__inspection__round__committee", "request__inspection__team"
    )
    return get_object_or_404(slots, pk=slot_id, request_id=request_id)


def _answer(request: HttpRequest, request_id: int, answer_id: uuid.UUID) -> InformationAnswer:
    answers = InformationAnswer.objects.visible_to(acting_user(request)).select_related(
        "recipient__department",
        "recipient__request__inspection__round__committee",
        "recipient__request__inspection__team",
    )
    return get_object_or_404(answers, pk=answer_id, recipient__request_id=request_id)


@router.get("/information-requests/", response=list[InfoRequestOut])
@paginate(BoundedPagination)
def information_requests(request: HttpRequest, filters: Query[InfoRequestFilter]) -> Any:
    """The requests the caller sees, each with the slots it sees (no answer text: read one request)."""
    rows = filters.filter(_requests(request).order_by("-created_at", "-pk"))
    return _Slotted(request, rows)


class _Slotted:
    """A queryset whose page gets its slots in one more query once the paginator has sliced it."""

    def __init__(self, request: HttpRequest, rows: QuerySet[InformationRequest]) -> None:
        self.request, self.rows = request, rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[InformationRequest]:
        page = list(self.rows[index])
        _with_slots(self.request, page, answers=False)
        return page


@router.post("/information-requests/", response={201: InfoRequestDetailOut})
def send(request: HttpRequest, payload: InfoRequestIn) -> Status[InformationRequest]:
    user = acting_user(request)
    inspection = referenced(Inspection, user, payload.inspection, field="inspection", label="巡察")
    assert inspection is not None  # noqa: S101 - the id is required
    require(user, actions.requester_roles(inspection), what="发出了解情况函")
    wanted = set(payload.departments)
    departments = list(Department.objects.filter(pk__in=wanted))
    if len(departments) != len(wanted):
        raise Refused("部门不存在。", field="departments")
    created = perform(
        user,
        actions.send_request,
        inspection,
        kind=payload.kind,
        subject=payload.subject,
        questions=payload.questions,
        due_on=payload.due_on,
        departments=departments,
    )
    return Status(201, _detail(request, created.pk))


@router.get("/information-requests/{request_id}", response=InfoRequestDetailOut)
def information_request(request: HttpRequest, request_id: int) -> InformationRequest:
    return _detail(request, request_id)


@router.post(
    "/information-requests/{request_id}/recipients/{uuid:slot_id}/answer", response=InfoRequestDetailOut
)
def answer(
    request: HttpRequest,
    request_id: int,
    slot_id: uuid.UUID,
    text: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> InformationRequest:
    slot = _slot(request, request_id, slot_id)
    perform(acting_user(request), actions.answer_request, slot, text=text, files=uploads(files or []))
    return _detail(request, request_id)


@router.post(
    "/information-requests/{request_id}/recipients/{uuid:slot_id}/ask-again", response=InfoRequestDetailOut
)
def ask_again(
    request: HttpRequest, request_id: int, slot_id: uuid.UUID, payload: InfoAskAgainIn
) -> InformationRequest:
    slot = _slot(request, request_id, slot_id)
    perform(acting_user(request), actions.ask_again, slot, note=payload.note, due_on=payload.due_on)
    return _detail(request, request_id)


@router.post("/information-requests/{request_id}/close", response=InfoRequestDetailOut)
def close(request: HttpRequest, request_id: int, payload: InfoCloseIn) -> InformationRequest:
    found = get_object_or_404(_requests(request), pk=request_id)
    perform(acting_user(request), actions.close_request, found, note=payload.note)
    return _detail(request, request_id)


@router.post("/information-requests/{request_id}/answers/{uuid:answer_id}/leads", response={201: InfoLeadOut})
def lead(request: HttpRequest, request_id: int, answer_id: uuid.UUID, payload: InfoLeadIn) -> Status[Lead]:
    found = _answer(request, request_id, answer_id)
    created = perform(acting_user(request), actions.record_lead, found, passage=payload.passage)
    return Status(201, created)


@router.get("/information-requests/{request_id}/files/{uuid:file_id}")
def file(request: HttpRequest, request_id: int, file_id: uuid.UUID) -> HttpResponse:
    """An answer's file (its bytes, with its type); every download is an audit event."""
    user = acting_user(request)
    files = InformationAnswerFile.objects.visible_to(user).select_related(
        "answer__recipient__department", "answer__recipient__request__inspection__round"
    )
    found = get_object_or_404(files, pk=file_id, answer__recipient__request_id=request_id)
    return views.file_response(user, found)
