"""Petition texts for the demo and for synthetic data: what people write to an inspection team.

Templates name a roster person by surname and post ("{surname}{title}"), as reporters do; the in-scope ones
are about the six disciplines, the others are personal claims or matters in litigation (转交).
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Complaint:
    text: str
    in_scope: bool


IN_SCOPE = (
    "{unit}{surname}{title}多次在{place}用公款宴请，费用以会议费名义报销，{year}年涉及金额约{amount}万元。",
    "反映{unit}{surname}{title}在{year}年工程项目招标中打招呼，把项目交给其亲属控制的公司，工程款约{amount}万元。",
    "{surname}{title}收受下属单位送的购物卡和红包，逢年过节都有，大家敢怒不敢言。",
    "{unit}干部选拔不公开，{surname}{title}把没有达到任职年限的亲信提拔为科长，群众意见很大。",
    "{unit}{surname}{title}长期不到岗，工作日在{place}打牌，开会搞形式，文件层层照转。",
    "{surname}{title}违规使用公车接送家人，车辆停在{place}，加油费由单位报销。",
    "{unit}财务管理混乱，{surname}{title}让会计把专项资金{amount}万元挪用于发放津贴补贴。",
    "{unit}领导班子搞一言堂，三重一大事项不上会研究，{surname}{title}个人说了算。",
)
OUT_OF_SCOPE = (
    "本人在{unit}下属公司工作，被拖欠工资{amount}千元至今未发，请求帮助解决。",
    "我家房屋征收补偿标准太低，和{place}其他户不一样，要求提高补偿。",
    "本人与{unit}的合同纠纷已向法院起诉，判决不公，请求巡察组督促重审。",
    "申请低保多年未获批准，{place}社区说不符合条件，希望重新认定。",
)
PLACES = ("城南宾馆", "滨江酒店", "开发区食堂", "老城区茶楼", "东湖度假村", "新华社区", "清河镇", "安平镇")
TITLES = ("副局长", "局长", "副主任", "主任", "书记", "科长", "董事长", "总经理", "校长", "院长", "镇长")
# A clerk retypes a phone call or a box letter: the same matter in slightly different words.
RETYPED = (("多次", "经常"), ("约", "大概"), ("。", "，请巡察组调查。"), ("反映", "举报"))


def complaint(rng: random.Random, *, unit: str, surname: str, title: str) -> Complaint:
    in_scope = rng.random() < 0.8
    template = rng.choice(IN_SCOPE if in_scope else OUT_OF_SCOPE)
    text = template.format(
        unit=unit,
        surname=surname,
        title=title,
        place=rng.choice(PLACES),
        year=rng.choice((2024, 2025, 2026)),
        amount=rng.randint(3, 300),
    )
    return Complaint(text=text, in_scope=in_scope)


def retyped(text: str, rng: random.Random) -> str:
    """The same matter as received through another channel: a word or two changed."""
    for old, new in rng.sample(RETYPED, 2):
        text = text.replace(old, new, 1)
    return text


def title_of(post: str) -> str:
    """How people name a post: "党组书记、局长" → "局长", "财务科科长" → "科长"."""
    last = post.split("、")[-1]
    for title in (
        "副局长",
        "局长",
        "副主任",
        "主任",
        "书记",
        "科长",
        "董事长",
        "总经理",
        "校长",
        "院长",
        "镇长",
    ):
        if last.endswith(title):
            return title
    return last[-2:]
