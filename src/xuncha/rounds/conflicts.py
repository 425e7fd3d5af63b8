"""The 回避 check: who must stand aside from inspecting which unit (Inspector.conflicts_with)."""

from xuncha.orgs.models import Inspector, Unit

from .kinds import kind_conflicts
from .models import Team


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
