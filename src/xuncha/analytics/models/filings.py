"""Filings (报备) of a lower committee's office to the office of the committee above it (上下联动): each round
plan, each team report's summary and each rectification summary, as a snapshot (JSON and rendered text) the
upper office acknowledges (签收).

Who sees a filing: the office of the committee that filed it, and the office of the committee it was filed
to. A sibling committee, and everyone else, gets the 404 of a missing id. The snapshot holds statistics and
the summary the lower office wrote for filing, never case content."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Committee
from xuncha.rounds.models import Inspection, Round

__all__ = ["Filing", "FilingKind"]


class FilingKind(models.TextChoices):
    ROUND_PLAN = "round_plan", _("巡察工作安排")
    TEAM_REPORT = "team_report", _("巡察报告情况")
    RECTIFICATION = "rectification", _("整改情况")


class FilingQuerySet(models.QuerySet["Filing"]):
    def visible_to(self, user: User) -> "FilingQuerySet":
        offices = user.scopes.ids(Role.OFFICE)
        return self.filter(Q(committee_id__in=offices) | Q(upper_id__in=offices))


class Filing(CaseModel):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="filings", verbose_name=_("报备党委")
    )
    upper = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="received_filings", verbose_name=_("报备至")
    )
    kind = models.CharField(_("报备事项"), max_length=16, choices=FilingKind.choices)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+", verbose_name=_("轮次"))
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("巡察")
    )
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("报备说明"), blank=True)
    snapshot = models.JSONField(_("报备内容"), default=dict)
    text = models.TextField(_("报备文本"))
    due_on = models.DateField(_("报备时限"))
    filed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报备人")
    )
    filed_at = models.DateTimeField(_("报备时间"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("签收人")
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledgement = models.TextField(_("签收意见"), blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("报备")
        verbose_name_plural = _("报备")
        ordering: ClassVar = ["-filed_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "round"], condition=Q(inspection__isnull=True), name="one_filing_per_round"
            ),
            models.UniqueConstraint(
                fields=["kind", "inspection"],
                condition=Q(inspection__isnull=False),
                name="one_filing_per_inspection",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["upper", "acknowledged_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_late(self) -> bool:
        return timezone.localtime(self.filed_at).date() > self.due_on

    @property
    def days_late(self) -> int:
        return max(0, (timezone.localtime(self.filed_at).date() - self.due_on).days)
