"""Batch actions on a document request's items in the API, as on its page (fieldwork.batch): 接收 or 退回
the given items, all or nothing. An item out of the user's scope, or of another request, is a 404 like a
missing one; refusals are a 422 with one entry per refused item."""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from xuncha.core.api import BatchOut
from xuncha.core.batch import run_batch, selected
from xuncha.core.permissions import acting_user

from .. import batch
from ..models import DocumentItem

router = Router(tags=["了解工作"])


class DocumentItemBatchIn(Schema):
    ids: list[int]
    action: Literal["accept", "return"]
    reason: str = ""  # 退回: what is missing, recorded on each


@router.post("/document-requests/{request_id}/items/batch", response=BatchOut)
def item_batch(request: HttpRequest, request_id: int, payload: DocumentItemBatchIn) -> dict[str, int]:
    user = acting_user(request)
    items = DocumentItem.objects.visible_to(user).filter(request_id=request_id)
    rows = selected(payload.ids, items.select_related("request__inspection__round").order_by("position"))
    if len(rows) != len(set(payload.ids)):
        raise Http404
    if payload.action == batch.ACCEPT:
        step = batch.accept(user)
    else:
        step = batch.give_back(user, reason=payload.reason)
    return {"count": run_batch(rows, step, batch.name)}
