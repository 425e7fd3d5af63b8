"""Inspection stage deadlines for the reminder engine (core/reminders.py), registered in apps.py."""

import datetime
from typing import cast

from django.db.models import Max, Q
from django.urls import reverse

from xuncha.core.choices import Role
from xuncha.core.reminders import EVERYONE, Deadline, Reach, escalation_roles, shared
from xuncha.orgs.models import CommitteeSettings

from .deadlines import default_due_soon_days, settings_for
from .models import Inspection


def horizon(today: datetime.date) -> datetime.date:
    """The latest due date any committee reminds of on ``today``: providers fetch open deadlines due by it
    (and the engine keeps those within their own committee's due-soon days)."""

    def longest() -> int:
        return CommitteeSettings.objects.aggregate(days=Max("due_soon_days"))["days"] or 0

    # One query for all the providers the reminder engine asks at once (``core.reminders.shared``).
    return today + datetime.timedelta(
        days=max(shared("longest due-soon days", longest), default_due_soon_days())
    )


def stage_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """The stage deadlines that are overdue or due soon: the team leader must move the inspection on.
    Rounds' own 巡察期限提醒 panel lists them on the office's home page, so the engine's does not."""
    mine = reach.q(
        {
            Role.TEAM_LEADER: "team_id",
            Role.OFFICE: "round__committee_id",
            Role.LEADING_GROUP: "round__committee_id",
        }
    )
    near = (
        Inspection.objects.filter(mine)
        .filter(
            Q(pk__in=Inspection.objects.overdue(today).values("pk"))
            | Q(pk__in=Inspection.objects.due_soon(today).values("pk"))
        )
        .select_related("round__committee__settings", "team", "unit")
    )
    deadlines = []
    for inspection in near:
        committee = inspection.round.committee
        deadlines.append(
            Deadline(
                key=f"inspection-stage:{inspection.pk}:{inspection.stage}",
                due_on=cast(datetime.date, inspection.stage_due_on),  # both querysets compare it
                title=f"{inspection}（{inspection.get_stage_display()}阶段）",
                link=reverse("rounds:inspection-detail", args=[inspection.pk]),
                owners={Role.TEAM_LEADER: inspection.team_id},
                escalate_to=escalation_roles(committee.pk),
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=inspection,  # its notifications are handled when the inspection moves on
            )
        )
    return deadlines
