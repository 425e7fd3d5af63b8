"""API of duplicates: ``POST /petitions/{id}/merge`` confirms petitions as one matter, the same action as
the petition page's confirm button; ``POST /petitions/{id}/group`` (归为一组 with another petition, or into
its group) and ``/ungroup`` (移出), each with a reason; ``GET /petitions/{id}/duplicates`` lists the open
suggested near-duplicates the caller sees both sides of, each with its evidence (paraphrase.py: shared
persons and entities, text similarity and score).

The petition in the path out of the caller's sight is a 404 as for a missing id; petitions named in the
body are looked up in the caller's sight, so another team's id is the same 422 as one that does not exist.
"""

import datetime
import uuid

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform

from .. import paraphrase
from ..actions import duplicates as actions
from ..actions.petitions import member_roles
from ..choices import Channel, SuggestionField
from ..models import DuplicateCandidate, DuplicateGroup, Petition, Suggestion

router = Router(tags=["信访受理"])
PANEL_LIMIT = 20


class MergeIn(Schema):
    others: list[uuid.UUID]
    reason: str = ""  # optional, as on the petition page's confirm form


class GroupIn(Schema):
    other: uuid.UUID
    reason: str


class UngroupIn(Schema):
    reason: str


class DuplicateEvidenceOut(Schema):
    score: float
    text: float  # character 2–3-gram TF-IDF cosine
    overlap: float  # IDF-weighted share of the shorter text's bigrams found in the other
    persons: list[str]  # roster persons both name
    entities: list[str]  # places, projects, companies, sums, dates both name


class CandidateOut(Schema):
    id: int
    other_id: uuid.UUID
    other_number: str
    similarity: float  # as found at intake
    evidence: DuplicateEvidenceOut


class CandidateListOut(Schema):
    items: list[CandidateOut]
    count: int


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
    merged = perform(
        user,
        actions.confirm_duplicates,
        petition,
        others=_others(user, payload.others),
        reason=payload.reason,
    )
    group = DuplicateGroup.objects.select_related("confirmed_by").get(petitions=merged)
    return _group_out(user, group)


def _petition(user: User, petition_id: uuid.UUID) -> Petition:
    return get_object_or_404(
        Petition.objects.visible_to(user).select_related("inspection__round", "duplicate_group"),
        pk=petition_id,
    )


@router.post("/petitions/{petition_id}/group", response=GroupOut)
def group(request: HttpRequest, petition_id: uuid.UUID, payload: GroupIn) -> dict[str, object]:
    """归为一组: the petition and ``other`` (or the group either is in already) are one matter."""
    user = acting_user(request)
    petition = _petition(user, petition_id)
    require(user, member_roles(petition.inspection), what="确认重复件")
    [other] = _others(user, [payload.other])
    grouped = perform(user, actions.group_petitions, petition, other=other, reason=payload.reason)
    found = DuplicateGroup.objects.select_related("confirmed_by").get(petitions=grouped)
    return _group_out(user, found)


@router.post("/petitions/{petition_id}/ungroup", response={200: DuplicateMemberOut})
def ungroup(request: HttpRequest, petition_id: uuid.UUID, payload: UngroupIn) -> Petition:
    """移出: the petition leaves its group."""
    user = acting_user(request)
    petition = _petition(user, petition_id)
    require(user, member_roles(petition.inspection), what="调整重复件组")
    return perform(user, actions.leave_group, petition, reason=payload.reason)


def _labels(petitions: list[Petition]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    rows = Suggestion.objects.filter(petition__in=petitions, field=SuggestionField.PERSON).values_list(
        "petition_id", "value", "label"
    )
    for petition_id, value, label in rows:
        found.setdefault(str(petition_id), {})[value] = label
    return found


def _text(petition: Petition) -> str:
    parts = (petition.title, petition.content, petition.subject_name, petition.subject_post)
    return "\n".join(p for p in parts if p)


@router.get("/petitions/{petition_id}/duplicates", response=CandidateListOut)
def candidates(request: HttpRequest, petition_id: uuid.UUID) -> dict[str, object]:
    """Open suggested near-duplicates of the petition (both sides in sight), with their evidence."""
    user = acting_user(request)
    petition = _petition(user, petition_id)
    pairs = list(
        DuplicateCandidate.objects.visible_to(user)
        .filter(dismissed_by__isnull=True)
        .filter(Q(petition=petition) | Q(other=petition))
        .select_related("petition", "other")
        .order_by("-similarity", "pk")[:PANEL_LIMIT]
    )
    others = [c.other if c.petition_id == petition.pk else c.petition for c in pairs]
    texts = paraphrase.Texts([_text(petition), *(_text(o) for o in others)])
    persons = _labels([petition, *others])
    own = persons.get(str(petition.pk), {})
    items = []
    for i, (pair, other) in enumerate(zip(pairs, others, strict=True), start=1):
        evidence = texts.evidence(0, i, own, persons.get(str(other.pk), {}))
        evidence.persons = [own[pk] for pk in evidence.persons]
        items.append(
            {
                "id": pair.pk,
                "other_id": other.pk,
                "other_number": other.number,
                "similarity": pair.similarity,
                "evidence": evidence.as_dict(),
            }
        )
    return {"items": items, "count": len(items)}
