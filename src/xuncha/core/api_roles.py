"""Role assignments in the API: what the office's people-and-roles page and the sysadmin's pages do.

The list is scoped as the page (core.models.RoleAssignmentQuerySet.visible_to): the sysadmin sees every
assignment, an office those on the scopes of its committee, anyone else only their own; an assignment
outside that is a 404. Who may grant, approve, refuse or end what is the actions' business (core.actions).
"""

import datetime
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from . import actions
from .choices import Role, RoleStatus, ScopeType
from .models import RoleAssignment, User
from .pagination import BoundedPagination
from .permissions import acting_user
from .scopes import describe
from .scoping import perform, referenced

router = Router(tags=["core"])


class RoleAssignmentOut(Schema):
    id: int
    user: int = Field(..., alias="user_id")
    username: str = Field(..., alias="user.username")
    full_name: str = Field(..., alias="user.full_name")
    role: Role
    role_label: str
    scope_type: ScopeType
    scope_id: int
    scope_name: str
    status: RoleStatus
    status_label: str
    granted_at: datetime.datetime
    granted_by: str
    approved_at: datetime.datetime | None
    approved_by: str
    ends_at: datetime.datetime | None
    ended_reason: str

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_scope_name(obj: RoleAssignment) -> str:
        scope = describe(obj.scope_type, obj.scope_id)
        return scope.name if scope else ""

    @staticmethod
    def resolve_status(obj: RoleAssignment) -> str:
        return obj.status()

    @staticmethod
    def resolve_status_label(obj: RoleAssignment) -> str:
        return str(RoleStatus(obj.status()).label)

    @staticmethod
    def resolve_granted_by(obj: RoleAssignment) -> str:
        return str(obj.granted_by) if obj.granted_by else ""

    @staticmethod
    def resolve_approved_by(obj: RoleAssignment) -> str:
        return str(obj.approved_by) if obj.approved_by else ""


class RoleAssignmentFilter(FilterSchema):
    user: Annotated[int | None, FilterLookup("user_id")] = None
    role: Role | None = None
    scope_type: ScopeType | None = None
    scope_id: int | None = None
    status: RoleStatus | None = None

    def filter_status(self, value: RoleStatus | None) -> Q:
        if value is None:
            return Q()
        return Q(pk__in=RoleAssignment.objects.in_status(value).values("pk"))


class GrantIn(Schema):
    user: int
    role: Role
    scope_id: int = Field(..., ge=1)
    ends_on: datetime.date | None = None
    reason: str = Field("", max_length=500)


class RefuseIn(Schema):
    reason: str = Field(..., max_length=500)


class EndIn(Schema):
    reason: str = Field("", max_length=500)
    on: datetime.date | None = None


def _assignments(user: User) -> Any:
    return (
        RoleAssignment.objects.visible_to(user)
        .select_related("user", "granted_by", "approved_by")
        .order_by("-granted_at", "-pk")
    )


def _assignment(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    return get_object_or_404(_assignments(acting_user(request)), pk=assignment_id)


@router.get("/role-assignments/", response=list[RoleAssignmentOut])
@paginate(BoundedPagination)
def role_assignments(request: HttpRequest, filters: Query[RoleAssignmentFilter]) -> Any:
    return filters.filter(_assignments(acting_user(request)))


@router.get("/role-assignments/{assignment_id}", response=RoleAssignmentOut)
def role_assignment(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    return _assignment(request, assignment_id)


@router.post("/role-assignments/", response={201: RoleAssignmentOut})
def grant(request: HttpRequest, payload: GrantIn) -> Status[RoleAssignment]:
    by = acting_user(request)
    accounts = User.objects.filter(is_active=True)
    user = referenced(User, by, payload.user, field="user", label="账号", among=accounts)
    assert user is not None  # noqa: S101 - the id is required
    assignment = perform(
        by,
        actions.grant_role,
        user=user,
        role=payload.role,
        scope_id=payload.scope_id,
        ends_on=payload.ends_on,
        reason=payload.reason,
    )
    return Status(201, _assignment(request, assignment.pk))


@router.post("/role-assignments/{assignment_id}/approve", response=RoleAssignmentOut)
def approve(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    perform(acting_user(request), actions.approve_role, _assignment(request, assignment_id))
    return _assignment(request, assignment_id)


@router.post("/role-assignments/{assignment_id}/refuse", response=RoleAssignmentOut)
def refuse(request: HttpRequest, assignment_id: int, payload: RefuseIn) -> RoleAssignment:
    assignment = _assignment(request, assignment_id)
    perform(acting_user(request), actions.refuse_role, assignment, reason=payload.reason)
    return _assignment(request, assignment_id)


@router.post("/role-assignments/{assignment_id}/end", response=RoleAssignmentOut)
def end(request: HttpRequest, assignment_id: int, payload: EndIn) -> RoleAssignment:
    assignment = _assignment(request, assignment_id)
    perform(acting_user(request), actions.end_role, assignment, reason=payload.reason, on=payload.on)
    return _assignment(request, assignment_id)
