"""Batch actions on rectification items in the API, as on the list page (rectification.batch): the
office's 核实销号 or 退回 of the given items' closure requests, all or nothing. An item out of the user's
scope is a 404 like a missing one; refusals are a 422 with one entry per refused item."""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from xuncha.core.api import BatchOut
from xuncha.core.batch import run_batch, selected
from xuncha.core.permissions import acting_user

from .. import batch
from ..models import Item

router = Router(tags=["整改"])


class RectificationItemBatchIn(Schema):
    ids: list[int]
    action: Literal["close", "return"]
    note: str = ""  # 核实销号: the office's comments, recorded on each
    reason: str = ""  # 退回: why, recorded on each


@router.post("/rectification-items/batch", response=BatchOut)
def item_batch(request: HttpRequest, payload: RectificationItemBatchIn) -> dict[str, int]:
    user = acting_user(request)
    items = Item.objects.visible_to(user).select_related("inspection__round", "inspection__unit")
    rows = selected(payload.ids, items.order_by("inspection_id", "number"))
    if len(rows) != len(set(payload.ids)):
        raise Http404
    if payload.action == batch.CLOSE:
        step = batch.close(user, note=payload.note)
    else:
        step = batch.give_back(user, reason=payload.reason)
    return {"count": run_batch(rows, step, batch.name)}
