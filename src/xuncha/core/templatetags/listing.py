"""Template helpers for lists: the current filters as hidden inputs, so a small GET form (the pagination's
"跳至") keeps them."""

from django import template
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def hidden_query(query: str) -> SafeString:
    """``<input type="hidden">`` for each parameter of an urlencoded query string."""
    pairs = [(name, value) for name, values in QueryDict(query).lists() for value in values]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)
