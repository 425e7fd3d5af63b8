"""One way to page through a list, for the pages and the API alike.

A page never counts a whole table: the count stops at ``COUNT_CAP`` (a page shows "1000+"), read from the
same scoped query limited to that many rows. Shallow pages are numbered (``page=N``, an OFFSET within the
counted rows); beyond them, and whenever a client passes a cursor, a page starts where the previous one ended
(keyset: ``after``/``before`` the row's ordering values), so the database walks the list's index from there
instead of skipping rows. A list ordered by its own columns can also be entered at a date or a number
(``at``: the first ordering column's value). A list ordered by something else (an annotation, a related
column) keeps numbered pages.
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import PaginationBase

COUNT_CAP = 1000
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000
_MAX_CURSOR = 1000  # characters; a cursor is a few ordering values
# What the API answers for a list with nothing in it.
EMPTY_PAGE = {"items": [], "count": 0, "count_capped": False, "next_cursor": None}


@dataclass(frozen=True)
class Key:
    """One ordering column of a keyset: the model field and its direction."""

    field: models.Field[Any, Any]
    descending: bool

    @property
    def name(self) -> str:
        return self.field.attname


def keyset(queryset: QuerySet[Any]) -> list[Key] | None:
    """The queryset's ordering as columns of its own model, made unique with the primary key; None when it
    orders by anything else (an annotation, a related column, a nullable column) — such a list is numbered."""
    query = queryset.query
    if query.distinct_fields or query.combinator:
        return None
    meta = queryset.model._meta
    ordering: Sequence[Any] = query.order_by or (meta.ordering if query.default_ordering else ())
    keys: list[Key] = []
    for term in ordering:
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, descending = term.expression.name, term.descending
        elif isinstance(term, str) and term != "?":
            name, descending = term.removeprefix("-"), term.startswith("-")
        else:
            return None
        if name == "pk":
            name = meta.pk.name
        if name in query.annotations or "__" in name:
            return None
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, models.Field) or not field.concrete or field.null:
            return None
        keys.append(Key(field, descending))
        if field.primary_key or (field.unique and len(keys) == 1):
            return keys
    if not keys:
        return None
    return [*keys, Key(meta.pk, keys[-1].descending)]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def encode_cursor(row: Any, keys: list[Key]) -> str:
    values = [_plain(getattr(row, key.name)) for key in keys]
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, keys: list[Key]) -> list[Any] | None:
    """The ordering values a cursor carries, or None for anything that is not one of this list's."""
    if not token or len(token) > _MAX_CURSOR:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        return [key.field.to_python(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, ValidationError, binascii.Error, OverflowError):
        return None


def beyond(keys: list[Key], values: list[Any], *, backwards: bool = False) -> Q:
    """The rows after the given ordering values (before them with ``backwards``), as one filter: the
    first column bounds an index range, the others break ties."""
    condition = Q()
    for at, key in enumerate(keys):
        later = key.descending == backwards  # ascending and forwards, or descending and backwards: greater
        step = Q(**{f"{key.name}__{'gt' if later else 'lt'}": values[at]})
        for before in range(at):
            step &= Q(**{keys[before].name: values[before]})
        condition |= step
    first = keys[0]
    bound = Q(**{f"{first.name}__{'gte' if first.descending == backwards else 'lte'}": values[0]})
    return bound & condition


def _ordered(queryset: QuerySet[Any], keys: list[Key], *, backwards: bool = False) -> QuerySet[Any]:
    return queryset.order_by(*(("-" if key.descending != backwards else "") + key.name for key in keys))


def jump_value(keys: list[Key], text: str) -> Any:
    """The first ordering column's value typed by the user (a date for a date or time column, a number for
    a number), or None when it is not one."""
    field = keys[0].field
    text = text.strip()
    if not text or len(text) > 40:
        return None
    try:
        if isinstance(field, models.DateTimeField):
            day = datetime.date.fromisoformat(text)
            if keys[0].descending:
                day += datetime.timedelta(days=1)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        if isinstance(field, models.DateField):
            return datetime.date.fromisoformat(text)
        if isinstance(field, models.IntegerField | models.CharField):
            return field.to_python(text)
    except (ValueError, ValidationError, OverflowError):
        return None
    return None


def jumpable(keys: list[Key] | None) -> str:
    """What a user can type to enter the list at a point: "date", "number" or "" (nothing)."""
    if not keys or keys[0].field.primary_key:
        return ""
    if isinstance(keys[0].field, models.DateField):  # DateTimeField too
        return "date"
    if isinstance(keys[0].field, models.IntegerField):
        return "number"
    return ""


# From this many rows down, a numbered page of a keyset list first walks the list's index for its keys;
# nearer the top one statement reads the page (a keyset page starts at its bound: always one statement).
INDEX_WALK_FROM = 200


def _fetched(rows: Any, start: int, stop: int, keys: list[Key] | None) -> list[Any]:
    """Rows ``start:stop`` of a list. Deep in a keyset list, first the page's primary keys (an index-only
    walk of the list's index: no wide row is read for the rows skipped), then those rows."""
    if keys is None or start < INDEX_WALK_FROM:
        return list(rows[start:stop])
    pks = list(rows.values_list("pk", flat=True)[start:stop])
    found = {row.pk: row for row in rows.filter(pk__in=pks).order_by()}
    return [found[pk] for pk in pks if pk in found]


def capped_count(rows: Any) -> tuple[int, bool]:
    """How many rows there are, counting no further than ``COUNT_CAP`` (then ``(COUNT_CAP, True)``)."""
    if isinstance(rows, QuerySet):
        found = rows.order_by().values("pk")[: COUNT_CAP + 1].count()
    else:
        found = len(rows) if isinstance(rows, list | tuple) else rows.count()
    return (COUNT_CAP, True) if found > COUNT_CAP else (found, False)


@dataclass
class Window:
    """One page of a list: its rows, and where the pages before and after it begin."""

    rows: list[Any]
    count: int
    capped: bool
    per_page: int
    number: int | None = None  # for a numbered page
    next: str = ""  # the query parameter that gives the next page ("page=3", "after=…"), or ""
    previous: str = ""
    jump: str = ""  # "date" or "number" when the list can be entered at a point (see ``jumpable``)

    # The shape of Django's Page, which the templates and tests read.
    @property
    def object_list(self) -> list[Any]:
        return self.rows

    @property
    def paginator(self) -> "Window":
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def several(self) -> bool:
        return bool(self.next or self.previous)

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)

    def has_next(self) -> bool:
        return bool(self.next)

    def has_previous(self) -> bool:
        return bool(self.previous)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except (TypeError, ValueError):
        return 1


def window(
    rows: Any,
    *,
    per_page: int,
    page: str | None = None,
    after: str = "",
    before: str = "",
    at: str = "",
) -> Window:
    """The page of ``rows`` the parameters ask for: ``after``/``before`` a cursor, from ``at`` (a date or a
    number), or numbered ``page`` (a bad or too-large number gives the nearest valid page, never an error)."""
    count, capped = capped_count(rows)
    keys = keyset(rows) if isinstance(rows, QuerySet) else None
    jump = jumpable(keys) if capped else ""
    if keys:
        values = decode_cursor(after or before, keys) if (after or before) else None
        start = jump_value(keys, at) if at else None
        if values is not None or start is not None:
            return _keyset_page(rows, keys, per_page, count, capped, values, start, bool(before), jump)
    last = max(1, -(-count // per_page))
    number = min(_page_number(page), last)
    if (
        capped and keys is None
    ):  # no keyset to go deeper with: numbered pages all the way (as deep as the API)
        number = min(_page_number(page), MAX_OFFSET // per_page)
    found = _fetched(rows, (number - 1) * per_page, number * per_page + 1, keys)
    shown = found[:per_page]
    following = ""
    if len(found) > per_page:
        within = number * per_page < count
        following = (
            f"page={number + 1}" if within or keys is None else "after=" + encode_cursor(shown[-1], keys)
        )
    return Window(
        shown,
        count,
        capped,
        per_page,
        number=number,
        next=following,
        previous=f"page={number - 1}" if number > 1 else "",
        jump=jump,
    )


def _keyset_page(
    rows: QuerySet[Any],
    keys: list[Key],
    per_page: int,
    count: int,
    capped: bool,
    values: list[Any] | None,
    start: Any,
    backwards: bool,
    jump: str,
) -> Window:
    if values is not None:
        after = rows.filter(beyond(keys, values, backwards=backwards))
        found = _fetched(_ordered(after, keys, backwards=backwards), 0, per_page + 1, keys)
    else:
        first = keys[0]
        bound = Q(**{f"{first.name}__{'lt' if first.descending else 'gte'}": start})
        found = _fetched(_ordered(rows.filter(bound), keys), 0, per_page + 1, keys)
    more = len(found) > per_page
    shown = found[:per_page]
    if backwards:
        shown.reverse()
    if not shown:
        return Window([], count, capped, per_page, previous="page=1", jump=jump)
    following = "after=" + encode_cursor(shown[-1], keys) if (more or backwards) else ""
    preceding = "before=" + encode_cursor(shown[0], keys) if (more or not backwards) else ""
    return Window(shown, count, capped, per_page, next=following, previous=preceding, jump=jump)


class BoundedPagination(PaginationBase):
    """The API's lists: ``{"items", "count", "count_capped", "next_cursor"}``. ``limit`` is at most 200;
    ``offset`` pages through by position; ``cursor`` (a list's ``next_cursor``) continues after the last row
    of the previous answer, as fast on the thousandth page as on the first (``offset`` is then ignored).
    ``count`` is exact up to 1,000; beyond that it is 1,000 with ``count_capped`` true."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（至多 200）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="从第几条开始（按位置翻页）")
        cursor: str = Field(
            "", max_length=_MAX_CURSOR, description="上一页答复中的 next_cursor：从其最后一条之后接着列出"
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="条数；超过 1000 条时为 1000，count_capped 为 true")
        count_capped: bool = Field(description="实际条数超过 1000")
        next_cursor: str | None = Field(description="下一页的 cursor；没有下一页时为 null")

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Input, request: Any = None, **params: Any) -> Any:
        limit, offset = pagination.limit, pagination.offset
        count, capped = capped_count(queryset)
        keys = keyset(queryset) if isinstance(queryset, QuerySet) else None
        values = decode_cursor(pagination.cursor, keys) if keys and pagination.cursor else None
        if keys and values is not None:
            found = _fetched(_ordered(queryset.filter(beyond(keys, values)), keys), 0, limit + 1, keys)
        else:
            found = _fetched(queryset, offset, offset + limit + 1, keys)
        items = found[:limit]
        following = encode_cursor(items[-1], keys) if keys and len(found) > limit else None
        return {"items": items, "count": count, "count_capped": capped, "next_cursor": following}
