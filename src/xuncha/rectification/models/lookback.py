"""Look-back (巡察“回头看”): an inspection of a look-back round re-examines the rectification of the earlier
inspections of its unit (``round.lookback_of``). Their problems and items are read from those inspections;
the team records a ``LookbackCheck`` for each item — 真改实改, 虚假整改 or 反弹回潮 — and a check that finds
the problem not really fixed can be followed by a new finding (问题底稿) of the look-back inspection."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.findings.models import Finding
from xuncha.rounds.models import Inspection

from ..choices import VERDICT_BADGES, Verdict
from .items import Item
from .scope import READERS, TEAM_ROLES

__all__ = ["LookbackCheck"]


class LookbackCheckQuerySet(models.QuerySet["LookbackCheck"]):
    def visible_to(self, user: User) -> "LookbackCheckQuerySet":
        """The look-back inspection's readers (its unit's liaison included: the verdicts are fed back),
        the liaison not on an item of the problem list fed back to the principal leader (as for items)."""
        s = user.scopes
        return self.filter(
            Q(inspection__round__committee_id__in=s.ids(*READERS))
            | Q(inspection__team_id__in=s.ids(*TEAM_ROLES))
            | (
                Q(inspection__unit_id__in=s.ids(Role.UNIT_LIAISON))
                & ~Q(item__problem__feedback__recipient="principal")
            )
        )


class LookbackCheck(CaseModel):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="lookback_checks", verbose_name=_("回头看巡察")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="lookback_checks", verbose_name=_("原整改事项")
    )
    verdict = models.CharField(_("核查结论"), max_length=12, choices=Verdict.choices)
    note = models.TextField(_("核查情况"))
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lookback_checks",
        verbose_name=_("新发现问题底稿"),
    )
    checked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("核查人")
    )
    checked_at = models.DateTimeField(_("核查时间"), default=timezone.now)

    objects = LookbackCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看核查")
        verbose_name_plural = _("回头看核查")
        ordering: ClassVar = ["inspection_id", "item__inspection_id", "item__number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "item"], name="one_lookback_check_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_verdict_display()}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def verdict_badge(self) -> str:
        return VERDICT_BADGES[Verdict(self.verdict)]
