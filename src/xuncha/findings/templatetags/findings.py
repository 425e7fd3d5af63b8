"""``{% findings_of inspection %}``: the links from an inspection's page to its findings and clues (rounds
cannot import findings), for those who see them: the committee's office and leading group, and the team."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user
from xuncha.rounds.models import Inspection

from ..models import Clue, Finding, finding_inspections

register = template.Library()


@register.inclusion_tag("findings/_inspection_link.html", takes_context=True)
def findings_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    if not finding_inspections(user).filter(pk=inspection.pk).exists():
        return {"shown": False}
    count = Finding.objects.visible_to(user).filter(inspection=inspection).count()
    clues = Clue.objects.visible_to(user).filter(inspection=inspection).count()
    return {"shown": True, "inspection": inspection, "count": count, "clues": clues}
