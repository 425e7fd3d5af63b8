"""API of rectification's look-back (巡察“回头看”): the checks of a look-back inspection (filters inspection,
verdict) and one check; POST ``lookback-checks/`` records the verdict on an earlier item (201 when new, 200
when it updates the item's check); ``follow-up`` drafts a finding of the look-back inspection from a check
that found the item not really fixed.

Out of scope is the same 404 as a missing id; an id in a body that the caller cannot see (or an item that is
not among the look-back's earlier items) is a 422 on that field; bad input is 422 with a Chinese message.
"""

import datetime
from typing import Annotated, Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced
from xuncha.findings.actions import categories
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..actions import lookback as actions
from ..actions.common import NOTE_LIMIT
from ..choices import Verdict
from ..lookback import earlier_items, liaison_only
from ..models import Item, LookbackCheck

router = Router(tags=["整改"])


class LookbackCheckOut(Schema):
    id: int
    inspection_id: int
    item_id: int
    item_code: str
    earlier_inspection_id: int
    problem: str
    verdict: Verdict
    verdict_label: str = Field(..., alias="get_verdict_display")
    note: str
    checked_by: str
    checked_at: datetime.datetime
    finding_id: int | None

    @staticmethod
    def resolve_item_code(obj: LookbackCheck) -> str:
        return obj.item.code

    @staticmethod
    def resolve_earlier_inspection_id(obj: LookbackCheck) -> int:
        return obj.item.inspection_id

    @staticmethod
    def resolve_problem(obj: LookbackCheck) -> str:
        return str(obj.item.problem) if obj.item.problem is not None else obj.item.issue

    @staticmethod
    def resolve_finding_id(obj: LookbackCheck, context: dict[str, Any]) -> int | None:
        """The team's new finding, not for the unit's liaison (the team's findings are not the unit's)."""
        user = acting_user(context["request"])
        return None if liaison_only(user, obj.inspection) else obj.finding_id

    @staticmethod
    def resolve_checked_by(obj: LookbackCheck) -> str:
        return obj.checked_by.username if obj.checked_by else "system"


class LookbackCheckFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    verdict: Verdict | None = None


class LookbackCheckIn(Schema):
    inspection: int
    item: int
    verdict: str = Field(..., max_length=12)
    note: str = Field(..., max_length=NOTE_LIMIT)


class FollowUpIn(Schema):
    focus: int | None = None


def _checks(request: HttpRequest) -> Any:
    return LookbackCheck.objects.visible_to(acting_user(request)).select_related(
        "item__problem", "checked_by", "inspection__round"
    )


@router.get("/lookback-checks/", response=list[LookbackCheckOut])
@paginate(BoundedPagination)
def checks(request: HttpRequest, filters: Query[LookbackCheckFilter]) -> Any:
    return filters.filter(_checks(request))


@router.get("/lookback-checks/{check_id}", response=LookbackCheckOut)
def check_detail(request: HttpRequest, check_id: int) -> LookbackCheck:
    return get_object_or_404(_checks(request), pk=check_id)


@router.post("/lookback-checks/", response={200: LookbackCheckOut, 201: LookbackCheckOut})
def record_check(request: HttpRequest, payload: LookbackCheckIn) -> Status[LookbackCheck]:
    user = acting_user(request)
    inspection = cast(
        Inspection, referenced(Inspection, user, payload.inspection, field="inspection", label="巡察")
    )
    item = cast(
        Item,
        referenced(
            Item, user, payload.item, field="item", label="原整改事项", among=earlier_items(inspection)
        ),
    )
    existed = LookbackCheck.objects.filter(inspection=inspection, item=item).exists()
    check = perform(
        user, actions.record_check, inspection, item=item, verdict=payload.verdict, note=payload.note
    )
    return Status(200 if existed else 201, check)


@router.post("/lookback-checks/{check_id}/follow-up", response=LookbackCheckOut)
def follow_up(request: HttpRequest, check_id: int, payload: FollowUpIn) -> LookbackCheck:
    user = acting_user(request)
    check = get_object_or_404(_checks(request), pk=check_id)
    focus = referenced(
        Category, user, payload.focus, field="focus", label="三个聚焦", among=categories(SchemeKind.FOCUS)
    )
    return perform(user, actions.follow_up, check, focus=focus)
