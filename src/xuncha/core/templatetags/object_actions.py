"""``{% object_actions obj %}``: the buttons other apps offer on ``obj`` (see core/object_actions.py)."""

from typing import Any

from django import template
from django.db.models import Model

from xuncha.core import object_actions as registry

register = template.Library()


@register.inclusion_tag("core/partials/object_actions.html", takes_context=True)
def object_actions(context: dict[str, Any], obj: Model) -> dict[str, Any]:
    return {"actions": registry.object_actions(context["request"].user, obj)}
