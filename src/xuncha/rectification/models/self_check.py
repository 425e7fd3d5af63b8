"""The unit's own problems found in self-check (自查问题, 即知即改): registered by the unit's liaison
while the team is in the unit, accepted or declined (with a reason) by the team leader. An accepted one
becomes a 边巡边改 item (``Item`` of source fieldwork, 立行立改 or 限期整改) through the team's own
``issue_item``, so it stands in the rectification lists and the unit's list like any item the team issued.

Seen like rectification itself: the office and leading group of the committee, the inspection's team and
the unit's liaison; everyone else gets 404.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.models import CaseModel, User
from xuncha.rounds.models import Inspection

from .items import Item
from .scope import inspection_scope

__all__ = ["SelfCheckItem", "SelfCheckStatus"]


class SelfCheckStatus(models.TextChoices):
    PENDING = "pending", _("待组长审核")
    ACCEPTED = "accepted", _("已纳入边巡边改")
    DECLINED = "declined", _("未予纳入")


SELF_CHECK_BADGES = {
    SelfCheckStatus.PENDING: "text-bg-warning",
    SelfCheckStatus.ACCEPTED: "text-bg-success",
    SelfCheckStatus.DECLINED: "text-bg-secondary",
}


class SelfCheckItemQuerySet(models.QuerySet["SelfCheckItem"]):
    def visible_to(self, user: User) -> "SelfCheckItemQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))


class SelfCheckItem(CaseModel):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="self_check_items", verbose_name=_("巡察")
    )
    problem = models.TextField(_("自查发现的问题"))
    measure = models.TextField(_("整改措施"))
    leader = models.CharField(_("责任领导"), max_length=100)
    department = models.CharField(_("责任部门"), max_length=100)
    due_on = models.DateField(_("拟完成时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=SelfCheckStatus.choices, default=SelfCheckStatus.PENDING
    )
    item = models.OneToOneField(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_check",
        verbose_name=_("整改事项"),
    )
    decline_reason = models.TextField(_("未予纳入的理由"), blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = SelfCheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("自查问题")
        verbose_name_plural = _("自查问题")
        ordering: ClassVar = ["inspection_id", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"自查{self.pk or 0:03d}"

    @property
    def title(self) -> str:
        text = self.problem.splitlines()[0] if self.problem else ""
        return text[:40] + ("…" if len(text) > 40 else "")

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_pending(self) -> bool:
        return self.status == SelfCheckStatus.PENDING

    @property
    def status_badge(self) -> str:
        return SELF_CHECK_BADGES[SelfCheckStatus(self.status)]
