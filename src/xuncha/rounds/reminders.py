"""Inspection stage deadlines for the reminder engine (core/reminders.py), registered in apps.py."""

import datetime
from typing import cast

from django.db.models import Q
from django.urls import reverse

from xuncha.core.choices import Role
from xuncha.core.reminders import Deadline, escalation_roles

from .deadlines import settings_for
from .models import Inspection


def stage_deadlines(today: datetime.date) -> list[Deadline]:
    """The stage deadlines that are overdue or due soon: the team leader must move the inspection on.
    Rounds' own 巡察期限提醒 panel lists them on the office's home page, so the engine's does not."""
    near = Inspection.objects.filter(
        Q(pk__in=Inspection.objects.overdue(today).values("pk"))
        | Q(pk__in=Inspection.objects.due_soon(today).values("pk"))
    ).select_related("round__committee__settings", "team", "unit")
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
                on_home=False,
            )
        )
    return deadlines
