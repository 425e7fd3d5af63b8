"""Choices of reports: the two kinds of report, their status, the leading group's decisions, the
secretary's meeting's outcomes, the two recipients of feedback and the feedback's status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    TEAM = "team", _("巡察报告")
    COMPREHENSIVE = "comprehensive", _("综合报告")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送，待听取汇报")
    FINAL = "final", _("定稿")


class Decision(models.TextChoices):
    APPROVED = "approved", _("同意")
    REVISE = "revise", _("修改后再报")


class MeetingOutcome(models.TextChoices):
    """What the 书记专题会 decided on one inspection's report."""

    AGREED = "agreed", _("同意报告")
    SUPPLEMENT = "supplement", _("要求补充完善")


class Recipient(models.TextChoices):
    UNIT = "unit", _("被巡察党组织")
    PRINCIPAL = "principal", _("党组织主要负责人")


class CopyKind(models.TextChoices):
    """How a delivered feedback goes beyond the unit (seed 002: 向分管联系同志报告、向相关部门通报)."""

    LEADER = "leader", _("抄送分管联系领导")
    DEPARTMENT = "department", _("通报有关部门")


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DELIVERED = "delivered", _("已反馈")


REPORT_BADGES = {
    ReportStatus.DRAFT: "secondary",
    ReportStatus.SUBMITTED: "warning",
    ReportStatus.FINAL: "success",
}
MEETING_BADGES = {MeetingOutcome.AGREED: "success", MeetingOutcome.SUPPLEMENT: "warning"}
FEEDBACK_BADGES = {FeedbackStatus.DRAFT: "secondary", FeedbackStatus.DELIVERED: "success"}


class WeeklyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    ACKNOWLEDGED = "acknowledged", _("巡察办已阅")


WEEKLY_BADGES = {
    WeeklyStatus.DRAFT: "secondary",
    WeeklyStatus.SUBMITTED: "primary",
    WeeklyStatus.ACKNOWLEDGED: "success",
}
