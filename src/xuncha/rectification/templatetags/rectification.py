"""``{% rectification_of inspection %}``: the link from an inspection's page to its rectification page
(rounds cannot import rectification), shown to whoever sees the inspection's rectification once there is
something to see: a delivered feedback or a 边巡边改 item, or the team in the unit (进驻, 了解), when the
unit registers its self-check problems."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user
from xuncha.rounds.models import Inspection

from ..actions.self_check import REPORT_STAGES
from ..deadlines import delivered_on
from ..models import Item
from ..models.scope import inspection_scope

register = template.Library()


@register.inclusion_tag("rectification/_inspection_section.html", takes_context=True)
def rectification_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    if not Inspection.objects.filter(inspection_scope(user), pk=inspection.pk).exists():
        return {"shown": False}
    items = Item.objects.visible_to(user).filter(inspection=inspection)
    self_check = inspection.stage in REPORT_STAGES
    shown = self_check or delivered_on(inspection) is not None or items.exists()
    return {"shown": shown, "inspection": inspection, "count": items.count(), "self_check": self_check}
