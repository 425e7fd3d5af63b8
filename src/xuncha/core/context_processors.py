from typing import Any

from django.conf import settings
from django.http import HttpRequest


def xuncha(request: HttpRequest) -> dict[str, Any]:
    # A request refused before the authentication middleware (a bad Host header: the 400 page) has no user.
    user = getattr(request, "user", None)
    roles = user.scopes.roles if user is not None and user.is_authenticated else set()
    return {"demo_mode": settings.XUNCHA_DEMO, "my_roles": roles}
