"""Helpers of reports' tests: signed-off findings of inspection1 (one about the unit and its principal,
one about a leadership member), the inspection in 报告, and reports and the 书记专题会 taken through the
actions."""

from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings import actions as findings
from xuncha.findings.models import Finding
from xuncha.findings.tests.support import category, content, set_stage, setup
from xuncha.rounds.choices import Stage
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .. import actions, meeting
from ..choices import Decision, MeetingOutcome, Recipient
from ..models import Feedback, Report, SecretaryMeeting

__all__ = ["set_stage"]


def signed_finding(w: SimpleNamespace, **overrides: object) -> Finding:
    finding = findings.draft_finding(w.inspection1, data=content(w, **overrides), by=w.users["t1_member"])
    findings.discuss_finding(
        finding, meeting_on=timezone.localdate(), opinion="同意", by=w.users["t1_leader"]
    )
    return findings.sign_off_finding(finding, by=w.users["t1_leader"])


def prepare(w: SimpleNamespace) -> SimpleNamespace:
    """Two signed-off findings and a draft one of inspection1, which is then in 报告."""
    setup(w)
    w.banquet = signed_finding(w)
    w.promotion = signed_finding(
        w,
        title="破格提拔程序不规范",
        description="分管科室提拔1名科长，任职年限不足，未报批。",
        focus=_focus("3.2"),
        persons=[w.deputy1],
        unit_responsible=False,
        evidence=[],
    )
    w.unsigned = findings.draft_finding(
        w.inspection1, data=content(w, title="尚未审签的问题"), by=w.users["t1_member"]
    )
    set_stage(w.inspection1, Stage.REPORTING)
    return w


def _focus(code: str) -> Category:
    return category(SchemeKind.FOCUS, code)


def submitted(w: SimpleNamespace) -> Report:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    return actions.submit_report(report, by=w.users["t1_leader"])


def hear(w: SimpleNamespace, report: Report, decision: str = Decision.APPROVED, opinion: str = "") -> Report:
    actions.record_hearing(
        w.round,
        held_on=timezone.localdate(),
        attendees="领导小组组长、副组长及成员",
        items=[actions.HearingItem(report, decision, opinion)],
        by=w.users["leader"],
    )
    report.refresh_from_db()
    return report


def final(w: SimpleNamespace) -> Report:
    return hear(w, submitted(w))


def unit_feedback(w: SimpleNamespace) -> Feedback:
    return actions.assemble_feedback(w.inspection1, recipient=Recipient.UNIT, by=w.users["t1_member"])


def deliver(w: SimpleNamespace, feedback: Feedback, persona: str = "t1_leader") -> Feedback:
    return actions.deliver_feedback(
        feedback,
        meeting_on=timezone.localdate(),
        place="市财政局三楼会议室",
        attendees="局领导班子成员、中层干部",
        delivered_by="市委第一巡察组组长 刘振华",
        by=w.users[persona],
    )


def secretary_meeting(
    w: SimpleNamespace, outcome: str = MeetingOutcome.AGREED, remarks: str = "", persona: str = "office"
) -> SecretaryMeeting:
    """The 书记专题会 heard inspection1 (its report must be final) and decided ``outcome``."""
    return meeting.record_secretary_meeting(
        w.round,
        data=meeting.MeetingInput(
            held_on=timezone.localdate(),
            place="市委常委会议室",
            chair="市委书记 陈立新",
            secretary_opinions="巡察发现的问题要原原本本反馈，督促真改实改。",
            member_opinions="同意书记意见。",
            other_attendees="市纪委监委、市委组织部负责同志",
            attendees=[w.users["leader"], w.users["office"]],
        ),
        items=[
            meeting.MeetingItem(
                w.inspection1,
                outcome,
                feedback_points="突出违规公款宴请问题，点明责任。",
                clue_instructions="领导干部问题线索按程序移交市纪委监委。",
                remarks=remarks,
            )
        ],
        by=w.users[persona],
    )
