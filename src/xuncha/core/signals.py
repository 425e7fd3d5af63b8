"""Logins and logouts go into the audit chain; a login also starts the session's clocks.

Failed logins are not audit events: django-axes keeps them (username as typed, IP, time) for the lockout,
and an event per failure would let anyone write to the chain.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest

from .audit import action_scope, record
from .middleware import LOGIN_AT, LOGOUT_REASON, SEEN_AT, now
from .models import User


def _on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        moment = now()
        request.session[LOGIN_AT] = request.session[SEEN_AT] = moment
    with action_scope("user.logged_in"):
        record("user.logged_in", user, by=user)


def _on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON, "user")
    with action_scope("user.logged_out"):
        record("user.logged_out", user, by=user, details={"reason": reason})


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="xuncha.core.login")
    user_logged_out.connect(_on_logout, dispatch_uid="xuncha.core.logout")
