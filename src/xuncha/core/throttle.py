"""Throttling of the public pages (the portal, the survey pages) without keeping anyone's address.

A client is counted under ``HMAC(key, address)`` (an IPv6 client by its /64), where the key is derived from
``SECRET_KEY`` and the current hour: the counter's name changes every hour, it is deleted once the hour is
past, and the address itself is stored nowhere (not in the database, not in a log). The counters live in the
``throttle`` cache, a DatabaseCache shared by every server process (docs/decisions/0005-portal-throttle.md).

Counting is a read and a write, not one atomic step: requests racing each other at the limit may let a
few more through, which a throttle can afford.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

CACHE = "throttle"
SUBMIT = "submit"  # portal submissions and a reporter's replies
LOOKUP = "lookup"  # receipt lookups
SURVEY = "survey"  # survey tokens and answers
HOUR = 3600
MESSAGE = "提交或查询过于频繁，请一小时后再试。"


def client_address(request: HttpRequest) -> str:
    """The address to count: the client's, or behind a trusted proxy (nginx) the hop it appended last
    to X-Forwarded-For (earlier hops are whatever the client chose to send)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    trusted = settings.XUNCHA_FORWARDED_ALLOW_IPS
    if forwarded and ("*" in trusted or remote in trusted):
        return forwarded.rsplit(",", 1)[-1].strip() or remote
    return remote


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
    return f"portal.{kind}.{digest.hexdigest()}"


def seconds_left(at: float | None = None) -> int:
    """Seconds until the counters of this hour are dropped (what ``Retry-After`` says)."""
    return HOUR - int(at if at is not None else time.time()) % HOUR


def allow(request: HttpRequest, kind: str) -> bool:
    """Count one request of ``kind`` from this client; False once it is over this hour's limit."""
    now = time.time()
    key = counter_key(kind, client_address(request), now)
    cache = caches[CACHE]
    count = int(cache.get(key, 0)) + 1
    cache.set(key, count, timeout=seconds_left(now))
    _purge_past_hours(cache)
    return count <= settings.XUNCHA_PORTAL_LIMITS[kind]


def _purge_past_hours(cache: BaseCache) -> None:
    """Delete the counters of past hours now: Django deletes expired rows only when the table is full or
    the same name is read again, and a past hour's row could be matched against guessed addresses by
    whoever holds ``SECRET_KEY`` and a copy of the database."""
    table = connection.ops.quote_name(cache._table)  # type: ignore[attr-defined]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608 (the cache's table)
