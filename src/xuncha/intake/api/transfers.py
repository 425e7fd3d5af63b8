"""API of petition transfers (``/petition-transfers/``; the contract's ``/transfers/`` are clue transfers, in
findings): the list and one transfer, signing (receive) and the result (report), and transferring a
petition (``POST /petitions/{id}/transfer``).

Transfers are found through ``visible_to`` (a receiver sees what was sent to it; out of scope → the same 404
as a missing id). Of the petition a transfer carries only what its receiver may read: no reporter identity.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Department, Unit

from .. import transfer_letter
from ..actions import transfers as actions
from ..choices import TransferStatus
from ..models import Petition, Transfer

router = Router(tags=["信访受理"])


class SharedPetitionOut(Schema):
    """What the receiver of a transfer reads of the petition (as in the transfer letter)."""

    id: uuid.UUID
    number: str
    channel: str
    received_at: datetime.datetime
    title: str
    subject: str
    content: str
    reporter: str = Field(transfer_letter.CONFIDENTIAL, description="反映人信息依规保密，从不返回")


class PetitionTransferOut(Schema):
    id: int
    petition: SharedPetitionOut
    inspection_id: int = Field(..., alias="petition.inspection_id")
    department_id: int | None
    unit_id: int | None
    receiver_name: str
    letter_number: str
    reason: str
    status: TransferStatus
    status_label: str = Field(..., alias="get_status_display")
    sent_at: datetime.datetime
    due_on: datetime.date
    is_overdue: bool
    received_at: datetime.datetime | None
    result: str
    reported_at: datetime.datetime | None
    last_chased_at: datetime.datetime | None

    @staticmethod
    def resolve_petition(obj: Transfer) -> dict[str, Any]:
        petition = obj.petition
        shared = transfer_letter.shared_content(petition)
        return {
            "id": petition.pk,
            "number": petition.number,
            "channel": petition.channel,
            "received_at": petition.received_at,
            "title": shared.title,
            "subject": shared.subject,
            "content": shared.content,
        }

    @staticmethod
    def resolve_is_overdue(obj: Transfer) -> bool:
        return obj.status != TransferStatus.REPORTED and obj.due_on < timezone.localdate()


class PetitionTransferFilter(FilterSchema):
    status: TransferStatus | None = None
    overdue: bool | None = None
    inspection: Annotated[int | None, FilterLookup("petition__inspection_id")] = None
    department: Annotated[int | None, FilterLookup("department_id")] = None
    unit: Annotated[int | None, FilterLookup("unit_id")] = None

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        return actions.overdue() if value else ~actions.overdue()


class PetitionTransferIn(Schema):
    department: int | None = None
    unit: int | None = None
    reason: str


class PetitionReportIn(Schema):
    result: str


def _transfers(request: HttpRequest) -> Any:
    return Transfer.objects.visible_to(acting_user(request)).select_related(
        "petition__inspection", "department", "unit"
    )


@router.get("/petition-transfers/", response=list[PetitionTransferOut])
@paginate
def transfers(request: HttpRequest, filters: Query[PetitionTransferFilter]) -> Any:
    return filters.filter(_transfers(request))


@router.get("/petition-transfers/{transfer_id}", response=PetitionTransferOut)
def transfer_detail(request: HttpRequest, transfer_id: int) -> Transfer:
    return get_object_or_404(_transfers(request), pk=transfer_id)


@router.post("/petition-transfers/{transfer_id}/receive", response=PetitionTransferOut)
def receive(request: HttpRequest, transfer_id: int) -> Transfer:
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(request), pk=transfer_id)
    return perform(user, actions.receive_transfer, transfer)


@router.post("/petition-transfers/{transfer_id}/report", response=PetitionTransferOut)
def report(request: HttpRequest, transfer_id: int, payload: PetitionReportIn) -> Transfer:
    user = acting_user(request)
    transfer = get_object_or_404(_transfers(request), pk=transfer_id)
    return perform(user, actions.report_transfer_result, transfer, result=payload.result)


@router.post("/petitions/{petition_id}/transfer", response={201: PetitionTransferOut})
def transfer_petition(
    request: HttpRequest, petition_id: uuid.UUID, payload: PetitionTransferIn
) -> Status[Transfer]:
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related("inspection__round__committee", "inspection__unit"),
        pk=petition_id,
    )
    # The role before the body: who may not transfer gets 403 whatever receiver it names.
    require(user, actions.transfer_roles(petition), what="转交信访件")
    transfer = perform(
        user,
        actions.transfer_petition,
        petition,
        department=referenced(
            Department,
            user,
            payload.department,
            field="department",
            label="接收部门",
            among=actions.target_departments(petition),
        ),
        unit=referenced(
            Unit, user, payload.unit, field="unit", label="接收单位", among=actions.target_units(petition)
        ),
        reason=payload.reason,
    )
    return Status(201, transfer)
