import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import context
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


class SessionTimeoutMiddleware:
    """Log out after the idle timeout or the absolute timeout, whichever comes first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("xuncha_login_at", now)
            last = request.session.get("xuncha_seen_at", now)
            if now - last > settings.XUNCHA_IDLE_TIMEOUT or now - started > settings.XUNCHA_ABSOLUTE_TIMEOUT:
                logout(request)
                return redirect(f"{reverse('login')}?timeout=1")
            request.session["xuncha_seen_at"] = now
        return self.get_response(request)


class RequireOTPMiddleware:
    """Users whose roles require TOTP reach nothing but the OTP pages and logout until verified."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and otp_required_for(user)
        ):
            return redirect("otp-verify")
        return self.get_response(request)
