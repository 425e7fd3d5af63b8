from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import User
from .notifications import unread_count


def xuncha(request: HttpRequest) -> dict[str, Any]:
    # A request refused before the authentication middleware (a bad Host header: the 400 page) has no user.
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"demo_mode": settings.XUNCHA_DEMO, "my_roles": set(), "unread_notifications": 0}
    return {
        "demo_mode": settings.XUNCHA_DEMO,
        "my_roles": user.scopes.roles,
        # Counted only if the page shows it (the navigation bar's badge), once per page.
        "unread_notifications": SimpleLazyObject(partial(unread_count, user)),
    }
