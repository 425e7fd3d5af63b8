"""API of document requests (调阅、复制资料): the list and one request with its items, starting a request
from its template, adding, editing and removing items (editing and removing while it is a draft), issuing
it, and per item the liaison's answer, the withdrawal of a file it uploaded, and the team's accept or
return.

Items are addressed under their request (``/document-requests/{id}/items/{item_id}/…``): an item belongs to
exactly one request, and both ids must match, so a path never reaches an item through another request.
Everything is found through ``visible_to`` (out of scope → the same 404 as a missing id); a liaison sees
only its own unit's issued requests. The answer takes multipart form data (``answer`` and ``files``), so
files and text come in one request; file contents are downloaded on the pages, where each read is audited.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, FilterLookup, FilterSchema, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api import inline_enum
from xuncha.core.errors import Refused
from xuncha.core.forms import uploads
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform
from xuncha.rounds.models import Inspection

from ..actions import documents as actions
from ..choices import ItemMode, ItemStatus, RequestStatus
from ..models import DocumentFile, DocumentItem, DocumentRequest
from ..models.documents import DocumentRequestQuerySet

router = Router(tags=["了解工作"])


class FileOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    added_at: datetime.datetime


class RequestItemOut(Schema):
    id: int
    position: int
    what: str
    period: str
    mode: ItemMode
    mode_label: str = Field(..., alias="get_mode_display")
    due_on: datetime.date | None = Field(None, description="本项单独的期限；为空时为清单的期限")
    effective_due_on: datetime.date
    notes: str
    status: Annotated[ItemStatus, inline_enum(ItemStatus)]
    status_label: str = Field(..., alias="get_status_display")
    is_overdue: bool
    added_after_issue: bool
    answer: str
    answered_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    return_reason: str
    files: list[FileOut]

    @staticmethod
    def resolve_is_overdue(obj: DocumentItem) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_files(obj: DocumentItem) -> list[Any]:
        return list(obj.files.all())


class RequestOut(Schema):
    id: int
    inspection_id: int
    unit_id: int = Field(..., alias="inspection.unit_id")
    number: int
    title: str
    instructions: str
    due_on: datetime.date
    status: RequestStatus
    status_label: str = Field(..., alias="get_status_display")
    template: str
    created_at: datetime.datetime
    issued_at: datetime.datetime | None
    total: int
    received: int
    outstanding: int
    overdue: int


class RequestDetailOut(RequestOut):
    items: list[RequestItemOut]

    @staticmethod
    def resolve_items(obj: DocumentRequest) -> list[DocumentItem]:
        items = list(obj.items.prefetch_related("files").order_by("position"))
        for item in items:
            item.request = obj
        return items


class RequestFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: RequestStatus | None = None
    overdue: bool | None = None

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        return Q(overdue__gt=0) if value else Q(overdue=0)


class StartIn(Schema):
    inspection: int
    title: str = ""
    due_on: datetime.date | None = None


class ItemIn(Schema):
    what: str
    period: str = ""
    mode: ItemMode = ItemMode.VIEW
    due_on: datetime.date | None = None
    notes: str = ""


class ItemPatch(Schema):
    """The fields to change; those left out keep their values."""

    what: str | None = None
    period: str | None = None
    mode: ItemMode | None = None
    due_on: datetime.date | None = None
    notes: str | None = None


class RequestReturnIn(Schema):
    reason: str


def _requests(request: HttpRequest) -> DocumentRequestQuerySet:
    return (
        DocumentRequest.objects.visible_to(acting_user(request))
        .select_related("inspection__round", "inspection__team", "inspection__unit")
        .with_counts(timezone.localdate())
    )


def _request(request: HttpRequest, request_id: int) -> DocumentRequest:
    return get_object_or_404(_requests(request), pk=request_id)


def _item(request: HttpRequest, request_id: int, item_id: int) -> DocumentItem:
    items = DocumentItem.objects.visible_to(acting_user(request)).select_related(
        "request__inspection__round", "request__inspection__team", "request__inspection__unit"
    )
    return get_object_or_404(items, pk=item_id, request_id=request_id)


@router.get("/document-requests/", response=list[RequestOut])
@paginate(BoundedPagination)
def document_requests(request: HttpRequest, filters: Query[RequestFilter]) -> Any:
    return filters.filter(_requests(request).order_by("-created_at", "-pk"))


@router.post("/document-requests/", response={201: RequestDetailOut})
def start(request: HttpRequest, payload: StartIn) -> Status[DocumentRequest]:
    user = acting_user(request)
    inspection = Inspection.objects.visible_to(user).filter(pk=payload.inspection).first()
    if inspection is None:
        raise Refused("巡察不存在或无权访问。", field="inspection")
    require(user, actions.team_roles(inspection), what="创建调阅资料清单")
    created = perform(
        user, actions.start_document_request, inspection, title=payload.title, due_on=payload.due_on
    )
    return Status(201, _request(request, created.pk))


@router.get("/document-requests/{request_id}", response=RequestDetailOut)
def document_request(request: HttpRequest, request_id: int) -> DocumentRequest:
    return _request(request, request_id)


@router.post("/document-requests/{request_id}/issue", response=RequestDetailOut)
def issue(request: HttpRequest, request_id: int) -> DocumentRequest:
    doc_request = _request(request, request_id)
    perform(acting_user(request), actions.issue_document_request, doc_request)
    return _request(request, request_id)


@router.post("/document-requests/{request_id}/items", response={201: RequestItemOut})
def add_item(request: HttpRequest, request_id: int, payload: ItemIn) -> Status[DocumentItem]:
    doc_request = _request(request, request_id)
    item = perform(acting_user(request), actions.add_document_item, doc_request, **payload.dict())
    return Status(201, item)


@router.patch("/document-requests/{request_id}/items/{item_id}", response=RequestItemOut)
def update_item(request: HttpRequest, request_id: int, item_id: int, payload: ItemPatch) -> DocumentItem:
    item = _item(request, request_id, item_id)
    current = {name: getattr(item, name) for name in ("what", "period", "mode", "due_on", "notes")}
    # A null due date means "the request's"; a null text is taken as left out.
    given = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "due_on"}
    fields = {**current, **given}
    return perform(acting_user(request), actions.update_document_item, item, **fields)


@router.post("/document-requests/{request_id}/items/{item_id}/remove", response=RequestDetailOut)
def remove_item(request: HttpRequest, request_id: int, item_id: int) -> DocumentRequest:
    item = _item(request, request_id, item_id)
    perform(acting_user(request), actions.remove_document_item, item)
    return _request(request, request_id)


@router.post("/document-requests/{request_id}/items/{item_id}/answer", response=RequestItemOut)
def answer(
    request: HttpRequest,
    request_id: int,
    item_id: int,
    answer: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> DocumentItem:
    item = _item(request, request_id, item_id)
    checked = uploads(files or [])
    return perform(acting_user(request), actions.answer_document_item, item, answer=answer, files=checked)


@router.post(
    "/document-requests/{request_id}/items/{item_id}/files/{file_id}/withdraw", response=RequestItemOut
)
def withdraw_file(request: HttpRequest, request_id: int, item_id: int, file_id: uuid.UUID) -> DocumentItem:
    files = DocumentFile.objects.visible_to(acting_user(request)).select_related(
        "item__request__inspection__round", "item__request__inspection__unit"
    )
    file = get_object_or_404(files, pk=file_id, item_id=item_id, item__request_id=request_id)
    return perform(acting_user(request), actions.withdraw_document_file, file)


@router.post("/document-requests/{request_id}/items/{item_id}/accept", response=RequestItemOut)
def accept(request: HttpRequest, request_id: int, item_id: int) -> DocumentItem:
    item = _item(request, request_id, item_id)
    return perform(acting_user(request), actions.accept_document_item, item)


@router.post("/document-requests/{request_id}/items/{item_id}/return", response=RequestItemOut)
def return_item(
    request: HttpRequest, request_id: int, item_id: int, payload: RequestReturnIn
) -> DocumentItem:
    item = _item(request, request_id, item_id)
    return perform(acting_user(request), actions.return_document_item, item, reason=payload.reason)
