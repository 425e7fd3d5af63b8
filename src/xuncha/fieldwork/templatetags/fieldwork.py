"""``{% fieldwork_of inspection %}``: the link from an inspection's page to its fieldwork page (rounds
cannot import fieldwork), for those who see the inspection; the liaison's page is a reduced one."""

from typing import Any

from django import template

from xuncha.core.choices import Role
from xuncha.core.permissions import acting_user, holds
from xuncha.rounds.models import Inspection

register = template.Library()


@register.inclusion_tag("fieldwork/overview/_link.html", takes_context=True)
def fieldwork_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    committee_id = inspection.round.committee_id
    internal: dict[str, int] = {
        Role.OFFICE: committee_id,
        Role.LEADING_GROUP: committee_id,
        Role.TEAM_LEADER: inspection.team_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }
    sees_all = holds(user, internal)
    liaison = user.scopes.has(Role.UNIT_LIAISON, inspection.unit_id)
    return {"shown": sees_all or liaison, "liaison_only": not sees_all, "inspection": inspection}
