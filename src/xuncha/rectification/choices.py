"""Choices of rectification: the plan's status, an item's kind, source and status, a milestone's status,
the reports a unit owes, the red / yellow / green light of a deadline, a supervision notice's status, a
look-back verdict and a publication's status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送，待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审核通过")


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class ItemSource(models.TextChoices):
    PLAN = "plan", _("整改方案")
    FIELDWORK = "fieldwork", _("边巡边改")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    SUBMITTED = "submitted", _("申请销号")
    RETURNED = "returned", _("退回")
    CLOSED = "closed", _("已销号")


class ReportKind(models.TextChoices):
    PLAN = "plan", _("整改方案（正式文本）")
    RECTIFICATION = "rectification", _("整改报告")
    SECRETARY = "secretary", _("书记履行第一责任人职责情况报告")


class Light(models.TextChoices):
    RED = "red", _("红")
    YELLOW = "yellow", _("黄")
    GREEN = "green", _("绿")
    CLOSED = "closed", _("已销号")


PLAN_BADGES = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.SUBMITTED: "warning",
    PlanStatus.RETURNED: "danger",
    PlanStatus.APPROVED: "success",
}
ITEM_BADGES = {
    ItemStatus.OPEN: "secondary",
    ItemStatus.SUBMITTED: "warning",
    ItemStatus.RETURNED: "danger",
    ItemStatus.CLOSED: "success",
}
LIGHT_BADGES = {
    Light.RED: "danger",
    Light.YELLOW: "warning",
    Light.GREEN: "success",
    Light.CLOSED: "secondary",
}


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("督办中")
    ANSWERED = "answered", _("已报办理结果")
    RETURNED = "returned", _("退回重办")
    CLOSED = "closed", _("已办结")


class Verdict(models.TextChoices):
    GENUINE = "genuine", _("真改实改")
    FALSE = "false", _("虚假整改")
    RELAPSED = "relapsed", _("反弹回潮")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


NOTICE_BADGES = {
    NoticeStatus.ISSUED: "warning",
    NoticeStatus.ANSWERED: "info",
    NoticeStatus.RETURNED: "danger",
    NoticeStatus.CLOSED: "success",
}
VERDICT_BADGES = {Verdict.GENUINE: "success", Verdict.FALSE: "danger", Verdict.RELAPSED: "warning"}
