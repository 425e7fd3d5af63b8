"""Receiving petitions: staff entry by channel, box openings, and the public portal's submissions.

Every path ends in ``_receive``: clean, mark a petition about the inspectors for the office alone, index for
search, number, save, store attachments, analyse (suggest triage, look for duplicates: at once for a
clerk's entry, in the background for a public submission), record one ``petition.received`` event. The
reporter's identity never enters an event.
"""

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.dates import check_moment
from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.files import check as check_uploads
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.models import Inspection

from .. import analysis, attachments, receipts, search, triage
from ..choices import RECEIVING_STAGES, STAFF_CHANNELS, Channel
from ..models import IDENTITY_MASKS, Announcement, BoxOpening, Petition, PetitionSerial

CONTENT_LIMIT = 10_000
AUDIT_ACTIONS = {
    "petition.received": "收到信访件",
    "petition.analysed": "生成分拣建议和疑似重复件",
    "box.opened": "意见箱开箱",
}
AUDIT_DETAILS = {
    "channel": "渠道",
    "number": "编号",
    "anonymous": "匿名",
    "attachments": "附件数",
    "suggestions": "分拣建议数",
    "duplicate_candidates": "疑似重复件数",
    "place": "地点",
}


@dataclass
class PetitionInput:
    """What was received, as typed by the reporter or the clerk; checked by ``_receive``."""

    content: str
    channel: str = Channel.WEB
    received_at: datetime.datetime | None = None
    anonymous: bool = True
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    reporter_contact: str = ""
    subject_name: str = ""
    subject_post: str = ""
    title: str = ""
    about_inspectors: bool = False
    in_duty_hours: bool | None = None
    files: Sequence[Upload] = field(default_factory=list)


def member_roles(inspection: Inspection) -> dict[str, int]:
    """Who may enter and handle an inspection's petitions: its team, and the office of its committee."""
    return {
        Role.TEAM_LEADER: inspection.team_id,
        Role.TEAM_MEMBER: inspection.team_id,
        Role.OFFICE: inspection.round.committee_id,
    }


def _clean(petition: Petition, data: PetitionInput) -> None:
    petition.content = clean_text(
        data.content, label="反映内容", field="content", limit=CONTENT_LIMIT, multiline=True
    )
    petition.title = clean_text(data.title, label="标题", field="title", limit=200, required=False)
    petition.subject_name = clean_text(
        data.subject_name, label="被反映人姓名", field="subject_name", limit=50, required=False
    )
    petition.subject_post = clean_text(
        data.subject_post, label="被反映人职务", field="subject_post", limit=100, required=False
    )
    petition.anonymous = bool(data.anonymous)
    petition.about_inspectors = bool(data.about_inspectors)
    if petition.anonymous:
        petition.reporter_name = petition.reporter_phone = ""
        petition.reporter_id_number = petition.reporter_contact = ""
        return
    petition.reporter_name = clean_text(data.reporter_name, label="姓名", field="reporter_name", limit=50)
    petition.reporter_phone = clean_text(
        data.reporter_phone, label="联系电话", field="reporter_phone", limit=30, required=False
    )
    if petition.reporter_phone and not all(ch.isdigit() or ch in "+-() " for ch in petition.reporter_phone):
        raise Refused("联系电话只能包含数字和 + - ( )。", field="reporter_phone")
    petition.reporter_id_number = clean_text(
        data.reporter_id_number, label="身份证号", field="reporter_id_number", limit=18, required=False
    ).upper()
    if petition.reporter_id_number and not _valid_id_number(petition.reporter_id_number):
        raise Refused("身份证号格式不正确（18 位，最后一位可以是 X）。", field="reporter_id_number")
    petition.reporter_contact = clean_text(
        data.reporter_contact, label="其他联系方式", field="reporter_contact", limit=200, required=False
    )
    _mask_identity(petition)


def _mask_identity(petition: Petition) -> None:
    """A named reporter often writes their own name and number into the text ("我是…，电话…"): every
    occurrence is masked in the title and content that lists, search, exports and the API show, and the
    text as written is kept encrypted with the identity, for an approved reveal."""
    written = {"title": petition.title, "content": petition.content}
    masked = dict(written)
    for name, mask in IDENTITY_MASKS.items():
        value = getattr(petition, name)
        if len(value) >= 2:  # a one-character name would mask words of the text
            masked = {part: text.replace(value, mask) for part, text in masked.items()}
    if masked != written:
        petition.title, petition.content = masked["title"], masked["content"]
        petition.text_as_written = json.dumps(written, ensure_ascii=False)


def _valid_id_number(value: str) -> bool:
    """GB 11643 check digit of an 18-digit resident identity number."""
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(value[:17], weights, strict=True))
    return "10X98765432"[total % 11] == value[17]


def _next_number(petition: Petition) -> str:
    """``<round>-<inspection>-<serial>``. The inspection's serial row stays locked until the commit, so
    concurrent intakes queue here: what follows the numbering is kept short.

    A petition about the inspectors takes a number of the office's own series (``…-办001``) and leaves the
    team's series untouched: a gap in the team's numbers would tell the team that one arrived."""
    inspection = petition.inspection
    prefix = f"{inspection.round.number:02d}-{inspection.pk:03d}-"
    serial = PetitionSerial.objects.select_for_update().filter(inspection=inspection).first()
    if serial is None:
        serial = _first_serial(inspection)
    if petition.about_inspectors:
        office_series = Petition.objects.filter(inspection=inspection, number__startswith=f"{prefix}办")
        return f"{prefix}办{office_series.count() + 1:03d}"
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"{prefix}{serial.last:04d}"


def _first_serial(inspection: Inspection) -> PetitionSerial:
    """The serial row, made at an inspection's first intake (counting petitions numbered before it); the
    inspection row is locked meanwhile, so two first intakes do not both make it."""
    Inspection.objects.select_for_update().filter(pk=inspection.pk).values_list("pk").first()
    numbered = Petition.objects.filter(inspection=inspection).exclude(number__contains="办")
    serial, _ = PetitionSerial.objects.select_for_update().get_or_create(
        inspection=inspection, defaults={"last": numbered.count()}
    )
    return serial


def _receive(
    petition: Petition, data: PetitionInput, *, by: User | None, role: str, in_background: bool = False
) -> Petition:
    """A clerk's entry is analysed at once, so the clerk sees its suggestions on opening it; a public
    submission ``in_background``, once it commits (analysis.py)."""
    _clean(petition, data)
    checked = check_uploads(data.files)
    triage.route(petition)
    petition.search_text = search.index_text(petition)
    petition.number = _next_number(petition)
    petition.save()
    attachments.store(petition, checked)
    details = {
        "channel": petition.channel,
        "number": petition.number,
        "anonymous": petition.anonymous,
        "attachments": len(checked),
    }
    if in_background:
        analysis.schedule(petition)
    else:
        details |= analysis.analyse(petition)
    record("petition.received", petition, by=by, role=role, details=details)
    return petition


def _ensure_receiving(inspection: Inspection) -> None:
    if inspection.stage not in RECEIVING_STAGES:
        raise Refused(
            f"该巡察处于“{inspection.get_stage_display()}”阶段，不在受理信访期间（进驻至报告阶段）。",
            field="inspection",
        )


@action
def register_petition(inspection: Inspection, *, data: PetitionInput, by: User | None) -> Petition:
    """A petition received by letter, phone, visit, email or box, entered by a member of the team."""
    role = require(by, member_roles(inspection), what="登记信访件")
    _ensure_receiving(inspection)
    if data.channel not in STAFF_CHANNELS:
        raise Refused("请选择来信、来电、来访、电子邮件或意见箱。", field="channel")
    received_at = check_moment(data.received_at or timezone.now(), label="收到时间", field="received_at")
    if data.channel == Channel.PHONE and data.in_duty_hours is None:
        raise Refused("请注明来电是否在值班时间内。", field="in_duty_hours")
    if data.channel == Channel.BOX:
        raise Refused("意见箱信件请在开箱记录中登记。", field="channel")
    petition = Petition(
        inspection=inspection,
        channel=data.channel,
        received_at=received_at,
        in_duty_hours=data.in_duty_hours if data.channel == Channel.PHONE else None,
        entered_by=by,
    )
    return _receive(petition, data, by=by, role=role)


@action
def open_box(
    inspection: Inspection,
    *,
    opened_at: datetime.datetime,
    place: str,
    witness_1: str,
    witness_2: str,
    by: User,
) -> BoxOpening:
    """Record a box opening (date, place, two witnesses); its items are then added one by one."""
    role = require(by, member_roles(inspection), what="登记意见箱开箱")
    _ensure_receiving(inspection)
    opening = BoxOpening(
        inspection=inspection,
        opened_at=check_moment(opened_at, label="开箱时间", field="opened_at"),
        place=clean_text(place, label="开箱地点", field="place", limit=200),
        witness_1=clean_text(witness_1, label="见证人一", field="witness_1", limit=50),
        witness_2=clean_text(witness_2, label="见证人二", field="witness_2", limit=50),
        created_by=by,
    )
    if opening.witness_1 == opening.witness_2:
        raise Refused("两名见证人不能是同一人。", field="witness_2")
    opening.save()
    record("box.opened", opening, by=by, role=role, details={"place": opening.place})
    return opening


@action
def register_box_item(opening: BoxOpening, *, data: PetitionInput, by: User | None) -> Petition:
    role = require(by, member_roles(opening.inspection), what="登记意见箱信件")
    _ensure_receiving(opening.inspection)
    petition = Petition(
        inspection=opening.inspection,
        channel=Channel.BOX,
        received_at=opening.opened_at,
        box_opening=opening,
        entered_by=by,
    )
    return _receive(petition, data, by=by, role=role)


@action
def submit_public_petition(announcement: Announcement, *, data: PetitionInput) -> tuple[Petition, str]:
    """A petition from the public portal (no login). Returns it with the receipt code, shown once."""
    if not announcement.accepting():
        raise Refused("当前不在本次巡察受理时间内。", field="inspection")
    receipt = receipts.issue()
    petition = Petition(
        inspection=announcement.inspection,
        channel=Channel.WEB,
        received_at=timezone.now(),
        receipt_key=receipt.key,
        receipt_hash=receipt.secret_hash,
    )
    return _receive(petition, data, by=None, role="public", in_background=True), receipt.code
