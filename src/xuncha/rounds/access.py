"""Who sees a team's internals. Members are shown to those who form or lead the work (the committee's
office and leading group) and to the team itself; 回避 reasons, personal data, only to the former."""

from xuncha.core.choices import Role
from xuncha.core.models import User

from .models import Team


def sees_conflicts(user: User, committee_id: int) -> bool:
    return user.scopes.has(Role.OFFICE, committee_id) or user.scopes.has(Role.LEADING_GROUP, committee_id)


def sees_members(user: User, team: Team) -> bool:
    return sees_conflicts(user, team.round.committee_id) or team.pk in user.scopes.ids(
        Role.TEAM_LEADER, Role.TEAM_MEMBER
    )
