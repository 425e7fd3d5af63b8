"""``{% lookback_of inspection %}``: on a look-back inspection's pages, the link to its look-back page
(巡察“回头看”) with the progress of the checks; on an earlier inspection's pages, the look-back inspections
that re-examine it. Shown only to whoever reads rectification of the inspection."""

from typing import Any

from django import template

from xuncha.core.permissions import acting_user
from xuncha.rounds.models import Inspection

from ..lookback import earlier_items, is_lookback
from ..models import LookbackCheck
from ..models.scope import inspection_scope

register = template.Library()


@register.inclusion_tag("rectification/lookback_link.html", takes_context=True)
def lookback_of(context: dict[str, Any], inspection: Inspection) -> dict[str, Any]:
    user = acting_user(context["request"])
    readable = Inspection.objects.filter(inspection_scope(user))
    if is_lookback(inspection):
        if not readable.filter(pk=inspection.pk).exists():
            return {"shown": False}
        total = earlier_items(inspection).count()
        checked = LookbackCheck.objects.filter(inspection=inspection).count()
        return {"shown": True, "inspection": inspection, "own": True, "total": total, "checked": checked}
    lookbacks = list(
        readable.filter(round__lookback_of=inspection, unit_id=inspection.unit_id).select_related(
            "round", "team"
        )
    )
    return {"shown": bool(lookbacks), "inspection": inspection, "own": False, "lookbacks": lookbacks}
