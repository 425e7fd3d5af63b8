"""Core's home-page panels: the account's own security; the auditor's and the sysadmin's entry points."""

from django.utils import timezone
from django_otp import user_has_device

from .choices import Role
from .home import Panel
from .models import AuditEvent, User


def core_panels(user: User) -> list[Panel]:
    panels = [
        Panel(
            "账号与安全",
            "core/panels/account.html",
            {
                # A user verified by a device this session has one: no second query for it.
                "has_totp": getattr(user, "otp_device", None) is not None or user_has_device(user),
                "tokens": user.api_tokens.filter(revoked_at__isnull=True).count(),
            },
            order=900,
        )
    ]
    if user.scopes.has(Role.AUDITOR):
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        events = AuditEvent.objects.visible_to(user).filter(created_at__gte=today).count()
        panels.append(Panel("审计", "core/panels/audit.html", {"today": events}, order=50))
    if user.scopes.has(Role.SYSADMIN):
        panels.append(Panel("系统配置", "core/panels/sysadmin.html", order=50))
    return panels
