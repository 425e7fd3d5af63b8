"""Triage rules: data the office edits (``TriageRule``), checked when saved, compiled once per committee.

Match kinds, on the normalised text (full-width folded, lower case; Chinese has no word boundaries, so
keywords are substrings):

- ``any``: one of the keywords occurs (one per line, or several on a line separated by spaces);
- ``all``: every keyword occurs;
- ``phrase``: a line's parts occur in order within one sentence, at most ``PHRASE_GAP`` characters apart
  ("收受 红包" finds "收受了红包" and "收受他人红包"); a line without spaces is an exact substring;
- ``regex``: a line's regular expression matches within one sentence;
- ``fuzzy``: rapidfuzz ``partial_ratio`` of a line against the text reaches the rule's threshold.

Python's ``re`` cannot be interrupted, so a regular expression is made safe before it runs: at most
``REGEX_LIMIT`` characters, no back-references, no quantifier over something that is itself repeated or
holds an alternation (``(a+)+``, ``(a|aa)*``: exponential backtracking), and a bounded worst case (the
product of the repetition bounds over a ``SEGMENT``-long sentence). At match time it only ever sees
sentences of at most ``SEGMENT`` characters. What was stored before these checks and no longer compiles
is skipped.

A rule that suggests "out of scope" does not fire on a report of a cadre's misconduct (claims.py: a post and
a misconduct word in one sentence), unless the office marked it ``on_misconduct``: keywords name topics,
and a report of misconduct shares its topic with grievances.

Each suggestion carries the rule's confidence: for a default rule left as shipped, its precision measured on
the corpus's train split when the default model was trained (``measure_defaults``, stored in the model's
file); for any other rule ``PRIOR``, below what a confident model says (ranking.py).

Compiled rules are cached per committee, keyed by a digest of the active rules as stored: one small query
per intake, and any edit (in any process) is seen at the next intake.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from rapidfuzz import fuzz

from xuncha.core.errors import Refused
from xuncha.core.text import clean_text, normalised

from ..choices import MatchKind, SuggestionField, SuggestionSource
from ..models import Petition, Suggestion, TriageRule
from . import claims, default_model
from .base import IMPORTANT, SEGMENT, Text, make, quoted
from .corpus import Record

PHRASE_GAP = 6
REGEX_LIMIT = 200
KEYWORD_LIMIT = 100
MAX_LINES = 100
PATTERNS_LIMIT = 5_000
# Worst-case steps of one regular expression on one sentence (see _cost).
REGEX_BUDGET = 200_000
THRESHOLD_RANGE = (50, 100)
PRIOR = 0.5  # the confidence of a rule whose precision was never measured

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_NESTED_MESSAGE = "正则表达式中不能对已含量词或“|”的分组再使用量词（匹配可能极慢），请改写。"


# Checking what the office types --------------------------------------------------------------------


def pattern_lines(patterns: str) -> list[str]:
    return [line.strip() for line in patterns.splitlines() if line.strip()]


def _keywords(line: str) -> list[str]:
    return line.split()


def _cost(items: Any, inside_repeat: bool = False) -> int:
    """An upper bound on the backtracking steps of a parsed pattern per start position; raises Refused
    for constructs whose cost has no bound."""
    cost = 1
    for op, arg in items:
        if op in _REPEATS:
            _, high, body = arg
            bound = min(high, SEGMENT)
            if bound > 1 and (inside_repeat or _repeats_or_branches(body)):
                raise Refused(_NESTED_MESSAGE, field="patterns")
            cost *= max(bound, 1) * _cost(body, inside_repeat=bound > 1)
        elif op == sre.SUBPATTERN:
            cost *= _cost(arg[-1], inside_repeat)
        elif op == sre.BRANCH:
            cost *= sum(_cost(branch, inside_repeat) for branch in arg[1])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            cost *= _cost(arg[1], inside_repeat)
        elif op == getattr(sre, "ATOMIC_GROUP", None):
            cost *= _cost(arg, inside_repeat)
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise Refused("正则表达式中不能使用反向引用。", field="patterns")
    return cost


def _repeats_or_branches(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS or op == sre.BRANCH:
            return True
        if op == sre.SUBPATTERN and _repeats_or_branches(arg[-1]):
            return True
        if op in (sre.ASSERT, sre.ASSERT_NOT) and _repeats_or_branches(arg[1]):
            return True
    return False


def check_regex(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or Refused (field ``patterns``) with the reason in Chinese."""
    if len(pattern) > REGEX_LIMIT:
        raise Refused(f"正则表达式过长：每行最多 {REGEX_LIMIT} 个字符。", field="patterns")
    try:
        compiled = re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except re.error as error:
        where = f"（第 {error.pos + 1} 个字符附近）" if error.pos is not None else ""
        raise Refused(
            f"正则表达式“{pattern[:40]}”有误{where}，请检查括号、方括号和转义。", field="patterns"
        ) from None
    except (RecursionError, OverflowError):
        raise Refused(f"正则表达式“{pattern[:40]}”过于复杂。", field="patterns") from None
    if SEGMENT * _cost(parsed) > REGEX_BUDGET:
        raise Refused(
            f"正则表达式“{pattern[:40]}”的重复次数过多，匹配可能极慢："
            "请少用 * 和 +，改用 {0,10} 等有限次数。",
            field="patterns",
        )
    return compiled


def clean_patterns(match: str, patterns: str, threshold: int) -> str:
    """The patterns as stored (one per line), checked for the match kind."""
    if match not in MatchKind.values:
        raise Refused("请选择匹配方式。", field="match")
    text = clean_text(
        patterns, label="关键词或表达式", field="patterns", limit=PATTERNS_LIMIT, multiline=True
    )
    lines = pattern_lines(text)
    if not lines:
        raise Refused("请填写至少一个关键词或表达式。", field="patterns")
    if len(lines) > MAX_LINES:
        raise Refused(f"关键词或表达式最多 {MAX_LINES} 行。", field="patterns")
    for line in lines:
        if match == MatchKind.REGEX:
            check_regex(line)
        elif len(line) > KEYWORD_LIMIT:
            raise Refused(f"每行最多 {KEYWORD_LIMIT} 个字符。", field="patterns")
        elif match == MatchKind.FUZZY and len(line.replace(" ", "")) < 2:
            raise Refused("模糊匹配的每行至少 2 个字。", field="patterns")
    if not THRESHOLD_RANGE[0] <= threshold <= THRESHOLD_RANGE[1]:
        raise Refused(
            f"模糊匹配阈值须在 {THRESHOLD_RANGE[0]} 至 {THRESHOLD_RANGE[1]} 之间。", field="threshold"
        )
    return "\n".join(lines)


# Compiling and matching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledRule:
    pk: int
    name: str
    field: str
    value: str
    finds: Callable[[Text], str | None]  # the evidence for the reason, or None
    confidence: float = PRIOR
    on_misconduct: bool = False  # an out-of-scope rule that fires on reports of misconduct too

    @property
    def is_out_of_scope(self) -> bool:
        return self.field == SuggestionField.SCOPE and self.value.startswith("out:")

    def evidence(self, text: Text) -> str | None:
        """Why the rule fires on the text, or None."""
        if self.is_out_of_scope and not self.on_misconduct and claims.misconduct(text) is not None:
            return None
        return self.finds(text)


def rule_key(field: str, match: str, patterns: str, threshold: int) -> str:
    """A rule's identity for its measured precision: what it matches, not its name or target."""
    threshold = threshold if match == MatchKind.FUZZY else 0
    return hashlib.sha256(f"{field}|{match}|{threshold}|{patterns}".encode()).hexdigest()[:16]


def confidence(field: str, match: str, patterns: str, threshold: int) -> float:
    model = default_model.loaded()
    measured = model.rule_precision(rule_key(field, match, patterns, threshold)) if model else None
    return PRIOR if measured is None else measured


def _any(keywords: list[str]) -> Callable[[Text], str | None]:
    def finds(text: Text) -> str | None:
        found = next((k for k in keywords if k in text.norm), None)
        return f"命中“{found}”" if found else None

    return finds


def _all(keywords: list[str]) -> Callable[[Text], str | None]:
    def finds(text: Text) -> str | None:
        if all(k in text.norm for k in keywords):
            return "命中" + "".join(f"“{k}”" for k in keywords)
        return None

    return finds


def _phrase_regex(line: str) -> re.Pattern[str]:
    gap = f"[^。！？!?；;\\n]{{0,{PHRASE_GAP}}}?"
    return re.compile(gap.join(re.escape(part) for part in line.split()))


def _searching(patterns: list[re.Pattern[str]], kind: str) -> Callable[[Text], str | None]:
    def finds(text: Text) -> str | None:
        for segment in text.segments:
            for pattern in patterns:
                found = pattern.search(segment)
                if found and found.group(0):
                    return f"命中{kind}{quoted(found.group(0))}"
        return None

    return finds


def _fuzzy(lines: list[str], threshold: int) -> Callable[[Text], str | None]:
    needles = ["".join(line.split()) for line in lines]

    def finds(text: Text) -> str | None:
        haystack = "".join(text.norm.split())
        for needle in needles:
            score = fuzz.partial_ratio(needle, haystack, score_cutoff=threshold)
            if score:
                return f"模糊匹配“{needle}”（相似度 {round(score)}）"
        return None

    return finds


def compile_rule(
    pk: int,
    name: str,
    field: str,
    value: str,
    match: str,
    patterns: str,
    threshold: int,
    on_misconduct: bool = False,
) -> CompiledRule | None:
    lines = pattern_lines(normalised(patterns))
    finds: Callable[[Text], str | None]
    if match == MatchKind.ANY:
        finds = _any([k for line in lines for k in _keywords(line)])
    elif match == MatchKind.ALL:
        finds = _all([k for line in lines for k in _keywords(line)])
    elif match == MatchKind.PHRASE:
        finds = _searching([_phrase_regex(line) for line in lines], "短语")
    elif match == MatchKind.REGEX:
        compiled = []
        for line in pattern_lines(patterns):
            try:
                compiled.append(check_regex(line))
            except Refused:
                continue
        finds = _searching(compiled, "表达式")
    elif match == MatchKind.FUZZY:
        finds = _fuzzy(lines, threshold)
    else:
        return None
    sure = confidence(field, match, patterns, threshold)
    return CompiledRule(pk, name, field, value, finds, sure, on_misconduct)


_compiled: dict[int, tuple[int, list[CompiledRule]]] = {}


def rules_for(committee_id: int) -> list[CompiledRule]:
    rows = tuple(
        TriageRule.objects.filter(committee_id=committee_id, is_active=True)
        .order_by("id")
        .values_list("id", "name", "field", "value", "match", "patterns", "threshold", "on_misconduct")
    )
    version = hash(rows)
    cached = _compiled.get(committee_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    compiled = [rule for row in rows if (rule := compile_rule(*row)) is not None]
    _compiled[committee_id] = (version, compiled)
    return compiled


def propose(petition: Petition, text: Text, committee_id: int) -> list[Suggestion]:
    return propose_with(petition, text, rules_for(committee_id))


def propose_with(petition: Petition, text: Text, compiled: list[CompiledRule]) -> list[Suggestion]:
    found: list[Suggestion] = []
    for rule in compiled:
        evidence = rule.evidence(text)
        if evidence is None:
            continue
        value = IMPORTANT if rule.field == SuggestionField.IMPORTANT else rule.value
        found.append(
            make(
                petition,
                rule.field,
                value,
                source=SuggestionSource.RULE,
                reason=f"规则「{rule.name}」{evidence}",
                score=rule.confidence,
                rule_id=rule.pk,
            )
        )
    return found


# The default rules, as shipped ------------------------------------------------------------------------


def compiled_defaults() -> list[CompiledRule]:
    """The default rules (defaults.py) as a committee gets them, their categories by code (no database)."""
    from .defaults import RULES

    compiled = []
    for pk, rule in enumerate(RULES, start=1):
        patterns = clean_patterns(rule.match, "\n".join(rule.patterns), rule.threshold)
        found = compile_rule(-pk, rule.name, rule.field, rule.value, rule.match, patterns, rule.threshold)
        if found is not None:
            compiled.append(found)
    return compiled


def measure_defaults(records: Iterable[Record]) -> dict[str, float]:
    """Each default rule's precision on labelled records, (right + 1) / (fired + 2): a scope rule against
    the scope and reason, a 六项纪律 or 三个聚焦 rule against the label of the in-scope records."""
    from .defaults import RULES

    texts = [(record, Text(record.text)) for record in records]
    measured: dict[str, float] = {}
    for rule, shipped in zip(compiled_defaults(), RULES, strict=True):
        if rule.field == SuggestionField.IMPORTANT:
            continue
        fired = right = 0
        for record, text in texts:
            if rule.field != SuggestionField.SCOPE and record.scope != "in":
                continue
            if rule.evidence(text) is None:
                continue
            fired += 1
            truth = default_model.label(record, rule.field)
            right += truth == rule.value
        patterns = clean_patterns(shipped.match, "\n".join(shipped.patterns), shipped.threshold)
        key = rule_key(shipped.field, shipped.match, patterns, shipped.threshold)
        measured[key] = round((right + 1) / (fired + 2), 3)
    return measured
