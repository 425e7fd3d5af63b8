"""Who sees rectification: the office and leading group of the inspection's committee, the inspection's
team, and the liaison of the inspected unit. Receivers see nothing."""

from django.db.models import Q

from xuncha.core.choices import Role
from xuncha.core.models import User

READERS = (Role.OFFICE, Role.LEADING_GROUP)
TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


def inspection_scope(user: User, prefix: str = "") -> Q:
    """``prefix`` leads from the queried model to its inspection (``"inspection__"``)."""
    s = user.scopes
    return (
        Q(**{f"{prefix}round__committee_id__in": s.ids(*READERS)})
        | Q(**{f"{prefix}team_id__in": s.ids(*TEAM_ROLES)})
        | Q(**{f"{prefix}unit_id__in": s.ids(Role.UNIT_LIAISON)})
    )


def item_scope(user: User, prefix: str = "") -> Q:
    """An item's readers; the liaison never sees an item on the problem list fed back to the principal
    leader (about the leadership members themselves: 谁的问题向谁反馈), which the office keeps."""
    s = user.scopes
    inspection = f"{prefix}inspection__"
    return (
        Q(**{f"{inspection}round__committee_id__in": s.ids(*READERS)})
        | Q(**{f"{inspection}team_id__in": s.ids(*TEAM_ROLES)})
        | (
            Q(**{f"{inspection}unit_id__in": s.ids(Role.UNIT_LIAISON)})
            & ~Q(**{f"{prefix}problem__feedback__recipient": "principal"})
        )
    )
