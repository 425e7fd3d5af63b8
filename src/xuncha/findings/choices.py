"""Choices of findings: the finding's status, 个性/共性, root cause, and the badge colour of each status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DISCUSSED = "discussed", _("已经组务会研究")
    SIGNED_OFF = "signed_off", _("组长已审签")


class Commonality(models.TextChoices):
    INDIVIDUAL = "individual", _("个性问题")
    COMMON = "common", _("共性问题")


class RootCause(models.TextChoices):
    SYSTEM = "system", _("制度机制不健全")
    RESPONSIBILITY = "responsibility", _("责任落实不到位")


STATUS_BADGES = {
    FindingStatus.DRAFT: "secondary",
    FindingStatus.DISCUSSED: "warning",
    FindingStatus.SIGNED_OFF: "success",
}
