"""Choices of the work plan (巡察工作方案) and of the inspectors' readiness."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准")
    RATIFIED = "ratified", _("已审定")


# A plan in these states lets the round's teams be stationed.
APPROVED_STATES = (PlanStatus.APPROVED, PlanStatus.RATIFIED)
# A plan in these states may be edited by the office.
EDITABLE_STATES = (PlanStatus.DRAFT, PlanStatus.RETURNED)

PLAN_BADGES = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.SUBMITTED: "warning",
    PlanStatus.RETURNED: "danger",
    PlanStatus.APPROVED: "success",
    PlanStatus.RATIFIED: "primary",
}


class VersionDecision(models.TextChoices):
    PENDING = "", _("待审批")
    APPROVED = "approved", _("批准")
    RETURNED = "returned", _("退回")


class CommitmentKind(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("保密承诺")
    CONDUCT = "conduct", _("巡察干部行为规范承诺")
