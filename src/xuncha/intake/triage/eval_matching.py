"""Evaluation of person matching and duplicate detection on corpus records (the harness,
``xuncha triage eval``, calls these; they need no database).

- ``evaluate_persons(examples, roster)``: each example's text is read against ``roster`` (corpus persons;
  ``roster_of(examples)`` is every person the examples name, so persons of many units with the same posts)
  by the product's ``roster.Finder``, with no inspected unit: every post-only match needs its unit named.
  A found person counts as right when the example lists them (by name and unit).
- ``evaluate_duplicates(examples)``: every pair of examples is scored as the product scores a candidate pair
  (paraphrase.Evidence, with the persons the Finder found in each); pairs of one ``dup_group`` are the true
  ones. The product only scores the bounded candidates of its index, so its recall can only be lower.
- ``choose_threshold(examples)``: how paraphrase.THRESHOLD was chosen, on the train split.
- ``evaluate_index(examples)``: the same pairs by the rule intake applies today (duplicates.py: character
  bigram Jaccard at or above its threshold), so the harness reports what the product does, beside the
  paraphrase score that intake does not use yet.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import duplicates, paraphrase
from ..models import Petition
from . import roster as rosters
from . import words
from .corpus import Person, Record


def roster_of(examples: Sequence[Record]) -> list[Person]:
    """Every person the examples name, once per name and unit (the longest post given)."""
    found: dict[tuple[str, str], Person] = {}
    for example in examples:
        for person in example.persons:
            key = (person.name, person.unit)
            if key not in found or len(person.post) > len(found[key].post):
                found[key] = person
    return sorted(found.values(), key=lambda p: (p.unit, p.name))


def _entries(people: Sequence[Person]) -> list[rosters.Entry]:
    units = {name: i for i, name in enumerate(sorted({p.unit for p in people}), start=1)}
    return [
        rosters.entry(pk, p.name, p.post, "", units[p.unit], p.unit) for pk, p in enumerate(people, start=1)
    ]


def found_persons(examples: Sequence[Record], people: Sequence[Person]) -> list[set[tuple[str, str]]]:
    """The (name, unit) of the roster persons the Finder finds in each example."""
    entries = _entries(people)
    vocabulary = rosters.words(entries)
    result = []
    for example in examples:
        finder = rosters.Finder(entries, None, example.text)
        finder.read(words.tokens(example.text, vocabulary))
        result.append({(ev.entry.name, ev.entry.unit_name) for ev in finder.found.values()})
    return result


@dataclass(frozen=True)
class PersonFigures:
    precision: float
    recall: float
    true: int
    false: int
    missed: int


def evaluate_persons(examples: Sequence[Record], roster: Sequence[Person]) -> PersonFigures:
    """Micro-averaged precision and recall of the persons found, against the persons the roster holds."""
    held = {(p.name, p.unit) for p in roster}
    true = false = missed = 0
    for example, found in zip(examples, found_persons(examples, roster), strict=True):
        gold = {(p.name, p.unit) for p in example.persons} & held
        true += len(found & gold)
        false += len(found - gold)
        missed += len(gold - found)
    return PersonFigures(
        precision=true / (true + false) if true + false else 1.0,
        recall=true / (true + missed) if true + missed else 1.0,
        true=true,
        false=false,
        missed=missed,
    )


@dataclass(frozen=True)
class DuplicateFigures:
    recall: float
    precision: float
    false_per_100: float  # false pairs per 100 petitions
    pairs: int  # true pairs
    found: int  # true pairs found
    false: int  # false pairs found


def _scores(examples: Sequence[Record]) -> tuple[np.ndarray, np.ndarray]:
    """The score of every pair (upper triangle) and whether it is a true pair."""
    texts = paraphrase.Texts([e.text for e in examples])
    text, overlap = texts.matrices()
    persons = found_persons(examples, roster_of(examples))
    n = len(examples)
    score = text + overlap
    truth = np.zeros((n, n), dtype=bool)
    for i, j in itertools.combinations(range(n), 2):
        a, b = persons[i], persons[j]
        score[i, j] += paraphrase.PERSON_WEIGHT * ((1 if a & b else 0) - (1 if a and b and not a & b else 0))
        shared = len(texts.entities[i] & texts.entities[j])
        score[i, j] += paraphrase.ENTITY_WEIGHT * min(shared, paraphrase.ENTITY_CAP)
        group = examples[i].dup_group
        truth[i, j] = group is not None and group == examples[j].dup_group
    upper = np.triu_indices(n, 1)
    return score[upper], truth[upper]


def evaluate_duplicates(
    examples: Sequence[Record], threshold: float = paraphrase.THRESHOLD
) -> DuplicateFigures:
    """Recall and precision of the pairs scored at or above ``threshold``, and false pairs per 100."""
    score, truth = _scores(examples)
    return _figures(score >= threshold, truth, len(examples))


def choose_threshold(examples: Sequence[Record], false_per_100: float = 1.0) -> float:
    """The lowest threshold that scores at most ``false_per_100`` false pairs per 100 examples (train)."""
    score, truth = _scores(examples)
    allowed = int(false_per_100 * len(examples) / 100)
    negatives = np.sort(score[~truth])[::-1]
    if allowed >= negatives.size:
        return float(score.min())
    return float(np.nextafter(negatives[allowed], np.inf))


def _figures(hit: np.ndarray, truth: np.ndarray, n: int) -> DuplicateFigures:
    found, false, pairs = int((hit & truth).sum()), int((hit & ~truth).sum()), int(truth.sum())
    return DuplicateFigures(
        recall=found / pairs if pairs else 1.0,
        precision=found / (found + false) if found + false else 1.0,
        false_per_100=false * 100 / n if n else 0.0,
        pairs=pairs,
        found=found,
        false=false,
    )


def evaluate_index(examples: Sequence[Record]) -> DuplicateFigures:
    """Recall and precision of the pairs intake's index suggests today: bigram Jaccard ≥ its threshold."""
    shingles = [duplicates.shingles_of(Petition(title="", content=e.text)) for e in examples]
    pairs = list(itertools.combinations(range(len(examples)), 2))
    hit = np.array(
        [duplicates.similarity(shingles[i], shingles[j]) >= duplicates.THRESHOLD for i, j in pairs]
    )
    truth = np.array(
        [
            examples[i].dup_group is not None and examples[i].dup_group == examples[j].dup_group
            for i, j in pairs
        ]
    )
    return _figures(hit, truth, len(examples))
