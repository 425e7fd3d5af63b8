"""Rules of the stage machine (TRANSITIONS in choices.py), read by the action that enforces them and by
the pages that offer only the moves a user may make."""

from xuncha.core.choices import ROLE_SCOPE, Role, ScopeType
from xuncha.core.models import User
from xuncha.core.permissions import holds

from .choices import STAGE_ORDER, TRANSITIONS, Stage
from .models import Inspection


def label(stage: str) -> str:
    return str(Stage(stage).label)


def next_stage(stage: str) -> str | None:
    entry = TRANSITIONS.get(stage)
    return entry[0] if entry else None


def move_refusal(current: str, to: str) -> str | None:
    """Why ``current`` → ``to`` is not a move of the table (in Chinese), or None when it is."""
    if to not in STAGE_ORDER:
        return "未知的巡察阶段。"
    if current == Stage.ARCHIVED:
        return "巡察已归档，只能查阅，不能再变更阶段。"
    if to == current:
        return f"巡察已处于“{label(to)}”阶段。"
    here, there = STAGE_ORDER.index(current), STAGE_ORDER.index(to)
    if there < here:
        return f"不能从“{label(current)}”退回“{label(to)}”：巡察阶段只能依次向前推进。"
    if to != next_stage(current):
        between = "、".join(label(s) for s in STAGE_ORDER[here + 1 : there])
        return f"不能从“{label(current)}”直接进入“{label(to)}”，须依次经过：{between}"
    return None


def transition_scopes(inspection: Inspection) -> dict[str, int]:
    """Role → scope id for each role that may make the inspection's next move (empty when none)."""
    entry = TRANSITIONS.get(inspection.stage)
    if entry is None:
        return {}
    scope_ids: dict[str, int] = {
        ScopeType.COMMITTEE: inspection.round.committee_id,
        ScopeType.TEAM: inspection.team_id,
        ScopeType.UNIT: inspection.unit_id,
    }
    # Role order, so the refusal message lists the roles the same way every time.
    return {role: scope_ids[ROLE_SCOPE[role]] for role in Role.values if role in entry[1]}


def may_transition(inspection: Inspection, user: User) -> bool:
    return holds(user, transition_scopes(inspection))
