"""Supervision of rectification by the office (跟踪督办): supervision notices (督办单) to a unit, or to a
lead unit with cooperating units (三位一体: the lead unit implements, the cooperating units take part, the
office tracks), with the units' responses; the office's assessment (整改评估) with a score; and the
follow-up visits (回访) it records."""

from typing import ClassVar

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rounds.models import Inspection

from ..choices import NOTICE_BADGES, NoticeStatus
from .items import Item
from .scope import inspection_scope

__all__ = ["Assessment", "NoticeResponse", "ResponseFile", "SupervisionNotice", "Visit"]


def notice_scope(user: User, prefix: str = "") -> Q:
    """A notice's readers: those of its inspection, the liaisons of its lead and cooperating units, and the
    receivers of its lead department (a 建章立制 recommendation may be led by a department)."""
    units = user.scopes.ids(Role.UNIT_LIAISON)
    return (
        inspection_scope(user, f"{prefix}inspection__")
        | Q(**{f"{prefix}lead_unit_id__in": units})
        | Q(**{f"{prefix}cooperating_units__in": units})
        | Q(**{f"{prefix}lead_department_id__in": user.scopes.ids(Role.RECEIVER)})
    )


class SupervisionNoticeQuerySet(models.QuerySet["SupervisionNotice"]):
    def visible_to(self, user: User) -> "SupervisionNoticeQuerySet":
        # A notice reached through several cooperating units must not come back twice.
        return self.filter(pk__in=SupervisionNotice.objects.filter(notice_scope(user)).values("pk"))


class SupervisionNotice(CaseModel):
    """A 督办单 numbered in its committee's yearly series (督办〔2026〕3号)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("党委")
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("巡察")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    subject = models.CharField(_("督办事项"), max_length=200)
    requirements = models.TextField(_("督办要求"))
    items = models.ManyToManyField(
        Item, blank=True, related_name="supervision_notices", verbose_name=_("涉及整改事项")
    )
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_supervision_notices",
        verbose_name=_("牵头单位"),
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_supervision_notices",
        verbose_name=_("牵头部门"),
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_supervision_notices", verbose_name=_("配合单位")
    )
    due_on = models.DateField(_("办理时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签发人")
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("办结人")
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.TextField(_("办结意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    objects = SupervisionNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering: ClassVar = ["-year", "-sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"], name="unique_supervision_number"
            ),
            # Led by a unit (the inspected unit, or another) or by a department (建章立制), never both.
            models.CheckConstraint(
                condition=Q(lead_unit__isnull=False, lead_department__isnull=True)
                | Q(lead_unit__isnull=True, lead_department__isnull=False),
                name="supervision_notice_one_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def lead(self) -> Unit | Department:
        lead = self.lead_unit or self.lead_department
        assert lead is not None  # noqa: S101 - the constraint holds one of them
        return lead

    @property
    def lead_name(self) -> str:
        return self.lead.name

    @property
    def lead_label(self) -> str:
        return "牵头部门" if self.lead_department_id else "牵头单位"

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.sequence}号"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id

    @property
    def is_closed(self) -> bool:
        return self.status == NoticeStatus.CLOSED

    @property
    def status_badge(self) -> str:
        return NOTICE_BADGES[NoticeStatus(self.status)]


class NoticeResponseQuerySet(models.QuerySet["NoticeResponse"]):
    def visible_to(self, user: User) -> "NoticeResponseQuerySet":
        return self.filter(notice__in=SupervisionNotice.objects.visible_to(user))


class NoticeResponse(CaseModel):
    """What a unit reports on a notice: the lead unit's 办理结果 (``is_result``) moves the notice to 已报办理
    结果; a cooperating unit's 配合情况 is recorded beside it."""

    notice = models.ForeignKey(
        SupervisionNotice, on_delete=models.CASCADE, related_name="responses", verbose_name=_("督办单")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送单位")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送部门"),
    )
    text = models.TextField(_("办理情况"))
    is_result = models.BooleanField(_("办理结果"), default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("报送时间"), default=timezone.now)

    objects = NoticeResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办办理情况")
        verbose_name_plural = _("督办办理情况")
        ordering: ClassVar = ["notice_id", "at"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, department__isnull=True)
                | Q(unit__isnull=True, department__isnull=False),
                name="notice_response_one_sender",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender_name}（{self.at:%Y-%m-%d}）"

    @property
    def sender_name(self) -> str:
        sender = self.unit or self.department
        return sender.name if sender else ""

    @property
    def audit_committee_id(self) -> int | None:
        return self.notice.committee_id


class ResponseFileQuerySet(models.QuerySet["ResponseFile"]):
    def visible_to(self, user: User) -> "ResponseFileQuerySet":
        return self.filter(response__notice__in=SupervisionNotice.objects.visible_to(user))


class ResponseFile(SealedFile):
    response = models.ForeignKey(
        NoticeResponse, on_delete=models.CASCADE, related_name="files", verbose_name=_("督办办理情况")
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ResponseFileQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("督办办理材料")
        verbose_name_plural = _("督办办理材料")

    def __str__(self) -> str:
        return f"督办办理材料 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.response.audit_committee_id


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: User) -> "AssessmentQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))


class Assessment(CaseModel):
    """The office's 整改评估 of an inspection's rectification: a score out of 100 and its comments. Each
    assessment is kept; the latest counts."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="rectification_assessments", verbose_name=_("巡察")
    )
    score = models.PositiveSmallIntegerField(_("评估得分"), validators=[MaxValueValidator(100)])
    comments = models.TextField(_("评估意见"))
    assessed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("评估人")
    )
    assessed_at = models.DateTimeField(_("评估时间"), default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")
        ordering: ClassVar = ["inspection_id", "-assessed_at"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(score__lte=100), name="assessment_score_at_most_100")
        ]

    def __str__(self) -> str:
        return f"整改评估 {self.score}分（{self.assessed_at:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user: User) -> "VisitQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))


class Visit(CaseModel):
    """A 回访: who went, when, how, what they found."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="rectification_visits", verbose_name=_("巡察")
    )
    visited_on = models.DateField(_("回访日期"))
    visitors = models.CharField(_("回访人员"), max_length=200)
    method = models.CharField(
        _("回访方式"), max_length=100, help_text=_("如：座谈、走访群众、查阅资料、实地查看。")
    )
    findings = models.TextField(_("回访情况"))
    conclusion = models.TextField(_("回访结论"), blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering: ClassVar = ["inspection_id", "-visited_on"]

    def __str__(self) -> str:
        return f"回访（{self.visited_on:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id
