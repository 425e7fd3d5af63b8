"""Triage suggestions at intake, each with the rule or evidence that produced it; a person decides
(actions/triage.py).

``route(petition)`` runs inside the intake action, before the petition is saved: a petition about the
inspection team itself is marked for the office alone (inspectors.py). ``suggest(petition)`` runs when the
petition is analysed (analysis.py: at once for a clerk's entry, in the background after a public
submission), small steps, top to bottom:

1. rules.py — the committee's rules (keywords, phrases, expressions, fuzzy): scope out (个人诉求, 涉法涉诉 …)
   or in, 六项纪律, 三个聚焦, 重要问题;
2. roster.py — the roster persons named (jieba with the roster's names and posts as words), and the scope
   their posts give (领导班子成员, 下一级党组织主要负责人, 重要岗位);
3. inspectors.py — the suggestion that a petition is about the inspection team, with why;
4. learned.py — the shipped default model (default_model.py), blended with the committee's learned model once
   it has enough confirmed decisions;
5. important.py — real-name reports of important problems, for prompt 约谈.

Every suggestion carries a confidence; ranking.py orders each field's values for the page, the form and the
API (evaluation.py measures the whole on the corpus's dev split: ``xuncha triage eval``).

Nothing here scans other petitions: the work is bounded by the petition's own text, the committee's rules
(compiled once per version) and the unit's roster.
"""

from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..choices import SuggestionField
from ..models import Petition, Suggestion
from . import important, inspectors, learned, roster, rules, words
from .base import MAX_CHARS, Text

_CATEGORY_KINDS = {SuggestionField.DISCIPLINE: SchemeKind.DISCIPLINE, SuggestionField.FOCUS: SchemeKind.FOCUS}


def _categories(suggestions: list[Suggestion]) -> dict[int, Category]:
    wanted = {int(s.value) for s in suggestions if s.field in _CATEGORY_KINDS and s.value.isdecimal()}
    if not wanted:
        return {}
    return {c.pk: c for c in Category.objects.filter(pk__in=wanted).select_related("scheme")}


def _labelled(suggestions: list[Suggestion], categories: dict[int, Category]) -> list[Suggestion]:
    """Category suggestions get their label; one whose category is gone or of another kind is dropped."""
    kept = []
    for s in suggestions:
        kind = _CATEGORY_KINDS.get(SuggestionField(s.field))
        if kind is not None:
            category = categories.get(int(s.value)) if s.value.isdecimal() else None
            if category is None or category.scheme.kind != kind:
                continue
            s.label = category.name if kind == SchemeKind.DISCIPLINE else f"{category.code} {category.name}"
        kept.append(s)
    return kept


def _body(petition: Petition) -> str:
    # The subject fields are read apart (roster.Finder.read_subject), not as part of the body.
    return "\n".join(p for p in (petition.title, petition.content) if p)[:MAX_CHARS]


def route(petition: Petition) -> None:
    """Mark a petition about the inspection's own team for the office alone (before it is first saved)."""
    names = inspectors.team_names(petition.inspection.team_id)
    tokens = words.tokens(_body(petition), names)
    if inspectors.finding(petition, names, tokens, Text.of(petition).raw) is not None:
        petition.about_inspectors = True


def suggest(petition: Petition) -> list[Suggestion]:
    """Make and save the petition's suggestions (inside an action)."""
    inspection = petition.inspection
    committee_id = inspection.round.committee_id
    text = Text.of(petition)
    entries = roster.roster(inspection.unit_id)
    names = inspectors.team_names(inspection.team_id)
    tokens = words.tokens(_body(petition), roster.words(entries) | set(names))

    made = rules.propose(petition, text, committee_id)
    made += roster.propose(petition, entries, tokens, inspection.unit_id, text.raw)
    made += inspectors.propose(petition, names, tokens, text.raw)
    made += learned.propose(petition, committee_id)
    categories = _categories(made)
    made = _labelled(made, categories)
    # Rules about 重要问题 are evidence for the one important suggestion, not suggestions of their own.
    flagged = [s for s in made if s.field == SuggestionField.IMPORTANT]
    made = [s for s in made if s.field != SuggestionField.IMPORTANT]
    made += important.propose(petition, text, made, flagged, categories, {e.pk: e for e in entries})
    return Suggestion.objects.bulk_create(made)
