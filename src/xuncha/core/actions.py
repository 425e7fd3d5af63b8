"""Account actions: users, role assignments, passwords and API tokens.

Who may manage accounts: a user holding the ``sysadmin`` role on any committee manages every account of
the installation (there is one user directory); ``by=None`` is the system (commands, demo data). A user may
also change their own password and manage their own API tokens.

Account events carry no committee (they concern the installation; every auditor reads them), except role
grants and revocations, which belong to the committee of the scope when the scope's app registered a
lookup (core.scopes). Passwords, password hashes and raw tokens are never written to the audit.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

from .audit import action, record
from .choices import ROLE_SCOPE, Role
from .errors import Refused
from .models import ApiToken, RoleAssignment, User
from .permissions import SYSTEM, require
from .scopes import describe, is_known

SELF = "self"


def _require_sysadmin(by: User | None, *, what: str) -> str:
    if by is None:
        return SYSTEM
    committees = by.scopes.ids(Role.SYSADMIN)
    return require(by, {Role.SYSADMIN: min(committees) if committees else None}, what=what)


def _require_self_or_sysadmin(user: User, by: User | None, *, what: str) -> str:
    if by is not None and by.pk == user.pk and by.is_active:
        return SELF
    return _require_sysadmin(by, what=what)


def _first_message(exc: ValidationError) -> tuple[str | None, str]:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return field, errors[0]
    return None, " ".join(exc.messages)


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages), field="password") from exc


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@action
def create_user(
    *, username: str, password: str, full_name: str = "", email: str = "", by: User | None
) -> User:
    role = _require_sysadmin(by, what="创建用户")
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip())
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        field, message = _first_message(exc)
        raise Refused(message, field=field) from exc
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    record(
        "user.create",
        user,
        by=by,
        role=role,
        details={"username": user.username, "full_name": user.full_name, "email": user.email},
    )
    return user


@action
def grant_role(*, user: User, role: str, scope_id: int, by: User | None) -> RoleAssignment:
    """Grant ``role`` on one scope; granting a role the user already holds changes nothing."""
    acting = _require_sysadmin(by, what="授予角色")
    if role not in Role.values:
        raise Refused("角色不存在。", field="role")
    scope_type = ROLE_SCOPE[role]
    scope = describe(scope_type, scope_id)
    if scope is None and is_known(scope_type):
        raise Refused("授权范围不存在。", field="scope_id")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, scope_type=scope_type, scope_id=scope_id
    )
    changed = created or not assignment.active
    if not assignment.active:
        assignment.active = True
        assignment.granted_at = timezone.now()
        assignment.save(update_fields=["active", "granted_at"])
    record(
        "role.grant",
        assignment,
        by=by,
        role=acting,
        committee_id=scope.committee_id if scope else None,
        details={
            "user": user.username,
            "role": role,
            "scope_type": scope_type,
            "scope_id": scope_id,
            "scope": scope.name if scope else "",
            "changed": changed,
        },
    )
    return assignment


@action
def revoke_role(assignment: RoleAssignment, *, by: User | None) -> RoleAssignment:
    acting = _require_sysadmin(by, what="撤销角色")
    if not assignment.active:
        raise Refused("该角色授权已撤销。")
    if by is not None and assignment.user_id == by.pk and assignment.role == Role.SYSADMIN:
        raise Refused("不能撤销自己的系统管理员角色。")
    assignment.active = False
    assignment.save(update_fields=["active"])
    scope = describe(assignment.scope_type, assignment.scope_id)
    record(
        "role.revoke",
        assignment,
        by=by,
        role=acting,
        committee_id=scope.committee_id if scope else None,
        details={
            "user": assignment.user.username,
            "role": assignment.role,
            "scope_type": assignment.scope_type,
            "scope_id": assignment.scope_id,
        },
    )
    return assignment


@action
def set_password(user: User, *, password: str, by: User | None) -> User:
    """Set a new password. Every API token of the user is revoked, and every session ends: Django
    checks the session's password hash on each request (the caller's own session is kept with
    ``update_session_auth_hash``)."""
    role = _require_self_or_sysadmin(user, by, what="修改他人密码")
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    revoked = _revoke_tokens(user)
    record("user.set_password", user, by=by, role=role, details={"revoked_tokens": revoked})
    return user


@action
def disable_user(user: User, *, by: User | None) -> User:
    """Disable an account: its sessions stop working on the next request and its API tokens are revoked."""
    role = _require_sysadmin(by, what="停用账号")
    if by is not None and by.pk == user.pk:
        raise Refused("不能停用自己的账号。")
    if not user.is_active:
        raise Refused("该账号已停用。")
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = _revoke_tokens(user)
    record("user.disable", user, by=by, role=role, details={"revoked_tokens": revoked})
    return user


@action
def enable_user(user: User, *, by: User | None) -> User:
    role = _require_sysadmin(by, what="启用账号")
    if user.is_active:
        raise Refused("该账号已启用。")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record("user.enable", user, by=by, role=role)
    return user


@action
def create_api_token(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and only its digest is stored."""
    role = _require_self_or_sysadmin(user, by, what="为他人创建 API 令牌")
    if not user.is_active:
        raise Refused("账号已停用，不能创建令牌。", field="user")
    name = name.strip()
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise Refused("令牌名称过长。", field="name")
    raw, digest = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, digest=digest)
    record("token.create", token, by=by, role=role, details={"user": user.username, "name": name})
    return token, raw


@action
def revoke_api_token(token: ApiToken, *, by: User | None) -> ApiToken:
    role = _require_self_or_sysadmin(token.user, by, what="吊销他人的 API 令牌")
    if token.revoked_at is not None:
        raise Refused("该令牌已吊销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("token.revoke", token, by=by, role=role, details={"user": token.user.username, "name": token.name})
    return token
