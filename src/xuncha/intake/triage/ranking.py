"""How each field's suggestions are ranked: the order the petition page lists them, the API returns them, and
the first of which the decision form prefills (issue 17: honest ranking).

Every suggestion carries a confidence (``score``): the default and learned models' calibrated probability, a
default rule's precision measured on the corpus (rules.py; ``rules.PRIOR`` for a rule the office wrote),
the roster's certainty of the person. A value is ranked by the highest confidence any signal gives it, then
by how many signals agree on it, then by the source (roster, rule, model): a confident model outranks a lone
keyword, and no rule wins for having been created first. Where the signals disagree, every value is listed
with its reasons.
"""

from collections.abc import Iterable

from ..choices import SuggestionField, SuggestionSource
from ..models import Suggestion
from .base import SOURCE_ORDER

FIELD_ORDER = (
    SuggestionField.SCOPE,
    SuggestionField.PERSON,
    SuggestionField.DISCIPLINE,
    SuggestionField.FOCUS,
    SuggestionField.IMPORTANT,
)
# Fields with one value to choose (persons are all prefilled; 重要问题 is one suggestion).
SINGLE_VALUED = (SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS)


def _order(s: Suggestion) -> tuple[float, int, int]:
    return (-s.score, SOURCE_ORDER.get(SuggestionSource(s.source), 9), s.pk or 0)


def values(suggestions: Iterable[Suggestion], field: str) -> list[list[Suggestion]]:
    """The field's suggestions grouped by value, best-supported value first, each group's best first."""
    by_value: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if s.field == field:
            by_value.setdefault(s.value, []).append(s)
    groups = [sorted(group, key=_order) for group in by_value.values()]
    groups.sort(key=lambda group: (*_order(group[0])[:1], -len(group), *_order(group[0])[1:]))
    return groups


def ranked(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """All suggestions, field by field (``FIELD_ORDER``), each field's as ``values`` ranks them."""
    listed = list(suggestions)
    return [s for field in FIELD_ORDER for group in values(listed, field) for s in group]


def best(suggestions: Iterable[Suggestion], field: str) -> Suggestion | None:
    """The suggestion the form prefills the field with."""
    groups = values(suggestions, field)
    return groups[0][0] if groups else None


def confidence(group: list[Suggestion]) -> float:
    return max(s.score for s in group)
