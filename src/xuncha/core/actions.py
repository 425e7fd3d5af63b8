"""Account actions: users, role assignments, passwords and API tokens.

Who may manage accounts: a user holding the ``sysadmin`` role on any committee manages every account of
the installation (there is one user directory); ``by=None`` is the system (commands, demo data). A user may
also change their own password and manage their own API tokens.

Account events carry no committee (they concern the installation; every auditor reads them), except role
grants and revocations, which belong to the committee of the scope when the scope's app registered a
lookup (core.scopes). Passwords, password hashes and raw tokens are never written to the audit.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import action, changes, record, snapshot
from .choices import ROLE_SCOPE, Role
from .errors import Refused
from .models import ApiToken, RoleAssignment, User
from .permissions import SYSTEM, NotAllowed, require
from .scopes import describe, is_known

SELF = "self"
TOTP_DEVICE_NAME = "身份验证器"


def _require_sysadmin(by: User | None, *, what: str) -> str:
    if by is None:
        return SYSTEM
    committees = by.scopes.ids(Role.SYSADMIN)
    return require(by, {Role.SYSADMIN: min(committees) if committees else None}, what=what)


def _require_self_or_sysadmin(user: User, by: User | None, *, what: str) -> str:
    if by is not None and by.pk == user.pk and by.is_active:
        return SELF
    return _require_sysadmin(by, what=what)


def _full_clean(user: User) -> None:
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise Refused(errors[0], field=None if field == NON_FIELD_ERRORS else field) from exc


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
    _full_clean(user)
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    record(
        "user.created",
        user,
        by=by,
        role=role,
        details={"username": user.username, "full_name": user.full_name, "email": user.email},
    )
    return user


@action
def update_user(user: User, *, username: str, full_name: str, email: str, by: User | None) -> User:
    """Change an account's name fields (not its password nor whether it is active: those have actions)."""
    role = _require_sysadmin(by, what="修改用户信息")
    fields = ["username", "full_name", "email"]
    before = snapshot(user, fields)
    user.username, user.full_name, user.email = username.strip(), full_name.strip(), email.strip()
    _full_clean(user)
    user.save(update_fields=fields)
    record(
        "user.updated", user, by=by, role=role, details={"changes": changes(before, snapshot(user, fields))}
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
        "role.granted",
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
        "role.revoked",
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
    record("user.password_set", user, by=by, role=role, details={"revoked_tokens": revoked})
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
    record("user.disabled", user, by=by, role=role, details={"revoked_tokens": revoked})
    return user


@action
def enable_user(user: User, *, by: User | None) -> User:
    role = _require_sysadmin(by, what="启用账号")
    if user.is_active:
        raise Refused("该账号已启用。")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record("user.enabled", user, by=by, role=role)
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
    record("token.created", token, by=by, role=role, details={"user": user.username, "name": name})
    return token, raw


@action
def revoke_api_token(token: ApiToken, *, by: User | None) -> ApiToken:
    role = _require_self_or_sysadmin(token.user, by, what="吊销他人的 API 令牌")
    if token.revoked_at is not None:
        raise Refused("该令牌已吊销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        "token.revoked", token, by=by, role=role, details={"user": token.user.username, "name": token.name}
    )
    return token


@action
def unlock_user(user: User, *, by: User | None) -> User:
    """Lift the login lockout of an account (every IP address) before the cool-off ends."""
    role = _require_sysadmin(by, what="解除登录锁定")
    cleared = axes_reset(username=user.username)
    record("user.unlocked", user, by=by, role=role, details={"cleared_attempts": cleared})
    return user


@action
def begin_totp_enrolment(user: User, *, by: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for a user who has none confirmed yet (first TOTP setup)."""
    if by.pk != user.pk:
        raise NotAllowed("只能为自己设置动态口令。")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Refused("已设置动态口令；如需更换设备，请联系系统管理员重置。")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    record("otp.enrolment_started", device, by=by, role=SELF)
    return device


@action
def confirm_totp_device(device: TOTPDevice, *, token: str, by: User) -> bool:
    """Confirm a pending authenticator with a code it generated, proving the user holds the secret.

    A wrong code is recorded and answered with False rather than an exception, so that the failure
    and django-otp's throttling counter are committed, not rolled back."""
    if by.pk != device.user_id or device.confirmed:
        raise NotAllowed("只能确认自己尚未启用的设备。")
    if not device.verify_token(token.strip()):
        record("otp.confirmation_failed", device, by=by, role=SELF)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("otp.device_confirmed", device, by=by, role=SELF)
    return True


@action
def reset_totp(user: User, *, by: User | None) -> User:
    """Remove a user's authenticators (lost phone); the user sets up a new one at the next login."""
    role = _require_sysadmin(by, what="重置动态口令")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record("otp.reset", user, by=by, role=role, details={"removed_devices": removed})
    return user
