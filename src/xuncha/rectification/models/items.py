"""The task list (任务清单) with its responsibility list (责任清单): an ``Item`` is one measure against a
feedback problem (or, issued by the team during fieldwork, 边巡边改, against none), with its responsible
leader and department, its deadline and kind; a long-term item (长期坚持) has dated ``Milestone``s.
``Progress`` updates carry the evidence (``Evidence``, sealed files); the office closes (销号) an item or a
milestone only with evidence."""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Person
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection

from ..choices import ITEM_BADGES, ItemKind, ItemSource, ItemStatus
from .scope import item_scope

__all__ = ["Evidence", "Item", "Milestone", "Progress"]

OPEN_MILESTONE = ~Q(milestones__status=ItemStatus.CLOSED)


class ItemQuerySet(models.QuerySet["Item"]):
    def visible_to(self, user: User) -> "ItemQuerySet":
        return self.filter(item_scope(user))

    def active(self) -> "ItemQuerySet":
        """Items the unit must carry out: those issued during fieldwork, and an approved plan's tasks."""
        return self.filter(
            Q(source=ItemSource.FIELDWORK) | Q(inspection__rectification_plan__status="approved")
        )

    def with_next_due(self) -> "ItemQuerySet":
        """Annotate ``next_due``: the earliest open milestone's date, else the item's own deadline."""
        return self.annotate(next_due=Coalesce(Min("milestones__due_on", filter=OPEN_MILESTONE), "due_on"))


class Item(CaseModel):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="rectification_items", verbose_name=_("巡察")
    )
    number = models.PositiveIntegerField(_("序号"))
    source = models.CharField(_("来源"), max_length=12, choices=ItemSource.choices, default=ItemSource.PLAN)
    problem = models.ForeignKey(
        FeedbackProblem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
        verbose_name=_("反馈问题"),
    )
    issue = models.TextField(_("问题"), blank=True, help_text=_("边巡边改事项所针对的问题。"))
    measure = models.TextField(_("整改措施"))
    kind = models.CharField(_("类型"), max_length=12, choices=ItemKind.choices)
    leader = models.CharField(_("责任领导"), max_length=100)
    leader_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任领导（名册）"),
    )
    department = models.CharField(_("责任部门"), max_length=100)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    added_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("添加人")
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("申请销号人")
    )
    submitted_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("销号人")
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closing_note = models.TextField(_("核实意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    # Marked by the office or the team: never published (双公开 exemptions), whatever its text says.
    confidential = models.BooleanField(_("不予公开"), default=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering: ClassVar = ["inspection_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "number"], name="unique_rectification_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"任务{self.number:02d}"

    @property
    def title(self) -> str:
        text = self.measure.splitlines()[0] if self.measure else ""
        return text[:40] + ("…" if len(text) > 40 else "")

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_long_term(self) -> bool:
        return self.kind == ItemKind.LONG_TERM

    @property
    def is_closed(self) -> bool:
        return self.status == ItemStatus.CLOSED

    @property
    def status_badge(self) -> str:
        return ITEM_BADGES[ItemStatus(self.status)]

    def next_due_on(self) -> datetime.date | None:
        """The earliest open milestone's date, else the item's own deadline (as ``with_next_due``)."""
        dates = [m.due_on for m in self.milestones.all() if m.status != ItemStatus.CLOSED]
        return min(dates) if dates else self.due_on


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def visible_to(self, user: User) -> "MilestoneQuerySet":
        return self.filter(item_scope(user, "item__"))


class Milestone(CaseModel):
    """A dated stage of a long-term item, closed on its own like an item."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("整改事项")
    )
    sequence = models.PositiveSmallIntegerField(_("序号"))
    goal = models.CharField(_("阶段目标"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closing_note = models.TextField(_("核实意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段目标")
        verbose_name_plural = _("阶段目标")
        ordering: ClassVar = ["item_id", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "sequence"], name="unique_rectification_milestone")
        ]

    def __str__(self) -> str:
        return f"阶段{self.sequence}：{self.goal}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.item.audit_committee_id

    @property
    def is_closed(self) -> bool:
        return self.status == ItemStatus.CLOSED

    @property
    def status_badge(self) -> str:
        return ITEM_BADGES[ItemStatus(self.status)]


class ProgressQuerySet(models.QuerySet["Progress"]):
    def visible_to(self, user: User) -> "ProgressQuerySet":
        return self.filter(item_scope(user, "item__"))


class Progress(CaseModel):
    """An update of the unit on an item (or one of its milestones): what was done, with evidence files."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="progress", verbose_name=_("整改事项")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress",
        verbose_name=_("阶段目标"),
    )
    text = models.TextField(_("进展情况"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("报告时间"), default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering: ClassVar = ["item_id", "-at"]

    def __str__(self) -> str:
        return f"{self.item.code} 进展（{self.at:%Y-%m-%d}）"

    @property
    def audit_committee_id(self) -> int | None:
        return self.item.audit_committee_id


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, user: User) -> "EvidenceQuerySet":
        return self.filter(item_scope(user, "progress__item__"))


class Evidence(SealedFile):
    """A file proving an update (佐证材料), stored encrypted under a server-made name."""

    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("整改进展")
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = EvidenceQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return f"佐证材料 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.progress.audit_committee_id
