"""Interviews in the demo: the first team's plan for the finance bureau, generated from the roster and
scheduled through the actions as the people would — the principal heard yesterday (record, a clue lead and
a draft finding), a deputy today, confirmations and a conflict from the bureau's liaison, a retired cadre
added by name, one interview cancelled, and the rest still to be given a time.

The 回避 override of the team's third member says he takes no part in the treasury centre's interviews, so
he is never paired for them.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.fieldwork.actions import interviews as actions
from xuncha.fieldwork.choices import ProblemKind
from xuncha.fieldwork.models import Interview
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Inspector

if TYPE_CHECKING:
    from ..build import World

PLACE = "市财政局办公楼 5 楼 503 室（巡察组谈话室）"
TOPICS_PRINCIPAL = """履行全面从严治党主体责任、“一岗双责”情况
落实“三重一大”集体决策制度情况，重大资金分配是否经党组会研究
本人及班子成员落实中央八项规定精神情况
对班子成员和下一级党组织主要负责人的评价
干部选拔任用和专项资金管理中存在的突出问题"""
TOPICS_MEMBER = """分管领域落实党中央决策部署情况
分管科室财政资金拨付、政府采购中的廉政风险
对党组书记和班子其他成员的意见建议
本人需要向巡察组说明的情况"""
RECORD = """谈话时间、地点、谈话人见上。
一、关于党组履行主体责任：党组每年研究党风廉政建设不少于两次，但对下属国库支付中心的监督主要靠报表。
二、关于“三重一大”：2025年两笔超过500万元的专项资金调剂，先由分管副局长签批拨付，事后补提党组会。
三、关于选人用人：去年提拔的两名科长，民主推荐范围较窄。
四、本人表示将如实提供有关会议记录和资金拨付凭证。
以上记录经本人核对无误并签字。"""


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _slot(day: datetime.date, hour: int, minute: int = 0) -> tuple[datetime.datetime, datetime.datetime]:
    start = _at(day, hour, minute)
    return start, start + datetime.timedelta(minutes=90)


def build(w: "World") -> None:
    inspection = w.inspections["2:第一巡察组"]
    member, leader, liaison = w.users["t1_member"], w.users["t1_leader"], w.users["liaison1"]
    lead, colleague, third = (w.inspectors[key] for key in ("t1_leader", "t1_member", "conflicted"))
    today = timezone.localdate()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    actions.generate_plan(inspection, by=member)
    plan = list(Interview.objects.filter(inspection=inspection).select_related("person__unit"))
    principal = next(
        i
        for i in plan
        if i.category == PostCategory.PRINCIPAL and i.person and i.person.unit_id == inspection.unit_id
    )
    deputies = [i for i in plan if i.category == PostCategory.LEADERSHIP]

    def schedule(
        interview: Interview,
        slot: tuple[datetime.datetime, datetime.datetime],
        pair: list[Inspector],
        topics: str,
    ) -> Interview:
        starts_at, ends_at = slot
        return actions.update_interview(
            interview,
            place=PLACE,
            inspectors=pair,
            topics=topics,
            by=member,
            starts_at=starts_at,
            ends_at=ends_at,
        )

    # Yesterday: the principal, recorded, with what the talk raised.
    heard = schedule(principal, _slot(yesterday, 9), [lead, colleague], TOPICS_PRINCIPAL)
    actions.confirm_interview(heard, by=liaison)
    actions.record_interview(heard, text=RECORD, by=member)
    actions.add_problem(
        heard,
        kind=ProblemKind.FINDING,
        text="2025年两笔超过500万元的专项资金调剂先拨付后上会，“三重一大”集体决策制度落实不到位。",
        by=member,
    )
    actions.add_problem(
        heard,
        kind=ProblemKind.CLUE,
        text="分管副局长签批专项资金调剂，需调阅拨付凭证核实是否存在利益输送。",
        by=leader,
    )

    # Today and tomorrow: the deputies, confirmed by the liaison, one with a conflict to move.
    today_one = schedule(deputies[0], _slot(today, 15), [lead, colleague], TOPICS_MEMBER)
    actions.confirm_interview(today_one, by=liaison)
    tomorrow_one = schedule(deputies[1], _slot(tomorrow, 9), [colleague, third], TOPICS_MEMBER)
    actions.confirm_interview(tomorrow_one, by=liaison)
    moved = schedule(deputies[2], _slot(tomorrow, 14, 30), [lead, third], TOPICS_MEMBER)
    actions.report_conflict(
        moved, note="该同志明天全天在省财政厅参加预算编制培训，建议改到后天上午。", by=liaison
    )
    schedule(deputies[3], _slot(tomorrow + datetime.timedelta(days=1), 9), [lead, colleague], TOPICS_MEMBER)

    # Someone not on the roster: a retired deputy director, at the team's own request.
    visit = _slot(tomorrow + datetime.timedelta(days=2), 10)
    actions.add_interview(
        inspection,
        name="周建平",
        post="原市财政局副局长（已退休）",
        place="巡察组驻地（市委党校 2 号楼 201 室）",
        inspectors=[lead, colleague],
        topics="了解2023年以来专项资金管理和干部任用中的情况\n对现任班子的评价",
        by=leader,
        starts_at=visit[0],
        ends_at=visit[1],
    )

    # A key post that will not be heard separately: covered by the 座谈会.
    key_post = next(i for i in plan if i.category == PostCategory.KEY_POST)
    actions.cancel_interview(
        key_post, reason="该同志已参加财务人员座谈会，经组务会研究不再单独谈话。", by=leader
    )
