"""Role checks for actions.

Views find objects through ``visible_to`` (out of scope → 404); actions then check that the acting user
holds a role allowed to make this change on the object's scope (visible but not allowed → 403 with a
Chinese reason). ``by=None`` means the system itself (a command or a background task).
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .choices import Role
from .models import User

SYSTEM = "system"


class NotAllowed(PermissionDenied):
    def __init__(self, message: str = "您没有执行此操作的权限。") -> None:
        super().__init__(message)
        self.message = message


def holds(user: User, roles: Mapping[str, int]) -> bool:
    """Whether ``user`` holds one of ``roles`` (role → scope id), as ``require`` would accept."""
    return any(user.scopes.has(role, scope) for role, scope in roles.items())


def held_role(user: User, roles: Mapping[str, int]) -> str:
    """The first of ``roles`` the user holds ("" if none): the role a read is recorded under."""
    return next((role for role, scope in roles.items() if user.scopes.has(role, scope)), "")


def require_office_somewhere(user: User, what: str) -> None:
    """For pages listing what offices keep (rules, regulations, rounds): 403 unless the user is some
    committee's office; the objects themselves are then scoped by ``visible_to``."""
    if not user.scopes.ids(Role.OFFICE):
        raise NotAllowed(f"只有巡察办可以{what}。")


def require(by: User | None, allowed: Mapping[str, int | None], *, what: str = "") -> str:
    """Return the first role in ``allowed`` (role → scope id) that ``by`` holds; else NotAllowed.

    The returned role is what the audit event records as the acting role.
    """
    if by is None:
        return SYSTEM
    if not by.is_active:
        raise NotAllowed("账号已停用。")
    for role, scope_id in allowed.items():
        if scope_id is not None and by.scopes.has(role, scope_id):
            return role
    labels = "、".join(str(Role(r).label) for r in allowed)
    raise NotAllowed(f"只有{labels}可以{what or '执行此操作'}。")


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a request (views behind login_required, API behind its auth)."""
    user = getattr(request, "auth", None) or request.user
    if not isinstance(user, User):
        raise NotAllowed("请先登录。")
    return user
