"""Reports and feedback in the demo: last year's round, from findings to the feedback its rectification
starts from.

The round's three inspections reach 报告 (build.py) without findings; here each team's findings are
drafted, discussed and signed off, its report assembled and submitted, and the leading group hears the
three reports together (同意). The office drafts the comprehensive report for the secretary's meeting
and makes it final; the leading group records the 书记专题会 (the city's secretary chairing) agreeing the
three reports with the points of their feedback; the office moves each inspection to 反馈, records the
feedback meetings (to the unit, and to the principal leader where a leadership member's problem was
found) and moves it on to 整改. The round-one
teams' inspectors have no accounts in the demo, so the system records the teams' steps.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.models import User
from xuncha.findings import actions as findings
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.reports import actions, meeting
from xuncha.reports.choices import Decision, MeetingOutcome, Recipient
from xuncha.reports.models import SecretaryMeeting
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .data import CITY
from .plans import SECRETARIES

if TYPE_CHECKING:
    from .build import World

# Per team of round one: (title, 表现, 三个聚焦 item, whose problem it is).
ROUND_ONE_FINDINGS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "第一巡察组": (
        (
            "重大项目审批把关不严，部分项目未批先建",
            "抽查2024年审批的32个固定资产投资项目，有5个项目在可研批复前已开工建设，涉及投资2.3亿元。",
            "2.5",
            PostCategory.PRINCIPAL,
        ),
        (
            "班子成员分管领域违规干预项目评审",
            "分管副主任2024年两次要求评审中心调整评审结论，未履行集体决策程序。",
            "2.3",
            PostCategory.LEADERSHIP,
        ),
    ),
    "第二巡察组": (
        (
            "工程招投标管理不规范，化整为零规避招标",
            "2024年将3个道路改造项目拆分为11个标段，单个标段均低于公开招标限额。",
            "2.5",
            PostCategory.PRINCIPAL,
        ),
    ),
    "第三巡察组": (
        (
            "落实“双减”政策不到位，校外培训监管缺位",
            "对备案的46家校外培训机构全年仅检查7家，群众反映的违规收费问题未及时处理。",
            "1.2",
            PostCategory.PRINCIPAL,
        ),
        (
            "班子成员履行“一岗双责”不到位",
            "分管副局长所在领域近两年发生3起违规收受礼品问题，未开展警示教育。",
            "3.3",
            PostCategory.LEADERSHIP,
        ),
    ),
}
ATTENDEES = "市委巡察工作领导小组组长、副组长及成员，市委巡察办主任，各巡察组组长"
SECRETARY_OPINIONS = (
    "一、巡察发现的问题要原原本本向被巡察党组织反馈，点人点事，不修饰、有“辣味”。\n"
    "二、被巡察党组织要扛起整改主体责任，主要负责人履行第一责任人责任，真改实改、全面整改。\n"
    "三、问题线索按规定移交纪检监察机关和组织部门，优先研判、快查快结。"
)


def hold_secretary_meeting(
    inspections: list[Inspection], *, held_on: datetime.date, chair: str, by: User | None
) -> SecretaryMeeting:
    """The 书记专题会 hears the inspections of a round and agrees their reports (required before 反馈);
    the committee's leading group and office attend."""
    round_ = inspections[0].round
    return meeting.record_secretary_meeting(
        round_,
        data=meeting.MeetingInput(
            held_on=held_on,
            place=f"{round_.committee.name}常委会议室",
            chair=chair,
            secretary_opinions=SECRETARY_OPINIONS,
            member_opinions="与会同志同意巡察报告和书记意见，建议对共性问题开展专项治理。",
            other_attendees="纪委监委、组织部负责同志（列席）\n各巡察组组长（列席）",
            attendees=list(meeting.candidate_attendees(round_)),
        ),
        items=[
            meeting.MeetingItem(
                inspection,
                MeetingOutcome.AGREED,
                feedback_points=_feedback_points(inspection),
                clue_instructions="发现的问题线索按规定分类移交纪委监委、组织部，跟踪办理结果。",
            )
            for inspection in inspections
        ],
        by=by,
    )


def _feedback_points(inspection: Inspection) -> str:
    titles = [f.title for f in inspection.findings.order_by("sequence")]
    points = "；".join(titles) if titles else "巡察发现的主要问题"
    return f"向{inspection.unit.name}党组织反馈：{points}。督促建立问题、任务、责任清单，限期整改。"


def _category(kind: str, code: str) -> Category:
    return Category.objects.get(scheme__kind=kind, scheme__is_default=True, code=code)


def _signed_findings(inspection: Inspection, today: datetime.date) -> None:
    team = inspection.team.name
    for title, description, focus, whose in ROUND_ONE_FINDINGS[team]:
        person = Person.objects.filter(unit=inspection.unit, category=whose).order_by("pk").first()
        finding = findings.draft_finding(
            inspection,
            data=findings.FindingInput(
                title=title,
                description=description,
                focus=_category(SchemeKind.FOCUS, focus),
                basis_note="违反相关法规制度规定。",
                unit_responsible=whose == PostCategory.PRINCIPAL,
                persons=[person] if person else [],
                nature=_category(SchemeKind.NATURE, "2"),
                root_cause="responsibility",
            ),
            by=None,
        )
        findings.discuss_finding(finding, meeting_on=today, opinion="同意列入巡察报告。", by=None)
        findings.sign_off_finding(finding, by=None)


def build_reports(w: "World") -> None:
    from .build import advance  # build imports this module

    office, leading_group = w.users["office"], w.users["leader"]
    today = timezone.localdate()
    inspections = list(
        Inspection.objects.filter(round__committee=w.committees[CITY], round__number=1)
        .select_related("round__committee", "team", "unit")
        .order_by("team__name")
    )
    reports = []
    for inspection in inspections:
        _signed_findings(inspection, today)
        report = actions.assemble_report(inspection, by=None)
        report = actions.update_report(
            report,
            data=actions.ReportInput(
                title=report.title,
                basics=report.basics,
                problems=report.problems,
                clues=report.clues,
                suggestions="建议督促被巡察党组织压实主体责任，健全项目审批、招投标和监督检查制度，"
                "举一反三开展专项整治。",
            ),
            by=None,
        )
        reports.append(actions.submit_report(report, by=None))
    round_ = inspections[0].round
    actions.record_hearing(
        round_,
        held_on=today,
        attendees=ATTENDEES,
        items=[
            actions.HearingItem(r, Decision.APPROVED, "同意，按程序向被巡察党组织反馈。") for r in reports
        ],
        by=leading_group,
    )
    comprehensive = actions.assemble_comprehensive(round_, by=office)
    actions.submit_report(comprehensive, by=office)
    hold_secretary_meeting(inspections, held_on=today, chair=SECRETARIES["city"], by=leading_group)
    for inspection in inspections:
        inspection = advance(inspection, Stage.FEEDBACK, by=office)
        recipients = [Recipient.UNIT]
        if any(whose == PostCategory.LEADERSHIP for *_, whose in ROUND_ONE_FINDINGS[inspection.team.name]):
            recipients.append(Recipient.PRINCIPAL)
        for recipient in recipients:
            feedback = actions.assemble_feedback(inspection, recipient=recipient, by=None)
            actions.deliver_feedback(
                feedback,
                meeting_on=today,
                place=f"{inspection.unit.name}会议室",
                attendees="被巡察党组织领导班子成员" if recipient == Recipient.UNIT else "党组织主要负责人",
                delivered_by=f"{inspection.team_signature}组长",
                by=office,
            )
        advance(inspection, Stage.RECTIFYING, by=office)
