"""The evaluation harness (``xuncha triage eval [FILE]``, issue 17 item 5): how a brand-new committee's
triage does on labelled petitions, the corpus's held-out ``dev`` split by default.

A brand-new committee has no decisions and, as the demo gives it, the default rules: each record is read as
the petition's content and goes through the same steps as at intake, without the database — the default
rules (compiled from defaults.py, their categories by code), the default model, the ranking the form
prefills from. No roster: persons are their own section.

The report is a list of ``Section``s, each a few ``Figure``s, some with the threshold CI holds
(``Figure.passed``). ``SECTIONS`` lists the functions that make them from a ``Run``; a further section
(person precision/recall, duplicate recall and precision) is a function ``(Run) -> Section`` added to
``SECTIONS`` (``register``). Persons are read against a roster of every person the records name
(``eval_matching``); duplicates are reported for the rule intake applies and for the paraphrase score it does
not use yet, without a threshold held: issue 17's target (recall ≥ 80% at ≤ 1 false pair per 100) is not met.
"""

import json
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..choices import Scope, SuggestionField
from ..models import Petition, Suggestion
from . import default_model, eval_matching, learned, ranking, rules
from .base import Text, split_scope_value
from .corpus import DEV, Person, Record, load

# Issue 17's targets, on the dev set, for a brand-new committee.
SCOPE_ACCURACY = 0.95
OUT_PRECISION = 0.95
DISCIPLINE_TOP1 = 0.75
FOCUS_TOP1 = 0.55
FOCUS_TOP2 = 0.80
P50_MS = 20.0
PERSON_PRECISION = 0.97
PERSON_RECALL = 0.95


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | None  # a share (0–1) or, with ``unit``, a measure; None when nothing to measure
    threshold: float | None = None
    unit: str = ""  # "" for a share, shown as a percentage
    at_most: bool = False  # the threshold is a ceiling (time)
    detail: str = ""

    @property
    def passed(self) -> bool:
        if self.threshold is None:
            return True
        if self.value is None:
            return False
        return self.value <= self.threshold if self.at_most else self.value >= self.threshold

    def line(self) -> str:
        shown = (
            "—"
            if self.value is None
            else f"{self.value * 100:.1f}%"
            if not self.unit
            else f"{self.value:.2f} {self.unit}"
        )
        bound = ""
        if self.threshold is not None:
            limit = f"{self.threshold * 100:.0f}%" if not self.unit else f"{self.threshold:g} {self.unit}"
            bound = f"（要求 {'≤' if self.at_most else '≥'} {limit}，{'达到' if self.passed else '未达到'}）"
        return f"  {self.label}：{shown}{bound}{f'  {self.detail}' if self.detail else ''}"


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """What the triage suggested for one record: per field, the values in ranked order."""

    record: Record
    ranked: dict[str, list[str]]
    seconds: float

    def top(self, name: str, n: int = 1) -> list[str]:
        return self.ranked.get(name, [])[:n]


def _suggest(
    record: Record,
    compiled: list[rules.CompiledRule],
    model: default_model.Model | None,
) -> Outcome:
    started = time.perf_counter()
    petition = Petition(title="", content=record.text)
    made: list[Suggestion] = rules.propose_with(petition, Text(record.text), compiled)
    if model is not None:
        made += learned.suggestions(petition, {}, model, {})
    ranked = {
        str(name): [group[0].value for group in ranking.values(made, name)]
        for name in (SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS)
    }
    return Outcome(record, ranked, time.perf_counter() - started)


@dataclass
class Run:
    """The records and what the triage made of them (with and without the default rules)."""

    records: list[Record]
    model: default_model.Model | None

    @cached_property
    def outcomes(self) -> list[Outcome]:
        compiled = rules.compiled_defaults()
        return [_suggest(r, compiled, self.model) for r in self.records]

    @cached_property
    def model_alone(self) -> list[Outcome]:
        return [_suggest(r, [], self.model) for r in self.records]


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _scope_figures(outcomes: Sequence[Outcome], *, held: bool) -> list[Figure]:
    def inside(value: str | None) -> bool | None:
        pair = split_scope_value(value) if value else None
        return None if pair is None else pair[0] == Scope.IN

    truth = [o.record.scope == Scope.IN for o in outcomes]
    said = [inside(next(iter(o.top(SuggestionField.SCOPE)), None)) for o in outcomes]
    right = sum(s == t for s, t in zip(said, truth, strict=True))
    said_out = [t for s, t in zip(said, truth, strict=True) if s is False]
    truly_out = [s for s, t in zip(said, truth, strict=True) if not t]
    reasons = sum(o.top(SuggestionField.SCOPE) == [o.record.scope_value] for o in outcomes)
    return [
        Figure(
            "受理范围准确率",
            _share(right, len(outcomes)),
            SCOPE_ACCURACY if held else None,
            detail=f"{right}/{len(outcomes)}，无建议 {said.count(None)} 件",
        ),
        Figure(
            "不属于受理范围：准确率（precision）",
            _share(said_out.count(False), len(said_out)),
            OUT_PRECISION if held else None,
            detail=f"{said_out.count(False)}/{len(said_out)}",
        ),
        Figure(
            "不属于受理范围：召回率（recall）",
            _share(truly_out.count(False), len(truly_out)),
            detail=f"{truly_out.count(False)}/{len(truly_out)}",
        ),
        Figure("受理范围及依据（如“个人诉求”）准确率", _share(reasons, len(outcomes))),
    ]


def _category_figures(
    outcomes: Sequence[Outcome], name: str, label: str, top1: float | None, top2: float | None, *, held: bool
) -> list[Figure]:
    labelled = [o for o in outcomes if o.record.scope == Scope.IN and default_model.label(o.record, name)]
    first = sum(o.top(name) == [default_model.label(o.record, name)] for o in labelled)
    second = sum(default_model.label(o.record, name) in o.top(name, 2) for o in labelled)
    return [
        Figure(
            f"{label}第一建议准确率（top-1）",
            _share(first, len(labelled)),
            top1 if held else None,
            detail=f"{first}/{len(labelled)}",
        ),
        Figure(
            f"{label}前两项建议含正确项（top-2）",
            _share(second, len(labelled)),
            top2 if held else None,
            detail=f"{second}/{len(labelled)}",
        ),
    ]


def triage_section(run: Run) -> Section:
    outcomes = run.outcomes
    return Section(
        "新设党委（无已确认分拣，已载入默认规则）：表单预填的第一建议",
        [
            *_scope_figures(outcomes, held=True),
            *_category_figures(
                outcomes, SuggestionField.DISCIPLINE, "六项纪律", DISCIPLINE_TOP1, None, held=True
            ),
            *_category_figures(
                outcomes, SuggestionField.FOCUS, "三个聚焦", FOCUS_TOP1, FOCUS_TOP2, held=True
            ),
        ],
    )


def model_section(run: Run) -> Section:
    outcomes = run.model_alone
    return Section(
        "仅默认模型（不载入规则），供比较",
        [
            *_scope_figures(outcomes, held=False),
            *_category_figures(outcomes, SuggestionField.DISCIPLINE, "六项纪律", None, None, held=False),
            *_category_figures(outcomes, SuggestionField.FOCUS, "三个聚焦", None, None, held=False),
        ],
    )


def timing_section(run: Run) -> Section:
    times = [o.seconds * 1000 for o in run.outcomes]
    p50 = statistics.median(times) if times else None
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else None
    return Section(
        "耗时（每件，规则 + 默认模型 + 排序，不含数据库和花名册）",
        [
            Figure("p50", p50, P50_MS, unit="ms", at_most=True),
            Figure("p95", p95, unit="ms"),
        ],
    )


def persons_section(run: Run) -> Section:
    found = eval_matching.evaluate_persons(run.records, eval_matching.roster_of(run.records))
    detail = f"对 {found.true}，错 {found.false}，漏 {found.missed}"
    return Section(
        "被反映人（花名册匹配，花名册含语料中的全部人员）",
        [
            Figure("准确率", found.precision, PERSON_PRECISION, detail=detail),
            Figure("召回率", found.recall, PERSON_RECALL),
        ],
    )


def _duplicate_figures(found: eval_matching.DuplicateFigures) -> list[Figure]:
    return [
        Figure("召回率", found.recall, detail=f"找到 {found.found} / {found.pairs} 对"),
        Figure("准确率", found.precision),
        Figure("每百件误报对数", found.false_per_100, unit="对", detail=f"误报 {found.false} 对"),
    ]


def duplicates_section(run: Run) -> Section:
    # Reported, not held: the rule in use misses most rewordings (issue 17's target is not met yet).
    return Section(
        "重复件（受理时在用的规则：字二元组 Jaccard ≥ 0.3；目标召回率 ≥ 80%、每百件误报 ≤ 1 对，尚未达到）",
        _duplicate_figures(eval_matching.evaluate_index(run.records)),
    )


def paraphrase_section(run: Run) -> Section:
    return Section(
        "重复件（改写相似度评分，尚未用于受理，供比较）",
        _duplicate_figures(eval_matching.evaluate_duplicates(run.records)),
    )


SECTIONS: list[Callable[[Run], Section]] = [
    triage_section,
    model_section,
    persons_section,
    duplicates_section,
    paraphrase_section,
    timing_section,
]


def register(section: Callable[[Run], Section]) -> None:
    """Add a section before the timings."""
    if section not in SECTIONS:
        SECTIONS.insert(len(SECTIONS) - 1, section)


def evaluate(
    records: Iterable[Record] | None = None, model: default_model.Model | None = None
) -> list[Section]:
    """The sections, on ``records`` (default: the dev split) with ``model`` (default: the shipped one)."""
    run = Run(list(load(DEV) if records is None else records), model or default_model.loaded())
    return [section(run) for section in SECTIONS]


def records_of(path: Path | None) -> list[Record]:
    """The dev split of the corpus, or every record of a JSONL file with the fields ``text, scope,
    discipline, focus, persons, dup_group`` (the corpus's other fields are optional there)."""
    if path is None:
        return load(DEV)
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        data = json.loads(line)
        missing = [
            k for k in ("text", "scope", "discipline", "focus", "persons", "dup_group") if k not in data
        ]
        if missing or data["scope"] not in Scope.values:
            raise ValueError(
                f"第 {n} 行：{'缺少字段 ' + '、'.join(missing) if missing else '受理范围须为 in 或 out'}"
            )
        full = {"id": f"{path.stem}-{n}", "channel": "web", "scope_reason": "", "source": "", "split": DEV}
        full.update(data)
        full.setdefault("reason", "")
        records.append(
            Record(
                **{k: full[k] for k in Record.__dataclass_fields__ if k != "persons"},
                persons=tuple(
                    Person(p["name"], p.get("post", ""), p.get("unit", "")) for p in data["persons"]
                ),
            )
        )
    return records


def report(sections: Sequence[Section], records: int) -> str:
    lines = [f"分拣评估：{records} 件"]
    for section in sections:
        lines.append(f"\n{section.title}")
        lines += [figure.line() for figure in section.figures]
    failed = [f.label for s in sections for f in s.figures if not f.passed]
    lines.append("\n" + (f"未达到要求：{'、'.join(failed)}" if failed else "全部达到要求。"))
    return "\n".join(lines)


def passed(sections: Sequence[Section]) -> bool:
    return all(f.passed for s in sections for f in s.figures)
