"""API of duplicates: ``POST /petitions/{id}/merge`` confirms petitions as one matter, the same action as
the petition page's confirm button.

The petition in the path out of the caller's sight is a 404 as for a missing id; petitions named in the
body are looked up in the caller's sight, so another team's id is the same 422 as one that does not exist.
"""

import datetime
import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform

from ..actions import duplicates as actions
from ..actions.petitions import member_roles
from ..choices import Channel
from ..models import DuplicateGroup, Petition

router = Router(tags=["信访受理"])


class MergeIn(Schema):
    others: list[uuid.UUID]


class DuplicateMemberOut(Schema):
    id: uuid.UUID
    number: str
    inspection_id: int
    channel: Channel
    channel_label: str = Field(..., alias="get_channel_display")
    received_at: datetime.datetime


class GroupOut(Schema):
    id: int
    committee_id: int
    confirmed_by: str
    confirmed_at: datetime.datetime
    # The group's petitions the caller sees (a group of the office's may span teams).
    petitions: list[DuplicateMemberOut]


def _others(user: User, ids: list[uuid.UUID]) -> list[Petition]:
    wanted = set(ids)
    if len(wanted) > actions.MAX_OTHERS:
        raise Refused(f"一次最多合并 {actions.MAX_OTHERS} 件。", field="others")
    found = list(Petition.objects.visible_to(user).filter(pk__in=wanted).select_related("inspection__round"))
    if len(found) != len(wanted):
        raise Refused(actions.NOT_VISIBLE, field="others")
    return found


def _group_out(user: User, group: DuplicateGroup) -> dict[str, object]:
    members = (
        Petition.objects.visible_to(user).filter(duplicate_group=group).order_by("received_at", "number")
    )
    return {
        "id": group.pk,
        "committee_id": group.committee_id,
        "confirmed_by": group.confirmed_by.username,
        "confirmed_at": group.confirmed_at,
        "petitions": list(members),
    }


@router.post("/petitions/{petition_id}/merge", response=GroupOut)
def merge(request: HttpRequest, petition_id: uuid.UUID, payload: MergeIn) -> dict[str, object]:
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related("inspection__round"), pk=petition_id
    )
    # The role before the body: who may not handle this petition gets 403 whatever it names.
    require(user, member_roles(petition.inspection), what="确认重复件")
    merged = perform(user, actions.confirm_duplicates, petition, others=_others(user, payload.others))
    group = DuplicateGroup.objects.select_related("confirmed_by").get(petitions=merged)
    return _group_out(user, group)
