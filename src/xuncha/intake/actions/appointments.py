"""Face-to-face appointments (预约面谈): the team offers times and a place while it is in the unit; a member
of the public books one on the portal of the inspection's announcement, with a name, a phone number and
what it is about (encrypted, like a reporter's identity); the team is told, meets the visitor and records
whether the meeting was held. The team withdraws a time nobody has booked.

The visitor's identity is read by the team that meets them (each reading an audit event, ``identity_read``),
never by the office, never in lists, the API or notifications.

When the inspection stops receiving (it leaves 报告) the times nobody booked are withdrawn; when it is
archived, the notifications of bookings never recorded are handled (``rounds.closing``, see apps.py).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record, record_read
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import holders, mark_handled, notify, usernames
from xuncha.core.permissions import held_role, require
from xuncha.core.text import clean_text
from xuncha.rounds.models import Inspection

from ..choices import RECEIVING_STAGES
from ..models import Announcement, Appointment, AppointmentStatus

AUDIT_ACTIONS = {
    "appointment.offered": "发布预约面谈时间",
    "appointment.withdrawn": "撤回预约面谈时间",
    "appointment.booked": "群众预约面谈",
    "appointment.recorded": "登记面谈情况",
    "appointment.identity_viewed": "查看预约人信息",
}
AUDIT_DETAILS = {"held": "已面谈", "notified": "通知"}

NOTE_LIMIT = 2_000
TOPIC_LIMIT = 500
# How far ahead a time may be offered.
HORIZON = datetime.timedelta(days=120)
STAGE_ENDED = "巡察组结束受理，未被预约的面谈时间自动撤回"


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    return team_roles(inspection) | {Role.OFFICE: inspection.round.committee_id}


def appointment_link(appointment: Appointment) -> str:
    return reverse("intake:appointment-detail", args=[appointment.pk])


def _lock(appointment: Appointment) -> None:
    Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
    appointment.refresh_from_db()


@action
def offer_appointment(
    inspection: Inspection, *, starts_at: datetime.datetime | None, place: str, by: User | None
) -> Appointment:
    """The team offers a time and a place for a face-to-face meeting, shown on the portal."""
    role = require(by, team_roles(inspection), what="发布预约面谈时间")
    if inspection.stage not in RECEIVING_STAGES:
        raise Refused("巡察组进驻后至报告阶段前才能发布预约面谈时间。", field="inspection")
    now = timezone.now()
    if starts_at is None:
        raise Refused("请填写面谈时间。", field="starts_at")
    if starts_at <= now:
        raise Refused("面谈时间应晚于现在。", field="starts_at")
    if starts_at > now + HORIZON:
        raise Refused("面谈时间不能晚于120天以后。", field="starts_at")
    appointment = Appointment(inspection=inspection, starts_at=starts_at, offered_by=by)
    appointment.place = clean_text(place, label="面谈地点", field="place", limit=200)
    taken = Appointment.objects.filter(inspection=inspection, starts_at=starts_at, place=appointment.place)
    if taken.exclude(status=AppointmentStatus.WITHDRAWN).exists():
        raise Refused("该时间和地点已经发布过。", field="starts_at")
    appointment.save()
    record("appointment.offered", appointment, by=by, role=role)
    return appointment


@action
def withdraw_appointment(appointment: Appointment, *, by: User | None) -> Appointment:
    """The team withdraws a time nobody has booked."""
    role = require(by, team_roles(appointment.inspection), what="撤回预约面谈时间")
    _lock(appointment)
    if appointment.status != AppointmentStatus.OPEN:
        raise Refused(f"只能撤回尚无人预约的时间（当前：{appointment.get_status_display()}）。")
    appointment.status = AppointmentStatus.WITHDRAWN
    appointment.handled_by, appointment.handled_at = by, timezone.now()
    appointment.save()
    record("appointment.withdrawn", appointment, by=by, role=role)
    return appointment


@action
def book_appointment(
    announcement: Announcement, appointment: Appointment, *, name: str, phone: str, topic: str
) -> Appointment:
    """A member of the public books an offered time on the portal (no login). The team is told."""
    inspection = announcement.inspection
    if appointment.inspection_id != inspection.pk:
        raise Refused("请选择本次巡察发布的面谈时间。", field="appointment")
    if not announcement.accepting():
        raise Refused("当前不在本次巡察受理时间内。", field="appointment")
    _lock(appointment)
    if appointment.status != AppointmentStatus.OPEN or appointment.starts_at <= timezone.now():
        raise Refused("该时间已被预约或已过期，请选择其他时间。", field="appointment")
    appointment.reporter_name = clean_text(name, label="姓名", field="name", limit=50)
    appointment.reporter_phone = clean_text(phone, label="联系电话", field="phone", limit=30)
    if not all(ch.isdigit() or ch in "+-() " for ch in appointment.reporter_phone):
        raise Refused("联系电话只能包含数字和 + - ( )。", field="phone")
    appointment.topic = clean_text(
        topic, label="反映事项概要", field="topic", limit=TOPIC_LIMIT, multiline=True
    )
    appointment.status = AppointmentStatus.BOOKED
    appointment.booked_at = timezone.now()
    appointment.save()
    when = timezone.localtime(appointment.starts_at)
    sent = notify(
        holders(team_roles(inspection)),
        key=f"appointment-booked:{appointment.pk}",
        title=f"有群众预约{when:%m月%d日 %H:%M}面谈（{inspection.unit.name}）",
        link=appointment_link(appointment),
        subject=appointment,
    )
    record("appointment.booked", appointment, by=None, role="public", details={"notified": usernames(sent)})
    return appointment


@action
def record_appointment(appointment: Appointment, *, held: bool, note: str, by: User | None) -> Appointment:
    """The team records whether the booked meeting was held, and what came of it."""
    role = require(by, team_roles(appointment.inspection), what="登记面谈情况")
    _lock(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Refused(f"只能登记已预约的面谈（当前：{appointment.get_status_display()}）。")
    if appointment.inspection.is_read_only:
        raise Refused("巡察已归档，不能再登记。")
    appointment.note = clean_text(
        note, label="面谈情况", field="note", limit=NOTE_LIMIT, required=held, multiline=True
    )
    appointment.status = AppointmentStatus.HELD if held else AppointmentStatus.MISSED
    appointment.handled_by, appointment.handled_at = by, timezone.now()
    appointment.save()
    mark_handled(appointment)
    record("appointment.recorded", appointment, by=by, role=role, details={"held": held})
    return appointment


def identity_read(appointment: Appointment, *, by: User) -> bool:
    """Whether ``by`` may read the visitor's identity (the team that meets them); if so, the reading is
    recorded. Nothing to read before a booking."""
    role = held_role(by, team_roles(appointment.inspection))
    if not appointment.booked_at or not role:
        return False
    record_read("appointment.identity_viewed", appointment, by=by, role=role)
    return True


def withdraw_open_times(inspection: Inspection, *, by: User | None, role: str) -> int:
    """The inspection stops receiving (it leaves 报告, ``rounds.closing``): the times nobody booked are
    withdrawn, each an audit event under whoever moved the inspection; how many."""
    still_open = (
        Appointment.objects.filter(inspection=inspection, status=AppointmentStatus.OPEN)
        .select_related("inspection__round")
        .select_for_update(of=("self",))
    )
    closed = 0
    for appointment in still_open:
        appointment.status = AppointmentStatus.WITHDRAWN
        appointment.handled_by, appointment.handled_at = by, timezone.now()
        appointment.save(update_fields=["status", "handled_by", "handled_at"])
        record("appointment.withdrawn", appointment, by=by, role=role, details={"reason": STAGE_ENDED})
        closed += 1
    return closed


def close_on_archive(inspection: Inspection, *, by: User | None, role: str) -> int:
    """The inspection is archived: a booking never recorded asks nothing any more (its notifications are
    handled); it stays as it is, the record of what was booked."""
    mark_handled(Appointment.objects.filter(inspection=inspection).only("pk"))
    return 0
