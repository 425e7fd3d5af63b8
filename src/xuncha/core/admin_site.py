"""The Django admin at /sysadmin/, for holders of the ``sysadmin`` role only (is_staff/is_superuser play no
part). Anonymous visitors are sent to the normal login page; anyone else logged in gets a 404, as for any
page outside their scope. Password changes go through the normal page, which revokes tokens."""

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from .choices import Role

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


class XunchaAdminSite(admin.AdminSite):
    site_header = "巡察工作平台 · 系统配置"
    site_title = "巡察工作平台"
    index_title = "系统配置"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.scopes.has(Role.SYSADMIN))

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        inner = super().admin_view(view, cacheable)

        def guard(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise Http404
                return redirect_to_login(request.get_full_path())
            return inner(request, *args, **kwargs)

        return cast(V, update_wrapper(guard, inner))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated and not self.has_permission(request):
            raise Http404
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))

    # The stubs want a TemplateResponse; sending the sysadmin to the one password page is the point.
    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return redirect("password-change")
