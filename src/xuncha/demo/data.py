"""The demo world as data: committees, units with their rosters' posts, departments, the inspector pool.

Names of people are drawn from common surnames and given names with a fixed seed, so every run of
`xuncha demo-data` builds the same world. Any resemblance to real persons is coincidental.
"""

import random
from dataclasses import dataclass

from xuncha.orgs.choices import (
    CommitteeLevel,
    DepartmentKind,
    Expertise,
    PartyOrgKind,
    PostCategory,
    UnitType,
)

PASSWORD = "Xuncha-demo-2026"  # noqa: S105 - the published demo password, printed by make demo

CITY = "江州市委"
COUNTY_A = "江州市清河县委"
COUNTY_B = "江州市安平县委"


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    unit_type: str
    posts: tuple[tuple[str, str], ...]
    parent: str = ""
    committee: str = CITY
    party_org_kind: str = ""  # blank: the usual kind of the unit type (orgs.choices)


P, L, N, K = (
    PostCategory.PRINCIPAL,
    PostCategory.LEADERSHIP,
    PostCategory.NEXT_LEVEL_PRINCIPAL,
    PostCategory.KEY_POST,
)

ORGAN_KEY_POSTS = ((K, "办公室主任"), (K, "财务科科长"), (K, "人事科科长"))


def _organ(
    key: str, name: str, head: str, deputies: int, *, committee: str = CITY, parent: str = ""
) -> UnitSpec:
    leadership = [(L, f"党组成员、副{head}") for _ in range(deputies)] + [(L, "派驻纪检监察组组长")]
    return UnitSpec(
        key,
        name,
        UnitType.ORGAN,
        ((P, f"党组书记、{head}"), *leadership, (N, "机关党委书记"), *ORGAN_KEY_POSTS),
        parent,
        committee,
    )


UNITS: tuple[UnitSpec, ...] = (
    _organ("finance", "市财政局", "局长", 3),
    UnitSpec(
        "treasury",
        "市财政局国库支付中心",
        UnitType.INSTITUTION,
        ((P, "党支部书记、主任"), (L, "副主任"), (L, "副主任"), (L, "副主任"), (K, "会计核算科科长")),
        parent="finance",
        party_org_kind=PartyOrgKind.BRANCH,
    ),
    _organ("ndrc", "市发展和改革委员会", "主任", 4),
    _organ("housing", "市住房和城乡建设局", "局长", 3),
    _organ("transport", "市交通运输局", "局长", 3),
    _organ("education", "市教育局", "局长", 3),
    UnitSpec(
        "school1",
        "江州市第一中学",
        UnitType.SCHOOL,
        (
            (P, "党委书记"),
            (L, "校长"),
            (L, "副校长"),
            (L, "副校长"),
            (L, "纪委书记"),
            (N, "高一年级党支部书记"),
            (K, "总务处主任"),
        ),
        parent="education",
    ),
    _organ("health", "市卫生健康委员会", "主任", 4),
    UnitSpec(
        "hospital1",
        "江州市人民医院",
        UnitType.HOSPITAL,
        (
            (P, "党委书记"),
            (L, "院长"),
            (L, "副院长"),
            (L, "副院长"),
            (L, "纪委书记"),
            (N, "内科党支部书记"),
            (K, "财务科科长"),
            (K, "设备采购科科长"),
        ),
        parent="health",
    ),
    UnitSpec(
        "ucic",
        "江州市城市建设投资集团有限公司",
        UnitType.SOE,
        (
            (P, "党委书记、董事长"),
            (L, "党委副书记、总经理"),
            (L, "党委委员、副总经理"),
            (L, "党委委员、副总经理"),
            (L, "纪委书记"),
            (N, "江州市水务有限公司党支部书记"),
            (K, "财务部部长"),
            (K, "工程管理部部长"),
        ),
    ),
    UnitSpec(
        "water",
        "江州市水务有限公司",
        UnitType.SOE,
        (
            (P, "党支部书记、董事长"),
            (L, "总经理"),
            (L, "副总经理"),
            (L, "副总经理"),
            (N, "供水分公司党小组组长"),
            (K, "财务部经理"),
        ),
        parent="ucic",
        party_org_kind=PartyOrgKind.BRANCH,
    ),
    UnitSpec(
        "jtic",
        "江州交通投资集团有限公司",
        UnitType.SOE,
        (
            (P, "党委书记、董事长"),
            (L, "党委副书记、总经理"),
            (L, "党委委员、副总经理"),
            (L, "纪委书记"),
            (N, "江州高速公路公司党支部书记"),
            (K, "财务部部长"),
            (K, "招标采购部部长"),
        ),
    ),
    UnitSpec(
        "university",
        "江州学院",
        UnitType.SCHOOL,
        (
            (P, "党委书记"),
            (L, "党委副书记、院长"),
            (L, "副院长"),
            (L, "副院长"),
            (L, "纪委书记"),
            (N, "经济管理学院党委书记"),
            (K, "财务处处长"),
            (K, "基建处处长"),
        ),
    ),
    UnitSpec(
        "hospital2",
        "江州市中心医院",
        UnitType.HOSPITAL,
        (
            (P, "党委书记"),
            (L, "院长"),
            (L, "副院长"),
            (L, "副院长"),
            (L, "纪委书记"),
            (N, "外科党支部书记"),
            (K, "药剂科主任"),
        ),
    ),
    _organ("land", "市自然资源和规划局", "局长", 3),
    _organ("agri", "市农业农村局", "局长", 3),
    _organ("market", "市市场监督管理局", "局长", 3),
    # Counties: townships (乡镇) with a community below, and county bureaus.
    UnitSpec(
        "chengguan",
        "清河县城关镇",
        UnitType.TOWNSHIP,
        (
            (P, "党委书记"),
            (L, "党委副书记、镇长"),
            (L, "党委委员、副镇长"),
            (L, "党委委员、纪委书记"),
            (N, "东街社区党委书记"),
            (K, "财政所所长"),
        ),
        committee=COUNTY_A,
    ),
    UnitSpec(
        "dongjie",
        "城关镇东街社区",
        UnitType.VILLAGE,
        (
            (P, "党委书记、居委会主任"),
            (L, "党委副书记"),
            (L, "党委委员"),
            (L, "党委委员"),
            (N, "第一网格党支部书记"),
            (K, "报账员"),
        ),
        parent="chengguan",
        committee=COUNTY_A,
    ),
    UnitSpec(
        "liulin",
        "清河县柳林镇",
        UnitType.TOWNSHIP,
        (
            (P, "党委书记"),
            (L, "党委副书记、镇长"),
            (L, "党委委员、副镇长"),
            (L, "党委委员、纪委书记"),
            (N, "柳林村党支部书记"),
            (K, "财政所所长"),
        ),
        committee=COUNTY_A,
    ),
    _organ("qh_edu", "清河县教育局", "局长", 3, committee=COUNTY_A),
    UnitSpec(
        "shiqiao",
        "安平县石桥镇",
        UnitType.TOWNSHIP,
        (
            (P, "党委书记"),
            (L, "党委副书记、镇长"),
            (L, "党委委员、副镇长"),
            (L, "党委委员、纪委书记"),
            (N, "石桥村党支部书记"),
            (K, "财政所所长"),
        ),
        committee=COUNTY_B,
    ),
    UnitSpec(
        "ap_hospital",
        "安平县人民医院",
        UnitType.HOSPITAL,
        (
            (P, "党委书记"),
            (L, "院长"),
            (L, "副院长"),
            (L, "副院长"),
            (N, "内科党支部书记"),
            (K, "财务科科长"),
        ),
        committee=COUNTY_B,
    ),
)

# (name, short name, level, parent, place prefix of its departments)
COMMITTEES: tuple[tuple[str, str, str, str, str], ...] = (
    (CITY, "市委", CommitteeLevel.CITY, "", "市"),
    (COUNTY_A, "清河县委", CommitteeLevel.COUNTY, CITY, "清河县"),
    (COUNTY_B, "安平县委", CommitteeLevel.COUNTY, CITY, "安平县"),
)

# Every committee has these departments, named with its place prefix: 市纪委监委, 清河县委组织部 …
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("纪委监委", DepartmentKind.JIWEI),
    ("委组织部", DepartmentKind.ZUZHIBU),
    ("委宣传部", DepartmentKind.XUANCHUANBU),
    ("审计局", DepartmentKind.AUDIT),
    ("信访局", DepartmentKind.XINFANG),
)


@dataclass(frozen=True)
class InspectorSpec:
    key: str
    name: str
    post: str
    home_unit: str
    expertise: tuple[str, ...]
    former_posts: tuple[tuple[str, str, str], ...] = ()  # (unit key, post, period)
    relatives: tuple[tuple[str, str, str, str], ...] = ()  # (name, relation, unit key, post)
    user: str = ""


E = Expertise
INSPECTORS: tuple[InspectorSpec, ...] = (
    InspectorSpec(
        "t1_leader", "刘振华", "市委巡察办副主任", "", (E.DISCIPLINE, E.ORGANISATION), user="t1_leader"
    ),
    InspectorSpec(
        "t1_member", "周敏", "市审计局经济责任审计科科长", "", (E.AUDIT, E.FINANCE), user="t1_member"
    ),
    InspectorSpec(
        "t2_member", "吴涛", "市纪委监委第三监督检查室干部", "", (E.DISCIPLINE, E.LAW), user="t2_member"
    ),
    # Declared a relative in the finance bureau's treasury centre: the office overrode the 回避 (see build).
    InspectorSpec(
        "conflicted",
        "孙立新",
        "市委组织部干部监督科副科长",
        "",
        (E.ORGANISATION,),
        relatives=(("孙丽", "妹妹", "treasury", "科员"),),
    ),
    InspectorSpec("i5", "郑国强", "市纪委监委第一监督检查室主任", "", (E.DISCIPLINE,)),
    InspectorSpec(
        "i6",
        "王雪梅",
        "市财政局会计科副科长",
        "finance",
        (E.FINANCE, E.AUDIT),
        former_posts=(("ndrc", "财金科科员", "2012—2016"),),
    ),
    InspectorSpec("i7", "陈晓东", "市住房和城乡建设局工程质量科科长", "housing", (E.ENGINEERING,)),
    InspectorSpec("i8", "黄丽娟", "市委宣传部理论科科长", "", (E.PROPAGANDA,)),
    InspectorSpec(
        "i9",
        "赵建军",
        "市审计局固定资产投资审计科科长",
        "",
        (E.AUDIT, E.ENGINEERING),
        relatives=(("赵鹏", "儿子", "jtic", "工程管理部职员"),),
    ),
    InspectorSpec("i10", "杨帆", "市司法局法治督察科副科长", "", (E.LAW,)),
    InspectorSpec(
        "i11",
        "何静",
        "市农业农村局政策法规科科长",
        "agri",
        (E.AGRICULTURE, E.LAW),
        relatives=(("何伟", "丈夫", "hospital2", "医务科主任"),),
    ),
    InspectorSpec("i12", "马俊", "市委组织部干部一科副科长", "", (E.ORGANISATION,)),
    InspectorSpec("i13", "林海", "市教育局计划财务科科长", "education", (E.FINANCE,)),
    InspectorSpec(
        "i14",
        "高文",
        "市纪委监委案件审理室干部",
        "",
        (E.DISCIPLINE,),
        former_posts=(("market", "科员", "2010—2014"),),
    ),
    InspectorSpec("i15", "徐明", "市统计局综合科科长", "", (E.OTHER, E.FINANCE)),
)

# The personas of docs/architecture.md: login, full name, what they are (shown in the login table).
PERSONAS: tuple[tuple[str, str, str], ...] = (
    ("office", "巡察办 李主任", "江州市委巡察办（巡察办）"),
    ("leader", "领导小组 张书记", "江州市委巡察工作领导小组"),
    ("t1_leader", "刘振华", "第一巡察组组长（第二轮）"),
    ("t1_member", "周敏", "第一巡察组组员（第二轮）"),
    ("t2_member", "吴涛", "第二巡察组组员（第二轮），回头看巡察组组员"),
    ("liaison1", "联络人 陈静", "市财政局、市发改委联络人（两轮第一巡察组巡察的单位）"),
    ("jiwei", "市纪委监委 案管室", "市纪委监委（移交接收部门）"),
    ("zuzhibu", "市委组织部 干部监督科", "市委组织部（移交接收部门）"),
    ("custodian", "身份信息保管人", "身份信息保管人（江州市委）"),
    ("auditor", "审计员", "审计员（只看审计记录）"),
    ("sysadmin", "系统管理员", "系统管理员（不看案件内容）"),
    ("county_office", "清河县委巡察办", "清河县委巡察办"),
)

# Accounts the office creates on its 人员与权限 page (not by the system): the liaisons of two units, and a
# second custodian whose appointment waits for another person's approval. (login, full name, unit key or
# "" for the custodian, what they are)
APPOINTED: tuple[tuple[str, str, str, str], ...] = (
    ("liaison2", "联络人 王磊", "housing", "市住房和城乡建设局联络人（巡察办任命，首次登录须改密码）"),
    ("liaison3", "联络人 赵敏", "education", "市教育局联络人（巡察办任命，首次登录须改密码）"),
    ("custodian2", "身份信息保管人 孙倩", "", "身份信息保管人（巡察办已任命，待系统管理员审批，尚未生效）"),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾夏韦傅方邹熊白孟秦邱侯江尹薛闫段雷龙"
    "黎史陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健"
    "俊帆帅旭宁婷雪琳晨阳建国志文海波春梅立新振东晓"
)


def name_maker(seed: int) -> "random.Random":
    return random.Random(seed)  # noqa: S311 - made-up names, not secrets


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


# The county office's own small pool: (key, name, post).
COUNTY_INSPECTORS: tuple[tuple[str, str, str], ...] = (
    ("qh1", "蒋文斌", "清河县委巡察办主任"),
    ("qh2", "潘晓燕", "清河县审计局副局长"),
)
