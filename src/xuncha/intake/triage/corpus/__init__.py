"""The labelled triage corpus: petition-style texts written from public sources (纪委 bulletins of typical
cases, published 巡察 feedback, hotline and message-board posts), persons replaced by fictional names, each
labelled for scope (with its reason), 六项纪律 and 三个聚焦 (docs/triage.md has the labelling guide).

One JSON object a line in ``*.jsonl`` beside this module, one file per source type. ``split`` is ``train`` or
``dev``; the dev split is held out for evaluation and never trained on. ``load`` checks every code against the
product's own choices and default schemes, so a corpus that drifts from them fails loudly.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xuncha.taxonomy.defaults import DISCIPLINES, FOCUS, Item

from ...choices import IN_SCOPE_REASONS, Channel, Scope, ScopeReason
from ..base import scope_value

DIRECTORY = Path(__file__).resolve().parent
TRAIN, DEV = "train", "dev"
SPLITS = (TRAIN, DEV)


def _codes(items: Iterable[Item]) -> set[str]:
    return {code for item in items for code in (item.code, *_codes(item.children))}


DISCIPLINE_CODES = _codes(DISCIPLINES)
# Petitions are labelled with an item of a focus (2.3), never with a whole focus (2).
FOCUS_CODES = {code for code in _codes(FOCUS) if "." in code}


@dataclass(frozen=True)
class Person:
    """A person the petition is about (被反映人), as named in the text: all fictional."""

    name: str
    post: str
    unit: str


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    channel: str
    scope: str
    reason: str  # a ScopeReason code
    scope_reason: str  # why, in a few Chinese words
    discipline: str | None
    focus: str | None
    persons: tuple[Person, ...]
    dup_group: str | None
    source: str
    split: str

    @property
    def scope_value(self) -> str:
        """The scope as the triage suggests it ("in:next_level_principal")."""
        return scope_value(self.scope, self.reason)


def parse(line: str) -> Record:
    """One JSONL line as a record; ValueError when a field is missing or a code is not the product's."""
    data = json.loads(line)
    try:
        record = Record(
            id=data["id"],
            text=data["text"],
            channel=data["channel"],
            scope=data["scope"],
            reason=data["reason"],
            scope_reason=data["scope_reason"],
            discipline=data["discipline"],
            focus=data["focus"],
            persons=tuple(Person(p["name"], p["post"], p["unit"]) for p in data["persons"]),
            dup_group=data["dup_group"],
            source=data["source"],
            split=data["split"],
        )
    except KeyError as missing:
        raise ValueError(f"{data.get('id', '?')}: no field {missing}") from None
    problems = [
        record.channel not in Channel.values and f"channel {record.channel!r}",
        record.scope not in Scope.values and f"scope {record.scope!r}",
        record.reason not in ScopeReason.values and f"reason {record.reason!r}",
        (record.scope == Scope.IN) != (record.reason in IN_SCOPE_REASONS) and "scope and reason disagree",
        record.discipline not in DISCIPLINE_CODES | {None} and f"discipline {record.discipline!r}",
        record.focus not in FOCUS_CODES | {None} and f"focus {record.focus!r}",
        record.split not in SPLITS and f"split {record.split!r}",
    ]
    wrong = [problem for problem in problems if problem]
    if wrong:
        raise ValueError(f"{record.id}: {', '.join(wrong)}")
    return record


def load(split: str | None = None, paths: Iterable[Path] | None = None) -> list[Record]:
    """The records of the given files (default: the shipped corpus), of one split or all."""
    files = sorted(DIRECTORY.glob("*.jsonl")) if paths is None else list(paths)
    lines = (line for path in files for line in path.read_text(encoding="utf-8").splitlines() if line)
    records = [parse(line) for line in lines]
    return [r for r in records if split is None or r.split == split]


def dup_groups(records: Iterable[Record]) -> dict[str, list[Record]]:
    """The records that report the same matter, by group."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        if record.dup_group:
            groups.setdefault(record.dup_group, []).append(record)
    return groups
