"""Choices of fieldwork, one section per area."""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.orgs.choices import DepartmentKind, PostCategory
from xuncha.rounds.choices import RoundKind

# interviews -----------------------------------------------------------------------------------------


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    CONFIRMED = "confirmed", _("单位已确认")
    DONE = "done", _("已谈话")
    CANCELLED = "cancelled", _("已取消")


class InterviewSource(models.TextChoices):
    ROSTER = "roster", _("按花名册生成")
    ADDED = "added", _("巡察组增加")


class ProblemKind(models.TextChoices):
    FINDING = "finding", _("问题底稿（草稿）")
    CLUE = "clue", _("问题线索")


# Who the plan takes from the roster: the inspected unit's principal, leadership members, the principals of
# the organisations below it (as its roster names them) and key posts; each sub-unit's own principal too.
INTERVIEW_UNIT_CATEGORIES = (
    PostCategory.PRINCIPAL,
    PostCategory.LEADERSHIP,
    PostCategory.NEXT_LEVEL_PRINCIPAL,
    PostCategory.KEY_POST,
)
INTERVIEW_SUB_UNIT_CATEGORIES = (PostCategory.PRINCIPAL,)


# checks ---------------------------------------------------------------------------------------------


class CheckResult(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONSISTENT = "consistent", _("一致")
    INCONSISTENT = "inconsistent", _("不一致")


# Who is eligible for the draw without being marked: the unit's leadership (its principal and members).
CHECK_ELIGIBLE_CATEGORIES = (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)


# activities -----------------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    BRIEFING = "briefing", _("听取汇报")
    MEETING = "meeting", _("列席会议")
    SYMPOSIUM = "symposium", _("座谈会")
    NEXT_LEVEL = "next_level", _("下沉一级")
    INQUIRY = "inquiry", _("向知情人询问")
    SPECIAL_CHECK = "special_check", _("专项检查")
    OTHER = "other", _("其他方式")


class SpecialCheckTopic(models.TextChoices):
    SELECTION = "selection", _("选人用人")
    IDEOLOGY = "ideology", _("意识形态")
    RULE_OF_LAW = "rule_of_law", _("法治建设")


# Which department of the committee carries out each special check (组织部, 宣传部, 依法治市办).
TOPIC_DEPARTMENT: dict[str, str] = {
    SpecialCheckTopic.SELECTION: DepartmentKind.ZUZHIBU,
    SpecialCheckTopic.IDEOLOGY: DepartmentKind.XUANCHUANBU,
    SpecialCheckTopic.RULE_OF_LAW: DepartmentKind.RULE_OF_LAW,
}


# documents ------------------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")


class ItemMode(models.TextChoices):
    VIEW = "view", _("调阅")
    COPY = "copy", _("复制")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待提供")
    PROVIDED = "provided", _("已提供")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")
    MISSING = "missing", _("未提供")  # still owed when its stage ended (closing.py): the team decides


# Items the unit still owes: counted as outstanding, and overdue once past their due date.
OUTSTANDING_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.RETURNED)

# A new request is due this many days after it is started, unless the team sets another date.
DOCUMENT_DUE_DAYS = 7


class TemplateItem(NamedTuple):
    """One line of a request template: what, how, and how many years back (None: 现行有效)."""

    what: str
    mode: str
    years: int | None = 3


_MINUTES = TemplateItem("党委（党组）会议记录、会议纪要", ItemMode.VIEW)
_MAJOR = TemplateItem("“三重一大”事项决策会议记录及相关材料", ItemMode.VIEW)
_STUDY = TemplateItem("理论学习中心组学习记录", ItemMode.VIEW)
_LIFE = TemplateItem("领导班子民主生活会材料（含对照检查材料、整改清单）", ItemMode.COPY)
_DUTY = TemplateItem("落实全面从严治党主体责任、党风廉政建设责任制有关材料", ItemMode.COPY)
_ACCOUNTS = TemplateItem("财务凭证、账簿和财务报表", ItemMode.VIEW)
_BUDGET = TemplateItem("年度预算、决算及“三公”经费支出明细", ItemMode.COPY)
_CADRES = TemplateItem("选人用人档案（干部任免、调整材料及动议、推荐、考察、讨论决定记录）", ItemMode.VIEW)
_WORKS = TemplateItem("工程项目招投标、合同、验收及结算资料", ItemMode.VIEW)
_PROCUREMENT = TemplateItem("政府采购及大额资金使用审批资料", ItemMode.VIEW)
_RECTIFY = TemplateItem("巡视巡察、审计及其他监督检查发现问题的整改资料", ItemMode.COPY, 5)
_RULES = TemplateItem("内部管理制度汇编", ItemMode.COPY, None)
_DIVISION = TemplateItem("领导班子成员分工及工作职责", ItemMode.COPY, None)
_STAFF = TemplateItem("机构设置、人员编制及在职人员花名册", ItemMode.COPY, None)
_LETTERS = TemplateItem("信访举报受理及办理台账", ItemMode.VIEW)

_ROUTINE = (
    _MAJOR, _MINUTES, _STUDY, _LIFE, _DUTY, _ACCOUNTS, _BUDGET, _CADRES, _WORKS, _PROCUREMENT, _RECTIFY,
    _RULES, _DIVISION, _STAFF, _LETTERS,
)  # fmt: skip

# The request templates, one per round kind; the team edits the items once the request is started.
DOCUMENT_TEMPLATES: dict[str, tuple[TemplateItem, ...]] = {
    RoundKind.ROUTINE: _ROUTINE,
    RoundKind.SPECIAL: (_MAJOR, _MINUTES, _ACCOUNTS, _RECTIFY, _RULES),
    RoundKind.MOBILE: (_MAJOR, _MINUTES, _ACCOUNTS, _RECTIFY, _LETTERS),
    RoundKind.LOOKBACK: (
        TemplateItem("上轮巡察反馈意见整改方案、整改报告及整改台账", ItemMode.COPY),
        TemplateItem("整改事项佐证材料（逐项对应整改台账）", ItemMode.VIEW),
        TemplateItem("上轮巡察移交问题线索的办理及反馈情况", ItemMode.COPY),
        TemplateItem("整改中建立完善的制度文件", ItemMode.COPY),
        _MAJOR,
        _MINUTES,
        _LIFE,
    ),
    RoundKind.UPGRADED: _ROUTINE,
    RoundKind.CROSS: _ROUTINE,
    RoundKind.LINKED: _ROUTINE,
}

# A special round also asks for the material of its topic: the first line always, the others when a
# keyword appears in the round's topic.
TOPIC_ITEM = TemplateItem("与“{topic}”专项有关的政策文件、工作台账及资金使用资料", ItemMode.COPY)
TOPIC_ITEMS: dict[str, tuple[TemplateItem, ...]] = {
    "乡村振兴": (TemplateItem("帮扶项目资金分配、拨付和使用台账", ItemMode.VIEW),),
    "扶贫": (TemplateItem("帮扶项目资金分配、拨付和使用台账", ItemMode.VIEW),),
    "项目": (TemplateItem("重点项目立项审批、变更签证及结算审计资料", ItemMode.VIEW),),
    "营商环境": (
        TemplateItem("行政审批和政务服务事项办理台账", ItemMode.VIEW),
        TemplateItem("涉企收费、涉企检查事项清单及企业投诉处理记录", ItemMode.COPY),
    ),
    "医保": (TemplateItem("医保基金收支及使用明细", ItemMode.VIEW),),
}


# surveys --------------------------------------------------------------------------------------------


class SurveyKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导班子和领导干部民主测评")
    SELECTION = "selection", _("选人用人工作满意度测评")
    CUSTOM = "custom", _("问卷调查")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Distribution(models.TextChoices):
    CARDS = "cards", _("一人一码（每个测评码附二维码）")
    LINK = "link", _("统一链接（扫码后输入测评码）")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("评价（好/较好/一般/差）")
    SATISFACTION = "satisfaction", _("满意度（满意/基本满意/不满意/不了解）")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字意见")


# The fixed answers of the two template scales, in the order the forms and the tallies show them.
RATING_OPTIONS = ("好", "较好", "一般", "差")
SATISFACTION_OPTIONS = ("满意", "基本满意", "不满意", "不了解")
FIXED_OPTIONS: dict[str, tuple[str, ...]] = {
    QuestionKind.RATING: RATING_OPTIONS,
    QuestionKind.SATISFACTION: SATISFACTION_OPTIONS,
}
# The favourable answers whose share the tallies report (好+较好率, 满意+基本满意率).
FAVOURABLE: dict[str, tuple[str, ...]] = {
    QuestionKind.RATING: ("好", "较好"),
    QuestionKind.SATISFACTION: ("满意", "基本满意"),
}

# Who a leadership evaluation rates, one question each: the unit's principal and leadership members.
SURVEY_LEADER_CATEGORIES = (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)

# The 选人用人工作满意度 template: the questions organisation departments ask in every inspected unit.
SELECTION_QUESTIONS = (
    "对本单位选人用人工作的总体评价",
    "对本单位贯彻落实新时代好干部标准、树立正确用人导向的评价",
    "对本单位干部选拔任用工作民主推荐、考察、讨论决定等程序执行情况的评价",
    "对本单位防止和纠正选人用人不正之风工作的评价",
    "对本单位近年来提拔任用干部的评价",
    "对本单位干部监督管理和从严管理干部工作的评价",
)
