"""What rounds tells core at start-up (see apps.py): what a team scope is, when team roles need TOTP, and
how the audit pages name an inspection."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.scopes import ScopeInfo
from xuncha.orgs.models import CommitteeSettings

from .models import Inspection, Team

TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


def describe_team(team_id: int) -> ScopeInfo | None:
    team = Team.objects.select_related("round").filter(pk=team_id).first()
    return ScopeInfo(name=str(team), committee_id=team.round.committee_id) if team else None


def team_role_requires_totp(user: User) -> bool:
    """A team role needs TOTP when the committee of the team's round lists it in its totp_roles."""
    for role in TEAM_ROLES:
        team_ids = user.scopes.ids(role)
        if not team_ids:
            continue
        required = CommitteeSettings.objects.filter(committee__rounds__teams__pk__in=team_ids)
        if any(role in (roles or []) for roles in required.values_list("totp_roles", flat=True)):
            return True
    return False


def inspection_names(found: "QuerySet[Inspection]") -> Iterable[tuple[Any, str]]:
    """An inspection has no number: the audit pages name it as its ``__str__`` does, in one query."""
    rows = found.values_list("pk", "team__name", "unit__name")
    return ((pk, f"{team}巡察{unit}") for pk, team, unit in rows)
