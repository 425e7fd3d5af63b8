"""Home panels: a department's receivers see the requests waiting for its answer (待答复的了解情况函); the
team sees the departments' answers of the last fortnight. One query each (``core.home.head``)."""

import datetime

from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.home import Panel, head
from xuncha.core.models import User

from .choices import STATE_BADGES, RequestStatus
from .models import InformationAnswer, Recipient

PANEL_LIMIT = 10
NEW_DAYS = 14


def home_panels(user: User) -> list[Panel]:
    panels: list[Panel] = []
    departments = user.scopes.ids(Role.RECEIVER)
    if departments:
        waiting = (
            Recipient.objects.pending()
            .filter(department_id__in=departments)
            .select_related("department", "request__inspection__team")
            .order_by("due_on", "request_id")
        )
        slots, total = head(waiting, PANEL_LIMIT)
        for slot in slots:
            slot.badge = STATE_BADGES[slot.state()]  # type: ignore[attr-defined]
        if slots:
            panels.append(
                Panel(
                    "待答复的了解情况函",
                    "preparation/panels/pending.html",
                    {"slots": slots, "total": total},
                    order=14,
                )
            )
    teams = user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if teams:
        since = timezone.now() - datetime.timedelta(days=NEW_DAYS)
        recent = (
            InformationAnswer.objects.filter(
                recipient__request__inspection__team_id__in=teams,
                recipient__request__status=RequestStatus.OPEN,
                answered_at__gte=since,
            )
            .exclude(recipient__request__inspection__stage="archived")
            .select_related("recipient__department", "recipient__request__inspection__team")
            .order_by("-answered_at")
        )
        answers, total = head(recent, PANEL_LIMIT)
        if answers:
            panels.append(
                Panel(
                    "有关部门的新答复",
                    "preparation/panels/answers.html",
                    {"answers": answers, "total": total},
                    order=27,
                )
            )
    return panels
