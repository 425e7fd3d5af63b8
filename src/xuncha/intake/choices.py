from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.rounds.choices import Stage


class Channel(models.TextChoices):
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    EMAIL = "email", _("电子邮件")
    BOX = "box", _("意见箱")
    WEB = "web", _("网络（码上巡察）")


# Channels open at stationing (the announcement is published then) and stay open until the report.
RECEIVING_STAGES = (Stage.STATIONED, Stage.FIELDWORK, Stage.REPORTING)

# Channels a team member enters by hand; the web channel is the public portal's alone.
STAFF_CHANNELS = (Channel.LETTER, Channel.PHONE, Channel.VISIT, Channel.EMAIL, Channel.BOX)


class Status(models.TextChoices):
    NEW = "new", _("待分拣")
    ACCEPTED = "accepted", _("已受理")
    TRANSFERRED = "transferred", _("已转交")
    FILED = "filed", _("存查")
    CONCLUDED = "concluded", _("已办结")


# Statuses that still need someone's work before the inspection can be archived ("件件有着落").
OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.TRANSFERRED)


class PublicStatus(models.TextChoices):
    """The minimal status a reporter sees with the receipt."""

    RECEIVED = "received", _("已受理")
    TRANSFERRED = "transferred", _("已转交")
    CONCLUDED = "concluded", _("已办结")


PUBLIC_STATUS = {
    Status.NEW: PublicStatus.RECEIVED,
    Status.ACCEPTED: PublicStatus.RECEIVED,
    Status.TRANSFERRED: PublicStatus.TRANSFERRED,
    Status.FILED: PublicStatus.CONCLUDED,
    Status.CONCLUDED: PublicStatus.CONCLUDED,
}


class Decision(models.TextChoices):
    """The triage decision (受理/转交/存查) a person confirms."""

    ACCEPT = "accept", _("受理")
    TRANSFER = "transfer", _("转交")
    FILE = "file", _("存查")


class Scope(models.TextChoices):
    IN = "in", _("属于受理范围")
    OUT = "out", _("不属于受理范围")


class ScopeReason(models.TextChoices):
    """Why a petition is or is not in scope (domain.md §4)."""

    LEADERSHIP = "leadership", _("反映被巡察党组织领导班子及其成员")
    NEXT_LEVEL_PRINCIPAL = "next_level_principal", _("反映下一级党组织主要负责人")
    KEY_POST = "key_post", _("反映重要岗位干部")
    DISCIPLINE = "discipline", _("反映违反六项纪律问题")
    PERSONAL_CLAIM = "personal_claim", _("个人诉求")
    LITIGATION = "litigation", _("涉法涉诉")
    OTHER_MATTER = "other_matter", _("其他不属于巡察受理范围的事项")
    ABOUT_INSPECTORS = "about_inspectors", _("反映巡察组或巡察干部，转巡察办")


IN_SCOPE_REASONS = (
    ScopeReason.LEADERSHIP,
    ScopeReason.NEXT_LEVEL_PRINCIPAL,
    ScopeReason.KEY_POST,
    ScopeReason.DISCIPLINE,
)


class SuggestionField(models.TextChoices):
    """What a triage suggestion is about."""

    SCOPE = "scope", _("受理范围")
    DISCIPLINE = "discipline", _("六项纪律")
    FOCUS = "focus", _("三个聚焦")
    PERSON = "person", _("被反映人")
    IMPORTANT = "important", _("重要问题")


class SuggestionSource(models.TextChoices):
    RULE = "rule", _("规则")
    ROSTER = "roster", _("花名册")
    LEARNED = "learned", _("学习模型")


class MatchKind(models.TextChoices):
    ANY = "any", _("任一关键词")
    ALL = "all", _("全部关键词")
    PHRASE = "phrase", _("短语")
    REGEX = "regex", _("正则表达式")
    FUZZY = "fuzzy", _("模糊匹配")


class MessageDirection(models.TextChoices):
    TO_REPORTER = "to_reporter", _("巡察组提问")
    FROM_REPORTER = "from_reporter", _("反映人答复或补充")


class RevealStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")


class TransferStatus(models.TextChoices):
    SENT = "sent", _("已转交")
    RECEIVED = "received", _("已签收")
    REPORTED = "reported", _("已报结果")
