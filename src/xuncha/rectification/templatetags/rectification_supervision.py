"""``{% supervision_section inspection %}``: the supervision section (督办单, 整改评估, 回访) of an
inspection's rectification page, rendered by ``views.supervision.section`` for the requesting user."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from xuncha.rounds.models import Inspection

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_section(context: dict[str, Any], inspection: Inspection) -> SafeString:
    from ..views.supervision import section

    return mark_safe(section(context["request"], inspection))  # noqa: S308 - a rendered template
