"""Settings of the key-person radar (重点人): one row per committee, kept by its office.

A person is listed when the score of their contributions reaches ``min_score``; each contribution adds its
weight (``radar.py`` explains every one of them in Chinese)."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.core.choices import Role
from xuncha.core.models import CaseModel, User
from xuncha.orgs.models import Committee

# The weights a committee may set, with their defaults and the bounds the action checks.
WEIGHT_FIELDS: tuple[str, ...] = (
    "matter_weight",
    "channel_weight",
    "round_weight",
    "interview_weight",
    "finding_weight",
    "clue_weight",
)
MAX_WEIGHT = 20
MAX_SCORE = 200


class RadarSettingsQuerySet(models.QuerySet["RadarSettings"]):
    def visible_to(self, user: User) -> "RadarSettingsQuerySet":
        return self.filter(Q(committee_id__in=user.scopes.ids(Role.OFFICE)))


class RadarSettings(CaseModel):
    """How the radar weighs what reflects a person, and from what score a person is listed."""

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="radar_settings", verbose_name=_("党委")
    )
    min_score = models.PositiveSmallIntegerField(_("列入重点人的最低分值"), default=4)
    matter_weight = models.PositiveSmallIntegerField(_("每件信访（重复件归并后）"), default=2)
    channel_weight = models.PositiveSmallIntegerField(_("每多一个反映渠道"), default=1)
    round_weight = models.PositiveSmallIntegerField(_("每多一轮巡察被反映"), default=1)
    interview_weight = models.PositiveSmallIntegerField(_("每个谈话反映的问题"), default=1)
    finding_weight = models.PositiveSmallIntegerField(_("每个问题底稿"), default=2)
    clue_weight = models.PositiveSmallIntegerField(_("每条问题线索"), default=3)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("修改人")
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    objects = RadarSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点人研判设置")
        verbose_name_plural = _("重点人研判设置")
        ordering: ClassVar = ["committee_id"]

    def __str__(self) -> str:
        return f"{self.committee} 重点人研判设置"

    @property
    def audit_committee_id(self) -> int | None:
        return self.committee_id
