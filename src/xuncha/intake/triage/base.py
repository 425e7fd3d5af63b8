"""What every triage step shares: the petition's text as the steps read it, the scope values suggestions
and rules carry (``"in:leadership"``, ``"out:personal_claim"``), and how a suggestion is made."""

import re
from dataclasses import dataclass, field
from functools import cached_property

from xuncha.core.text import normalised

from ..choices import IN_SCOPE_REASONS, Scope, ScopeReason, SuggestionField, SuggestionSource
from ..models import Petition, Suggestion

# The text a step reads: the content is at most 10,000 characters; title and subject come on top.
MAX_CHARS = 12_000
# Regular expressions run on sentences cut to this length, so their cost is bounded (see rules.py).
SEGMENT = 120
_SEGMENT_STEP = 100  # segments overlap by 20 characters: a match across a cut is still found
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")

OUT_OF_SCOPE_REASONS = (
    ScopeReason.PERSONAL_CLAIM,
    ScopeReason.LITIGATION,
    ScopeReason.OTHER_MATTER,
    ScopeReason.ABOUT_INSPECTORS,
)
IMPORTANT = "1"  # the value of an "important" suggestion


def scope_value(scope: str, reason: str) -> str:
    return f"{scope}:{reason}"


def split_scope_value(value: str) -> tuple[str, str] | None:
    """``"in:leadership"`` → ``("in", "leadership")``, or None when it is not a consistent pair."""
    scope, _, reason = value.partition(":")
    if scope == Scope.IN and reason in IN_SCOPE_REASONS:
        return scope, reason
    if scope == Scope.OUT and reason in OUT_OF_SCOPE_REASONS:
        return scope, reason
    return None


def scope_label(value: str) -> str:
    pair = split_scope_value(value)
    if pair is None:
        return value
    return f"{Scope(pair[0]).label}（{ScopeReason(pair[1]).label}）"


# Scope values a rule may suggest (about the inspectors is found from the team's names, not by rules).
RULE_SCOPE_VALUES = tuple(
    scope_value(scope, reason)
    for scope, reasons in ((Scope.IN, IN_SCOPE_REASONS), (Scope.OUT, OUT_OF_SCOPE_REASONS))
    for reason in reasons
    if reason != ScopeReason.ABOUT_INSPECTORS
)


def quoted(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


@dataclass
class Text:
    """A petition's non-confidential text (never the reporter's identity), as typed and normalised."""

    raw: str
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        self.raw = self.raw[:MAX_CHARS]
        self.norm = normalised(self.raw)

    @classmethod
    def of(cls, petition: Petition) -> "Text":
        return cls("\n".join(petition.text_parts))

    @cached_property
    def segments(self) -> list[str]:
        """Sentences of the normalised text, long ones cut into overlapping pieces of ``SEGMENT``."""
        pieces: list[str] = []
        for sentence in _SENTENCE_END.split(self.norm):
            if len(sentence) <= SEGMENT:
                if sentence.strip():
                    pieces.append(sentence)
                continue
            for start in range(0, len(sentence) - SEGMENT + _SEGMENT_STEP, _SEGMENT_STEP):
                pieces.append(sentence[start : start + SEGMENT])
        return pieces


def make(
    petition: Petition,
    field: str,
    value: str,
    *,
    source: str,
    reason: str,
    label: str = "",
    score: float = 1.0,
    rule_id: int | None = None,
) -> Suggestion:
    """An unsaved suggestion; labels of categories are filled in once for all (see ``suggest``)."""
    if field == SuggestionField.SCOPE and not label:
        label = scope_label(value)
    if field == SuggestionField.IMPORTANT and not label:
        label = "重要问题，须及时约谈"
    return Suggestion(
        petition=petition,
        field=field,
        value=value,
        label=label[:200],
        source=source,
        reason=reason[:300],
        score=round(score, 3),
        rule_id=rule_id,
    )


SOURCE_ORDER = {SuggestionSource.ROSTER: 0, SuggestionSource.RULE: 1, SuggestionSource.LEARNED: 2}
