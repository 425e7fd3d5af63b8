"""The 巡察工作动员会 of an inspection: planned by its team leader or the office (time, place, chair,
attendees, agenda), completed afterwards with how it went, and written out as the notice that convenes it
(关于召开巡察工作动员会的通知) and the meeting's record, both official documents (GB/T 9704).

The office, the leading group and the team read it; the team leader and the office write it.
"""

import datetime

from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.dates import check_moment
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text

from .models import Inspection, MobilisationMeeting

AUDIT_ACTIONS = {
    "mobilisation_meeting.created": "登记巡察工作动员会",
    "mobilisation_meeting.updated": "修改巡察工作动员会",
    "mobilisation_meeting.notice_read": "下载动员会通知",
    "mobilisation_meeting.record_read": "下载动员会记录",
}
FIELDS = ["held_at", "place", "chair", "attendees", "agenda", "notes"]

# The usual order of business, from the mobilisation speeches (seeds 000–004): the team leader mobilises,
# the leading group speaks, the unit's principal leader states the unit's support, the evaluation follows.
DEFAULT_AGENDA = (
    "巡察组组长作巡察工作动员讲话，通报巡察任务和工作安排",
    "巡察工作领导小组成员讲话",
    "被巡察党组织主要负责人作表态发言",
    "开展民主测评",
)
WEEKDAYS = "一二三四五六日"


def editor_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.OFFICE: inspection.round.committee_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    return {
        **editor_roles(inspection),
        Role.LEADING_GROUP: inspection.round.committee_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }


def default_attendees(inspection: Inspection) -> str:
    return f"{inspection.unit.name}领导班子成员、中层干部及干部职工代表"


@action
def save_meeting(
    inspection: Inspection,
    *,
    held_at: datetime.datetime | None,
    place: str,
    chair: str,
    attendees: str,
    agenda: str,
    notes: str,
    by: User | None,
) -> MobilisationMeeting:
    """Create or update the mobilisation meeting of ``inspection`` (before it is held, or after)."""
    role = require(by, editor_roles(inspection), what="登记巡察工作动员会")
    if inspection.is_read_only:
        raise Refused("巡察已归档，动员会不能再修改。")
    if held_at is None:
        raise Refused("请填写会议时间。", field="held_at")
    check_moment(held_at, label="会议时间", field="held_at", past=False)
    meeting = MobilisationMeeting.objects.select_for_update().filter(inspection=inspection).first()
    created = meeting is None
    if meeting is None:
        meeting = MobilisationMeeting(inspection=inspection)
    before = {} if created else snapshot(meeting, FIELDS)
    # Kept in UTC as the database returns it, so that an unchanged time is no change in the audit.
    meeting.held_at = held_at.astimezone(datetime.UTC)
    meeting.place = clean_text(place, label="会议地点", field="place", limit=200)
    meeting.chair = clean_text(chair, label="主持人", field="chair", limit=100)
    meeting.attendees = clean_text(attendees, label="参会人员", field="attendees", limit=1000, multiline=True)
    meeting.agenda = clean_text(agenda, label="会议议程", field="agenda", limit=2000, multiline=True)
    meeting.notes = clean_text(
        notes, label="会议情况", field="notes", limit=10000, required=False, multiline=True
    )
    meeting.updated_at = timezone.now()
    meeting.save()
    record(
        "mobilisation_meeting.created" if created else "mobilisation_meeting.updated",
        meeting,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(meeting, FIELDS))},
    )
    return meeting


# Documents -----------------------------------------------------------------------------------------


def _when(meeting: MobilisationMeeting) -> str:
    moment = timezone.localtime(meeting.held_at)
    day = moment.date()
    return f"{official_date(day)}（星期{WEEKDAYS[day.weekday()]}）{moment.hour}:{moment.minute:02d}"


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{n}.{line}" for n, line in enumerate(lines, start=1))


def notice_document(meeting: MobilisationMeeting) -> bytes:
    """关于召开巡察工作动员会的通知, to the inspected unit, signed by the team."""
    inspection = meeting.inspection
    committee, unit = inspection.round.committee.name, inspection.unit.name
    doc = OfficialDocument()
    doc.letterhead(inspection.team_signature)
    doc.title("关于召开巡察工作动员会的通知")
    doc.addressee(unit)
    doc.paragraph(
        f"根据{committee}巡察工作统一部署，{inspection.team_signature}将对{unit}开展巡察。"
        "经研究，定于近期召开巡察工作动员会。现将有关事项通知如下："
    )
    doc.heading(1, "会议时间")
    doc.paragraph(_when(meeting))
    doc.heading(1, "会议地点")
    doc.paragraph(meeting.place)
    doc.heading(1, "会议主持")
    doc.paragraph(meeting.chair)
    doc.heading(1, "参会人员")
    doc.paragraph(meeting.attendees)
    doc.heading(1, "会议议程")
    doc.paragraph(_numbered(meeting.agenda_items))
    doc.heading(1, "有关要求")
    doc.paragraph(
        "请参会人员提前10分钟入场，会议期间将手机调至静音状态；因特殊情况不能参会的，须事先向巡察组请假。"
        f"请{unit}做好会场安排等有关工作。"
    )
    doc.signature(inspection.team_signature, timezone.localdate())
    return doc.save()


def record_document(meeting: MobilisationMeeting) -> bytes:
    """The meeting's record: when, where, who, the agenda, and how it went (blank lines to fill in by hand
    while nothing is recorded)."""
    inspection = meeting.inspection
    doc = OfficialDocument()
    doc.title("巡察工作动员会会议记录")
    doc.paragraph(f"会议名称：{inspection.team_signature}巡察{inspection.unit.name}工作动员会")
    doc.paragraph(f"会议时间：{_when(meeting)}")
    doc.paragraph(f"会议地点：{meeting.place}")
    doc.paragraph(f"主持人：{meeting.chair}")
    doc.paragraph(
        f"参会人员：{'；'.join(line.strip() for line in meeting.attendees.splitlines() if line.strip())}"
    )
    doc.heading(1, "会议议程")
    doc.paragraph(_numbered(meeting.agenda_items))
    doc.heading(1, "会议情况")
    doc.paragraph(meeting.notes or "\n".join(["＿" * 26] * 8))
    doc.signature(inspection.team_signature, timezone.localdate(meeting.held_at))
    return doc.save()


def document_filename(meeting: MobilisationMeeting, kind: str) -> str:
    return f"{kind}（{meeting.inspection.unit.name}）.docx"
