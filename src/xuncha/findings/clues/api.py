"""API of clues and their transfers (the contract's ``clues`` and ``transfers``): lists without content,
one object with its content (an audited read), drafting (``POST /inspections/{id}/clues``), content edits
(``PATCH``, never the status) and the verbs ``submit``, ``approve``, ``return``, ``withdraw``,
``transfer``; a transfer's ``receive``, ``dispose``, ``report-back``.

Out of scope is the same 404 as a missing id (a receiver reaches transfers, never clues); bad input is 422
with the field and a Chinese message. Petition transfers are intake's, at ``/petition-transfers/``.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.audit import record_read
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.intake.models import Petition
from xuncha.orgs.models import Department, Unit

from ..actions import roster, team_roles
from ..choices import ClueKind, ClueStatus, ClueTransferStatus
from ..models import Clue, ClueTransfer, Finding, finding_inspections
from . import actions, letter, transfers
from .transfer_views import transfer_reader_role, transfers_of
from .views import clues_of, reader_role

router = Router(tags=["问题底稿与线索"])


class ClueOut(Schema):
    """A clue without its content (lists)."""

    id: uuid.UUID
    inspection_id: int
    number: str
    title: str
    kind: ClueKind
    kind_label: str = Field(..., alias="get_kind_display")
    persons: list[int]
    finding_id: int | None
    petition_id: uuid.UUID | None
    department_id: int | None
    unit_id: int | None
    receiver_name: str
    receiver_reason: str
    confidential: bool
    status: ClueStatus
    status_label: str = Field(..., alias="get_status_display")
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    leader_approved_at: datetime.datetime | None
    office_approved_at: datetime.datetime | None
    return_reason: str
    transfer_id: uuid.UUID | None

    @staticmethod
    def resolve_persons(obj: Clue) -> list[int]:
        return [p.pk for p in obj.persons.all()]

    @staticmethod
    def resolve_transfer_id(obj: Clue) -> uuid.UUID | None:
        transfer = getattr(obj, "transfer", None)
        return transfer.pk if transfer is not None else None


class ClueDetailOut(ClueOut):
    content: str


class ClueFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: ClueStatus | None = None
    kind: ClueKind | None = None
    department: Annotated[int | None, FilterLookup("department_id")] = None
    unit: Annotated[int | None, FilterLookup("unit_id")] = None


class ClueIn(Schema):
    title: str = Field(..., max_length=actions.TITLE_LIMIT)
    content: str = Field(..., max_length=actions.CONTENT_LIMIT)
    kind: str
    persons: list[int]
    finding: int | None = None
    petition: uuid.UUID | None = None
    department: int | None = None
    unit: int | None = None
    receiver_reason: str = Field("", max_length=actions.REASON_LIMIT)
    confidential: bool = False


class CluePatch(Schema):
    """Content only: a status in the body is ignored, as any unknown key is."""

    title: str | None = Field(None, max_length=actions.TITLE_LIMIT)
    content: str | None = Field(None, max_length=actions.CONTENT_LIMIT)
    kind: str | None = None
    persons: list[int] | None = None
    department: int | None = None
    unit: int | None = None
    receiver_reason: str | None = Field(None, max_length=actions.REASON_LIMIT)
    confidential: bool | None = None


class ClueReasonIn(Schema):
    reason: str = Field(..., max_length=actions.REASON_LIMIT)


class TransferIn(Schema):
    due_on: datetime.date | None = None


class DisposeIn(Schema):
    disposal: str


class ReportIn(Schema):
    outcome: str
    result: str = Field(..., max_length=transfers.RESULT_LIMIT)


class TransferOut(Schema):
    """A clue transfer as its receiver may read it: the clue as the letter gives it, without its content
    (lists)."""

    id: uuid.UUID
    clue_id: uuid.UUID
    clue_number: str = Field(..., alias="clue.number")
    clue_title: str = Field(..., alias="clue.title")
    clue_kind: str = Field(..., alias="clue.kind")
    inspection_id: int = Field(..., alias="clue.inspection_id")
    department_id: int | None
    unit_id: int | None
    receiver_name: str
    letter_number: str
    status: ClueTransferStatus
    status_label: str = Field(..., alias="get_status_display")
    sent_at: datetime.datetime
    due_on: datetime.date
    is_overdue: bool
    received_at: datetime.datetime | None
    disposal: str
    disposed_at: datetime.datetime | None
    outcome: str
    reported_at: datetime.datetime | None
    last_chased_at: datetime.datetime | None


class TransferDetailOut(TransferOut):
    clue_content: str = Field(..., alias="clue.content")
    persons: str
    result: str

    @staticmethod
    def resolve_persons(obj: ClueTransfer) -> str:
        return letter.persons_text(obj)


class TransferFilter(FilterSchema):
    status: ClueTransferStatus | None = None
    overdue: bool | None = None
    inspection: Annotated[int | None, FilterLookup("clue__inspection_id")] = None
    department: Annotated[int | None, FilterLookup("department_id")] = None
    unit: Annotated[int | None, FilterLookup("unit_id")] = None

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        return transfers.overdue() if value else ~transfers.overdue()


def _clue(request: HttpRequest, clue_id: uuid.UUID) -> Clue:
    return get_object_or_404(clues_of(acting_user(request)).select_related("transfer"), pk=clue_id)


def _transfer(request: HttpRequest, transfer_id: uuid.UUID) -> ClueTransfer:
    return get_object_or_404(transfers_of(acting_user(request)), pk=transfer_id)


def _patched(clue: Clue, payload: CluePatch) -> ClueIn:
    """The clue's current content with the body's values over it, as a full body (the source is kept). A
    receiver given (either key, null for "by rule") replaces both receiver fields."""
    given = payload.model_dump(exclude_unset=True)

    def pick(name: str, current: Any) -> Any:
        return current if given.get(name) is None else given[name]

    receiver_given = "department" in given or "unit" in given
    return ClueIn(
        title=pick("title", clue.title),
        content=pick("content", clue.content),
        kind=pick("kind", clue.kind),
        persons=pick("persons", [p.pk for p in clue.persons.all()]),
        finding=clue.finding_id,
        petition=clue.petition_id,
        department=given.get("department") if receiver_given else clue.department_id,
        unit=given.get("unit") if receiver_given else clue.unit_id,
        receiver_reason=pick("receiver_reason", clue.receiver_reason),
        confidential=pick("confidential", clue.confidential),
    )


def _input(user: User, inspection: Any, payload: ClueIn) -> actions.ClueInput:
    """The action's input from a request body: every id looked up among what the user may choose."""
    persons = list(roster(inspection).filter(pk__in=payload.persons))
    if len(persons) != len(set(payload.persons)):
        raise Refused("涉及人员应为被巡察单位花名册中的人员。", field="persons")
    petition = None
    if payload.petition is not None:
        petition = (
            Petition.objects.visible_to(user).filter(pk=payload.petition, inspection=inspection).first()
        )
        if petition is None:
            raise Refused("来源信访件不存在或无权访问。", field="petition")
    return actions.ClueInput(
        title=payload.title,
        content=payload.content,
        kind=payload.kind,
        persons=persons,
        finding=referenced(
            Finding,
            user,
            payload.finding,
            field="finding",
            label="来源问题底稿",
            among=inspection.findings.all(),
        ),
        petition=petition,
        department=referenced(
            Department,
            user,
            payload.department,
            field="department",
            label="接收部门",
            among=actions.target_departments(inspection),
        ),
        unit=referenced(
            Unit, user, payload.unit, field="unit", label="接收单位", among=actions.target_units(inspection)
        ),
        receiver_reason=payload.receiver_reason,
        confidential=payload.confidential,
    )


@router.get("/clues/", response=list[ClueOut])
@paginate(BoundedPagination)
def clues(request: HttpRequest, filters: Query[ClueFilter]) -> Any:
    return filters.filter(
        clues_of(acting_user(request)).select_related("transfer").prefetch_related("persons")
    )


@router.get("/clues/{clue_id}", response=ClueDetailOut)
def clue_detail(request: HttpRequest, clue_id: uuid.UUID) -> Clue:
    """The clue with its content: an audited read."""
    user = acting_user(request)
    clue = _clue(request, clue_id)
    record_read(
        "clue.content_read",
        clue,
        by=user,
        role=reader_role(user, clue.inspection),
        details={"clue_number": clue.number},
    )
    return clue


@router.post("/inspections/{inspection_id}/clues", response={201: ClueDetailOut})
def draft(request: HttpRequest, inspection_id: int, payload: ClueIn) -> Status[Clue]:
    user = acting_user(request)
    inspection = get_object_or_404(
        finding_inspections(user).select_related("round", "unit"), pk=inspection_id
    )
    require(user, team_roles(inspection), what="起草问题线索")
    clue = perform(user, actions.draft_clue, inspection, data=_input(user, inspection, payload))
    return Status(201, clue)


@router.patch("/clues/{clue_id}", response=ClueDetailOut)
def update(request: HttpRequest, clue_id: uuid.UUID, payload: CluePatch) -> Clue:
    user = acting_user(request)
    clue = _clue(request, clue_id)
    require(user, team_roles(clue.inspection), what="修改问题线索")
    data = _input(user, clue.inspection, _patched(clue, payload))
    return perform(user, actions.update_clue, clue, data=data)


@router.post("/clues/{clue_id}/submit", response=ClueOut)
def submit(request: HttpRequest, clue_id: uuid.UUID) -> Clue:
    return perform(acting_user(request), actions.submit_clue, _clue(request, clue_id))


@router.post("/clues/{clue_id}/approve", response=ClueOut)
def approve(request: HttpRequest, clue_id: uuid.UUID) -> Clue:
    return perform(acting_user(request), actions.approve_clue, _clue(request, clue_id))


@router.post("/clues/{clue_id}/return", response=ClueOut)
def return_(request: HttpRequest, clue_id: uuid.UUID, payload: ClueReasonIn) -> Clue:
    return perform(acting_user(request), actions.return_clue, _clue(request, clue_id), reason=payload.reason)


@router.post("/clues/{clue_id}/withdraw", response=ClueOut)
def withdraw(request: HttpRequest, clue_id: uuid.UUID, payload: ClueReasonIn) -> Clue:
    return perform(
        acting_user(request), actions.withdraw_clue, _clue(request, clue_id), reason=payload.reason
    )


@router.post("/clues/{clue_id}/transfer", response={201: TransferOut})
def transfer(request: HttpRequest, clue_id: uuid.UUID, payload: TransferIn) -> Status[ClueTransfer]:
    sent = perform(
        acting_user(request), transfers.transfer_clue, _clue(request, clue_id), due_on=payload.due_on
    )
    return Status(201, sent)


@router.get("/transfers/", response=list[TransferOut])
@paginate(BoundedPagination)
def transfer_list(request: HttpRequest, filters: Query[TransferFilter]) -> Any:
    return filters.filter(transfers_of(acting_user(request)))


@router.get("/transfers/{transfer_id}", response=TransferDetailOut)
def transfer_detail(request: HttpRequest, transfer_id: uuid.UUID) -> ClueTransfer:
    """The transfer with the clue's content and the result: an audited read."""
    user = acting_user(request)
    found = _transfer(request, transfer_id)
    record_read(
        "clue_transfer.content_read",
        found,
        by=user,
        role=transfer_reader_role(user, found),
        details={"clue_number": found.clue.number, "letter_number": found.letter_number},
    )
    return found


@router.post("/transfers/{transfer_id}/receive", response=TransferOut)
def receive(request: HttpRequest, transfer_id: uuid.UUID) -> ClueTransfer:
    return perform(acting_user(request), transfers.receive_clue_transfer, _transfer(request, transfer_id))


@router.post("/transfers/{transfer_id}/dispose", response=TransferOut)
def dispose(request: HttpRequest, transfer_id: uuid.UUID, payload: DisposeIn) -> ClueTransfer:
    found = _transfer(request, transfer_id)
    return perform(acting_user(request), transfers.dispose_clue_transfer, found, disposal=payload.disposal)


@router.post("/transfers/{transfer_id}/report-back", response=TransferOut)
def report_back(request: HttpRequest, transfer_id: uuid.UUID, payload: ReportIn) -> ClueTransfer:
    found = _transfer(request, transfer_id)
    return perform(
        acting_user(request),
        transfers.report_clue_transfer,
        found,
        outcome=payload.outcome,
        result=payload.result,
    )
