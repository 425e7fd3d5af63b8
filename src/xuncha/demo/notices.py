"""What the unit tells the team in the demo, on the first team's inspection of the finance bureau in this
year's round (了解). Run after build_fieldwork and build_rectification.

``liaison1`` reports the bureau's party-group meeting on next year's budget, which ``t1_leader`` attends
with a member (recorded as an activity), and a public-opinion incident still waiting for the team. She
registers two self-check problems (自查问题): ``t1_leader`` accepts the first, which becomes a 立行立改 item
in the rectification lists; the second waits for his decision on his home page.

``t1_member`` offers two times for face-to-face appointments (预约面谈) on the portal; a member of the public
books the first through the inspection's 码上巡察 page.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.fieldwork.actions.notices import NoticeInput, attend_notice, report_notice
from xuncha.fieldwork.models import NoticeKind, UnitNotice
from xuncha.intake.actions.appointments import book_appointment, offer_appointment
from xuncha.intake.models import Announcement, Appointment
from xuncha.rectification.actions.self_check import SelfCheckInput, accept_self_check, report_self_check
from xuncha.rectification.models import SelfCheckItem
from xuncha.rounds.models import Inspection, TeamMember

from .data import CITY

if TYPE_CHECKING:
    from .build import World


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_notices(w: "World") -> tuple[list[UnitNotice], list[SelfCheckItem]]:
    # Read afresh, by committee: other demo modules move inspections on through copies of their own.
    inspection = Inspection.objects.select_related("round__committee", "unit", "team").get(
        round__committee=w.committees[CITY], round__number=2, team__name="第一巡察组"
    )
    liaison, leader = w.users["liaison1"], w.users["t1_leader"]
    unit = inspection.unit.name
    meeting = report_notice(
        inspection,
        data=NoticeInput(
            kind=NoticeKind.MEETING,
            subject="局党组（扩大）会议研究下年度部门预算编制",
            starts_at=_at(3, 9),
            place=f"{unit}五楼党组会议室",
            details="议题：下年度部门预算编制原则、重点支出安排；政府采购内控制度修订稿。",
        ),
        by=liaison,
    )
    members = list(TeamMember.objects.filter(team=inspection.team).order_by("role", "pk")[:2])
    attend_notice(meeting, members=members, remark="组长带一名组员列席，重点关注专项资金安排。", by=leader)
    opinion = report_notice(
        inspection,
        data=NoticeInput(
            kind=NoticeKind.OPINION,
            subject="网帖反映惠农补贴资金发放迟缓",
            details="本地论坛出现帖子，反映部分乡镇惠农补贴资金到户迟缓，阅读量约1.2万。"
            "局办公室已会同农业农村局核实，拟于两日内在论坛回复。",
        ),
        by=liaison,
    )
    accepted = report_self_check(
        inspection,
        data=SelfCheckInput(
            problem="部分科室办公用房面积超过标准，2个科室合计超标约18平方米",
            measure="调整科室用房，腾退超标面积，建立并按季度核对办公用房台账",
            leader="党组成员、副局长",
            department="办公室",
            due_on=timezone.localdate() + datetime.timedelta(days=10),
        ),
        by=liaison,
    )
    accept_self_check(accepted, by=leader)
    pending = report_self_check(
        inspection,
        data=SelfCheckInput(
            problem="部分会议费在“其他商品和服务支出”科目列支，科目使用不规范",
            measure="调整会计科目，开展一次财务人员业务培训",
            leader="党组成员、副局长",
            department="财务科",
            due_on=timezone.localdate() + datetime.timedelta(days=20),
        ),
        by=liaison,
    )
    _appointments(w, inspection)
    return [meeting, opinion], [accepted, pending]


def _appointments(w: "World", inspection: Inspection) -> list[Appointment]:
    member = w.users["t1_member"]
    place = f"{inspection.unit.name}办公楼 5 楼 501 室（巡察组驻地）"
    offered = [
        offer_appointment(inspection, starts_at=_at(days, 15), place=place, by=member) for days in (2, 5)
    ]
    announcement = Announcement.objects.select_related("inspection__round").get(inspection=inspection)
    book_appointment(
        announcement,
        offered[0],
        name="赵建国",
        phone="13907910001",
        topic="想当面反映局属单位工程项目结算中的问题，并提交有关材料。",
    )
    return offered
