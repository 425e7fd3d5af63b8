"""What the unit tells the team: the liaison reports an important meeting or a major event (time, place,
subject), a public-opinion incident (舆情) or an emergency; the team attends a meeting or an event (列席),
recorded as an activity of the inspection through ``create_activity``, or notes the report with a remark.

The liaison reports while the team is in the unit (进驻 and 了解); the team decides once, and only on what
is still waiting. The team is notified of every report.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record, record_read
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import holders, mark_handled, notify, usernames
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, TeamMember
from xuncha.rounds.stages import label

from ..choices import ActivityKind
from ..models import Activity, NoticeKind, UnitNotice, UnitNoticeStatus
from ..models.notices import ATTENDABLE
from .activities import ActivityInput, create_activity

AUDIT_ACTIONS = {
    "unit_notice.reported": "报告重要事项",
    "unit_notice.attended": "列席单位会议活动",
    "unit_notice.noted": "阅知单位报告事项",
    "unit_notice.viewed": "查看单位报告事项",
}
AUDIT_DETAILS = {"activity": "列席记录", "notified": "通知"}

REPORT_STAGES = (Stage.STATIONED, Stage.FIELDWORK)
DETAILS_LIMIT = 5_000
REMARK_LIMIT = 2_000


@dataclass(frozen=True)
class NoticeInput:
    """What a form or the API gives for a report; the action checks every part."""

    kind: str
    subject: str
    starts_at: datetime.datetime | None = None
    place: str = ""
    details: str = ""


def liaison_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.UNIT_LIAISON: inspection.unit_id}


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    return team_roles(inspection) | liaison_roles(inspection) | {Role.OFFICE: inspection.round.committee_id}


def notice_link(notice: UnitNotice) -> str:
    return reverse("fieldwork:notice-detail", args=[notice.pk])


def _in_stage(inspection: Inspection, what: str) -> None:
    if inspection.stage not in REPORT_STAGES:
        names = "、".join(label(s) for s in REPORT_STAGES)
        raise Refused(
            f"巡察处于“{label(inspection.stage)}”阶段，只能在“{names}”阶段{what}。", field="inspection"
        )


def _open(notice: UnitNotice) -> None:
    if notice.inspection.is_read_only:
        raise Refused("巡察已归档，不能再处理。")
    if not notice.is_open:
        raise Refused(f"该事项已处理（{notice.get_status_display()}）。", field="notice")


@action
def report_notice(inspection: Inspection, *, data: NoticeInput, by: User | None) -> UnitNotice:
    """The liaison reports a meeting, an event, a public-opinion incident or an emergency to the team."""
    role = require(by, liaison_roles(inspection), what="向巡察组报告重要事项")
    _in_stage(inspection, "报告重要事项")
    if data.kind not in NoticeKind.values:
        raise Refused("请选择报告事项的类别。", field="kind")
    notice = UnitNotice(inspection=inspection, kind=data.kind, reported_by=by)
    notice.subject = clean_text(data.subject, label="事由", field="subject", limit=200)
    if data.kind in ATTENDABLE and data.starts_at is None:
        raise Refused("会议和活动请填写时间。", field="starts_at")
    notice.starts_at = data.starts_at
    notice.place = clean_text(
        data.place, label="地点", field="place", limit=200, required=data.kind in ATTENDABLE
    )
    notice.details = clean_text(
        data.details,
        label="具体情况",
        field="details",
        limit=DETAILS_LIMIT,
        required=data.kind not in ATTENDABLE,
        multiline=True,
    )
    notice.save()
    title = f"{inspection.unit.name}报告：{notice}"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    sent = notify(
        holders(team_roles(inspection)),
        key=f"unit-notice:{notice.pk}:{stamp}",
        title=title[:200],
        link=notice_link(notice),
        subject=notice,
    )
    record(
        "unit_notice.reported",
        notice,
        by=by,
        role=role,
        details={"kind": notice.kind, "notified": usernames(sent)},
    )
    return notice


@action
def attend_notice(
    notice: UnitNotice, *, members: Sequence[TeamMember] = (), remark: str = "", by: User | None
) -> UnitNotice:
    """The team attends the meeting or event (列席): an activity of the inspection records it."""
    inspection = notice.inspection
    role = require(by, team_roles(inspection), what="安排列席")
    UnitNotice.objects.select_for_update().filter(pk=notice.pk).first()
    notice.refresh_from_db()
    _open(notice)
    if not notice.attendable:
        raise Refused("只有会议和活动可以列席；舆情和突发事件请阅知并记录处理意见。", field="notice")
    data = ActivityInput(
        kind=ActivityKind.MEETING,
        title=notice.subject,
        starts_at=notice.starts_at,
        place=notice.place or "（单位未报地点）",
        members=list(members),
        notes=f"被巡察单位报告事项（{notice.get_kind_display()}）。{notice.details}".strip(),
    )
    activity: Activity = create_activity(inspection, data=data, by=by)
    notice.activity = activity
    notice.remark = clean_text(remark, label="处理意见", field="remark", limit=REMARK_LIMIT, required=False)
    notice.status = UnitNoticeStatus.ATTENDED
    notice.handled_by, notice.handled_at = by, timezone.now()
    notice.save()
    mark_handled(notice)
    record("unit_notice.attended", notice, by=by, role=role, details={"activity": str(activity.pk)})
    return notice


@action
def note_notice(notice: UnitNotice, *, remark: str, by: User | None) -> UnitNotice:
    """The team has read the report and records what it makes of it (阅知)."""
    role = require(by, team_roles(notice.inspection), what="阅知单位报告事项")
    UnitNotice.objects.select_for_update().filter(pk=notice.pk).first()
    notice.refresh_from_db()
    _open(notice)
    notice.remark = clean_text(remark, label="处理意见", field="remark", limit=REMARK_LIMIT, multiline=True)
    notice.status = UnitNoticeStatus.NOTED
    notice.handled_by, notice.handled_at = by, timezone.now()
    notice.save()
    mark_handled(notice)
    record("unit_notice.noted", notice, by=by, role=role)
    return notice


def details_read(notice: UnitNotice, *, by: User) -> None:
    """Record that someone other than the liaison who reported it read a report's details."""
    if notice.details and notice.reported_by_id != by.pk:
        role = require(by, reader_roles(notice.inspection), what="查看单位报告事项")
        record_read("unit_notice.viewed", notice, by=by, role=role)
