from typing import Any

from django.conf import settings
from django.http import HttpRequest


def xuncha(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    roles = user.scopes.roles if user.is_authenticated else set()
    return {"demo_mode": settings.XUNCHA_DEMO, "my_roles": roles}
