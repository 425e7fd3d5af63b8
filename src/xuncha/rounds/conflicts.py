"""The 回避 check: who must stand aside from inspecting which unit (Inspector.conflicts_with); and the
warning, never a refusal, that an inspector is already busy on another team."""

from xuncha.orgs.models import Inspector, Unit

from .choices import Stage
from .kinds import kind_conflicts
from .models import Inspection, InspectionQuerySet, Team


def reasons_to_stand_aside(team: Team, inspector: Inspector, unit: Unit) -> list[str]:
    """Why ``inspector`` must 回避 ``unit``: personal ties, and what the round's kind forbids."""
    return inspector.conflicts_with(unit) + kind_conflicts(team.round, inspector, unit)


def conflicts_for_team(team: Team, inspector: Inspector) -> list[str]:
    """Every reason ``inspector`` must 回避 any unit ``team`` inspects (empty when none)."""
    reasons: list[str] = []
    for inspection in team.inspections.select_related("unit"):
        reasons += [r for r in reasons_to_stand_aside(team, inspector, inspection.unit) if r not in reasons]
    return reasons


def check_team_unit(team: Team, unit: Unit) -> list[str]:
    """One line per member of ``team`` who must 回避 ``unit`` for a reason no recorded override covers."""
    found: list[str] = []
    for member in team.members.select_related("inspector"):
        overridden = set(member.conflict_reasons) if member.override_reason else set()
        unresolved = [r for r in reasons_to_stand_aside(team, member.inspector, unit) if r not in overridden]
        if unresolved:
            found.append(f"{member.inspector.name}（{'；'.join(unresolved)}）")
    return found


def active_elsewhere(team: Team) -> InspectionQuerySet:
    """The inspections of other teams that are stationed or in fieldwork: their members are busy."""
    return Inspection.objects.filter(stage__in=(Stage.STATIONED, Stage.FIELDWORK)).exclude(team=team)


def busy_elsewhere(team: Team, inspector: Inspector) -> list[str]:
    """One warning per inspection of another team of ``inspector`` that is stationed or in fieldwork. The
    office may still add them (a small inspection can share a member), but should know before it does."""
    others = (
        active_elsewhere(team)
        .filter(team__members__inspector=inspector)
        .select_related("team__round", "unit")
        .order_by("id")
    )
    return [
        f"{inspector.name}已在{i.team.round.name}{i.team.name}（巡察{i.unit.name}，{i.get_stage_display()}阶段），"
        "请确认能兼顾两项工作。"
        for i in others
    ]
