"""The learned triage model: per committee and per field (scope, discipline, focus), trained only on that
committee's confirmed decisions (petitions with ``decided_by`` set).

Features: jieba words (jieba's default dictionary, never the roster words, so that training in the worker
and prediction in the web process see the same features) and Chinese character bigrams, hashed
(``HashingVectorizer``, stateless) and fed to a logistic regression. The parameters are stored as JSON in
``TriageModel.parameters`` (no pickle): the classes, the intercepts and, for the hashed columns the model
uses, one weight per class. Prediction is a dot product over those weights, loaded once per process and
model version, so nothing of scikit-learn is rebuilt per petition.

``labels_fingerprint`` is a hash of the (petition id, label) pairs, so a model is retrained only when the
labels changed, and only once the committee has ``learned_triage_min_samples`` confirmed decisions.

A committee never starts from nothing: the shipped default model (default_model.py) suggests from the first
petition, and once the committee's own model exists the two are blended, the committee's weighing
``n / (n + BLEND)`` after ``n`` confirmed decisions (half at ``BLEND``). Each field shows its two likeliest
values with their probability (the second only from ``SECOND_AT``); 六项纪律 and 三个聚焦 only when the
petition is likely in scope.
"""

import hashlib
import itertools
import math
import threading
from dataclasses import dataclass
from typing import Any

import jieba
import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from xuncha.core.audit import action_scope, record
from xuncha.core.text import normalised
from xuncha.orgs.models import CommitteeSettings
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..choices import Scope, SuggestionField, SuggestionSource
from ..models import Petition, Suggestion, TriageModel
from . import default_model
from .base import make, split_scope_value

FIELDS = (SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS)
# Bump when the features change: the fingerprint includes it, so every model is then retrained.
FEATURES_VERSION = 1
N_FEATURES = 2**16
MAX_COLUMNS = 30_000  # the strongest hashed columns kept per model
BLEND = 100  # confirmed decisions at which the committee's own model weighs as much as the default
SHOWN = 2  # values shown per field
SECOND_AT = 0.1  # the second value is shown from this probability
IN_SCOPE_AT = 0.5  # 六项纪律 and 三个聚焦 are suggested when the petition is this likely in scope
LEARN_CHARS = 2_000

TRAINED, UNCHANGED, TOO_FEW = "trained", "unchanged", "too_few"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def features(text: str) -> list[str]:
    norm = normalised(text)
    words = [w for w in jieba.lcut(norm, HMM=False) if len(w) > 1 and any(ch.isalnum() for ch in w)]
    bigrams = [f"#{a}{b}" for a, b in itertools.pairwise(norm) if _is_cjk(a) and _is_cjk(b)]
    return words + bigrams


VECTORIZER = HashingVectorizer(n_features=N_FEATURES, analyzer=features, alternate_sign=False, norm="l2")


def training_text(title: str, subject_post: str, content: str) -> str:
    """What the model reads: never the reporter's identity, nor the subject's name; the beginning of a long
    text is enough to classify it, and bounds the cost of prediction at intake."""
    return "\n".join(p for p in (title, subject_post, content) if p)[:LEARN_CHARS]


def label_of(
    field: str, scope: str, scope_reason: str, discipline_id: int | None, focus_id: int | None
) -> str | None:
    if field == SuggestionField.SCOPE:
        return f"{scope}:{scope_reason}" if scope and scope_reason else None
    if field == SuggestionField.DISCIPLINE:
        return str(discipline_id) if discipline_id else None
    return str(focus_id) if focus_id else None


def fingerprint(pairs: list[tuple[str, str]]) -> str:
    lines = sorted(f"{pk}:{label}" for pk, label in pairs)
    return hashlib.sha256("\n".join([f"v{FEATURES_VERSION}", *lines]).encode()).hexdigest()


def min_samples(committee_id: int) -> int:
    stored = CommitteeSettings.objects.filter(committee_id=committee_id).values_list(
        "learned_triage_min_samples", flat=True
    )
    default = CommitteeSettings._meta.get_field("learned_triage_min_samples").get_default()
    return int(stored.first() or default)


def confirmed(committee_id: int) -> list[tuple[Any, ...]]:
    return list(
        Petition.objects.filter(inspection__round__committee_id=committee_id, decided_by__isnull=False)
        .order_by("pk")
        .values_list(
            "pk", "title", "subject_post", "content", "scope", "scope_reason", "discipline_id", "focus_id"
        )
    )


def parameters(classifier: LogisticRegression) -> dict[str, Any]:
    """The fitted model as JSON: a binary model becomes two rows (0 and w), the same softmax as sigmoid."""
    classes = [str(c) for c in classifier.classes_]
    coef = np.asarray(classifier.coef_)
    intercept = np.asarray(classifier.intercept_)
    if len(classes) == 2 and coef.shape[0] == 1:
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]])
    strength = np.abs(coef).max(axis=0)
    used = np.flatnonzero(strength > 1e-4)
    if len(used) > MAX_COLUMNS:
        used = used[np.argsort(-strength[used])[:MAX_COLUMNS]]
    return {
        "version": FEATURES_VERSION,
        "n_features": N_FEATURES,
        "classes": classes,
        "intercept": [round(float(v), 6) for v in intercept],
        "weights": {str(int(col)): [round(float(v), 6) for v in coef[:, col]] for col in sorted(used)},
    }


def train(committee_id: int) -> dict[str, str]:
    """Train the committee's models whose labels changed since they were trained; what happened per field."""
    rows = confirmed(committee_id)
    needed = min_samples(committee_id)
    existing = {m.field: m for m in TriageModel.objects.filter(committee_id=committee_id)}
    outcome: dict[str, str] = {}
    matrix = None
    for field in FIELDS:
        labelled = [
            (i, label) for i, row in enumerate(rows) if (label := label_of(field, *row[4:])) is not None
        ]
        if len(labelled) < needed or len({label for _, label in labelled}) < 2:
            outcome[field] = TOO_FEW
            continue
        digest = fingerprint([(str(rows[i][0]), label) for i, label in labelled])
        current = existing.get(field)
        if current is not None and current.labels_fingerprint == digest:
            outcome[field] = UNCHANGED
            continue
        if matrix is None:
            matrix = VECTORIZER.transform([training_text(*row[1:4]) for row in rows])
        indices = [i for i, _ in labelled]
        classifier = LogisticRegression(max_iter=500, C=10.0)
        classifier.fit(matrix[indices], [label for _, label in labelled])
        _store(committee_id, field, current, digest, len(labelled), parameters(classifier))
        outcome[field] = TRAINED
    return outcome


def _store(
    committee_id: int,
    field: str,
    model: TriageModel | None,
    digest: str,
    samples: int,
    params: dict[str, Any],
) -> None:
    with action_scope("triage.model_trained"):
        model = model or TriageModel(committee_id=committee_id, field=field)
        model.labels_fingerprint, model.samples, model.parameters = digest, samples, params
        model.save()
        record(
            "triage.model_trained",
            model,
            by=None,
            details={"field": field, "samples": samples, "classes": len(params["classes"])},
        )


# Prediction -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    fingerprint: str
    samples: int
    classes: list[str]
    intercept: np.ndarray
    rows: dict[int, int]  # hashed column → row of ``weights``
    weights: np.ndarray  # one row per used column, one column per class

    @classmethod
    def of(cls, digest: str, samples: int, params: dict[str, Any]) -> "Loaded":
        columns = list(params["weights"])
        return cls(
            digest,
            samples,
            params["classes"],
            np.asarray(params["intercept"], dtype=float),
            {int(col): i for i, col in enumerate(columns)},
            np.asarray([params["weights"][c] for c in columns], dtype=float).reshape(len(columns), -1),
        )

    def predict(self, columns: np.ndarray, values: np.ndarray) -> dict[str, float]:
        """Every class with its probability."""
        scores = self.intercept.copy()
        for col, value in zip(columns.tolist(), values.tolist(), strict=True):
            row = self.rows.get(col)
            if row is not None:
                scores += value * self.weights[row]
        top = float(np.max(scores))
        exp = [math.exp(float(s) - top) for s in scores]
        total = sum(exp)
        return {label: e / total for label, e in zip(self.classes, exp, strict=True)}


_loaded: dict[int, Loaded] = {}
_lock = threading.Lock()


def _models(committee_id: int) -> list[tuple[str, Loaded]]:
    rows = TriageModel.objects.filter(committee_id=committee_id).values_list(
        "pk", "field", "labels_fingerprint", "samples"
    )
    models = []
    for pk, field, digest, samples in rows:
        loaded = _loaded.get(pk)
        if loaded is None or loaded.fingerprint != digest:
            params = TriageModel.objects.filter(pk=pk).values_list("parameters", flat=True).first()
            if (
                not params
                or params.get("version") != FEATURES_VERSION
                or params.get("n_features") != N_FEATURES
            ):
                continue
            loaded = Loaded.of(digest, samples, params)
            with _lock:
                _loaded[pk] = loaded
        models.append((field, loaded))
    return models


def _default_categories() -> dict[str, dict[str, str]]:
    """The default schemes' category codes → pks (the default model names categories by code)."""
    kinds: dict[str, str] = {
        SchemeKind.DISCIPLINE: SuggestionField.DISCIPLINE,
        SchemeKind.FOCUS: SuggestionField.FOCUS,
    }
    rows = Category.objects.filter(scheme__kind__in=list(kinds), scheme__is_default=True).values_list(
        "scheme__kind", "code", "pk"
    )
    found: dict[str, dict[str, str]] = {field: {} for field in kinds.values()}
    for kind, code, pk in rows:
        found[kinds[kind]][code] = str(pk)
    return found


def blend(default: dict[str, float], own: dict[str, float] | None, samples: int) -> dict[str, float]:
    """The default model's probabilities moved towards the committee's own by its number of decisions."""
    if own is None:
        return default
    weight = samples / (samples + BLEND)
    labels = dict.fromkeys([*default, *own])
    return {x: (1 - weight) * default.get(x, 0.0) + weight * own.get(x, 0.0) for x in labels}


def _why(samples: int | None, default: default_model.Model | None) -> str:
    if default is None:
        return f"学习模型（基于本委 {samples} 件已确认分拣）"
    if samples is None:
        return f"默认模型（基于 {default.trained_on} 件公开案例语料）"
    weight = samples / (samples + BLEND)
    return f"默认模型与本委学习模型（本委 {samples} 件已确认分拣，占 {weight:.0%}）"


def shown(probabilities: dict[str, float]) -> list[tuple[str, float]]:
    """The values to suggest, with their probability, the likeliest first."""
    ranked = sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))[:SHOWN]
    return [(x, p) for i, (x, p) in enumerate(ranked) if i == 0 or p >= SECOND_AT]


def in_scope(probabilities: dict[str, float]) -> float:
    return sum(p for x, p in probabilities.items() if x.startswith(f"{Scope.IN}:"))


def predicted(
    text: str,
    models: dict[str, Loaded],
    default: default_model.Model | None,
    codes: dict[str, dict[str, str]],
) -> dict[str, tuple[dict[str, float], int | None]]:
    """Per field, the blended probabilities and the committee's number of decisions (None: default only)."""
    found: dict[str, tuple[dict[str, float], int | None]] = {}
    by_default = default.predict(text) if default is not None else {}
    row = VECTORIZER.transform([text]) if models else None
    for field in FIELDS:
        base = {codes.get(field, {}).get(x, x): p for x, p in by_default.get(field, [])}
        own = models.get(field)
        if own is None or row is None:
            if base:
                found[field] = (base, None)
            continue
        own_probabilities = own.predict(row.indices, row.data)
        found[field] = (
            blend(base, own_probabilities, own.samples) if base else own_probabilities,
            own.samples,
        )
    return found


def propose(petition: Petition, committee_id: int) -> list[Suggestion]:
    models = dict(_models(committee_id))
    default = default_model.loaded()
    if not models and default is None:
        return []
    codes = _default_categories() if default is not None else {}
    return suggestions(petition, models, default, codes)


def suggestions(
    petition: Petition,
    models: dict[str, Loaded],
    default: default_model.Model | None,
    codes: dict[str, dict[str, str]],
) -> list[Suggestion]:
    """The models' suggestions for a petition (``codes``: the default scheme's category pks by code)."""
    text = training_text(petition.title, petition.subject_post, petition.content)
    fields = predicted(text, models, default, codes)
    scope = fields.get(SuggestionField.SCOPE)
    likely_in = in_scope(scope[0]) if scope is not None else 1.0
    found = []
    for field, (probabilities, samples) in fields.items():
        if field != SuggestionField.SCOPE and likely_in < IN_SCOPE_AT:
            continue
        for label, probability in shown(probabilities):
            if field == SuggestionField.SCOPE and split_scope_value(label) is None:
                continue
            found.append(
                make(
                    petition,
                    field,
                    label,
                    source=SuggestionSource.LEARNED,
                    reason=_why(samples, default),
                    score=probability,
                )
            )
    return found
