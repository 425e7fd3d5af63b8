"""Publication (双公开) of an inspection's rectification: the office writes what the committee chooses to
make public — a summary and, per item, the public wording — and publishes it on a page anyone can read.
What is published is a snapshot taken at publishing; it changes only when the office publishes again.
Exempt from publication: the problems fed back to the principal leader, problems resting on a finding that
led to a clue (a person under review), items marked 不予公开, and any text naming a person under review."""

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.models import CaseModel, User
from xuncha.rounds.models import Inspection

from ..choices import ItemKind, ItemStatus, PublicationStatus
from .items import Item
from .scope import inspection_scope

__all__ = ["Publication", "PublishedItem"]


class PublicationQuerySet(models.QuerySet["Publication"]):
    def visible_to(self, user: User) -> "PublicationQuerySet":
        return self.filter(inspection_scope(user, "inspection__"))

    def public(self) -> "PublicationQuerySet":
        """What the public pages show: published, not withdrawn."""
        return self.filter(status=PublicationStatus.PUBLISHED)


class Publication(CaseModel):
    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rectification_publication", verbose_name=_("巡察")
    )
    # The public address names this, never the inspection's id.
    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("整改情况"))
    status = models.CharField(
        _("状态"), max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发布人")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改情况公开")
        verbose_name_plural = _("整改情况公开")
        ordering: ClassVar = ["-published_at", "-inspection_id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class PublishedItemQuerySet(models.QuerySet["PublishedItem"]):
    def visible_to(self, user: User) -> "PublishedItemQuerySet":
        return self.filter(inspection_scope(user, "publication__inspection__"))


class PublishedItem(CaseModel):
    """One item as the public reads it: the office's wording and the item's status when published."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="entries", verbose_name=_("整改情况公开")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改事项"))
    public_text = models.TextField(_("公开表述"))
    status = models.CharField(_("公开时状态"), max_length=12, choices=ItemStatus.choices, blank=True)
    kind = models.CharField(_("公开时类型"), max_length=12, choices=ItemKind.choices, blank=True)

    objects = PublishedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开的整改事项")
        verbose_name_plural = _("公开的整改事项")
        ordering: ClassVar = ["publication_id", "item__number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["publication", "item"], name="one_entry_per_published_item")
        ]

    def __str__(self) -> str:
        return self.item.code

    @property
    def audit_committee_id(self) -> int | None:
        return self.publication.audit_committee_id
