"""The 巡察公告 of an inspection: drafted (from 准备 on) and published at stationing, when the channels open.

The public code of the portal (码上巡察) is made when the announcement is first saved, so the QR code can
be printed with the posters before publication; until publication the portal shows the form closed.
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
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..choices import RECEIVING_STAGES
from ..models import Announcement

AUDIT_ACTIONS = {"announcement.published": "发布巡察公告"}

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
