"""Clues (问题线索) of an inspection and their transfer (移交) to the receiver the rule proposes.

Who sees a clue: the office of the inspection's committee and the team's leaders always; the leading group
and the team's plain members unless it is marked 高度保密 (then 404, as for a missing id). Receivers never see
the clue itself: they see the ``ClueTransfer`` sent to their department (``receiver``) or unit
(``unit_liaison``) and, through it, what the transfer letter says. The clue's content and the receiver's
result are encrypted (UUID keys, associated data per row).
"""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.models import CaseModel, User
from xuncha.fieldwork.models import InterviewProblem
from xuncha.intake.models import Petition
from xuncha.orgs.models import Department, Person, Unit
from xuncha.rounds.models import Inspection

from ..choices import (
    CLUE_BADGES,
    CLUE_TRANSFER_BADGES,
    ClueKind,
    ClueStatus,
    ClueTransferStatus,
    Disposal,
    Outcome,
)
from .findings import Finding

__all__ = ["Clue", "ClueTransfer", "clue_scope", "receiver_name"]


def clue_scope(user: User, prefix: str = "") -> Q:
    """The clues ``user`` sees, as a condition on ``<prefix>inspection``/``<prefix>confidential``."""
    s = user.scopes
    full = Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(Role.OFFICE)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(Role.TEAM_LEADER)}
    )
    plain = Q(**{f"{prefix}inspection__round__committee_id__in": s.ids(Role.LEADING_GROUP)}) | Q(
        **{f"{prefix}inspection__team_id__in": s.ids(Role.TEAM_MEMBER)}
    )
    return full | (plain & Q(**{f"{prefix}confidential": False}))


def receiver_name(kind: str, department: Department | None, unit: Unit | None) -> str:
    """Whom a clue goes to: a department by name; for the unit, its party organisation, or its principal
    leader for the leadership members' own problems (谁的问题向谁移交)."""
    if department is not None:
        return department.name
    if unit is None:
        return ""
    return f"{unit.name}主要负责人" if kind == ClueKind.LEADERSHIP else f"{unit.name}党组织"


class ClueQuerySet(models.QuerySet["Clue"]):
    def visible_to(self, user: User) -> "ClueQuerySet":
        return self.filter(clue_scope(user))


class Clue(CaseModel):
    """A 问题线索: about roster persons, from a finding, a petition or a problem raised in an interview (or
    none of them), approved by a team leader and by the office, then transferred to its receiver."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="clues", verbose_name=_("巡察")
    )
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=20)
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name=_("来源问题底稿"),
    )
    petition = models.ForeignKey(
        Petition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name=_("来源信访件"),
    )
    interview_problem = models.ForeignKey(
        InterviewProblem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name=_("来源：谈话反映的问题"),
    )
    persons = models.ManyToManyField(Person, related_name="clues", verbose_name=_("涉及人员"))
    title = models.CharField(_("线索标题"), max_length=200)
    content = EncryptedTextField(_("线索内容"))
    kind = models.CharField(_("线索类别"), max_length=12, choices=ClueKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name=_("接收部门"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name=_("接收单位"),
    )
    receiver_reason = models.TextField(_("调整接收方的理由"), blank=True)
    confidential = models.BooleanField(_("高度保密"), default=False)

    status = models.CharField(_("状态"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.DRAFT)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("提交审批时间"), null=True, blank=True)
    leader_approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("组长审批人")
    )
    leader_approved_at = models.DateTimeField(_("组长审批时间"), null=True, blank=True)
    office_approved_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("巡察办审批人"),
    )
    office_approved_at = models.DateTimeField(_("巡察办审批时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    withdraw_reason = models.TextField(_("撤销理由"), blank=True)

    objects = ClueQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering: ClassVar = ["inspection_id", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "sequence"], name="unique_clue_sequence"),
            models.CheckConstraint(
                condition=Q(department__isnull=False, unit__isnull=True)
                | Q(department__isnull=True, unit__isnull=False),
                name="clue_has_one_receiver",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["inspection", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def receiver_name(self) -> str:
        return receiver_name(self.kind, self.department, self.unit)

    @property
    def status_badge(self) -> str:
        return CLUE_BADGES[ClueStatus(self.status)]


class ClueTransferQuerySet(models.QuerySet["ClueTransfer"]):
    def visible_to(self, user: User) -> "ClueTransferQuerySet":
        s = user.scopes
        return self.filter(
            clue_scope(user, "clue__")
            | Q(department_id__in=s.ids(Role.RECEIVER))
            | Q(unit_id__in=s.ids(Role.UNIT_LIAISON))
        )

    def overdue(self, day: datetime.date | None = None) -> "ClueTransferQuerySet":
        return self.exclude(status=ClueTransferStatus.REPORTED).filter(due_on__lt=day or timezone.localdate())


class ClueTransfer(CaseModel):
    """A clue sent with a numbered 移交函; the receiver signs for it, disposes of it and reports back."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="transfer")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clue_transfers",
        verbose_name=_("接收部门"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clue_transfers",
        verbose_name=_("接收单位"),
    )
    letter_number = models.CharField(_("移交函编号"), max_length=60)
    status = models.CharField(
        _("状态"), max_length=10, choices=ClueTransferStatus.choices, default=ClueTransferStatus.SENT
    )
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("移交时间"), default=timezone.now)
    due_on = models.DateField(_("报告结果期限"))
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    disposal = models.CharField(_("处置方式"), max_length=10, choices=Disposal.choices, blank=True)
    disposed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    disposed_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    result = EncryptedTextField(_("办理情况"), blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(_("报告结果时间"), null=True, blank=True)
    last_chased_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    objects = ClueTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题线索移交")
        verbose_name_plural = _("问题线索移交")
        ordering: ClassVar = ["-sent_at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, unit__isnull=True)
                | Q(department__isnull=True, unit__isnull=False),
                name="clue_transfer_has_one_receiver",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def audit_committee_id(self) -> int | None:
        return self.clue.audit_committee_id

    @property
    def receiver_name(self) -> str:
        return receiver_name(self.clue.kind, self.department, self.unit)

    @property
    def status_badge(self) -> str:
        return CLUE_TRANSFER_BADGES[ClueTransferStatus(self.status)]

    @property
    def is_overdue(self) -> bool:
        return self.status != ClueTransferStatus.REPORTED and self.due_on < timezone.localdate()
