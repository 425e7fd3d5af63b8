"""Moments a person types (a letter's arrival, a box opening, a window's start): checked before they are
saved, so that a slip of the keyboard is a Chinese message on its field, never a 500."""

import datetime

from django.utils import timezone

from .errors import Refused

# No record of this work predates the year 2000; the bound also keeps year 1 from overflowing when a
# database converts it to UTC.
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# A clock a little ahead of the server's is not a moment in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def check_moment(value: datetime.datetime, *, label: str, field: str, past: bool = True) -> datetime.datetime:
    """``value`` if plausible: not before 2000 and, for what has happened (``past``), not after now."""
    if value < EARLIEST:
        raise Refused(f"{label}早于 2000 年，请核对。", field=field)
    if past and value > timezone.now() + CLOCK_SKEW:
        raise Refused(f"{label}不能晚于现在。", field=field)
    return value


def aware(value: datetime.datetime | None) -> datetime.datetime | None:
    """A moment sent without a time zone (an API body's "2026-06-01T09:00") read in the server's zone, so
    that it compares with one sent with an offset."""
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value
