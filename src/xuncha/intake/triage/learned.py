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

from ..choices import SuggestionField, SuggestionSource
from ..models import Petition, Suggestion, TriageModel
from .base import make, split_scope_value

FIELDS = (SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS)
# Bump when the features change: the fingerprint includes it, so every model is then retrained.
FEATURES_VERSION = 1
N_FEATURES = 2**16
MAX_COLUMNS = 30_000  # the strongest hashed columns kept per model
MIN_PROBABILITY = 0.4  # below this the model has no suggestion worth showing
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

    def predict(self, columns: np.ndarray, values: np.ndarray) -> tuple[str, float]:
        scores = self.intercept.copy()
        for col, value in zip(columns.tolist(), values.tolist(), strict=True):
            row = self.rows.get(col)
            if row is not None:
                scores += value * self.weights[row]
        top = int(np.argmax(scores))
        total = sum(math.exp(s - scores[top]) for s in scores)
        return self.classes[top], 1.0 / total


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


def propose(petition: Petition, committee_id: int) -> list[Suggestion]:
    models = _models(committee_id)
    if not models:
        return []
    row = VECTORIZER.transform([training_text(petition.title, petition.subject_post, petition.content)])
    found = []
    for field, model in models:
        label, probability = model.predict(row.indices, row.data)
        if probability < MIN_PROBABILITY:
            continue
        if field == SuggestionField.SCOPE and split_scope_value(label) is None:
            continue
        found.append(
            make(
                petition,
                field,
                label,
                source=SuggestionSource.LEARNED,
                reason=f"学习模型（基于本委 {model.samples} 件已确认分拣）",
                score=probability,
            )
        )
    return found
