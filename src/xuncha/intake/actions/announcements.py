"""The 巡察公告 of an inspection: drafted (from 准备 on) and published at stationing, when the channels open.

The public code of the portal (码上巡察) is made when the announcement is first saved, so the QR code can
be printed with the posters before publication; until publication the portal shows the form closed.
``announcement_document`` writes the same data as the official notice (.docx) to post and print.
"""

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.dates import check_moment
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..choices import RECEIVING_STAGES
from ..models import Announcement

AUDIT_ACTIONS = {"announcement.published": "发布巡察公告", "announcement.document_read": "下载巡察公告"}

FIELDS = [
    "window_starts_at",
    "window_ends_at",
    "phone",
    "duty_hours",
    "duty_starts",
    "duty_ends",
    "postal_box",
    "email",
    "box_locations",
    "visit_place",
]
LONGEST_WINDOW = datetime.timedelta(days=366)
_PHONE = re.compile(r"[0-9+\-() ,，、/转]+")


def editor_roles(inspection: Inspection) -> dict[str, int]:
    """Who writes and publishes an inspection's announcement: its team leader, and the office."""
    return {Role.TEAM_LEADER: inspection.team_id, Role.OFFICE: inspection.round.committee_id}


def new_public_code() -> str:
    """16 URL-safe characters, 96 random bits: the portal's address of one inspection, not guessable."""
    return secrets.token_urlsafe(12)


def _window(
    starts: datetime.datetime | None, ends: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    if starts is None:
        raise Refused("请填写受理开始时间。", field="window_starts_at")
    if ends is None:
        raise Refused("请填写受理结束时间。", field="window_ends_at")
    check_moment(starts, label="受理开始时间", field="window_starts_at", past=False)
    if ends <= starts:
        raise Refused("受理结束时间须晚于开始时间。", field="window_ends_at")
    if ends - starts > LONGEST_WINDOW:
        raise Refused("受理期不能超过一年，请核对起止时间。", field="window_ends_at")
    return starts, ends


def _duty(starts: datetime.time | None, ends: datetime.time | None) -> None:
    if (starts is None) != (ends is None):
        field = "duty_ends" if ends is None else "duty_starts"
        raise Refused("每日值班开始和结束时间须同时填写，或都不填。", field=field)
    # An end before the start is a night duty past midnight; the same time twice is a typing error.
    if starts is not None and starts == ends:
        raise Refused("每日值班开始和结束时间不能相同。", field="duty_ends")


def _phone(value: str) -> str:
    phone = clean_text(value, label="值班电话", field="phone", limit=50)
    if not _PHONE.fullmatch(phone) or sum(ch.isdigit() for ch in phone) < 5:
        raise Refused("值班电话只能包含数字、空格和 + - ( ) 、 转，例如 0791-12345678。", field="phone")
    return phone


def _email(value: str) -> str:
    email = clean_text(value, label="电子邮箱", field="email", limit=254, required=False)
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Refused("电子邮箱格式不正确。", field="email") from exc
    return email


@action
def save_announcement(
    inspection: Inspection,
    *,
    window_starts_at: datetime.datetime | None,
    window_ends_at: datetime.datetime | None,
    phone: str,
    duty_hours: str,
    duty_starts: datetime.time | None,
    duty_ends: datetime.time | None,
    postal_box: str,
    email: str,
    box_locations: str,
    visit_place: str,
    by: User | None,
) -> Announcement:
    """Create or update the announcement of ``inspection`` (before or after publication)."""
    role = require(by, editor_roles(inspection), what="编辑巡察公告")
    if inspection.is_read_only:
        raise Refused("巡察已归档，公告不能再修改。")
    starts, ends = _window(window_starts_at, window_ends_at)
    _duty(duty_starts, duty_ends)
    announcement = Announcement.objects.select_for_update().filter(inspection=inspection).first()
    created = announcement is None
    if announcement is None:
        announcement = Announcement(inspection=inspection, public_code=new_public_code())
    announcement.inspection = inspection
    before = {} if created else snapshot(announcement, FIELDS)
    announcement.window_starts_at, announcement.window_ends_at = starts, ends
    announcement.phone = _phone(phone)
    announcement.duty_hours = clean_text(duty_hours, label="值班时间", field="duty_hours", limit=100)
    announcement.duty_starts = duty_starts
    announcement.duty_ends = duty_ends
    announcement.postal_box = clean_text(postal_box, label="邮政信箱", field="postal_box", limit=200)
    announcement.email = _email(email)
    announcement.box_locations = clean_text(
        box_locations,
        label="意见箱设置地点",
        field="box_locations",
        limit=1000,
        required=False,
        multiline=True,
    )
    announcement.visit_place = clean_text(
        visit_place, label="来访接待地点", field="visit_place", limit=200, required=False
    )
    announcement.save()
    after = snapshot(announcement, FIELDS)
    record(
        "announcement.created" if created else "announcement.updated",
        announcement,
        by=by,
        role=role,
        details={"changes": changes(before, after)},
    )
    return announcement


@action
def publish_announcement(announcement: Announcement, *, by: User | None) -> Announcement:
    """Publish the announcement: from stationing (进驻) on, the portal accepts petitions within its window."""
    inspection = announcement.inspection
    role = require(by, editor_roles(inspection), what="发布巡察公告")
    if announcement.published_at is not None:
        raise Refused("公告已经发布。")
    if inspection.stage == Stage.PREPARING:
        raise Refused("巡察组进驻后才能发布公告（当前为“准备”阶段）。")
    if inspection.stage not in RECEIVING_STAGES:
        raise Refused(f"该巡察处于“{inspection.get_stage_display()}”阶段，已不在受理信访期间，不能发布公告。")
    now = timezone.now()
    if announcement.window_ends_at <= now:
        raise Refused("受理结束时间已过，请先修改受理时间。", field="window_ends_at")
    announcement.published_at = now
    announcement.save()
    record(
        "announcement.published",
        announcement,
        by=by,
        role=role,
        details={
            "window_starts_at": announcement.window_starts_at.isoformat(),
            "window_ends_at": announcement.window_ends_at.isoformat(),
        },
    )
    return announcement


# The announcement as an official document ----------------------------------------------------------

# What the team accepts and what it passes on, in the words of the mobilisation speeches (seeds 000, 002);
# the inspectors' own conduct goes to the office (domain §4).
ACCEPTED = (
    "根据巡察工作要求，巡察组主要受理反映被巡察党组织领导班子及其成员、下一级党组织主要负责人、"
    "关键岗位党员干部问题的来信来电来访，重点是违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和"
    "生活纪律等方面的举报和反映。"
)
NOT_ACCEPTED = (
    "涉及有关个人诉求、涉法涉诉等不属于巡察受理范围的信访举报，将按照分级负责、属地管理原则，"
    "转交有关部门处理。"
)
ABOUT_INSPECTORS = "反映巡察组或巡察干部问题的，请向巡察办反映，网上反映时勾选相应选项，由巡察办直接受理。"


def _channels(announcement: Announcement) -> list[str]:
    a = announcement
    lines = [
        f"值班电话：{a.phone}（{a.duty_hours}）",
        f"邮政信箱：{a.postal_box}",
        f"电子邮箱：{a.email}" if a.email else "",
        f"意见箱设置地点：{'；'.join(line.strip() for line in a.box_locations.splitlines() if line.strip())}"
        if a.box_locations.strip()
        else "",
        f"来访接待地点：{a.visit_place}" if a.visit_place else "",
        "网上反映：扫描“码上巡察”二维码，受理期间全天开放",
    ]
    return [f"{n}.{line}" for n, line in enumerate(filter(None, lines), start=1)]


def announcement_document(announcement: Announcement) -> bytes:
    """The 巡察公告 (.docx): the team, the window, the channels and what is and is not accepted."""
    inspection = announcement.inspection
    committee, unit = inspection.round.committee.name, inspection.unit.name
    starts = timezone.localdate(announcement.window_starts_at)
    ends = timezone.localdate(announcement.window_ends_at)
    doc = OfficialDocument()
    doc.title(f"{inspection.team_signature}巡察{unit}公告")
    doc.paragraph(
        f"根据{committee}巡察工作统一部署，{inspection.team_signature}对{unit}开展巡察。"
        f"巡察期间受理信访的时间为{official_date(starts)}至{official_date(ends)}。"
    )
    doc.paragraph(f"{ACCEPTED}{NOT_ACCEPTED}")
    doc.paragraph("巡察期间，干部群众可通过以下方式反映情况：")
    doc.paragraph("\n".join(_channels(announcement)))
    doc.paragraph(ABOUT_INSPECTORS)
    doc.paragraph("巡察组将严格遵守保密纪律，为反映问题的同志严守秘密。")
    day = timezone.localdate(announcement.published_at) if announcement.published_at else timezone.localdate()
    doc.signature(inspection.team_signature, day)
    return doc.save()


def document_filename(announcement: Announcement) -> str:
    return f"巡察公告（{announcement.inspection.unit.name}）.docx"
