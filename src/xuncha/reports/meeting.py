"""The committee secretary's special meeting (书记专题会) on a round's inspections (seed 002:
"市委书记专题会议听取……巡察情况综合汇报。根据市委领导意见，市委巡察组将向……反馈意见").

The office or the leading group records it once the leading group has made team reports final: date,
place, who chaired, who attended (accounts of the committee's leading group and office, and anyone else
as text), the secretary's and the members' opinions, and per inspection heard a decision — the report
agreed (同意报告) or to be completed (要求补充完善) — with the points the feedback must make (反馈意见要点)
and how the clues are to be transferred (移交线索). A later meeting may hear an inspection again; its
latest decision counts.

When the committee's setting says so (the default), an inspection enters 反馈 only once a meeting has
agreed its report (``feedback_check``, registered with ``rounds.checks``). The record (书记专题会议纪要) is
an official document (``meeting_docx``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import holders
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection, Round

from .actions import NOTE_LIMIT, SHORT_LIMIT, TEXT_LIMIT, hearing_roles
from .choices import MeetingOutcome, ReportKind, ReportStatus
from .models import MeetingDecision, Report, SecretaryMeeting

AUDIT_ACTIONS = {
    "secretary_meeting.recorded": "记录书记专题会",
    "secretary_meeting.read": "下载书记专题会纪要",
}
AUDIT_DETAILS = {
    "met_on": "会议日期",
    "inspections": "听取的巡察数",
    "outcomes": "决定",
    "attendees": "出席人数",
}

# Who may be picked as an attendee from the committee's accounts.
ATTENDEE_ROLES = (Role.LEADING_GROUP, Role.OFFICE)
# An inspection is heard between the leading group's hearing and the feedback meeting.
HEARD_STAGES = (Stage.REPORTING, Stage.FEEDBACK)


@dataclass
class MeetingInput:
    held_on: datetime.date | None
    place: str
    chair: str
    secretary_opinions: str
    member_opinions: str = ""
    other_attendees: str = ""
    attendees: Sequence[User] = field(default_factory=list)


@dataclass
class MeetingItem:
    inspection: Inspection
    outcome: str
    feedback_points: str = ""
    clue_instructions: str = ""
    remarks: str = ""


def candidate_attendees(round_: Round) -> QuerySet[User]:
    """The round's committee's accounts that may be recorded as attending: its leading group and office."""
    return holders(dict.fromkeys(ATTENDEE_ROLES, round_.committee_id)).order_by("full_name", "username")


def hearable(round_: Round) -> QuerySet[Inspection]:
    """The round's inspections whose team report is final and that have not gone past 反馈."""
    final = Report.objects.filter(kind=ReportKind.TEAM, status=ReportStatus.FINAL).values("inspection_id")
    return (
        Inspection.objects.filter(round=round_, stage__in=HEARD_STAGES, pk__in=final)
        .select_related("unit", "team")
        .order_by("team__name", "pk")
    )


def latest_decision(inspection: Inspection) -> MeetingDecision | None:
    return (
        MeetingDecision.objects.filter(inspection=inspection)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting_id")
        .first()
    )


def feedback_check(inspection: Inspection) -> list[str]:
    """Before 反馈: the 书记专题会 has agreed the report, when the committee requires it."""
    if not settings_for(inspection.round.committee).secretary_meeting_required:
        return []
    decision = latest_decision(inspection)
    if decision is None:
        return ["书记专题会尚未听取本巡察情况汇报（须先记录书记专题会并同意巡察报告）"]
    if decision.outcome != MeetingOutcome.AGREED:
        held = f"{decision.meeting.held_on:%Y-%m-%d}"
        return [f"{held}书记专题会要求补充完善巡察报告，尚未经书记专题会同意"]
    return []


def _clean_item(round_: Round, item: MeetingItem, allowed: set[int]) -> MeetingItem:
    inspection = item.inspection
    name = inspection.unit.name
    if inspection.round_id != round_.pk:
        raise Refused(f"“{name}”的巡察不属于{round_.name}。", field="decisions")
    if inspection.pk not in allowed:
        raise Refused(
            f"“{name}”的巡察报告尚未经领导小组同意定稿，或巡察已过反馈阶段，不能提交书记专题会。",
            field="decisions",
        )
    if item.outcome not in MeetingOutcome.values:
        raise Refused("请选择“同意报告”或“要求补充完善”。", field="decisions")

    def text(value: str, label: str, required: bool = False) -> str:
        return clean_text(
            value,
            label=f"{name}：{label}",
            field="decisions",
            limit=TEXT_LIMIT,
            required=required,
            multiline=True,
        )

    return MeetingItem(
        inspection=inspection,
        outcome=item.outcome,
        feedback_points=text(item.feedback_points, "反馈意见要点"),
        clue_instructions=text(item.clue_instructions, "问题线索移交意见"),
        remarks=text(item.remarks, "补充要求", required=item.outcome == MeetingOutcome.SUPPLEMENT),
    )


@action
def record_secretary_meeting(
    round_: Round, *, data: MeetingInput, items: Sequence[MeetingItem], by: User | None
) -> SecretaryMeeting:
    """The 书记专题会 heard inspections of the round; each gets 同意报告 or 要求补充完善."""
    role = require(by, hearing_roles(round_), what="记录书记专题会")
    if data.held_on is None:
        raise Refused("请填写会议日期。", field="held_on")
    if data.held_on > timezone.localdate():
        raise Refused("会议日期不能晚于今天。", field="held_on")
    candidates = set(candidate_attendees(round_).values_list("pk", flat=True))
    if any(user.pk not in candidates for user in data.attendees):
        raise Refused("出席人员应从本级党委的巡察工作领导小组和巡察办人员中选择。", field="attendees")
    other = clean_text(
        data.other_attendees,
        label="其他出席、列席人员",
        field="other_attendees",
        limit=NOTE_LIMIT,
        required=False,
        multiline=True,
    )
    if not data.attendees and not other:
        raise Refused("请选择或填写出席人员。", field="attendees")
    if not items:
        raise Refused("请至少对一个巡察作出决定。", field="decisions")
    if len({item.inspection.pk for item in items}) != len(items):
        raise Refused("同一巡察在一次会议上只能作出一项决定。", field="decisions")
    allowed = set(hearable(round_).values_list("pk", flat=True))
    clean_items = [_clean_item(round_, item, allowed) for item in items]
    meeting = SecretaryMeeting(
        round=round_,
        held_on=data.held_on,
        place=clean_text(data.place, label="会议地点", field="place", limit=SHORT_LIMIT),
        chair=clean_text(data.chair, label="主持人", field="chair", limit=SHORT_LIMIT),
        other_attendees=other,
        secretary_opinions=clean_text(
            data.secretary_opinions,
            label="书记意见",
            field="secretary_opinions",
            limit=TEXT_LIMIT,
            multiline=True,
        ),
        member_opinions=clean_text(
            data.member_opinions,
            label="与会同志意见",
            field="member_opinions",
            limit=TEXT_LIMIT,
            required=False,
            multiline=True,
        ),
        recorded_by=by,
    )
    meeting.save()
    meeting.attendees.set(data.attendees)
    for item in clean_items:
        MeetingDecision(
            meeting=meeting,
            inspection=item.inspection,
            outcome=item.outcome,
            feedback_points=item.feedback_points,
            clue_instructions=item.clue_instructions,
            remarks=item.remarks,
        ).save()
    details = {
        "met_on": data.held_on,
        "inspections": len(clean_items),
        "outcomes": {str(item.inspection.pk): item.outcome for item in clean_items},
        "attendees": len(data.attendees),
    }
    record("secretary_meeting.recorded", meeting, by=by, role=role, details=details)
    return meeting


# The record (会议纪要) --------------------------------------------------------------------------------


def _names(meeting: SecretaryMeeting) -> str:
    names = [user.full_name or user.username for user in meeting.attendees.order_by("full_name", "username")]
    other = [line.strip() for line in meeting.other_attendees.splitlines() if line.strip()]
    return "；".join(["、".join(names), *other] if names else other)


def meeting_docx(meeting: SecretaryMeeting) -> bytes:
    """The 书记专题会议纪要 in the GB/T 9704 layout: when, where, who; the secretary's and the members'
    opinions; and what was decided on each inspection heard."""
    round_ = meeting.round
    committee = round_.committee.name
    doc = OfficialDocument()
    doc.title(f"{committee}书记专题会议纪要")
    doc.paragraph(
        f"{official_date(meeting.held_on)}，{meeting.chair}在{meeting.place}主持召开书记专题会议，"
        f"听取{round_.name}巡察情况汇报，研究巡察发现的问题和线索的处置。"
    )
    doc.paragraph(f"出席和列席人员：{_names(meeting)}。")
    doc.heading(1, "书记意见")
    doc.paragraph(meeting.secretary_opinions)
    if meeting.member_opinions.strip():
        doc.heading(1, "与会同志意见")
        doc.paragraph(meeting.member_opinions)
    doc.heading(1, "会议议定事项")
    decisions = meeting.decisions.select_related("inspection__unit", "inspection__team")
    for decision in decisions:
        inspection = decision.inspection
        doc.heading(2, f"{inspection.team.name}巡察{inspection.unit.name}党组织")
        doc.paragraph(f"会议决定：{decision.get_outcome_display()}。")
        for label, text in (
            ("反馈意见要点", decision.feedback_points),
            ("问题线索移交意见", decision.clue_instructions),
            ("其他意见和补充要求", decision.remarks),
        ):
            if text.strip():
                doc.paragraph(f"{label}：{text}")
    doc.signature(f"{committee}巡察工作领导小组办公室", meeting.held_on)
    return doc.save()


def meeting_filename(meeting: SecretaryMeeting) -> str:
    return f"书记专题会议纪要（{meeting.round.name}，{meeting.held_on:%Y-%m-%d}）.docx".replace("/", "-")
