"""The other working methods of a team, recorded as activities: 听取汇报, 列席会议, 座谈会, 下沉一级,
向知情人询问, 专项检查 by a department of the committee (选人用人 by 组织部, 意识形态 by 宣传部, 法治建设 by
依法治市办), and other ways.

Participants from outside the team (informants among them) and the notes are confidential and encrypted;
attachments are sealed files. Seen by the inspection's team and the office of its committee; everyone
else gets 404.
"""

import datetime
import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.fields import EncryptedTextField
from xuncha.core.files import SealedFile
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection, TeamMember

from ..choices import ActivityKind, SpecialCheckTopic
from .checks import team_or_office

__all__ = ["Activity", "ActivityAttachment"]


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: User) -> "ActivityQuerySet":
        return self.filter(team_or_office(user, "inspection__"))

    def matching(
        self, *, kind: str = "", since: datetime.date | None = None, until: datetime.date | None = None
    ) -> "ActivityQuerySet":
        """Of a kind, and starting within whole local days from ``since`` to ``until`` (list and API)."""
        found = self.filter(kind=kind) if kind else self
        if since:
            found = found.filter(starts_at__date__gte=since)
        if until:
            found = found.filter(starts_at__date__lte=until)
        return found


class Activity(CaseModel):
    """One activity of an inspection's fieldwork."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="activities", verbose_name=_("巡察")
    )
    kind = models.CharField(_("方式"), max_length=16, choices=ActivityKind.choices)
    topic = models.CharField(_("专项检查内容"), max_length=12, choices=SpecialCheckTopic.choices, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("专项检查部门"),
    )
    title = models.CharField(_("事项"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    members = models.ManyToManyField(
        TeamMember, blank=True, related_name="+", verbose_name=_("参加的巡察组成员")
    )
    other_participants = EncryptedTextField(_("其他参加人员"), blank=True)
    notes = EncryptedTextField(_("情况记录"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("其他方式工作记录")
        verbose_name_plural = _("其他方式工作记录")
        ordering: ClassVar = ["-starts_at"]
        indexes: ClassVar = [models.Index(fields=["inspection", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id


class ActivityAttachmentQuerySet(models.QuerySet["ActivityAttachment"]):
    def visible_to(self, user: User) -> "ActivityAttachmentQuerySet":
        return self.filter(team_or_office(user, "activity__inspection__"))


class ActivityAttachment(SealedFile):
    """A file of an activity (a report handed over, minutes, a photo), sealed; downloads are audited."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")

    objects = ActivityAttachmentQuerySet.as_manager()

    class Meta(SealedFile.Meta):
        verbose_name = _("工作记录附件")
        verbose_name_plural = _("工作记录附件")

    def __str__(self) -> str:
        return f"附件 {self.pk}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.activity.audit_committee_id
