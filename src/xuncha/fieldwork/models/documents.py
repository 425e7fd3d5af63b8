"""Document requests (调阅、复制资料): a numbered list of items a team asks the inspected unit for, the
unit's answers (files and text) and the team's review of each item.

Who sees a request: the office and leading group of the inspection's committee, the team's members, and —
once it is issued, never while it is a draft — the liaison of the inspection's own unit. The files the unit
provides are sealed (``core.files.SealedFile``) and read only through an audited download.
"""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.rounds.models import Inspection

from ..choices import OUTSTANDING_ITEM_STATUSES, ItemMode, ItemStatus, RequestStatus

__all__ = ["DocumentFile", "DocumentItem", "DocumentRequest"]


def _request_scope(user: User, prefix: str = "") -> Q:
    s = user.scopes
    inspection = f"{prefix}inspection__"
    return (
        Q(**{f"{inspection}round__committee_id__in": s.ids(Role.OFFICE, Role.LEADING_GROUP)})
        | Q(**{f"{inspection}team_id__in": s.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)})
        | Q(**{f"{inspection}unit_id__in": s.ids(Role.UNIT_LIAISON), f"{prefix}status": RequestStatus.ISSUED})
    )


def overdue_items(today: datetime.date | None = None, *, item: str = "", request: str = "request__") -> Q:
    """Items the unit still owes past their due date (an item without its own date has the request's).
    ``item`` and ``request`` are the paths to the item and to its request from the queried model."""
    day = today or timezone.localdate()
    return Q(**{f"{item}status__in": OUTSTANDING_ITEM_STATUSES, f"{request}status": RequestStatus.ISSUED}) & (
        Q(**{f"{item}due_on__lt": day}) | Q(**{f"{item}due_on__isnull": True, f"{request}due_on__lt": day})
    )


class DocumentRequestQuerySet(models.QuerySet["DocumentRequest"]):
    def visible_to(self, user: User) -> "DocumentRequestQuerySet":
        return self.filter(_request_scope(user))

    def with_counts(self, today: datetime.date | None = None) -> "DocumentRequestQuerySet":
        """Annotate how many items each request has (``total``), were provided or accepted
        (``received``), are still owed (``outstanding``) and are owed past their due date (``overdue``)."""
        received = (ItemStatus.PROVIDED, ItemStatus.ACCEPTED)
        return self.annotate(
            total=Count("items"),
            received=Count("items", filter=Q(items__status__in=received)),
            outstanding=Count("items", filter=Q(items__status__in=OUTSTANDING_ITEM_STATUSES)),
            overdue=Count("items", filter=overdue_items(today, item="items__", request="")),
        )


class DocumentRequest(CaseModel):
    """A 调阅（复制）资料清单 of one inspection, started from the template of its round's kind."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="document_requests", verbose_name=_("巡察")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=100)
    instructions = models.TextField(_("提供要求"), blank=True)
    due_on = models.DateField(_("提供期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    template = models.CharField(_("所用模板"), max_length=20, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)

    objects = DocumentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("调阅资料清单")
        verbose_name_plural = _("调阅资料清单")
        ordering: ClassVar = ["inspection_id", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "number"], name="unique_document_request_number")
        ]

    def __str__(self) -> str:
        return f"{self.inspection.team.name}调阅资料清单第{self.number}号"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def is_draft(self) -> bool:
        return self.status == RequestStatus.DRAFT


class DocumentItemQuerySet(models.QuerySet["DocumentItem"]):
    def visible_to(self, user: User) -> "DocumentItemQuerySet":
        return self.filter(_request_scope(user, "request__"))

    def overdue(self, today: datetime.date | None = None) -> "DocumentItemQuerySet":
        return self.filter(overdue_items(today))


class DocumentItem(CaseModel):
    """One line of a request: what, for which period, viewed or copied, by when; the unit's answer and the
    team's review."""

    request = models.ForeignKey(
        DocumentRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("调阅资料清单")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    what = models.CharField(_("资料名称"), max_length=200)
    period = models.CharField(_("时间范围"), max_length=100, blank=True)
    mode = models.CharField(_("方式"), max_length=10, choices=ItemMode.choices, default=ItemMode.VIEW)
    due_on = models.DateField(_("提供期限"), null=True, blank=True, help_text=_("不填则为清单的期限"))
    notes = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    answer = models.TextField(_("单位答复"), blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    closed_reason = models.CharField(_("未提供说明"), max_length=200, blank=True)

    objects = DocumentItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("调阅资料事项")
        verbose_name_plural = _("调阅资料事项")
        ordering: ClassVar = ["request_id", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "position"], name="unique_document_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.what}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.request.audit_committee_id

    @property
    def effective_due_on(self) -> datetime.date:
        return self.due_on or self.request.due_on

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING_ITEM_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.request.status == RequestStatus.ISSUED
            and self.is_outstanding
            and self.effective_due_on < (today or timezone.localdate())
        )

    @property
    def added_after_issue(self) -> bool:
        issued = self.request.issued_at
        return issued is not None and self.added_at > issued


class DocumentFileQuerySet(models.QuerySet["DocumentFile"]):
    def visible_to(self, user: User) -> "DocumentFileQuerySet":
        return self.filter(_request_scope(user, "item__request__"))


class DocumentFile(SealedFile):
    """A file the unit provided for an item, stored encrypted under a server-made name."""

    item = models.ForeignKey(
        DocumentItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("调阅资料事项")
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = DocumentFileQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("调阅资料文件")
        verbose_name_plural = _("调阅资料文件")

    def __str__(self) -> str:
        return f"资料文件 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.item.audit_committee_id
