"""The rectification plan (整改方案) of one inspection: one plan covers the problem lists of both
feedbacks (to the unit and to its principal leader). Its tasks are ``Item`` rows of source 整改方案."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.models import CaseModel, User
from xuncha.rounds.models import Inspection

from ..choices import PLAN_BADGES, PlanStatus
from .scope import inspection_scope

__all__ = ["Plan"]


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: User) -> "PlanQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))


class Plan(CaseModel):
    """Drafted by the unit's liaison, submitted, approved or returned with comments by the office."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rectification_plan", verbose_name=_("巡察")
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("总体安排"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    return_reason = models.TextField(_("退回意见"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        ordering: ClassVar = ["-inspection_id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def status_badge(self) -> str:
        return PLAN_BADGES[PlanStatus(self.status)]
