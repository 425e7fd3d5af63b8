"""Home-page panels of rounds: what needs attention, per role (registered in apps.py)."""

from typing import Any

from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.home import Panel, head
from xuncha.core.models import User

from .choices import Stage
from .models import Inspection, InspectionQuerySet, Round

LIMIT = 10


def _inspections(user: User) -> InspectionQuerySet:
    return Inspection.objects.visible_to(user).select_related("round__committee__settings", "team", "unit")


def rounds_panels(user: User) -> list[Panel]:
    scopes = user.scopes
    panels: list[Panel] = []
    context: dict[str, Any]
    team_ids = scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if team_ids:
        mine = _inspections(user).filter(team_id__in=team_ids).exclude(stage=Stage.ARCHIVED)
        context = {"inspections": mine[:LIMIT], "badges": BADGE_COLOURS}
        panels.append(Panel("我的巡察", "rounds/panels/my_inspections.html", context, order=10))
    unit_ids = scopes.ids(Role.UNIT_LIAISON)
    if unit_ids:
        ours = _inspections(user).filter(unit_id__in=unit_ids).exclude(stage=Stage.ARCHIVED)
        context = {"inspections": ours[:LIMIT]}
        panels.append(Panel("本单位接受巡察情况", "rounds/panels/unit_inspections.html", context, order=10))
    committee_ids = scopes.ids(Role.OFFICE, Role.LEADING_GROUP)
    if committee_ids:
        ours = _inspections(user).filter(round__committee_id__in=committee_ids).order_by("stage_due_on")
        overdue, overdue_count = head(ours.overdue(), LIMIT)
        due_soon, due_soon_count = head(ours.due_soon(), LIMIT)
        context = {
            "overdue": overdue,
            "overdue_count": overdue_count,
            "due_soon": due_soon,
            "due_soon_count": due_soon_count,
            "badges": BADGE_COLOURS,
        }
        panels.append(Panel("巡察期限提醒", "rounds/panels/deadlines.html", context, order=20))
        rounds = Round.objects.visible_to(user).filter(committee_id__in=committee_ids).in_progress()
        panels.append(
            Panel(
                "进行中的巡察轮次",
                "rounds/panels/rounds.html",
                {"rounds": rounds.select_related("committee")[:LIMIT]},
                order=30,
            )
        )
    return panels
