"""The dashboard's rollups (``Tally``, ``ItemTally``), kept exact.

A rollup is never adjusted by a delta: after any write that can change the counts of an inspection, its rows
are recounted from the base tables (a GROUP BY over that inspection's rows, index-backed), in the same
transaction, under a lock of the inspection row so that two writers to one inspection recount one after the
other and the second sees the first's rows. The writes are found through Django's signals (``connect``), so
no app has to know about analytics; the one write that bypasses them (``confirm_duplicates``' UPDATE of the
petitions' group) is followed by its audit event, which is hooked instead. Bulk loads, which bypass every
signal, call ``rebuild`` after loading. ``check`` recomputes everything and lists the differences."""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

from xuncha.core.models import AuditEvent
from xuncha.findings.choices import FindingStatus
from xuncha.findings.models import Finding
from xuncha.intake.models import DuplicateGroup, Petition
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Item, Milestone, Plan
from xuncha.rounds.models import Inspection

from .models import Dimension, ItemTally, Tally

ROWS = Count("*")  # see figures.ROWS: the petitions' counts stay index-only scans of petition_figures_idx
CHUNK = 50  # inspections recounted per statement when rebuilding

CLOSED = Q(status=ItemStatus.CLOSED)
ON_TIME = CLOSED & (Q(due_on__isnull=True) | Q(closed_at__date__lte=F("due_on")))


class LocalMonth(TruncMonth):
    """``TruncMonth`` (the month in the current time zone) computed by the database on SQLite too. Django's
    SQLite backend has no time zones and calls back into Python for every row (``django_datetime_trunc``),
    which grows with the data; where the zone keeps one offset all year (China's has had no summer time since
    1991), SQLite shifts the stored UTC time by that offset in its own ``strftime`` instead, giving the same
    local month start. A zone with summer time keeps Django's way (exact, row by row)."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        minutes = _fixed_offset_minutes()
        if minutes is None:
            return super().as_sqlite(compiler, connection, **extra)
        sql, params = compiler.compile(self.lhs)
        return f"strftime(%s, {sql}, %s)", ["%Y-%m-01 00:00:00", *params, f"{minutes:+d} minutes"]


def _fixed_offset_minutes() -> int | None:
    """The current zone's offset from UTC in minutes if it is the same in winter and summer, else None."""
    zone = timezone.get_current_timezone()
    year = timezone.now().year
    offsets = {zone.utcoffset(datetime.datetime(year, month, 1)) for month in (1, 7)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds()) // 60


def items_with_next_due() -> QuerySet[Item]:
    """Active items with ``next_due``: the earliest open milestone's date, else the item's own deadline."""
    open_milestones = (
        Milestone.objects.filter(item=OuterRef("pk"))
        .exclude(status=ItemStatus.CLOSED)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return Item.objects.active().annotate(next_due=Coalesce(Subquery(open_milestones), F("due_on")))


# ---- counting from the base tables ----

PETITION_CHOICES = (Dimension.CHANNEL, Dimension.SCOPE)
PETITION_CATEGORIES = {Dimension.DISCIPLINE: "discipline", Dimension.FOCUS: "focus"}
FINDING_CATEGORIES = {
    Dimension.FINDING_FOCUS: "focus",
    Dimension.FINDING_DISCIPLINE: "discipline",
    Dimension.FINDING_NATURE: "nature",
    Dimension.FINDING_FOUR_WINDS: "four_winds",
}


def _month(value: Any) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return f"{day:%Y-%m}"


def _categories(qs: QuerySet[Any], fields: dict[Dimension, str]) -> list[Tally]:
    found = []
    for dimension, name in fields.items():
        for r in qs.values("inspection_id", f"{name}_id").annotate(n=ROWS).order_by():
            found.append(
                Tally(
                    inspection_id=r["inspection_id"],
                    dimension=dimension,
                    category_id=r[f"{name}_id"],
                    n=r["n"],
                )
            )
    return found


def petition_tallies(ids: Iterable[int] | None) -> list[Tally]:
    """The petitions' rows of the inspections ``ids`` (None: of all), counted from the petitions."""
    qs = Petition.objects.all() if ids is None else Petition.objects.filter(inspection_id__in=list(ids))
    found = []
    for dimension in PETITION_CHOICES:
        for r in qs.values("inspection_id", dimension).annotate(n=ROWS).order_by():
            found.append(
                Tally(inspection_id=r["inspection_id"], dimension=dimension, value=r[dimension], n=r["n"])
            )
    months = qs.annotate(month=LocalMonth("received_at")).values("inspection_id", "month").annotate(n=ROWS)
    for r in months.order_by():
        found.append(
            Tally(
                inspection_id=r["inspection_id"],
                dimension=Dimension.MONTH,
                value=_month(r["month"]),
                n=r["n"],
            )
        )
    found += _categories(qs, PETITION_CATEGORIES)
    grouped = qs.filter(duplicate_group__isnull=False).values("inspection_id", "duplicate_group_id")
    for r in grouped.annotate(n=ROWS).order_by():
        found.append(
            Tally(
                inspection_id=r["inspection_id"],
                dimension=Dimension.GROUP,
                value=str(r["duplicate_group_id"]),
                n=r["n"],
            )
        )
    return found


def finding_tallies(ids: Iterable[int] | None) -> list[Tally]:
    """The signed-off findings' rows of the inspections ``ids`` (None: of all)."""
    qs = Finding.objects.filter(status=FindingStatus.SIGNED_OFF)
    return _categories(qs if ids is None else qs.filter(inspection_id__in=list(ids)), FINDING_CATEGORIES)


def item_tallies(ids: Iterable[int] | None) -> list[ItemTally]:
    """The active items' rows of the inspections ``ids`` (None: of all)."""
    qs = items_with_next_due()
    if ids is not None:
        qs = qs.filter(inspection_id__in=list(ids))
    flags = qs.annotate(
        closed=Case(When(CLOSED, then=Value(True)), default=Value(False), output_field=BooleanField()),
        on_time=Case(When(ON_TIME, then=Value(True)), default=Value(False), output_field=BooleanField()),
        # A closed item's deadline no longer counts (its light is 已销号): one row for all of them.
        due=Case(When(CLOSED, then=Value(None)), default=F("next_due"), output_field=DateField()),
    )
    grouped = flags.values("inspection_id", "closed", "on_time", "due").annotate(n=Count("pk"))
    return [
        ItemTally(
            inspection_id=r["inspection_id"],
            closed=r["closed"],
            on_time=r["on_time"],
            next_due=r["due"],
            n=r["n"],
        )
        for r in grouped.order_by()
    ]


PETITION_DIMENSIONS = (*PETITION_CHOICES, Dimension.MONTH, *PETITION_CATEGORIES, Dimension.GROUP)
FINDING_DIMENSIONS = tuple(FINDING_CATEGORIES)


# ---- recounting ----


def _lock(ids: set[int]) -> list[int]:
    """Lock the inspections' rows (in one order, so two writers cannot deadlock on them)."""
    locked = Inspection.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return list(locked.values_list("pk", flat=True))


def recount_petitions(ids: set[int]) -> None:
    with transaction.atomic():
        found = _lock(ids)
        Tally.objects.filter(inspection_id__in=found, dimension__in=PETITION_DIMENSIONS).delete()
        Tally.objects.bulk_create(petition_tallies(found))


def recount_findings(ids: set[int]) -> None:
    with transaction.atomic():
        found = _lock(ids)
        Tally.objects.filter(inspection_id__in=found, dimension__in=FINDING_DIMENSIONS).delete()
        Tally.objects.bulk_create(finding_tallies(found))


def recount_items(ids: set[int]) -> None:
    with transaction.atomic():
        found = _lock(ids)
        ItemTally.objects.filter(inspection_id__in=found).delete()
        ItemTally.objects.bulk_create(item_tallies(found))


def rebuild(ids: Iterable[int] | None = None) -> None:
    """The rollups of the inspections ``ids`` (None: of all) recounted from the base tables, some
    inspections at a time (after a bulk load, which bypasses the signals, or to repair)."""
    every = Inspection.objects.order_by("pk").values_list("pk", flat=True)
    chosen = sorted(every if ids is None else ids)
    for start in range(0, len(chosen), CHUNK):
        chunk = set(chosen[start : start + CHUNK])
        recount_petitions(chunk)
        recount_findings(chunk)
        recount_items(chunk)


def _key(row: Tally | ItemTally) -> tuple[Any, ...]:
    if isinstance(row, Tally):
        return ("tally", row.inspection_id, row.dimension, row.value, row.category_id)
    return ("items", row.inspection_id, row.closed, row.on_time, row.next_due)


def _counts(rows: Iterable[Tally | ItemTally]) -> Counter[tuple[Any, ...]]:
    counts: Counter[tuple[Any, ...]] = Counter()
    for row in rows:
        counts[_key(row)] += row.n
    return counts


def check() -> list[str]:
    """The differences between the rollups and a recount of the base tables, one line each (none: empty)."""
    stored = _counts([*Tally.objects.all(), *ItemTally.objects.all()])
    expected = _counts([*petition_tallies(None), *finding_tallies(None), *item_tallies(None)])
    return [
        f"{' '.join(str(part) for part in key)}: 汇总 {stored.get(key, 0)}，重新统计 {expected.get(key, 0)}"
        for key in sorted(stored.keys() | expected.keys(), key=str)
        if stored.get(key, 0) != expected.get(key, 0)
    ]


# ---- the writes that change them ----


# The petition's columns its rows count: a save that names only others (the analysis' ``analysed_at``, a
# conclusion, a status) cannot change them and is not recounted.
PETITION_COLUMNS = frozenset(
    ("inspection", "channel", "scope", "received_at", "discipline", "focus", "duplicate_group")
)
PETITION_COLUMNS |= {f"{name}_id" for name in ("inspection", "discipline", "focus", "duplicate_group")}


def _petition_saved(instance: Petition, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if not raw and (update_fields is None or PETITION_COLUMNS & set(update_fields)):
        recount_petitions({instance.inspection_id})


def _finding_saved(instance: Finding, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount_findings({instance.inspection_id})


def _item_saved(instance: Item, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount_items({instance.inspection_id})


def _milestone_saved(instance: Milestone, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount_items(set(Item.objects.filter(pk=instance.item_id).values_list("inspection_id", flat=True)))


def _plan_saved(instance: Plan, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # approving a plan makes its items active
        recount_items({instance.inspection_id})


def _group_inspections(group_id: Any) -> set[int]:
    return set(Petition.objects.filter(duplicate_group_id=group_id).values_list("inspection_id", flat=True))


def _group_deleting(instance: DuplicateGroup, **kwargs: Any) -> None:
    instance._tallied_inspections = _group_inspections(instance.pk)  # type: ignore[attr-defined]


def _group_deleted(instance: DuplicateGroup, **kwargs: Any) -> None:
    recount_petitions(getattr(instance, "_tallied_inspections", set()))


def _audited(instance: AuditEvent, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    # confirm_duplicates moves petitions into a group with one UPDATE (no signal), then records this event.
    if created and not raw and instance.action == "petition.duplicates_confirmed":
        recount_petitions(_group_inspections(instance.object_id))


def connect() -> None:
    receivers: list[tuple[Any, type[Model], Any]] = [
        (_petition_saved, Petition, (post_save, post_delete)),
        (_finding_saved, Finding, (post_save, post_delete)),
        (_item_saved, Item, (post_save, post_delete)),
        (_milestone_saved, Milestone, (post_save, post_delete)),
        (_plan_saved, Plan, (post_save,)),
        (_group_deleted, DuplicateGroup, (post_delete,)),
        (_group_deleting, DuplicateGroup, (pre_delete,)),
        (_audited, AuditEvent, (post_save,)),
    ]
    for receiver, sender, signals in receivers:
        for signal in signals:
            signal.connect(receiver, sender=sender, dispatch_uid=f"analytics.rollups.{receiver.__name__}")
