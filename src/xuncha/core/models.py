import datetime
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ExportState, Role, RoleStatus, ScopeType
from .context import AuditMissing, in_action
from .scopes import describe, scope_ids_in


class User(AbstractUser):
    """An account. What it may see comes only from its RoleAssignments, never from is_staff flags."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(
        _("电话"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9+()\- ]*$", _("电话号码只能包含数字、空格、+、- 和括号。"))],
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Set when the account gets a one-time password: the next login must choose a new one.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    # Django permissions are used by the admin (/sysadmin/) only: the sysadmin role holds them all, whatever
    # is_staff/is_superuser say. What the admin exposes is limited by what is registered there (no case data).
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and self.scopes.has(Role.SYSADMIN)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.scopes.has(Role.SYSADMIN)

    @property
    def scopes(self) -> "Scopes":
        """The user's role assignments in force, loaded once per request/object."""
        cached: Scopes | None = self.__dict__.get("_scopes")
        if cached is None:
            cached = Scopes(self)
            self.__dict__["_scopes"] = cached
        return cached


class Scopes:
    """Which scope ids a user holds each role on."""

    def __init__(self, user: User) -> None:
        self._ids: dict[str, set[int]] = {}
        if user.is_authenticated and user.is_active:
            for role, scope_id in (
                RoleAssignment.objects.in_force().filter(user=user).values_list("role", "scope_id")
            ):
                self._ids.setdefault(role, set()).add(scope_id)

    def ids(self, *roles: str) -> set[int]:
        found: set[int] = set()
        for role in roles:
            found |= self._ids.get(role, set())
        return found

    def has(self, role: str, scope_id: int | None = None) -> bool:
        ids = self._ids.get(role, set())
        return bool(ids) if scope_id is None else scope_id in ids

    @property
    def roles(self) -> set[str]:
        return set(self._ids)


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def visible_to(self, user: User) -> "RoleAssignmentQuerySet":
        """The sysadmin sees every assignment; an office those on scopes of its committees (the scope
        apps register which scope ids belong to a committee, see core.scopes); anyone their own."""
        if user.scopes.has(Role.SYSADMIN):
            return self
        visible = models.Q(user_id=user.pk)
        committees = user.scopes.ids(Role.OFFICE)
        for scope_type in ScopeType.values if committees else ():
            ids = scope_ids_in(scope_type, committees)
            if ids is not None:
                visible |= models.Q(scope_type=scope_type, scope_id__in=ids)
        return self.filter(visible)

    def in_force(self, at: datetime.datetime | None = None) -> "RoleAssignmentQuerySet":
        """Granted, approved, not withdrawn and not past its end: what gives access."""
        at = at or timezone.now()
        return self.filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at), active=True)

    def pending(self) -> "RoleAssignmentQuerySet":
        """Sensitive grants waiting for the second person's approval (no access yet)."""
        return self.filter(active=False, approved_at__isnull=True, ends_at__isnull=True)

    def ended(self, at: datetime.datetime | None = None) -> "RoleAssignmentQuerySet":
        """Withdrawn, refused or past their end."""
        return self.exclude(pk__in=self.in_force(at).values("pk")).exclude(pk__in=self.pending().values("pk"))

    def in_status(self, status: str) -> "RoleAssignmentQuerySet":
        """Those in one ``RoleStatus`` (what the page's and the API's state filter ask)."""
        if status == RoleStatus.IN_FORCE:
            return self.in_force()
        if status == RoleStatus.PENDING:
            return self.pending()
        return self.ended()


class RoleAssignment(models.Model):
    """A role held on one scope (a committee, a team, a unit or a department): never global."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    scope_type = models.CharField(_("范围类型"), max_length=20, choices=ScopeType.choices)
    scope_id = models.PositiveBigIntegerField(_("范围"))
    # Granted and approved and not withdrawn; whether it is in force also depends on ends_at (in_force).
    active = models.BooleanField(_("有效"), default=True)
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("授予人")
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    ended_reason = models.TextField(_("终止理由"), blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"], name="unique_role_assignment"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["role", "scope_id"])]

    def __str__(self) -> str:
        scope = describe(self.scope_type, self.scope_id)
        where = scope.name if scope else self.get_scope_type_display()
        return f"{self.user} · {self.get_role_display()} · {where}"

    def status(self, at: datetime.datetime | None = None) -> str:
        if self.active:
            at = at or timezone.now()
            return RoleStatus.IN_FORCE if self.ends_at is None or self.ends_at > at else RoleStatus.ENDED
        if self.approved_at is None and self.ends_at is None:
            return RoleStatus.PENDING
        return RoleStatus.ENDED


def _token_digest(raw: str) -> str:
    # API tokens have 256 bits of randomness: a fast hash is enough and makes lookups indexable.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def authenticate(self, raw: str) -> User | None:
        token = (
            self.select_related("user")
            .filter(digest=_token_digest(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        return token.user


class ApiToken(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.pk}"

    @classmethod
    def new_raw(cls) -> tuple[str, str]:
        raw = "xc_" + secrets.token_urlsafe(32)
        return raw, _token_digest(raw)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: User) -> "AuditEventQuerySet":
        """An auditor reads the events of the committees they audit, and the installation's own events
        (accounts, key rotation), which belong to no committee."""
        committees = user.scopes.ids(Role.AUDITOR)
        if not committees:
            return self.none()
        return self.filter(models.Q(committee_id__in=committees) | models.Q(committee_id__isnull=True))

    def update(self, **kwargs: Any) -> int:
        raise AuditAppendOnly()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnly()


class AuditAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """One link of the hash chain. Never updated or deleted; see audit.py for how it is written."""

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=150)
    role = models.CharField(_("角色"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象名称"), max_length=200, blank=True)
    committee_id = models.BigIntegerField(_("党委"), null=True, blank=True, db_index=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hmac = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering: ClassVar = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnly()


class AuditChainHead(models.Model):
    """A single row locked while appending, so the chain stays linear under concurrent writers. ``mac``
    (keyed by the audit key) binds seq and hash, so the head cannot be rewritten to hide a cut tail."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class CaseModel(models.Model):
    """Base of every model holding case or organisation data.

    It can only be written inside an audited action (see audit.py), and tells the audit chain which
    committee it belongs to so that the committee's auditor can read the event.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not in_action():
            raise AuditMissing(f"{type(self).__name__} saved outside an audited action")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not in_action():
            raise AuditMissing(f"{type(self).__name__} deleted outside an audited action")
        return super().delete(*args, **kwargs)

    @property
    def audit_committee_id(self) -> int | None:
        raise NotImplementedError


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> "NotificationQuerySet":
        """A user's own notifications: nobody else's, whatever their roles."""
        return self.filter(recipient_id=user.pk) if user.is_authenticated else self.none()

    def unread(self) -> "NotificationQuerySet":
        """Not read and not handled: a notification whose object was handled asks nothing any more."""
        return self.filter(read_at__isnull=True, handled_at__isnull=True)

    def unhandled(self) -> "NotificationQuerySet":
        return self.filter(handled_at__isnull=True)

    def about(self, objects: Iterable[models.Model]) -> "NotificationQuerySet":
        """The notifications whose subject is one of ``objects`` (model instances, of any types)."""
        wanted = models.Q(pk__in=[])
        by_type: dict[str, set[str]] = {}
        for obj in objects:
            by_type.setdefault(obj._meta.label_lower, set()).add(str(obj.pk))
        for subject_type, ids in by_type.items():
            wanted |= models.Q(subject_type=subject_type, subject_id__in=sorted(ids))
        return self.filter(wanted)


class Notification(models.Model):
    """A short in-app notice to one user (see notifications.py). It carries no case content, only what is
    due and a link, so it is not case data: creating it is recorded in the notifying action's own event,
    and reading it is the recipient's business."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    key = models.CharField(_("标识"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # What the notification is about ("<app_label>.<model>" and its pk, as audit events name objects): when
    # that object is handled (``notifications.mark_handled``) the notification asks nothing any more.
    subject_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    subject_id = models.CharField(_("对象"), max_length=64, blank=True)
    handled_at = models.DateTimeField(_("已处理时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["recipient", "key"], name="unique_notification_per_recipient")
        ]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
        ]

    def __str__(self) -> str:
        return self.title


def export_file_name(instance: "ExportJob", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.bin"


class ExportJob(models.Model):
    """A ledger exported in the background (``core/exports.py``): who asked, which ledger with which
    filters, how far it got, and the workbook sealed with AES-GCM (as uploads are) until it expires.
    Only the user who asked sees it. Bookkeeping, not case data: the download is the audited event, as
    a direct export is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("导出人")
    )
    ledger = models.CharField(_("台账"), max_length=40)
    filters = models.JSONField(_("筛选条件"), default=dict)  # query parameter → its values
    state = models.CharField(
        _("状态"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("已导出行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    blob = models.FileField(upload_to=export_file_name, max_length=200, blank=True)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"))

    class Meta:
        verbose_name = _("台账导出任务")
        verbose_name_plural = _("台账导出任务")
        indexes: ClassVar = [models.Index(fields=["expires_at"], name="export_job_expiry")]

    def __str__(self) -> str:
        return f"{self.ledger} {self.created_at:%Y-%m-%d %H:%M}"
