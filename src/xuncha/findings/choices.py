"""Choices of findings and clues: statuses, 个性/共性, root cause, clue kinds, disposal methods and outcomes,
and the badge colour of each status."""

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


# Clues (问题线索) and their transfer (移交) ---------------------------------------------------------------


class ClueKind(models.TextChoices):
    """What a clue is about; the kind decides its receiver by rule (domain §6, ``clues/rules.py``)."""

    DISCIPLINE = "discipline", _("违纪违法问题")
    SELECTION = "selection", _("选人用人问题")
    GENERAL = "general", _("一般性问题")
    LEADERSHIP = "leadership", _("领导班子成员问题")
    OTHER = "other", _("其他问题")


class ClueStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已审批待移交")
    TRANSFERRED = "transferred", _("已移交")
    WITHDRAWN = "withdrawn", _("已撤销")


class ClueTransferStatus(models.TextChoices):
    SENT = "sent", _("待签收")
    RECEIVED = "received", _("已签收")
    DISPOSED = "disposed", _("处置中")
    REPORTED = "reported", _("已报告结果")


class Disposal(models.TextChoices):
    """How the receiver disposes of a clue (监督执纪的四类处置方式)."""

    TALK = "talk", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    SHELVE = "shelve", _("暂存待查")
    CLOSE = "close", _("予以了结")


class Outcome(models.TextChoices):
    """What came of it, along the 四种形态 or otherwise."""

    FORM_1 = "form_1", _("第一种形态（批评教育、谈话提醒、责令检查、诫勉）")
    FORM_2 = "form_2", _("第二种形态（党纪轻处分、组织调整）")
    FORM_3 = "form_3", _("第三种形态（党纪重处分、重大职务调整）")
    FORM_4 = "form_4", _("第四种形态（严重违纪涉嫌违法立案审查调查）")
    CASE_OPENED = "case_opened", _("立案审查调查")
    ORGANISATIONAL = "organisational", _("组织处理")
    NO_ACTION = "no_action", _("不予处理")
    CLOSED = "closed", _("予以了结")
    SHELVED = "shelved", _("暂存待查")


CLUE_BADGES = {
    ClueStatus.DRAFT: "secondary",
    ClueStatus.SUBMITTED: "warning",
    ClueStatus.APPROVED: "info",
    ClueStatus.TRANSFERRED: "success",
    ClueStatus.WITHDRAWN: "dark",
}
CLUE_TRANSFER_BADGES = {
    ClueTransferStatus.SENT: "warning",
    ClueTransferStatus.RECEIVED: "info",
    ClueTransferStatus.DISPOSED: "primary",
    ClueTransferStatus.REPORTED: "success",
}
