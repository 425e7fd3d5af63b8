"""``{% preparation_of inspection %}``: the link from an inspection's page to its preparation page (rounds
cannot import this app), for who reads the inspection's requests (office, leading group, team); one query."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user, holds
from xuncha.rounds.models import Inspection

from ..actions import reader_roles
from ..models import InformationRequest

register = template.Library()


@register.inclusion_tag("preparation/_inspection_section.html", takes_context=True)
def preparation_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    if not holds(user, reader_roles(inspection)):
        return {"shown": False}
    count = InformationRequest.objects.filter(inspection=inspection).count()
    return {"shown": True, "inspection": inspection, "count": count}
