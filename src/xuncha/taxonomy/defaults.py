"""Default classification schemes, from the seeds: 三个聚焦 (with its "看是否…" checkpoints), 六项纪律,
问题性质 and 四风.

The data migration ``0002_default_schemes`` installs them; tests and the demo call ``install`` too (it is
idempotent: a scheme whose code exists is left as the sysadmin has kept it). Cases point at categories by
primary key, so code elsewhere finds a default category by its scheme kind and code with ``category``.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .choices import SchemeKind

if TYPE_CHECKING:
    from .models import Category


@dataclass(frozen=True)
class Item:
    """One category: its code ("1", "1.1"), name, checkpoints (看是否…) and sub-items."""

    code: str
    name: str
    checkpoints: tuple[str, ...] = ()
    children: tuple["Item", ...] = ()


@dataclass(frozen=True)
class SchemeData:
    code: str
    kind: str
    name: str
    version: str
    items: tuple[Item, ...]


# 三个聚焦 of 基层巡察, as the mobilisation speech of the seeds sets it out: three focuses, each with the
# points to learn about (重点了解…) and, for each, the checkpoints (看是否…); in the wording since the
# 二十大 (两个确立, 巩固拓展脱贫攻坚成果同乡村振兴有效衔接, 常态化扫黑除恶, the typos of the seed mended).
# Migration 0004 brings rows installed with the seed's wording up to this one.
FOCUS: tuple[Item, ...] = (
    Item(
        "1",
        "聚焦基层贯彻落实党的路线方针政策和党中央决策部署情况",
        children=(
            Item(
                "1.1",
                "学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神，深刻领悟“两个确立”的决定性意义，做到“两个维护”情况",
                checkpoints=(
                    "是否学习贯彻习近平新时代中国特色社会主义思想和党的二十大精神流于形式，停留在读文件、简单传达的表面层次，班子成员对“两个确立”“四个意识”“四个自信”“两个维护”应知应会内容不了解",
                    "是否对习近平总书记有关本系统工作的重要讲话和指示批示精神不学习、不传达，研究不深入，结合实际贯彻落实不紧密、不具体、不到位，把学了当做了，把做了当做好了",
                    "是否开展党组织和党员干部党性教育不扎实，开展学习贯彻习近平新时代中国特色社会主义思想主题教育、党纪学习教育不认真、走过场，对群众提出的意见建议重视不够、整改不力，效果不明显",
                    "是否对党的二十大关于意识形态工作的决策部署重视不够，意识形态工作责任制落实不到位、阵地管理不力，党员领导干部理想信念淡化，不信马列信鬼神",
                    "是否把“四个意识”当口号，对大是大非问题没有立场、没有态度、无动于衷、置身事外，对违反政治纪律、政治规矩等错误思想和言行不报告、不抵制、不斗争、放松警惕，搞无原则一团和气",
                    "是否越权决策、擅做主张、我行我素；存在搞非组织活动、与组织讨价还价、违背组织决策、欺骗和对抗组织等问题",
                ),
            ),
            Item(
                "1.2",
                "履行职责使命，贯彻落实党中央重大决策部署情况",
                checkpoints=(
                    "是否对党中央关于本单位、本部门、本行业工作方面重要部署只做表面上轰轰烈烈传达，口号化，机械化，不加消化、囫囵吞枣，没有联系本单位职责，结合实际细化具体落实举措",
                    "是否对巩固拓展脱贫攻坚成果同乡村振兴有效衔接任务重视不到位，落实帮扶政策要求打折扣，衔接资金使用效率不高，对脱贫户和监测对象无切实可行的帮扶措施；产业帮扶收益未及时足额发放，联农带农效果不明显；防止返贫监测帮扶不到位，守不住不发生规模性返贫的底线",
                    "是否落实污染防治要求不坚决、环保法规执行不严格，推进绿色发展方式和乡村环境治理不作为；对生态环境保护督察要求整改的问题搞形式主义、虚假整改，处置手段简单粗暴",
                    "是否对与本单位、本行业相关的风险防控不重视，措施不具体",
                    "是否在中央简政放权方面搞上有政策、下有对策，推进“放管服”改革、优化营商环境不到位，没有做到刀刃向内、自我削权，存在行政权力清理不到位、不下放、假下放等问题",
                    "是否在常态化扫黑除恶斗争中工作不积极，对本行业本领域存在的黑恶势力不制止、不上报，甚至充当保护伞",
                    "是否减税降费、强农惠农等涉企涉农政策落实不到位，政策宣传不及时、发动群众不积极，存在优亲厚友、跑冒滴漏等问题",
                ),
            ),
            Item(
                "1.3",
                "坚持和加强党的全面领导方面情况",
                checkpoints=(
                    "是否党委（党组）履行自身职责不到位，对本单位、本系统突出矛盾和复杂疑难的问题搁置不解决，存在只出政策不抓落实、主管领域工作推动不力、部门职能履行不到位等问题",
                    "是否党组织战斗堡垒作用发挥不充分、凝聚力、号召力、战斗力不强，领导班子不团结，甚至严重失和",
                    "是否落实管党治党责任不到位，督促相关部门和下级党组织履职不充分，压力传导层层递减，党员日常教育管理宽松软",
                ),
            ),
        ),
    ),
    Item(
        "2",
        "聚焦群众身边腐败问题和不正之风",
        children=(
            Item(
                "2.1",
                "整治形式主义、官僚主义情况",
                checkpoints=(
                    "是否政绩观有偏差，不顾实际情况、不经科学论证，打造盆景工程、面子工程，热衷大场面，数字造假、材料堆砌，编造政绩、隐瞒问题",
                    "是否贯彻落实中央精神和上级要求浮在面上，以会议贯彻会议、以文件落实文件，做表面文章、过度留痕，缺少实际行动和具体举措",
                    "是否调查研究图形式、走过场、不深入，搞“走秀式”调研，打造“经典调研路线”，层层陪同、务虚不务实等",
                    "是否学风文风会风不实，学习浅尝辄止、蜻蜓点水，发文开会搞“拿来主义”、应付交差，不尚实干、不求实效、不解决实际问题",
                    "是否监督检查考核过多过滥、重复考核、多头检查，工作群、政务应用程序泛滥，随意发通知、提要求，报材料过多过急",
                    "是否责任落实“甩锅基层”，随意对基层签订目标责任书、设定“一票否决”项目等，动辄追究、问责泛化",
                ),
            ),
            Item(
                "2.2",
                "担当尽责、为民服务情况",
                checkpoints=(
                    "是否谋划和推动经济社会发展不系统、不科学、不均衡、对民生领域投入少，对一些民生实事推进不快，公共服务、社会保障、基础设施建设等方面存在薄弱环节",
                    "是否漠视群众利益和疾苦，对群众反映强烈的问题无动于衷、消极应付，对群众提出的合理诉求推诿扯皮、冷漠横推，对群众态度简单粗暴，颐指气使，激化群众矛盾",
                    "是否便民服务不主动、效率低，行政审批、许可服务环节多、时间长，群众多头跑、材料反复要",
                    "是否政务公开不规范，服务热线、政府网站等“僵尸化”",
                    "是否深入基层、联系群众不多，对基层和一线情况掌握不全面、不客观，对困难群众、弱势群体现状不了解、不清楚，关心帮扶不够到位，问题解决不够及时",
                ),
            ),
            Item(
                "2.3",
                "依法廉洁用权，整治侵害群众利益问题情况",
                checkpoints=(
                    "是否利用职权或影响力干预或操纵项目招投标、资金使用、资源分配等事项，搞内幕交易、权钱交易，谋取私利",
                    "是否违规申报、包装项目，骗取、套取专项资金，在办理低保、申请补贴、危房改造等工作中与民争利、优亲厚友等",
                    "是否截留私分、挤占挪用、贪污侵占、挥霍浪费惠农利民专项资金等",
                    "是否利用职权“吃拿卡要”，违规收取或罚没群众款物、克扣群众财物、拖欠群众钱款，巧立名目、强行集资摊派等",
                ),
            ),
            Item(
                "2.4",
                "执行中央八项规定及其实施细则精神情况",
                checkpoints=(
                    "是否驰而不息宣传贯彻中央八项规定精神，缺乏抓长、抓常的意识和举措，贯彻落实八项规定精神方面的制度、举措束之高阁",
                    "是否收受可能影响公正执行公务的礼品、礼金、消费卡等，接受宴请或者旅游、健身、娱乐等活动安排",
                    "是否公款吃喝令而不行、禁而不止、采取隐蔽手段变相公款吃喝",
                    "是否以婚丧喜庆、乔迁、履新、就医、出国等名义收受礼金、款物等，造成不良影响",
                    "是否用公款支付或者报销应由个人承担的费用，超标准报销差旅费、业务招待费等",
                    "是否违规建设楼堂馆所，违规占用住房，办公用房超标，搞豪华装修，或在办公用房整改中搞不合理的变通",
                    "是否违规购置、配备公务用车，占用下属单位车辆，公车私用、私车公养等问题",
                    "是否巧立名目滥发津贴、补贴、奖金或其他费用，违规使用党费发补贴福利，超标准、超范围使用工会会费发放慰问品、慰问金",
                    "是否公款旅游、借公务差旅之机旅游或以公务差旅为名变相旅游；以考察学习、培训研讨、招商参展等名义变相用公款出国旅游",
                ),
            ),
            Item(
                "2.5",
                "在资金管理、资产处置、资源配置、资本运作和工程项目方面的廉洁情况",
                checkpoints=(
                    "是否利用职权或职务上影响，搞权力寻租，权权交易，权钱交易，权色交易等腐败行为",
                    "是否与民争利，在征地拆迁、分配购买住房、职称评定、工资待遇、获取各种荣誉等方面，侵害国家、集体和群众利益",
                    "是否党员干部违规从事经商办企业等营利性活动，退休后违规在企业任职，从事与原职务相关的营利活动",
                    "是否领导干部身边跟随一个或多个老板，之间保持相对稳定的关系圈，形成以其为核心的利益共同体",
                    "是否资金管理混乱、虚列账目，挪用截留财政资金，违规举债，致使大额财政资金遭受损失，收支混乱，通过虚报工程套取国家补贴",
                    "是否国有资产流失严重。无原则让利，不计成本廉价出租或者出售国有房产，暗箱操作变卖资产，捞好处、送人情",
                    "是否对工程项目建设和大宗物资采购监管不力，未经集体研究决策，随意增加预算、擅改规划，不搞招投标、拆分规避招投标、围标串标、违法转包分包，或者明招暗定，搞“量身定做”虚假招投标，使“关系户”中标，形成“关系工程”",
                    "是否把所属社团、企业当成职务消费、公款吃喝的“提款机”，违规开支和发放费用；财务管理混乱，存在顶风违纪问题",
                ),
            ),
        ),
    ),
    Item(
        "3",
        "聚焦基层党组织软弱涣散、组织力欠缺问题",
        children=(
            Item(
                "3.1",
                "基层党组织建设情况",
                checkpoints=(
                    "是否党建主体责任履行不到位，放任自流，缺少研究、推动不力，机关党建与业务工作“两张皮”，党建工作虚化弱化边缘化",
                    "是否所辖基层党组织软弱涣散，班子不健全、不团结，党的意识淡薄，重业务轻党建，党建引领作用没有发挥，党员没有归属感",
                    "是否民主集中制落实不到位，主要负责人“一言堂”甚至家长制，班子成员党员意识淡化、不发表意见，党内民主走形式",
                    "是否党内政治生活不严肃，民主生活会和组织生活会搞形式，缺少辣味；“三会一课”、谈心谈话、双重组织生活会、党员民主评议等制度落实不力，走过场，没有实际效果",
                    "是否对党员疏于监督管理，常年不召开支部会议，相关规章制度缺失，对党员情况不闻不问，抓早抓小、约谈提醒少，党费收缴不规范，对流动党员缺少管理措施",
                    "是否党员队伍建设不科学、缺少规划，党员年龄老化、结构失衡。发展党员不严格、不规范、甚至长期不发展党员",
                    "是否党员先锋模范作用发挥不充分，选树先进典型工作缺失，存在“口袋”党员和失联党员，一些党员不履行义务，甚至带头违规违纪，群众认可度不高",
                ),
            ),
            Item(
                "3.2",
                "执行新时代党的组织路线和选人用人情况",
                checkpoints=(
                    "是否党管干部原则丧失，党政联席会、行政办公会研究干部工作",
                    "是否干部选拔任用工作未做到严格按照工作原则、程序和纪律办事，选人用人不讲规矩，程序颠倒或空转，有的在动议等环节“一把手”说的算，有的违背逢进必考原则，有的“跑风漏气”问题突出",
                    "是否干部提拔中搞任人唯亲、封官许愿、亲亲疏疏，有的“近亲繁殖”或“凭关系提拔”，存在“父子兵”“夫妻店”现象",
                    "是否干部考察不深入、不细致，被提拔干部群众认可度不高，存在“带病提拔”、跑官要官问题",
                    "是否超职数配备干部，超机构规格提拔干部、超审批权限设置机构，擅自提高干部职级待遇、擅自设置职务名称",
                    "是否存在干部档案造假，年龄造假，学历镀金，不如实报告个人事项，以及“裸官”“吃空饷”现象",
                    "是否执行干部回避和退休制度不严格，重点岗位干部长期不交流",
                ),
            ),
            Item(
                "3.3",
                "履行管党治党责任情况",
                checkpoints=(
                    "是否党建工作责任制落实不到位，考核机制不完善，开展检查只重形式，不看效果，压力传导层层递减，对党建薄弱部门没有形成硬约束",
                    "是否对落实党风廉政建设责任制不谋划、不研究、不部署、不推进、未将相关工作纳入考核内容，领导班子成员“一岗双责”空转，对职责范围内的党风廉政建设重视不够，防范风险意识不强，对分管领域风险漏洞没有采取有效的预防监督措施",
                    "是否对苗头性倾向性问题“睁一只眼闭一只眼”，对违规违纪问题“轻拿轻放”、处置失当、不敢动真碰硬，甚至大事化小、小事化了，以组织处理代替纪律处分，以约谈、诫勉谈话等形式代替责任追究",
                    "是否对巡察、审计等监督检查指出的问题整改不力，推诿拖延",
                    "是否纪检监察机构力量不足，干部能力素质不强。纪检监察干部职能泛化，脱离监督执纪问责主业",
                    "是否对已处理的违规违纪问题不公开、不通报，未被作为典型案例纳入警示教育内容，未达到“处理一人、教育一片”的效果",
                    "是否一些窝案串案发生后，未进行“一案双查”，没有追究管党治党责任，没有及时健全制度、堵塞漏洞",
                ),
            ),
        ),
    ),
)


# 六项纪律, in the order of the 《中国共产党纪律处分条例》.
POLITICAL, ORGANISATIONAL, INTEGRITY, MASS, WORK, LIFE = "1", "2", "3", "4", "5", "6"
DISCIPLINES: tuple[Item, ...] = (
    Item(POLITICAL, "政治纪律"),
    Item(ORGANISATIONAL, "组织纪律"),
    Item(INTEGRITY, "廉洁纪律"),
    Item(MASS, "群众纪律"),
    Item(WORK, "工作纪律"),
    Item(LIFE, "生活纪律"),
)

# 问题性质: what a 政治巡察 is to find in the inspected party organisation.
NATURES: tuple[Item, ...] = (
    Item("1", "政治问题"),
    Item("2", "责任问题"),
    Item("3", "作风问题"),
    Item("4", "腐败问题"),
)

FOUR_WINDS: tuple[Item, ...] = (
    Item("1", "形式主义"),
    Item("2", "官僚主义"),
    Item("3", "享乐主义"),
    Item("4", "奢靡之风"),
)

SCHEMES: tuple[SchemeData, ...] = (
    SchemeData("three-focuses", SchemeKind.FOCUS, "三个聚焦", "基层巡察", FOCUS),
    SchemeData("six-disciplines", SchemeKind.DISCIPLINE, "六项纪律", "", DISCIPLINES),
    SchemeData("problem-nature", SchemeKind.NATURE, "问题性质", "", NATURES),
    SchemeData("four-winds", SchemeKind.FOUR_WINDS, "四风", "", FOUR_WINDS),
)


def install(scheme_model: Any = None, category_model: Any = None) -> int:
    """Create the default schemes that do not exist yet; return how many were created.

    The migration passes its historical models; everyone else calls it without arguments. A scheme is
    the default of its kind only when its kind has none yet (the sysadmin may have chosen another)."""
    if scheme_model is None or category_model is None:
        from .models import Category, Scheme

        scheme_model, category_model = Scheme, Category
    created = 0
    for data in SCHEMES:
        if scheme_model.objects.filter(code=data.code).exists():
            continue
        scheme = scheme_model.objects.create(
            code=data.code,
            kind=data.kind,
            name=data.name,
            version=data.version,
            is_default=not scheme_model.objects.filter(kind=data.kind, is_default=True).exists(),
        )
        _add_items(category_model, scheme, None, data.items)
        created += 1
    return created


def _add_items(category_model: Any, scheme: Any, parent: Any, items: tuple[Item, ...]) -> None:
    for item in items:
        category = category_model.objects.create(
            scheme=scheme,
            parent=parent,
            code=item.code,
            name=item.name,
            checkpoints="\n".join(item.checkpoints),
        )
        _add_items(category_model, scheme, category, item.children)


def category(kind: str, code: str) -> "Category | None":
    """The category ``code`` of the default scheme of ``kind``, or None."""
    from .models import Category

    return Category.objects.filter(scheme__kind=kind, scheme__is_default=True, code=code).first()
