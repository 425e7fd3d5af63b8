"""API of filings (报备, 上下联动): ``GET /filings/`` (filters committee, kind, pending),
``GET /filings/{id}``, ``POST /filings/`` (a lower office files a round plan, a team report summary or a
rectification summary), ``POST /filings/{id}/acknowledge`` (the upper office's 签收) and
``GET /filings/lateness`` (per lower committee: owed, filed, acknowledged, late). The same actions as the
pages.

A filing is seen by the office that filed it and the office above; anyone else gets the 404 of a missing
id. A committee in a body that the caller does not file for is a 422 on that field.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.choices import Role
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Committee

from .. import filings
from ..models import Filing, FilingKind

router = Router(tags=["上下联动"])


class FilingOut(Schema):
    id: int
    committee_id: int
    committee: str
    upper_id: int
    kind: FilingKind
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    summary: str
    snapshot: dict[str, Any]
    text: str
    due_on: datetime.date
    filed_at: datetime.datetime
    is_late: bool
    days_late: int
    acknowledged_at: datetime.datetime | None
    acknowledgement: str

    @staticmethod
    def resolve_committee(obj: Filing) -> str:
        return obj.committee.name


class FilingFilter(Schema):
    committee: int | None = None
    kind: FilingKind | None = None
    pending: bool | None = Field(None, description="true：只列待签收的")


class FilingIn(Schema):
    committee: int = Field(..., description="报备的（下级）党委")
    kind: FilingKind
    source: int = Field(..., description="轮次 id（巡察工作安排），或巡察 id（巡察报告情况、整改情况）")
    summary: str = Field("", max_length=filings.SUMMARY_LIMIT)


class FilingAcknowledgeIn(Schema):
    note: str = Field("", max_length=filings.NOTE_LIMIT)


class FilingLatenessOut(Schema):
    committee_id: int
    committee: str
    owed: int
    filed: int
    acknowledged: int
    overdue: int
    filed_late: int


def _filings(request: HttpRequest) -> Any:
    return Filing.objects.visible_to(acting_user(request)).select_related("committee")


@router.get("/filings/", response=list[FilingOut])
@paginate(BoundedPagination)
def filing_list(request: HttpRequest, filters: Query[FilingFilter]) -> Any:
    found = _filings(request)
    if filters.committee is not None:
        found = found.filter(committee_id=filters.committee)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.pending:
        found = found.filter(acknowledged_at__isnull=True)
    return found


@router.get("/filings/lateness", response=list[FilingLatenessOut])
def filing_lateness(request: HttpRequest) -> list[dict[str, Any]]:
    """The lower committees of the caller's office, with their filing record (counts only)."""
    user = acting_user(request)
    committees = Committee.objects.filter(pk__in=filings.lower_committee_ids(user)).order_by("pk")
    return [
        {
            "committee_id": row.committee.pk,
            "committee": row.committee.name,
            "owed": row.owed,
            "filed": row.filed,
            "acknowledged": row.acknowledged,
            "overdue": row.overdue,
            "filed_late": row.filed_late,
        }
        for row in filings.lateness(committees)
    ]


@router.get("/filings/{filing_id}", response=FilingOut)
def filing_detail(request: HttpRequest, filing_id: int) -> Filing:
    return get_object_or_404(_filings(request), pk=filing_id)


@router.post("/filings/", response={201: FilingOut})
def file_filing(request: HttpRequest, payload: FilingIn) -> Status[Filing]:
    user = acting_user(request)
    committee = referenced(
        Committee,
        user,
        payload.committee,
        field="committee",
        label="党委",
        among=Committee.objects.filter(pk__in=user.scopes.ids(Role.OFFICE)),
    )
    assert committee is not None  # noqa: S101 - the id is required
    filing = perform(
        user,
        filings.file_filing,
        committee=committee,
        kind=payload.kind,
        source_id=payload.source,
        summary=payload.summary,
    )
    return Status(201, filing)


@router.post("/filings/{filing_id}/acknowledge", response=FilingOut)
def acknowledge_filing(request: HttpRequest, filing_id: int, payload: FilingAcknowledgeIn) -> Filing:
    user = acting_user(request)
    filing = get_object_or_404(_filings(request), pk=filing_id)
    return perform(user, filings.acknowledge_filing, filing, note=payload.note)
