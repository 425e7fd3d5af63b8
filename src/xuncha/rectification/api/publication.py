"""API of rectification's publication (双公开).

Staff: ``/rectification-publications/`` (filters ``inspection``, ``status``) and ``/{id}`` for whoever reads
the inspection's rectification, with ``publish`` and ``withdraw`` (a reason) for the committee's office;
out of scope is the same 404 as a missing id. Drafts are made on the page (the editor shows why an item may
not be published).

Public, no login (like the portal's petitions API): ``GET /public/rectification/`` lists the published
rectification reports and ``/public/rectification/{public_id}`` reads one — what the public page shows and
nothing else (no ids of the database, no staff, no internal text); a draft, a withdrawn or a missing one
is the same 404.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform

from .. import publication as rules
from ..actions import publication as actions
from ..actions.common import NOTE_LIMIT
from ..choices import ItemKind, ItemStatus, PublicationStatus
from ..models import Publication, PublishedItem

router = Router(tags=["整改"])


class EntryOut(Schema):
    item_id: int
    code: str
    public_text: str
    status: ItemStatus | None
    kind: ItemKind | None
    confidential: bool

    @staticmethod
    def resolve_code(obj: PublishedItem) -> str:
        return obj.item.code

    @staticmethod
    def resolve_status(obj: PublishedItem) -> str | None:
        return obj.status or None

    @staticmethod
    def resolve_kind(obj: PublishedItem) -> str | None:
        return obj.kind or None

    @staticmethod
    def resolve_confidential(obj: PublishedItem) -> bool:
        return obj.item.confidential


class PublicationOut(Schema):
    id: int
    inspection_id: int
    public_id: uuid.UUID
    title: str
    status: PublicationStatus
    status_label: str = Field(..., alias="get_status_display")
    published_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None


class PublicationDetailOut(PublicationOut):
    summary: str
    withdraw_reason: str
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj: Publication) -> list[Any]:
        return list(obj.entries.select_related("item").order_by("item__number"))


class PublicationFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: PublicationStatus | None = None


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=NOTE_LIMIT)


def _publication(request: HttpRequest, publication_id: int) -> Publication:
    return get_object_or_404(
        Publication.objects.visible_to(acting_user(request)).select_related("inspection__round"),
        pk=publication_id,
    )


@router.get("/rectification-publications/", response=list[PublicationOut])
@paginate(BoundedPagination)
def publications(request: HttpRequest, filters: Query[PublicationFilter]) -> Any:
    return filters.filter(Publication.objects.visible_to(acting_user(request)))


@router.get("/rectification-publications/{publication_id}", response=PublicationDetailOut)
def publication_detail(request: HttpRequest, publication_id: int) -> Publication:
    return _publication(request, publication_id)


@router.post("/rectification-publications/{publication_id}/publish", response=PublicationDetailOut)
def publish(request: HttpRequest, publication_id: int) -> Publication:
    return perform(acting_user(request), actions.publish, _publication(request, publication_id))


@router.post("/rectification-publications/{publication_id}/withdraw", response=PublicationDetailOut)
def withdraw(request: HttpRequest, publication_id: int, payload: WithdrawIn) -> Publication:
    publication = _publication(request, publication_id)
    return perform(acting_user(request), actions.withdraw, publication, reason=payload.reason)


# The public side.


class PublicSummaryOut(Schema):
    public_id: uuid.UUID
    title: str
    committee: str
    round: str
    unit: str
    published_on: datetime.date

    @staticmethod
    def resolve_committee(obj: Publication) -> str:
        return obj.inspection.round.committee.name

    @staticmethod
    def resolve_round(obj: Publication) -> str:
        return obj.inspection.round.name

    @staticmethod
    def resolve_unit(obj: Publication) -> str:
        return obj.inspection.unit.name

    @staticmethod
    def resolve_published_on(obj: Publication) -> datetime.date:
        assert obj.published_at is not None  # noqa: S101 - published ones have it
        return timezone.localdate(obj.published_at)


class PublicEntryOut(Schema):
    text: str
    state: str


class PublicCountsOut(Schema):
    done: int
    ongoing: int
    long_term: int


class PublicDetailOut(PublicSummaryOut):
    summary: str
    counts: PublicCountsOut
    entries: list[PublicEntryOut]

    @staticmethod
    def resolve_counts(obj: Publication) -> dict[str, int]:
        return rules.counts(obj.public_entries)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_entries(obj: Publication) -> list[dict[str, str]]:
        return [
            {"text": e.public_text, "state": rules.public_state(e)}
            for e in obj.public_entries  # type: ignore[attr-defined]
        ]


def _published() -> Any:
    return Publication.objects.public().select_related("inspection__round__committee", "inspection__unit")


@router.get("/public/rectification/", auth=None, response=list[PublicSummaryOut])
@paginate(BoundedPagination)
def public_publications(request: HttpRequest) -> Any:
    return _published().order_by("-published_at", "-pk")


@router.get("/public/rectification/{public_id}", auth=None, response=PublicDetailOut)
def public_publication(request: HttpRequest, public_id: uuid.UUID) -> Publication:
    publication = _published().filter(public_id=public_id).first()
    if publication is None:
        raise Http404
    publication.public_entries = rules.public_entries(publication)
    return publication
