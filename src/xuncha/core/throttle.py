"""Throttling of the public pages (the portal, the survey pages) without keeping anyone's address.

A client is counted under ``HMAC(key, address)`` (an IPv6 client by its /64), where the key is derived from
``SECRET_KEY`` and the current hour: the counter's name changes every hour, it is deleted once the hour is
past, and the address itself is stored nowhere (not in the database, not in a log). The counters are rows
of the ``throttle`` cache's table, shared by every server process (docs/decisions/0005-portal-throttle.md).

Counting is one conditional upsert (``INSERT … ON CONFLICT DO UPDATE … WHERE n < limit``), atomic on SQLite
and PostgreSQL alike: however many requests race, no more than the limit are let through.
"""

import datetime
import ipaddress
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from ninja import NinjaAPI
from ninja.errors import HttpError

from .clients import client_address

CACHE = "throttle"
SUBMIT = "submit"  # portal submissions and a reporter's replies
LOOKUP = "lookup"  # receipt lookups
SURVEY = "survey"  # survey tokens and answers
HOUR = 3600
MESSAGE = "提交或查询过于频繁，请一小时后再试。"


class Throttled(HttpError):
    """An API request over the limit: 429 with ``Retry-After`` (see ``install_handler``)."""

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(429, message)


def install_handler(api: NinjaAPI) -> None:
    """Answer ``Throttled`` as ninja answers an ``HttpError``, and say when to try again."""

    def too_many(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": exc.message}, status=429)
        response["Retry-After"] = str(seconds_left())
        return response

    api.add_exception_handler(Throttled, too_many)


def counted_as(address: str) -> str:
    """Who is counted: an IPv4 address, or the /64 of an IPv6 one (a single client is usually given a
    whole /64, and could otherwise change its address at every request)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # an IPv4 client on a dual-stack socket
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def counter_key(kind: str, address: str, at: float) -> str:
    """The counter's name: a keyed hash of the address, with a key that changes every hour."""
    hour = int(at) // HOUR
    who = counted_as(address)
    digest = salted_hmac(f"xuncha.intake.throttle.{hour}", f"{kind}|{who}", algorithm="sha256")
    return f"throttle.{kind}.{digest.hexdigest()}"


def seconds_left(at: float | None = None) -> int:
    """Seconds until the counters of this hour are dropped (what ``Retry-After`` says)."""
    return HOUR - int(at if at is not None else time.time()) % HOUR


def _table() -> str:
    # The table createcachetable made for the ``throttle`` cache (the stubs do not declare ``_table``).
    return connection.ops.quote_name(caches[CACHE]._table)  # type: ignore[attr-defined]


# One statement, so no two requests read the same count: the row is inserted with 1, or its count raised
# while under the limit; a row comes back only when the request was counted. The value column is text (it
# is a cache table), so the count is kept as its decimal digits.
COUNT_SQL = (
    "INSERT INTO {table} (cache_key, value, expires) VALUES (%s, '1', %s) "
    "ON CONFLICT (cache_key) DO UPDATE SET value = CAST(CAST({table}.value AS INTEGER) + 1 AS TEXT) "
    "WHERE CAST({table}.value AS INTEGER) < %s RETURNING value"
)


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one request of ``kind`` from this client; False, and nothing counted, once this hour's limit
    is reached."""
    now = time.time()
    key = counter_key(kind, client_address(request), now)
    end_of_hour = datetime.datetime.fromtimestamp(now + seconds_left(now), tz=datetime.UTC)
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            COUNT_SQL.format(table=table),
            [key, connection.ops.adapt_datetimefield_value(end_of_hour), settings.XUNCHA_PORTAL_LIMITS[kind]],
        )
        counted = cursor.fetchone() is not None
    _purge_past_hours(table)
    return counted


def _purge_past_hours(table: str) -> None:
    """Delete the counters of past hours now: a past hour's row could otherwise be matched against guessed
    addresses by whoever holds ``SECRET_KEY`` and a copy of the database."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608 (the cache's table)
