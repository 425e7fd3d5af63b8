"""Default triage rules the office may load for its committee (``actions.triage.install_default_rules``)
and then edit like any other rule. Loading again adds only the rules whose name the committee lacks.

受理范围:
- 个人诉求 (out): wages owed, compensation, 低保, 户口, pensions, social insurance … — claims of one person,
  transferred by 分级负责、属地管理; plus a fuzzy rule for the common "拖欠农民工工资" in its variants;
- 涉法涉诉 (out): courts, judgments, suits, arbitration, appeals …; "不服 … 判决/裁定" (all keywords);
- 其他事项 (out): neighbourhood, property-management and consumer disputes;
- 违反六项纪律 (in): words that name a breach (违纪, 受贿, 贪污, 挪用, 以权谋私 …).

六项纪律: one rule per discipline with its usual words (廉洁: 收受, 红包, 礼金, 回扣, 报销, 公款吃喝 …;
组织: 跑官要官, 带病提拔 …; 群众: 吃拿卡要, 优亲厚友 …; 工作: 不作为, 弄虚作假 …; 生活: 不正当关系, 赌博 …;
政治: 两个维护, 对抗组织 …), plus the phrase rule "收受 红包/礼金/好处".

三个聚焦: a rule for each item the words point to clearly (选人用人 → 3.2, 八项规定 → 2.4, 工程 → 2.5 …).

重要问题: a large sum (regular expression: 万元 and more) or a grave offence (贪污, 受贿 …); such a rule is
evidence for the 重要问题 suggestion of a real-name report.
"""

from dataclasses import dataclass

from xuncha.taxonomy import defaults as taxonomy
from xuncha.taxonomy.choices import SchemeKind

from ..choices import MatchKind, Scope, ScopeReason, SuggestionField
from .base import IMPORTANT, scope_value


@dataclass(frozen=True)
class DefaultRule:
    name: str
    field: str
    value: str  # a scope value, or the code of a category of the default scheme of the field's kind
    match: str
    patterns: tuple[str, ...]  # one per line as stored
    threshold: int = 85


def words(*chunks: str) -> tuple[str, ...]:
    """Keywords written several to a line, separated by spaces."""
    return tuple(word for chunk in chunks for word in chunk.split())


D, F, S, IMP = (
    SuggestionField.DISCIPLINE,
    SuggestionField.FOCUS,
    SuggestionField.SCOPE,
    SuggestionField.IMPORTANT,
)
ANY = MatchKind.ANY
PERSONAL = scope_value(Scope.OUT, ScopeReason.PERSONAL_CLAIM)
LITIGATION = scope_value(Scope.OUT, ScopeReason.LITIGATION)

RULES: tuple[DefaultRule, ...] = (
    # 受理范围
    DefaultRule(
        "个人诉求",
        S,
        PERSONAL,
        ANY,
        words(
            "拖欠工资 欠薪 讨薪 工资待遇 补偿款 赔偿 低保 户口 落户 退休待遇 养老金 社保 医保 工伤",
            "抚恤 安置房 劳动合同 辞退 个人待遇 调动工作",
        ),
    ),
    DefaultRule("个人诉求（拖欠工资）", S, PERSONAL, MatchKind.FUZZY, ("拖欠农民工工资",)),
    DefaultRule(
        "涉法涉诉",
        S,
        LITIGATION,
        ANY,
        words("法院 判决 裁定书 起诉 诉讼 仲裁 上诉 再审 申请执行 强制执行 庭审 立案侦查 检察院"),
    ),
    DefaultRule("不服判决", S, LITIGATION, MatchKind.ALL, ("不服", "判决")),
    DefaultRule(
        "其他事项",
        S,
        scope_value(Scope.OUT, ScopeReason.OTHER_MATTER),
        ANY,
        words("邻里纠纷 物业纠纷 物业费 噪音扰民 消费纠纷 商品质量 借款不还 债务纠纷 婚姻家庭"),
    ),
    DefaultRule(
        "违反六项纪律",
        S,
        scope_value(Scope.IN, ScopeReason.DISCIPLINE),
        ANY,
        words("违纪 违反纪律 腐败 受贿 贪污 挪用 以权谋私 利用职权 权钱交易 公款"),
    ),
    # 六项纪律
    DefaultRule(
        "政治纪律",
        D,
        taxonomy.POLITICAL,
        ANY,
        words(
            "两个维护 妄议中央 对抗组织 对抗审查 串供 团团伙伙 拉帮结派 封建迷信 信鬼神 阳奉阴违",
            "两面派 政治谣言 意识形态",
        ),
    ),
    DefaultRule(
        "组织纪律",
        D,
        taxonomy.ORGANISATIONAL,
        ANY,
        words(
            "跑官要官 买官卖官 任人唯亲 带病提拔 违规提拔 突击提拔 超职数 拉票 个人有关事项 档案造假",
            "年龄造假 学历造假 一言堂 民主集中制 裸官 吃空饷",
        ),
    ),
    DefaultRule(
        "廉洁纪律",
        D,
        taxonomy.INTEGRITY,
        ANY,
        words(
            "收受 红包 礼金 礼品 回扣 好处费 购物卡 消费卡 报销 公款吃喝 公款旅游 宴请 吃请 公车私用",
            "经商办企业 入股 权钱交易 利益输送 小金库 滥发津贴 滥发奖金 套取 虚报",
        ),
    ),
    DefaultRule(
        "廉洁纪律（收受财物）",
        D,
        taxonomy.INTEGRITY,
        MatchKind.PHRASE,
        ("收受 红包", "收受 礼金", "收受 好处"),
    ),
    DefaultRule(
        "群众纪律",
        D,
        taxonomy.MASS,
        ANY,
        words(
            "吃拿卡要 优亲厚友 截留 克扣 与民争利 乱收费 乱摊派 强行集资 刁难群众 漠视群众 侵占群众",
            "扶贫资金 惠农资金 危房改造",
        ),
    ),
    DefaultRule(
        "工作纪律",
        D,
        taxonomy.WORK,
        ANY,
        words(
            "不作为 乱作为 慢作为 推诿扯皮 弄虚作假 数据造假 失职 渎职 玩忽职守 违规决策 泄露 干预司法",
            "插手 脱岗 形式主义 官僚主义",
        ),
    ),
    DefaultRule(
        "生活纪律",
        D,
        taxonomy.LIFE,
        ANY,
        words("生活作风 不正当关系 婚外情 包养 情人 赌博 酗酒 醉驾 家风不正 高档会所"),
    ),
    # 三个聚焦
    DefaultRule(
        "聚焦：理论学习和两个维护", F, "1.1", ANY, words("理论学习 主题教育 两个维护 四个意识 意识形态")
    ),
    DefaultRule(
        "聚焦：贯彻落实重大决策部署",
        F,
        "1.2",
        ANY,
        words("脱贫攻坚 扶贫 返贫 污染 环保 扫黑除恶 保护伞 放管服 减税降费 惠农政策"),
    ),
    DefaultRule(
        "聚焦：形式主义官僚主义",
        F,
        "2.1",
        ANY,
        words("形式主义 官僚主义 面子工程 政绩工程 数据造假 过度留痕 文山会海 重复考核"),
    ),
    DefaultRule(
        "聚焦：担当尽责为民服务",
        F,
        "2.2",
        ANY,
        words("推诿扯皮 门难进 脸难看 事难办 不作为 态度恶劣 办事效率低"),
    ),
    DefaultRule(
        "聚焦：侵害群众利益",
        F,
        "2.3",
        ANY,
        words("吃拿卡要 优亲厚友 截留 克扣 挤占挪用 乱收费 集资摊派 危房改造 惠农资金"),
    ),
    DefaultRule(
        "聚焦：中央八项规定精神",
        F,
        "2.4",
        ANY,
        words(
            "八项规定 公款吃喝 公款旅游 公车私用 宴请 购物卡 消费卡 礼金 超标准报销 办公用房 滥发津贴",
            "滥发补贴 大操大办",
        ),
    ),
    DefaultRule(
        "聚焦：资金资产资源和工程项目",
        F,
        "2.5",
        ANY,
        words(
            "招投标 招标 围标 串标 工程项目 虚报工程 国有资产 资产流失 违规举债 挪用资金 经商办企业",
            "利益输送 转包",
        ),
    ),
    DefaultRule(
        "聚焦：基层党组织建设",
        F,
        "3.1",
        ANY,
        words("三会一课 组织生活会 民主生活会 党费 发展党员 软弱涣散 党建"),
    ),
    DefaultRule(
        "聚焦：选人用人",
        F,
        "3.2",
        ANY,
        words(
            "选人用人 跑官要官 买官卖官 任人唯亲 带病提拔 违规提拔 突击提拔 超职数 近亲繁殖 档案造假",
            "吃空饷 个人有关事项",
        ),
    ),
    DefaultRule(
        "聚焦：管党治党责任",
        F,
        "3.3",
        ANY,
        words("一岗双责 主体责任 监督责任 整改不力 轻拿轻放 巡察整改 审计整改"),
    ),
    # 重要问题
    DefaultRule(
        "涉及大额资金",
        IMP,
        IMPORTANT,
        MatchKind.REGEX,
        (r"\d{1,9}(?:\.\d{1,4})?\s{0,2}万元?", r"[一二两三四五六七八九十百千几]{1,6}[多余]?万元?"),
    ),
    DefaultRule("严重违纪违法", IMP, IMPORTANT, ANY, words("贪污 受贿 行贿 挪用公款 侵吞")),
)

CATEGORY_KINDS = {D: SchemeKind.DISCIPLINE, F: SchemeKind.FOCUS}
