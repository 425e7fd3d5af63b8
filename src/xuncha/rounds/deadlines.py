"""Stage deadlines, computed from the committee's CommitteeSettings (never hard-coded numbers).

A stage's due date is when the inspection should have moved on to the next stage:

- 准备: the round's planned start;
- 进驻: ``stationing_days`` after stationing (fieldwork should have begun);
- 了解: the end of fieldwork (``fieldwork_days`` after it began, unless the office changed it);
- 报告: ``report_days`` after fieldwork ended;
- 反馈: ``feedback_days`` after the report, i.e. after the feedback stage began (the feedback date);
- 整改: ``rectification_report_days`` after the feedback date;
- 评估回访: ``review_days`` after it began; 归档 has no deadline.
"""

import datetime
from typing import TYPE_CHECKING

from xuncha.orgs.models import Committee, CommitteeSettings

from .choices import Stage

if TYPE_CHECKING:
    from .models import Inspection


def settings_for(committee: Committee) -> CommitteeSettings:
    """The committee's settings; an unsaved instance holding the defaults when none were stored."""
    try:
        return committee.settings
    except CommitteeSettings.DoesNotExist:
        return CommitteeSettings(committee=committee)


def default_due_soon_days() -> int:
    default = CommitteeSettings._meta.get_field("due_soon_days").get_default()
    return int(default)


def fieldwork_end(started_on: datetime.date, settings: CommitteeSettings) -> datetime.date:
    return started_on + datetime.timedelta(days=settings.fieldwork_days)


def stage_due_on(inspection: "Inspection", stage: str, today: datetime.date) -> datetime.date | None:
    """The due date of ``stage`` for ``inspection``, which has just entered it on ``today``.

    The dates the stage counts from (stationed_on, fieldwork_ends_on, feedback_on) must already be set.
    """
    settings = settings_for(inspection.round.committee)

    def after(start: datetime.date | None, days: int) -> datetime.date:
        return (start or today) + datetime.timedelta(days=days)

    match stage:
        case Stage.PREPARING:
            return inspection.round.planned_start
        case Stage.STATIONED:
            return after(inspection.stationed_on, settings.stationing_days)
        case Stage.FIELDWORK:
            return inspection.fieldwork_ends_on or fieldwork_end(today, settings)
        case Stage.REPORTING:
            return after(inspection.fieldwork_ends_on, settings.report_days)
        case Stage.FEEDBACK:
            return after(inspection.feedback_on, settings.feedback_days)
        case Stage.RECTIFYING:
            return after(inspection.feedback_on, settings.rectification_report_days)
        case Stage.REVIEWING:
            return after(today, settings.review_days)
    return None
