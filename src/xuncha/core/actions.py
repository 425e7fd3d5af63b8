"""Account actions: users, role assignments, passwords and API tokens.

Who may manage accounts: a user holding the ``sysadmin`` role on any committee manages every account of
the installation (there is one user directory); ``by=None`` is the system (commands, demo data). A user may
also change their own password and manage their own API tokens.

Roles are granted by the sysadmin on any scope and by a committee's office on the scopes of its committee
(OFFICE_GRANTS); nobody grants a role to themselves, and the sensitive roles (TWO_PERSON_ROLES) wait for a
second person's approval. A role is in force from its grant (or approval) until it is withdrawn or its end
passes (RoleAssignmentQuerySet.in_force); Scopes loads only roles in force, so an ended role gives no access
from the next request.

Account events carry no committee (they concern the installation; every auditor reads them), except role
events, which belong to the committee of the scope when the scope's app registered a lookup
(core.scopes). Passwords, password hashes and raw tokens are never written to the audit.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import action, changes, record, snapshot
from .choices import ROLE_SCOPE, TWO_PERSON_ROLES, Role, RoleStatus
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


def full_clean_account(user: User) -> None:
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise Refused(errors[0], field=None if field == NON_FIELD_ERRORS else field) from exc


def validate_new_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages), field="password") from exc


def _revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@action
def create_user(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    by: User | None,
) -> User:
    role = _require_sysadmin(by, what="创建用户")
    user = User(
        username=username.strip(), full_name=full_name.strip(), email=email.strip(), phone=phone.strip()
    )
    full_clean_account(user)
    validate_new_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    record(
        "user.created",
        user,
        by=by,
        role=role,
        details={
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
        },
    )
    return user


@action
def update_user(
    user: User, *, username: str, full_name: str, email: str, phone: str = "", by: User | None
) -> User:
    """Change an account's name fields (not its password nor whether it is active: those have actions)."""
    role = _require_sysadmin(by, what="修改用户信息")
    fields = ["username", "full_name", "email", "phone"]
    before = snapshot(user, fields)
    user.username, user.full_name, user.email = username.strip(), full_name.strip(), email.strip()
    user.phone = phone.strip()
    full_clean_account(user)
    user.save(update_fields=fields)
    record(
        "user.updated", user, by=by, role=role, details={"changes": changes(before, snapshot(user, fields))}
    )
    return user


# What an office grants on the scopes of its own committee; everything else only the sysadmin grants.
OFFICE_GRANTS = frozenset(
    {Role.LEADING_GROUP, Role.CUSTODIAN, Role.AUDITOR, Role.UNIT_LIAISON, Role.RECEIVER}
)
# Team roles follow team membership (rounds.actions), never a grant.
TEAM_ROLES = frozenset({Role.TEAM_LEADER, Role.TEAM_MEMBER})


def _require_manager(by: User | None, committee_id: int | None, *, office: bool, what: str) -> str:
    """The sysadmin, or (``office``) the office of the scope's committee."""
    if by is None:
        return SYSTEM
    sysadmin = by.scopes.ids(Role.SYSADMIN)
    allowed: dict[str, int | None] = {Role.SYSADMIN: min(sysadmin) if sysadmin else None}
    if office:
        allowed[Role.OFFICE] = committee_id
    return require(by, allowed, what=what)


def _committee_of(assignment: RoleAssignment) -> int | None:
    scope = describe(assignment.scope_type, assignment.scope_id)
    return scope.committee_id if scope else None


def _end_of(day: datetime.date) -> datetime.datetime:
    """A role "until" a day is in force that whole day: it ends at the next local midnight."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def _check_end(on: datetime.date | None, field: str) -> datetime.datetime | None:
    if on is None:
        return None
    if on < timezone.localdate():
        raise Refused("终止日期不能早于今天。", field=field)
    return _end_of(on)


def role_details(assignment: RoleAssignment, **extra: Any) -> dict[str, Any]:
    """What a role event records of the assignment (also rounds' team-role events)."""
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "scope_type": assignment.scope_type,
        "scope_id": assignment.scope_id,
        "ends_at": assignment.ends_at,
        **extra,
    }


def _username(user: User | None) -> str:
    return user.username if user is not None else ""


def _lock(assignment: RoleAssignment) -> None:
    """Re-read under a row lock, so that two people cannot both approve, refuse or end it."""
    assignment.refresh_from_db(from_queryset=RoleAssignment.objects.select_for_update())


@action
def grant_role(
    *,
    user: User,
    role: str,
    scope_id: int,
    by: User | None,
    ends_on: datetime.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Grant ``role`` on one scope, in force until the end of ``ends_on`` (None: until ended).

    Grants of the roles in TWO_PERSON_ROLES wait for a second person's approval (approve_role) and give
    no access until then; the system's grants (by=None: commands, demo data) are in force at once.
    Granting a role the user holds or waits for changes nothing; a role that ended is granted anew.
    """
    if role not in Role.values:
        raise Refused("角色不存在。", field="role")
    if role in TEAM_ROLES:
        raise Refused("巡察组组长、成员随巡察组成员授予，请在巡察组管理中调整成员。", field="role")
    scope_type = ROLE_SCOPE[role]
    scope = describe(scope_type, scope_id)
    if scope is None and is_known(scope_type):
        raise Refused("授权范围不存在。", field="scope_id")
    committee_id = scope.committee_id if scope else None
    acting = _require_manager(by, committee_id, office=role in OFFICE_GRANTS, what="授予该角色")
    if by is not None and by.pk == user.pk:
        raise Refused("不能给自己授予角色。", field="user")
    ends_at = _check_end(ends_on, "ends_on")
    assignment, created = RoleAssignment.objects.select_for_update().get_or_create(
        user=user, role=role, scope_type=scope_type, scope_id=scope_id
    )
    changed = created or assignment.status() == RoleStatus.ENDED
    if changed:
        second = by is not None and role in TWO_PERSON_ROLES
        now = timezone.now()
        assignment.active = not second
        assignment.granted_at = now
        assignment.granted_by = by
        assignment.approved_by = None
        assignment.approved_at = None if second else now
        assignment.ends_at = ends_at
        assignment.ended_reason = ""
        assignment.save()
    details = role_details(
        assignment,
        scope=scope.name if scope else "",
        status=assignment.status(),
        changed=changed,
        reason=reason.strip(),
    )
    record("role.granted", assignment, by=by, role=acting, committee_id=committee_id, details=details)
    return assignment


@action
def approve_role(assignment: RoleAssignment, *, by: User | None) -> RoleAssignment:
    """The second person puts a pending grant in force: another sysadmin, or the office of the scope's
    committee; never the one who granted it nor the one who receives it."""
    _lock(assignment)
    committee_id = _committee_of(assignment)
    acting = _require_manager(by, committee_id, office=True, what="审批角色授权")
    if assignment.status() != RoleStatus.PENDING:
        raise Refused("该角色授权不在待审批状态。")
    if by is not None and by.pk in (assignment.granted_by_id, assignment.user_id):
        raise Refused("授予人和被授予人不能审批该授权，须由另一人审批。")
    assignment.active = True
    assignment.approved_by = by
    assignment.approved_at = timezone.now()
    assignment.save(update_fields=["active", "approved_by", "approved_at"])
    details = role_details(assignment, granted_by=_username(assignment.granted_by))
    record("role.approved", assignment, by=by, role=acting, committee_id=committee_id, details=details)
    return assignment


@action
def refuse_role(assignment: RoleAssignment, *, reason: str, by: User | None) -> RoleAssignment:
    """Refuse a pending grant (the granter may also withdraw it this way); it never comes in force."""
    _lock(assignment)
    committee_id = _committee_of(assignment)
    acting = _require_manager(by, committee_id, office=True, what="审批角色授权")
    if assignment.status() != RoleStatus.PENDING:
        raise Refused("该角色授权不在待审批状态。")
    if by is not None and by.pk == assignment.user_id:
        raise Refused("被授予人不能审批该授权。")
    reason = reason.strip()
    if not reason:
        raise Refused("请填写拒绝理由。", field="reason")
    _end(assignment, timezone.now(), reason)
    details = role_details(assignment, reason=reason, granted_by=_username(assignment.granted_by))
    record("role.refused", assignment, by=by, role=acting, committee_id=committee_id, details=details)
    return assignment


def _end(assignment: RoleAssignment, ends_at: datetime.datetime, reason: str) -> None:
    if ends_at <= timezone.now():
        assignment.active = False
    assignment.ends_at = ends_at
    assignment.ended_reason = reason
    assignment.save(update_fields=["active", "ends_at", "ended_reason"])


@action
def end_role(
    assignment: RoleAssignment, *, reason: str, by: User | None, on: datetime.date | None = None
) -> RoleAssignment:
    """Withdraw a role now (``on`` None, reason required), or let it end after the day ``on``. The
    office ends roles within its committee except the sysadmin's, the sysadmin any; nobody ends their own
    sysadmin role."""
    _lock(assignment)
    committee_id = _committee_of(assignment)
    # The office may end any role within its committee but the installation's own (the sysadmin's).
    acting = _require_manager(by, committee_id, office=assignment.role != Role.SYSADMIN, what="终止该角色")
    if assignment.status() != RoleStatus.IN_FORCE:
        raise Refused("该角色授权不在有效状态。")
    if by is not None and assignment.user_id == by.pk and assignment.role == Role.SYSADMIN:
        raise Refused("不能终止自己的系统管理员角色。")
    reason = reason.strip()
    if on is None and not reason:
        raise Refused("请填写终止理由。", field="reason")
    _end(assignment, _check_end(on, "on") or timezone.now(), reason)
    details = role_details(assignment, reason=reason)
    record("role.ended", assignment, by=by, role=acting, committee_id=committee_id, details=details)
    return assignment


def end_roles(
    assignments: Iterable[RoleAssignment], *, reason: str, by: User | None, acting: str, committee_id: int
) -> None:
    """End roles now as part of another action that allowed it (a team member removed, an inspection
    archived), each with its own role.ended event."""
    for assignment in assignments:
        _end(assignment, timezone.now(), reason)
        details = role_details(assignment, reason=reason)
        record("role.ended", assignment, by=by, role=acting, committee_id=committee_id, details=details)


@action
def set_password(user: User, *, password: str, by: User | None) -> User:
    """Set a new password. Every API token of the user is revoked, and every session ends: Django
    checks the session's password hash on each request (the caller's own session is kept with
    ``update_session_auth_hash``)."""
    role = _require_self_or_sysadmin(user, by, what="修改他人密码")
    validate_new_password(password, user)
    if role == SELF and user.must_change_password and user.check_password(password):
        raise Refused("新密码不能与初始密码相同。", field="password")
    user.set_password(password)
    user.password_changed_at = timezone.now()
    # A one-time password (orgs.actions.create_account) is known to the office: only the user's own clears it.
    user.must_change_password = user.must_change_password and role != SELF
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
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
def enrol_totp_device(user: User, *, key: str, token: str, by: User) -> TOTPDevice | None:
    """Store a user's first authenticator, with the secret (hex) the setup page showed them, once they
    enter a code it generated (proving they hold it). Until then nothing is stored: the page keeps the
    secret in the session.

    A wrong code is recorded and answered with None rather than an exception, so that the record is
    committed, not rolled back."""
    if by.pk != user.pk:
        raise NotAllowed("只能为自己设置动态口令。")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Refused("已设置动态口令；如需更换设备，请联系系统管理员重置。")
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    token = token.strip()
    if not (token.isdigit() and totp.verify(int(token), device.tolerance)):
        record("otp.confirmation_failed", user, by=by, role=SELF)
        return None
    device.drift, device.last_t = totp.drift, totp.t()  # the code just used cannot be used again
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # left by an earlier, two-step setup
    device.save()
    record("otp.device_confirmed", device, by=by, role=SELF)
    return device


@action
def reset_totp(user: User, *, by: User | None) -> User:
    """Remove a user's authenticators (lost phone); the user sets up a new one at the next login."""
    role = _require_sysadmin(by, what="重置动态口令")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record("otp.reset", user, by=by, role=role, details={"removed_devices": removed})
    return user
