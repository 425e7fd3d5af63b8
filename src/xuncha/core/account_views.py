"""The logged-in user's own account pages: password change and TOTP setup/verification."""

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import actions
from .audit import action_scope, record
from .errors import Refused
from .forms import ChangePasswordForm, OTPTokenForm
from .permissions import acting_user


class PasswordChange(PasswordChangeView):
    """Django's page, but the change goes through the set_password action (tokens revoked, audited)."""

    template_name = "registration/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = acting_user(self.request)
        try:
            actions.set_password(user, password=form.cleaned_data["new_password1"], by=user)
        except Refused as exc:
            form.add_error("new_password1", exc.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。您在其他地方的登录已退出，API 令牌已全部吊销。")
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user_has_device(user):
        return redirect(_with_next("otp-setup", request))
    if user.is_verified():  # type: ignore[attr-defined]  # added by OTPMiddleware
        return redirect(_next_url(request))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        # A wrong code is worth knowing about: the password may be in someone else's hands.
        with action_scope("user.otp_failed"):
            record("user.otp_failed", user, by=user)
        form.add_error("token", "动态口令不正确或已过期，请重新输入。多次输错将被暂时限制。")
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(uri: str) -> str:
    # segno builds the SVG from the URI alone; nothing user-typed goes into the markup.
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff"))  # noqa: S308


PENDING_TOTP_KEY = "xuncha_totp_pending_key"


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret, kept in the session until a code from it is entered: only that POST stores the
    authenticator, so looking at the page (or reloading it) writes nothing and keeps the same secret."""
    user = acting_user(request)
    if user_has_device(user):
        # Replacing a confirmed authenticator needs the sysadmin (reset), never just a password.
        return redirect(_with_next("otp-verify", request))
    key = request.session.setdefault(PENDING_TOTP_KEY, random_hex(20))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.enrol_totp_device(user, key=key, token=form.cleaned_data["token"], by=user)
        if device is not None:
            del request.session[PENDING_TOTP_KEY]
            otp_login(request, device)
            messages.success(request, "动态口令已启用。今后登录时需输入身份验证器上的动态口令。")
            return redirect(_next_url(request))
        form.add_error("token", "动态口令不正确或已过期，请重新输入。")
    shown = TOTPDevice(user=user, key=key, name=actions.TOTP_DEVICE_NAME)
    context: dict[str, Any] = {
        "form": form,
        "next": _next_url(request),
        "secret": base64.b32encode(shown.bin_key).decode(),
        "uri": shown.config_url,
        "qr": _qr_svg(shown.config_url),
    }
    return render(request, "registration/otp_setup.html", context)
