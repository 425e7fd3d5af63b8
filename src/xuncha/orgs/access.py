"""The office's people and roles: which accounts and scopes an office may pick, and the role assignments
it sees, with their scopes by name. Read-only; the changes are the actions in actions.py (and core's role
actions they call)."""

from collections.abc import Collection, Iterable

from django.db.models import Model, Q, QuerySet

from xuncha.core import scopes
from xuncha.core.choices import ROLE_SCOPE, Role, ScopeType
from xuncha.core.models import RoleAssignment, RoleAssignmentQuerySet, User

from .models import Committee, Department, Unit

# What an office appoints on its committee's scopes, from this page.
LIAISON_ROLES = (Role.UNIT_LIAISON,)
RECEIVER_ROLES = (Role.RECEIVER,)
COMMITTEE_ROLES = (Role.LEADING_GROUP, Role.CUSTODIAN, Role.AUDITOR)
APPOINTABLE = (*LIAISON_ROLES, *RECEIVER_ROLES, *COMMITTEE_ROLES)
# The page lists the roles held on a committee, its units and its departments (team roles follow rounds).
LISTED_SCOPES = (ScopeType.COMMITTEE, ScopeType.UNIT, ScopeType.DEPARTMENT)


def managed_committees(user: User) -> set[int]:
    """The committees whose people the user manages: an office its own; a sysadmin every committee."""
    if user.scopes.ids(Role.SYSADMIN):
        return set(Committee.objects.values_list("pk", flat=True))
    return user.scopes.ids(Role.OFFICE)


def committee_accounts(committee_ids: Collection[int]) -> "QuerySet[User]":
    """Active accounts a committee's office may appoint: those that hold (or held) a role on one of its
    scopes, or belong to its inspector pool. Accounts of other committees are never offered."""
    held = Q(inspector__committee_id__in=committee_ids)
    for scope_type in ScopeType.values:
        ids = scopes.scope_ids_in(scope_type, committee_ids)
        if ids is not None:
            held |= Q(role_assignments__scope_type=scope_type, role_assignments__scope_id__in=ids)
    return User.objects.filter(held, is_active=True).distinct().order_by("full_name", "username")


def account_label(user: User) -> str:
    return f"{user.full_name}（{user.username}）" if user.full_name else user.username


def listed(user: User) -> RoleAssignmentQuerySet:
    """The assignments on the committees, units and departments the user manages, newest first."""
    committees = managed_committees(user)
    found = Q(pk__in=[])
    for scope_type in LISTED_SCOPES:
        ids = scopes.scope_ids_in(scope_type, committees)
        if ids is not None:
            found |= Q(scope_type=scope_type, scope_id__in=ids)
    return (
        RoleAssignment.objects.visible_to(user)
        .filter(found)
        .select_related("user", "granted_by", "approved_by")
        .order_by("-granted_at", "-pk")
    )


def scope_names(assignments: Iterable[RoleAssignment]) -> dict[tuple[str, int], str]:
    """The names of the assignments' scopes, in one query per scope type."""
    wanted: dict[str, set[int]] = {}
    for assignment in assignments:
        wanted.setdefault(assignment.scope_type, set()).add(assignment.scope_id)
    models: dict[str, type[Model]] = {
        ScopeType.COMMITTEE: Committee,
        ScopeType.UNIT: Unit,
        ScopeType.DEPARTMENT: Department,
    }
    names: dict[tuple[str, int], str] = {}
    for scope_type, ids in wanted.items():
        model = models.get(scope_type)
        if model is not None:
            for pk, name in model._default_manager.filter(pk__in=ids).values_list("pk", "name"):
                names[(scope_type, pk)] = name
    return names


def scope_committee(role: str, scope_id: int) -> Committee | None:
    """The committee owning the scope a role would be held on (None if there is no such scope)."""
    info = scopes.describe(ROLE_SCOPE[role], scope_id) if role in ROLE_SCOPE else None
    if info is None or info.committee_id is None:
        return None
    return Committee.objects.filter(pk=info.committee_id).first()
