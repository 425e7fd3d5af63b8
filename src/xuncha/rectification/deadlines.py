"""Rectification deadlines from the committee's settings, counted from the delivery of the feedback to the
unit (its feedback meeting): the plan within ``plan_days``, the rectification report and the secretary's
implementation report within ``rectification_report_days``. An item is 红 past its deadline, 黄 within the
committee's ``due_soon_days`` of it, else 绿; a closed item is 已销号."""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from xuncha.orgs.models import CommitteeSettings
from xuncha.reports.choices import FeedbackStatus, Recipient
from xuncha.reports.models import Feedback
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection

from .choices import ItemStatus, Light, ReportKind

REPORT_KINDS_DUE = (ReportKind.RECTIFICATION, ReportKind.SECRETARY)


def delivered_on(inspection: Inspection) -> datetime.date | None:
    """The day the feedback to the unit was delivered, or None while it is not."""
    return (
        Feedback.objects.filter(
            inspection=inspection, recipient=Recipient.UNIT, status=FeedbackStatus.DELIVERED
        )
        .values_list("meeting_on", flat=True)
        .first()
    )


def due_after(start: datetime.date, inspection: Inspection, days_of: str) -> datetime.date:
    """``days_of`` (a ``CommitteeSettings`` period) after ``start``, the delivery of the feedback."""
    days: int = getattr(settings_for(inspection.round.committee), days_of)
    return start + datetime.timedelta(days=days)


def _after(inspection: Inspection, days_of: str) -> datetime.date | None:
    start = delivered_on(inspection)
    return None if start is None else due_after(start, inspection, days_of)


def plan_due_on(inspection: Inspection) -> datetime.date | None:
    return _after(inspection, "plan_days")


def reports_due_on(inspection: Inspection) -> datetime.date | None:
    """When the rectification report and the secretary's implementation report are due."""
    return _after(inspection, "rectification_report_days")


def light(
    due: datetime.date | None, status: str, *, soon_days: int, today: datetime.date | None = None
) -> Light:
    if status == ItemStatus.CLOSED:
        return Light.CLOSED
    day = today or timezone.localdate()
    if due is None:
        return Light.GREEN
    if due < day:
        return Light.RED
    if due <= day + datetime.timedelta(days=soon_days):
        return Light.YELLOW
    return Light.GREEN


def light_filter(
    value: str, committees: Iterable[CommitteeSettings], today: datetime.date | None = None
) -> Q:
    """A filter on items annotated with ``next_due`` (``ItemQuerySet.with_next_due``) for one light,
    each committee's items by its own due-soon days."""
    day = today or timezone.localdate()
    open_ = ~Q(status=ItemStatus.CLOSED)
    if value == Light.CLOSED:
        return Q(status=ItemStatus.CLOSED)
    if value == Light.RED:
        return open_ & Q(next_due__lt=day)
    by_committee = Q(pk__in=[])
    for settings in committees:
        soon = day + datetime.timedelta(days=settings.due_soon_days)
        mine = Q(inspection__round__committee_id=settings.committee_id)
        if value == Light.YELLOW:
            by_committee |= mine & Q(next_due__gte=day, next_due__lte=soon)
        else:
            by_committee |= mine & (Q(next_due__gt=soon) | Q(next_due__isnull=True))
    return open_ & by_committee
