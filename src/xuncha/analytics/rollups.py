"""The dashboard's rollups (``Tally``, ``ItemTally``), kept exact.

A petition's save applies its difference: before the save its inspection's row is locked (so that two
writers to one inspection queue) and the petition's counted columns are read as they are; after it, the
tally rows it left lose one and those it joined gain one (a row is made for a new value and deleted at
zero), a statement or two instead of recounting the inspection's petitions. A delta that does not fit the
rows (one to lower that is missing or too low) falls back to the recount. Every other write recounts:
its inspection's rows are deleted and recounted from the base tables (a GROUP BY over that inspection's
rows, index-backed), in the same transaction, under the same lock. The writes are found through Django's
signals (``connect``), so no app has to know about analytics; the one write that bypasses them
(``confirm_duplicates``' UPDATE of the petitions' group) is followed by its audit event, which is hooked
instead. Bulk loads, which bypass every signal, call ``rebuild`` after loading. ``check`` recomputes
everything and lists the differences."""

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
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
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


# What a petition's rows are counted by, read from the database before and after its save.
PETITION_FIELDS = (
    "inspection_id",
    "channel",
    "scope",
    "received_at",
    "discipline_id",
    "focus_id",
    "duplicate_group_id",
)
RECOUNT = object()  # the petition's change is not known as a delta: recount its inspection(s)
Key = tuple[int, str, str, int | None]  # inspection, dimension, value, category


def _counted(instance: Petition, update_fields: Any) -> bool:
    return update_fields is None or bool(PETITION_COLUMNS & set(update_fields))


def _row(pk: Any) -> dict[str, Any] | None:
    return Petition.objects.filter(pk=pk).values(*PETITION_FIELDS).first()


def _values(instance: Petition) -> dict[str, Any] | None:
    """The saved petition's counted values: its own attributes when they are what the database holds (an
    aware time, ids as integers), else read back."""
    values = {name: getattr(instance, name) for name in PETITION_FIELDS}
    received = values["received_at"]
    plain = isinstance(received, datetime.datetime) and timezone.is_aware(received)
    ids = ("inspection_id", "discipline_id", "focus_id", "duplicate_group_id")
    if plain and all(values[name] is None or type(values[name]) is int for name in ids):
        return values
    return _row(instance.pk)


def _keys(row: dict[str, Any]) -> list[Key]:
    """The tally rows one petition counts in (as ``petition_tallies`` counts them), as plain strings (a
    choice's enum member hashes unlike its value)."""
    i = row["inspection_id"]
    month = _month(timezone.localtime(row["received_at"])) if row["received_at"] else ""
    keys: list[Key] = [
        (i, Dimension.CHANNEL.value, str(row["channel"]), None),
        (i, Dimension.SCOPE.value, str(row["scope"]), None),
        (i, Dimension.MONTH.value, month, None),
        (i, Dimension.DISCIPLINE.value, "", row["discipline_id"]),
        (i, Dimension.FOCUS.value, "", row["focus_id"]),
    ]
    if row["duplicate_group_id"] is not None:
        keys.append((i, Dimension.GROUP.value, str(row["duplicate_group_id"]), None))
    return keys


def _where(keys: Iterable[Key]) -> Q:
    found = Q(pk__in=[])
    for inspection_id, dimension, value, category_id in keys:
        category = Q(category_id=category_id) if category_id is not None else Q(category__isnull=True)
        found |= Q(inspection_id=inspection_id, dimension=dimension, value=value) & category
    return found


def _apply(deltas: Counter[Key]) -> bool:
    """Add each delta (one petition's: +1 or -1 a row) to its tally row, creating a row a count reaches and
    deleting one that falls to zero, in a statement or two; False when a row to lower is missing or too
    low, or a row is not unique, i.e. the rollup is not what the delta assumes (the caller recounts)."""
    up = [key for key, d in deltas.items() if d == 1]
    down = [key for key, d in deltas.items() if d == -1]
    if len(up) + len(down) != sum(1 for d in deltas.values() if d):
        return False
    if down:
        if Tally.objects.filter(_where(down), n__gte=1).update(n=F("n") - 1) != len(down):
            return False
        Tally.objects.filter(_where(down), n=0).delete()
    if up:
        updated = Tally.objects.filter(_where(up)).update(n=F("n") + 1)
        if updated > len(up):
            return False
        if updated < len(up):  # a value not counted yet in this inspection: its row
            rows = Tally.objects.filter(_where(up)).values_list(
                "inspection_id", "dimension", "value", "category_id"
            )
            present = set(rows)
            Tally.objects.bulk_create(
                Tally(inspection_id=i, dimension=d, value=v, category_id=c, n=1)
                for i, d, v, c in up
                if (i, d, v, c) not in present
            )
    return True


def _petition_saving(instance: Petition, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    """Before a petition's save (always in an action's transaction): lock its inspection(s) and note the
    row as it is, so that ``post_save`` applies only the difference."""
    if raw or not _counted(instance, update_fields):
        return
    if instance._state.adding:
        _lock({instance.inspection_id})
        instance._rollup_before = None  # type: ignore[attr-defined]
        return
    seen = _row(instance.pk)
    locked = set(_lock({instance.inspection_id} | ({seen["inspection_id"]} if seen else set())))
    before = _row(instance.pk)  # again under the lock: a writer before us has committed
    if before is not None and before["inspection_id"] not in locked:
        instance._rollup_before = RECOUNT  # type: ignore[attr-defined]
        return
    instance._rollup_before = before  # type: ignore[attr-defined]


def _petition_saved(
    instance: Petition, raw: bool = False, update_fields: Any = None, created: bool = False, **kwargs: Any
) -> None:
    before = instance.__dict__.pop("_rollup_before", RECOUNT)
    if raw or not _counted(instance, update_fields):
        return
    after = _values(instance)
    ids = {instance.inspection_id}
    if isinstance(before, dict):
        ids.add(before["inspection_id"])
    if before is not RECOUNT and after is not None:
        deltas: Counter[Key] = Counter(_keys(after))
        if isinstance(before, dict):
            deltas.subtract(_keys(before))
        if _apply(deltas):
            return
    recount_petitions(ids)  # replaces whatever the delta changed: its rows are all of these inspections


def _petition_deleted(instance: Petition, **kwargs: Any) -> None:
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
        (_petition_saving, Petition, (pre_save,)),
        (_petition_saved, Petition, (post_save,)),
        (_petition_deleted, Petition, (post_delete,)),
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
