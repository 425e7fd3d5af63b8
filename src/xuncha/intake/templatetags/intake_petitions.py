"""``{% petitions_of inspection %}``: the petitions block of an inspection's page (rounds cannot import
intake, so the block is rendered here, for those who work on the inspection's petitions only)."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user, holds
from xuncha.rounds.models import Inspection

from ..actions.petitions import member_roles
from ..models import Petition

register = template.Library()


@register.inclusion_tag("intake/petitions/_inspection_block.html", takes_context=True)
def petitions_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    may_enter = holds(user, member_roles(inspection))
    if not may_enter:
        return {"shown": False}
    # Pieces received, and matters: a confirmed duplicate group is one matter (as the list counts them).
    count, matters = Petition.objects.visible_to(user).filter(inspection=inspection).pieces_and_matters()
    return {"shown": True, "inspection": inspection, "count": count, "matters": matters}
