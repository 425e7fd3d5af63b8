"""What the public portal and the public API share: whether an announcement accepts petitions (and if
not, where to report instead), and finding a petition by its receipt.

There is no user here. The announcement's public code and the petition's receipt are the only keys; a
wrong receipt and a missing one get the same answer (``None``).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from . import receipts
from .choices import PublicStatus
from .models import Announcement, Petition, PetitionMessage


def announcements() -> QuerySet[Announcement]:
    return Announcement.objects.select_related(
        "inspection__team", "inspection__unit", "inspection__round__committee__settings"
    )


def receiving(public_code: str) -> Announcement | None:
    """The announcement an API submission names, with only what the intake reads: three tables joined, not
    the page's seven, whose planning alone costs PostgreSQL more than a millisecond per submission."""
    return Announcement.objects.select_related("inspection__round").filter(public_code=public_code).first()


def closed_message(announcement: Announcement, at: datetime.datetime | None = None) -> str:
    """Why the form is closed, and where to report instead (the committee's setting)."""
    moment = at or timezone.now()
    if announcement.published_at is None:
        why = "本次巡察尚未发布公告，网上受理尚未开始。"
    elif moment < announcement.window_starts_at:
        starts = timezone.localtime(announcement.window_starts_at)
        why = f"本次巡察网上受理将于{starts:%Y年%m月%d日 %H:%M}开始。"
    else:
        why = "本次巡察的受理时间已经结束。"
    return f"{why}{announcement.inspection.round.committee.settings.petition_elsewhere}"


def find_by_receipt(code: str) -> Petition | None:
    """The petition whose receipt this is, or None (malformed, unknown or wrong: all the same)."""
    parts = receipts.split(code)
    if parts is None:
        return None
    key, secret = parts
    petition = Petition.objects.select_related("inspection").filter(receipt_key=key).first()
    found = receipts.matches(secret, petition.receipt_hash if petition else None)
    return petition if found else None


def status_of(petition: Petition) -> PublicStatus:
    """What the reporter sees of the status: 已受理, 已转交 or 已办结."""
    return PublicStatus(petition.public_status)


@dataclass(frozen=True)
class Entry:
    """One message of the thread as the reporter sees it: attachments are only counted."""

    direction: str
    label: str
    text: str
    attachments: int
    at: datetime.datetime


def reporter_thread(petition: Petition) -> list[Entry]:
    """The team's questions and the reporter's own answers, oldest first."""
    messages = PetitionMessage.objects.filter(petition=petition).annotate(files=Count("attachments"))
    return [
        Entry(m.direction, m.get_direction_display(), m.text, m.files, m.at)  # type: ignore[attr-defined]
        for m in messages.order_by("at")
    ]
