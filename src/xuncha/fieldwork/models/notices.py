"""What the inspected unit tells the team (被巡察单位报告事项): its important meetings and major events (time,
place, subject), public-opinion incidents (舆情) and emergencies, reported by the unit's liaison.

The team decides on each: for a meeting or an event it attends (列席), recorded as an ``Activity`` of the
inspection, or it notes the report (已阅知) with a remark. The details are encrypted. Seen by the unit's
liaison, the inspection's team and the office of its committee; everyone else gets 404.
"""

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.fields import EncryptedTextField
from xuncha.core.models import CaseModel, User
from xuncha.rounds.models import Inspection

from .activities import Activity
from .checks import team_or_office

__all__ = ["NoticeKind", "UnitNotice", "UnitNoticeStatus"]


class NoticeKind(models.TextChoices):
    MEETING = "meeting", _("重要会议")
    EVENT = "event", _("重大活动")
    OPINION = "opinion", _("舆情事件")
    EMERGENCY = "emergency", _("突发事件")


# Kinds the team may attend (列席), recorded as an activity.
ATTENDABLE = (NoticeKind.MEETING, NoticeKind.EVENT)


class UnitNoticeStatus(models.TextChoices):
    REPORTED = "reported", _("待巡察组处理")
    ATTENDED = "attended", _("巡察组列席")
    NOTED = "noted", _("巡察组已阅知")


NOTICE_BADGES = {
    UnitNoticeStatus.REPORTED: "text-bg-warning",
    UnitNoticeStatus.ATTENDED: "text-bg-success",
    UnitNoticeStatus.NOTED: "text-bg-secondary",
}


def notice_scope(user: User, prefix: str = "") -> Q:
    """The unit's liaison, the inspection's team, the office of its committee (``prefix``: to the
    inspection, e.g. ``"inspection__"``)."""
    return team_or_office(user, prefix) | Q(**{f"{prefix}unit_id__in": user.scopes.ids(Role.UNIT_LIAISON)})


class UnitNoticeQuerySet(models.QuerySet["UnitNotice"]):
    def visible_to(self, user: User) -> "UnitNoticeQuerySet":
        return self.filter(notice_scope(user, "inspection__"))


class UnitNotice(CaseModel):
    """One report of the unit to the team."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="unit_notices", verbose_name=_("巡察")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=NoticeKind.choices)
    subject = models.CharField(_("事由"), max_length=200)
    starts_at = models.DateTimeField(_("时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    details = EncryptedTextField(_("具体情况"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=UnitNoticeStatus.choices, default=UnitNoticeStatus.REPORTED
    )
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit_notice",
        verbose_name=_("列席记录"),
    )
    remark = models.TextField(_("处理意见"), blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    handled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = UnitNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("被巡察单位报告事项")
        verbose_name_plural = _("被巡察单位报告事项")
        ordering: ClassVar = ["-reported_at"]
        indexes: ClassVar = [models.Index(fields=["inspection", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    @property
    def audit_committee_id(self) -> int | None:
        return self.inspection.round.committee_id

    @property
    def attendable(self) -> bool:
        return self.kind in ATTENDABLE

    @property
    def is_open(self) -> bool:
        return self.status == UnitNoticeStatus.REPORTED

    @property
    def status_badge(self) -> str:
        return NOTICE_BADGES[UnitNoticeStatus(self.status)]
