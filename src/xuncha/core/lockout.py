"""Login lockout that an attacker cannot turn against the real user (django-axes, settings ``AXES_*``).

- The client is the address behind the trusted proxies (``clients.client_address``), an IPv6 client
  taken by its /64, so that nginx's address does not stand for every client.
- A (username, client) pair is locked after ``AXES_FAILURE_LIMIT`` failures; a client is locked for every
  username after ``XUNCHA_LOGIN_FAILURES_PER_CLIENT`` failures across usernames (guessing many accounts).
- An account is never locked for everyone: failures from many clients only slow every attempt on it
  down (a pause growing with its recent failures, capped at ``XUNCHA_LOGIN_DELAY_MAX`` seconds), before
  the password is checked so that the pause says nothing about it.
"""

import ipaddress
import time
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from .clients import client_address
from .throttle import counted_as


def client_ip(request: HttpRequest) -> str | None:
    """The address axes records (``AXES_CLIENT_IP_CALLABLE``): an IPv6 client's /64 as its first address."""
    try:
        network = ipaddress.ip_network(counted_as(client_address(request)), strict=False)
    except ValueError:
        return None
    return str(network.network_address)


def pause(seconds: float) -> None:
    """The soft delay (tests patch it)."""
    time.sleep(seconds)


def delay_for(failures: int) -> float:
    """Seconds to wait before checking a password of an account with ``failures`` recent failures:
    none below the lockout limit, then 0.5 s doubling with each failure, capped."""
    over = failures - settings.AXES_FAILURE_LIMIT
    if over < 0:
        return 0.0
    return float(min(0.5 * 2**over, settings.XUNCHA_LOGIN_DELAY_MAX))


def _failures(attempts: "QuerySet[AccessAttempt]") -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the per-client cap and the per-account delay."""

    def _recent(self, request: HttpRequest) -> "QuerySet[AccessAttempt]":
        return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))

    def is_allowed(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        username = get_client_username(request, credentials)
        if username:
            delay = delay_for(_failures(self._recent(request).filter(username=username)))
            if delay:
                pause(delay)
        return bool(super().is_allowed(request, credentials))

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The pair's failures, or the lockout limit once the client is over its cap across usernames."""
        failures = int(super().get_failures(request, credentials))
        client = self._recent(request).filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
        if _failures(client) >= settings.XUNCHA_LOGIN_FAILURES_PER_CLIENT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
