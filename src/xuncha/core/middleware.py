import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_otp import user_has_device

from . import context
from .models import User
from .otp import otp_required_for

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Give every request an id that its audit events carry (and echo it for support)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = context.bind_request(request_id)
        try:
            response = self.get_response(request)
        finally:
            context.unbind_request(token)
        response["X-Request-Id"] = request_id
        return response


class NoStoreMiddleware:
    """A logged-in user's answers (pages, API, downloads) stay in no cache, so that a shared office PC does
    not show them from its cache after logout: ``Cache-Control: no-store, private`` on every answer but the
    public pages' (``XUNCHA_PUBLIC_PREFIXES``) to anonymous visitors, which set their own caching."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # absent when an earlier middleware answered
        if (user is not None and user.is_authenticated) or not request.path.startswith(
            settings.XUNCHA_PUBLIC_PREFIXES
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


def now() -> float:
    """The clock of the session timeouts (tests patch it)."""
    return time.time()


LOGIN_AT = "xuncha_login_at"
SEEN_AT = "xuncha_seen_at"
# How stale the last-seen time may get: the idle timeout is this much early at worst, and a plain page view
# writes nothing (a session write takes SQLite's one write lock).
SEEN_REFRESH = 60
LOGOUT_REASON = "xuncha_logout_reason"


class SessionTimeoutMiddleware:
    """End sessions after the idle timeout or the absolute timeout, whichever comes first, and end a
    session whose user can no longer be loaded (account disabled, password changed elsewhere). The
    last-seen time is refreshed at most every ``SEEN_REFRESH`` seconds."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated:
            moment = now()
            started = session.setdefault(LOGIN_AT, moment)
            if moment - session.get(SEEN_AT, moment) > settings.XUNCHA_IDLE_TIMEOUT:
                return self._end(request, "idle_timeout")
            if moment - started > settings.XUNCHA_ABSOLUTE_TIMEOUT:
                return self._end(request, "absolute_timeout")
            if moment - session.get(SEEN_AT, 0) >= SEEN_REFRESH:
                session[SEEN_AT] = moment  # a session write: at most once a minute, not on every view
        elif SESSION_KEY in session:
            session.flush()
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, reason: str) -> HttpResponse:
        setattr(request, LOGOUT_REASON, reason)
        logout(request)
        return redirect(f"{reverse('login')}?timeout=1")


class RequireOTPMiddleware:
    """Users who must use TOTP, or who have set it up, reach nothing but the OTP pages and logout until
    they have entered a code in this session."""

    open_urls = ("login", "logout", "otp-verify", "otp-setup", "healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in self.open_urls)
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.path not in self.open_paths()
            and not request.path.startswith((settings.STATIC_URL, *settings.XUNCHA_PUBLIC_PREFIXES))
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and (otp_required_for(user) or user_has_device(user))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先在网页上完成动态口令验证"}, status=401)
            return redirect(f"{reverse('otp-verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account given a one-time password (User.must_change_password) reaches nothing but the password
    page, logout and the OTP pages until it has chosen its own password (set_password clears the flag).
    Placed after RequireOTPMiddleware: a role that needs TOTP sets it up first."""

    open_urls = ("password-change", "logout", "otp-verify", "otp-setup", "healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in self.open_urls)
        if (
            isinstance(user, User)
            and user.must_change_password
            and request.path not in self._open_paths
            and not request.path.startswith((settings.STATIC_URL, *settings.XUNCHA_PUBLIC_PREFIXES))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先在网页上修改初始密码"}, status=403)
            return redirect("password-change")
        return self.get_response(request)
