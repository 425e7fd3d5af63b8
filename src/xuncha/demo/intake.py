"""Petitions in the demo: what the first team of this year's round has received and done with it.

Through the actions, as the people would: the announcement published, petitions by every channel (one
matter arriving by web, phone and the box, grouped as one), triage decisions, a transfer to the 纪委监委
received and reported back and one to the unit awaiting receipt, a petition about an inspector that only the
office sees, and a reveal request waiting for the custodian. Returns the receipt code of the web petition,
printed by ``demo-data`` so that the public lookup can be tried.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.models import User
from xuncha.intake.actions import announcements, duplicates, reveals, transfers, triage
from xuncha.intake.actions.petitions import (
    PetitionInput,
    open_box,
    register_box_item,
    register_petition,
    submit_public_petition,
)
from xuncha.intake.choices import Channel, Decision, Scope, ScopeReason
from xuncha.orgs.choices import DepartmentKind, PostCategory
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind

from . import complaints
from .data import CITY, COUNTY_A

if TYPE_CHECKING:
    from .build import World


def _announce(inspection: Inspection, *, phone: str, by: User) -> str:
    now = timezone.now()
    unit = inspection.unit.name
    announcement = announcements.save_announcement(
        inspection,
        window_starts_at=now - datetime.timedelta(days=10),
        window_ends_at=now + datetime.timedelta(days=50),
        phone=phone,
        duty_hours="每天 8:00—20:00",
        duty_starts=datetime.time(8),
        duty_ends=datetime.time(20),
        postal_box="江州市 A001 号邮政信箱",
        email=f"xuncha{inspection.team_id}@jiangzhou.example.cn",
        box_locations=f"{unit}一楼大厅\n{unit}职工食堂门口",
        visit_place=f"{unit}办公楼 5 楼 501 室（巡察组驻地）",
        by=by,
    )
    announcements.publish_announcement(announcement, by=by)
    return announcement.public_code


def _who(inspection: Inspection, category: str) -> tuple[str, str]:
    """A roster person of the unit as reporters name them: surname and title ("王局长")."""
    person = Person.objects.filter(unit=inspection.unit, category=category).order_by("pk")[0]
    return person.name[0], complaints.title_of(person.post)


def build_intake(w: "World") -> str:
    office, member, leader = w.users["office"], w.users["t1_member"], w.users["t1_leader"]
    triage.install_default_rules(w.committees[CITY], by=office)
    triage.install_default_rules(w.committees[COUNTY_A], by=w.users["county_office"])
    first = w.inspections["2:第一巡察组"]
    _announce(first, phone="0791-86001001", by=leader)
    _announce(w.inspections["2:第二巡察组"], phone="0791-86001002", by=office)
    unit = first.unit.name
    boss, boss_title = _who(first, PostCategory.PRINCIPAL)
    deputy, deputy_title = _who(first, PostCategory.LEADERSHIP)

    # One matter, three channels: the web portal (named), a phone call, and a letter in the box.
    banquet = (
        f"反映{unit}{boss}{boss_title}多次在滨江酒店用公款宴请，费用以会议费名义报销，"
        "2025年涉及金额约18万元，请巡察组调查。"
    )
    web, receipt = submit_public_petition(
        first.announcement,
        data=PetitionInput(
            content=banquet,
            anonymous=False,
            reporter_name="陈秀英",
            reporter_phone="13907910001",
            subject_name=f"{boss}{boss_title}",
            subject_post=boss_title,
        ),
    )
    phone = register_petition(
        first,
        data=PetitionInput(
            content=banquet.replace("多次", "经常").replace("请巡察组调查", "希望认真查一查"),
            channel=Channel.PHONE,
            in_duty_hours=True,
            received_at=timezone.now() - datetime.timedelta(days=3, hours=2),
        ),
        by=member,
    )
    opening = open_box(
        first,
        opened_at=timezone.now() - datetime.timedelta(days=2),
        place=f"{unit}一楼大厅",
        witness_1="王建平（巡察组）",
        witness_2="李娜（被巡察单位办公室）",
        by=member,
    )
    box = register_box_item(
        opening, data=PetitionInput(content=banquet.replace("反映", "举报").replace("约", "大概")), by=member
    )
    register_box_item(
        opening,
        data=PetitionInput(
            content=f"{unit}干部选拔不公开，{deputy}{deputy_title}把没有达到任职年限的亲信提拔为科长，群众意见很大。"
        ),
        by=member,
    )
    duplicates.confirm_duplicates(web, others=[phone, box], by=member)
    triage.triage_petition(
        web,
        decision=Decision.ACCEPT,
        scope=Scope.IN,
        scope_reason=ScopeReason.LEADERSHIP,
        discipline=defaults.category(SchemeKind.DISCIPLINE, defaults.INTEGRITY),
        focus=defaults.category(SchemeKind.FOCUS, "2.4"),
        persons=list(Person.objects.filter(unit=first.unit, category=PostCategory.PRINCIPAL)),
        important=True,
        note="实名反映一把手违反中央八项规定精神，线索具体，列为重点。",
        by=member,
    )
    reveals.request_reveal(web, reason="拟与反映人当面核实宴请的时间、地点和参加人员。", by=member)

    # Out of scope: an ordinary cadre's bribe-taking goes to the 纪委监委, received and reported back.
    cadre = register_petition(
        first,
        data=PetitionInput(
            content=f"{unit}国库支付中心一般干部赵某在办理拨款时向企业索要好处费，请查处。",
            channel=Channel.LETTER,
            received_at=timezone.now() - datetime.timedelta(days=6),
        ),
        by=member,
    )
    triage.triage_petition(
        cadre,
        decision=Decision.TRANSFER,
        scope=Scope.OUT,
        scope_reason=ScopeReason.OTHER_MATTER,
        note="反映一般干部问题，不属于巡察受理范围，按干部管理权限转纪委监委。",
        by=member,
    )
    jiwei = w.departments[(CITY, DepartmentKind.JIWEI)]
    sent = transfers.transfer_petition(
        cadre, department=jiwei, reason="反映一般干部违纪问题，属纪委监委职责范围。", by=leader
    )
    transfers.receive_transfer(sent, by=w.users["jiwei"])
    transfers.report_transfer_result(
        sent, result="经初步核实，赵某索要好处费问题属实，已立案审查。", by=w.users["jiwei"]
    )

    # A personal claim: transferred to the unit itself (属地管理), not yet signed for by its liaison.
    wages = register_petition(
        first,
        data=PetitionInput(
            content=f"本人在{unit}下属服务公司工作，被拖欠工资8千元至今未发，请求帮助解决。",
            channel=Channel.VISIT,
            anonymous=False,
            reporter_name="刘桂兰",
            reporter_phone="13907910002",
        ),
        by=member,
    )
    triage.triage_petition(
        wages,
        decision=Decision.TRANSFER,
        scope=Scope.OUT,
        scope_reason=ScopeReason.PERSONAL_CLAIM,
        note="个人诉求，按属地管理转被巡察单位办理。",
        by=member,
    )
    transfers.transfer_petition(wages, unit=first.unit, reason="个人诉求，请依规办理并报结果。", by=leader)

    # About an inspector of the team itself: the office alone sees it.
    register_petition(
        first,
        data=PetitionInput(
            content="第一巡察组有个组员孙立新和被巡察单位有亲属关系，巡察时可能打招呼，请巡察办注意。",
            channel=Channel.EMAIL,
            about_inspectors=True,
        ),
        by=office,
    )
    # Waiting for triage.
    register_petition(
        first,
        data=PetitionInput(
            content=f"{unit}开会太多，文件层层照转，{deputy}{deputy_title}调研走过场。",
            channel=Channel.LETTER,
        ),
        by=member,
    )
    second = w.inspections["2:第二巡察组"]
    second_boss, second_title = _who(second, PostCategory.PRINCIPAL)
    register_petition(
        second,
        data=PetitionInput(
            content=f"{second.unit.name}{second_boss}{second_title}在工程项目招标中打招呼，把项目交给亲属的公司。",
            channel=Channel.LETTER,
        ),
        by=w.users["t2_member"],
    )
    return receipt
