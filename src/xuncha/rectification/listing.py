"""The list of items a user sees, with its filters (round, inspection, light, kind, source, overdue); the
page, the ledger and the API share it, so every place filters alike."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from xuncha.core.models import User
from xuncha.orgs.models import Committee, CommitteeSettings
from xuncha.rounds.deadlines import settings_for

from .choices import ItemStatus, Light
from .deadlines import light, light_filter
from .models import Item
from .models.items import ItemQuerySet


@dataclass
class ItemFilters:
    round: int | None = None
    inspection: int | None = None
    light: str = ""
    kind: str = ""
    source: str = ""
    overdue: bool = False


def _settings(items: ItemQuerySet) -> list[CommitteeSettings]:
    ids = items.values_list("inspection__round__committee_id", flat=True).distinct()
    return [settings_for(c) for c in Committee.objects.filter(pk__in=ids).select_related("settings")]


def items_for(user: User, filters: ItemFilters, today: datetime.date | None = None) -> ItemQuerySet:
    """The user's visible items in force (边巡边改, and the tasks of approved plans), filtered, each
    annotated with ``next_due``, earliest deadline first."""
    day = today or timezone.localdate()
    items = Item.objects.visible_to(user).active().with_next_due()
    if filters.round:
        items = items.filter(inspection__round_id=filters.round)
    if filters.inspection:
        items = items.filter(inspection_id=filters.inspection)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.source:
        items = items.filter(source=filters.source)
    if filters.overdue:
        items = items.filter(~Q(status=ItemStatus.CLOSED) & Q(next_due__lt=day))
    if filters.light:
        items = items.filter(light_filter(filters.light, _settings(items), day))
    return items.select_related(
        "inspection__unit", "inspection__round__committee__settings", "problem__feedback"
    ).order_by(F("next_due").asc(nulls_last=True), "inspection_id", "number")


def light_of(item: Item, today: datetime.date | None = None) -> Light:
    """The item's light; ``item`` comes from ``items_for`` (``next_due`` annotated) or is read fresh."""
    due = getattr(item, "next_due", None) if hasattr(item, "next_due") else item.next_due_on()
    soon = settings_for(item.inspection.round.committee).due_soon_days
    return light(due, item.status, soon_days=soon, today=today)
