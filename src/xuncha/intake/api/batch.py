"""Batch actions on petitions in the API, as on the list page (intake.batch): 办结 or 存查 of the given
petitions, all or nothing. An id out of the user's scope is a 404 like a missing one; refusals are a 422
with one entry per refused petition."""

import uuid
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from xuncha.core.api import BatchOut
from xuncha.core.batch import run_batch, selected
from xuncha.core.permissions import acting_user

from .. import batch
from ..listing import listed

router = Router(tags=["信访受理"])


class PetitionBatchIn(Schema):
    ids: list[uuid.UUID]
    action: Literal["conclude", "file"]
    conclusion: str = ""  # 办结: the conclusion, recorded on each
    scope_reason: str = ""  # 存查: personal_claim, litigation or other_matter
    note: str = ""  # 存查: why neither accepted nor transferred


@router.post("/petitions/batch", response=BatchOut)
def petition_batch(request: HttpRequest, payload: PetitionBatchIn) -> dict[str, int]:
    user = acting_user(request)
    rows = selected(payload.ids, listed(user))
    if len(rows) != len(set(payload.ids)):
        raise Http404
    if payload.action == batch.CONCLUDE:
        step = batch.conclude(user, conclusion=payload.conclusion)
    else:
        step = batch.file(user, scope_reason=payload.scope_reason, note=payload.note)
    return {"count": run_batch(rows, step, batch.name)}
