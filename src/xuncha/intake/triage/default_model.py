"""The default triage model: what a committee gets before it has confirmed any decision (issue 17).

Trained by ``xuncha triage train-default`` on the ``train`` split of the shipped corpus (corpus/, never
the ``dev`` split), one classifier per field: scope (``"in:leadership"`` …), 六项纪律 and 三个聚焦 (by the
codes of the default schemes). Features: character 1–3-grams of the normalised text, TF-IDF with sublinear
term frequency, l2-normalised; a multinomial logistic regression per field. Its probabilities are calibrated
by one temperature per field, fitted on out-of-fold scores of the train split (folds by matter, so that a
paraphrase of a text is never in the fold that scores it). docs/decisions/0011-default-triage-model.md has
why this model and the figures.

The shipped file (``default_model.zip``) holds no pickle: a zip of ``.npy`` arrays (the vocabulary, the idf
weights, per field the classes, the weights as float16, the intercepts) and ``meta.json`` (the corpus digest,
the temperatures, the cross-validated figures, and the measured precision of the default rules). The zip
members carry a fixed date, so the same corpus gives the same bytes. Prediction is ours (a dictionary
lookup per n-gram and a small product): nothing of scikit-learn is built per petition, and the file loads in
a fraction of a second when a worker starts (core.warmup).
"""

import hashlib
import io
import json
import re
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from xuncha.core.text import normalised

from ..choices import Scope, SuggestionField
from .corpus import TRAIN, Record, load

PATH = Path(__file__).resolve().parent / "default_model.zip"
FIELDS = (SuggestionField.SCOPE, SuggestionField.DISCIPLINE, SuggestionField.FOCUS)
# Bump when the features or the file change: a shipped file of another version is refused.
VERSION = 1
NGRAMS = (1, 3)
MIN_DF = 2
C = 300.0  # chosen by cross-validation on the train split (decision 0011), never on dev
FOLDS = 5
LEARN_CHARS = 2_000  # as the committee's learned model: the beginning of a long text is enough
_DATE = (2020, 1, 1, 0, 0, 0)
_WHITE = re.compile(r"\s\s+")


def text_of(title: str, subject_post: str, content: str) -> str:
    """What the model reads: never the reporter's identity nor the subject's name."""
    return "\n".join(p for p in (title, subject_post, content) if p)[:LEARN_CHARS]


def analyse(text: str) -> list[str]:
    """The character n-grams of a text, as scikit-learn's ``analyzer="char"`` cuts them (after our
    normalisation: full-width folded, lower case)."""
    doc = _WHITE.sub(" ", normalised(text))
    grams: list[str] = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        grams += [doc[i : i + n] for i in range(len(doc) - n + 1)]
    return grams


def label(record: Record, field: str) -> str | None:
    if field == SuggestionField.SCOPE:
        return record.scope_value
    return record.discipline if field == SuggestionField.DISCIPLINE else record.focus


def corpus_digest(records: Iterable[Record]) -> str:
    """What the model depends on: the texts and labels of the train records (and the model's version)."""
    lines = sorted(
        json.dumps([r.id, r.text, r.scope_value, r.discipline, r.focus, r.dup_group], ensure_ascii=False)
        for r in records
    )
    return hashlib.sha256("\n".join([f"v{VERSION}", *lines]).encode()).hexdigest()


# Prediction -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classifier:
    classes: list[str]
    weights: np.ndarray  # one row per vocabulary entry, one column per class (float32)
    intercept: np.ndarray
    temperature: float

    def probabilities(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        scores = self.intercept + values @ self.weights[columns]
        scores = scores / self.temperature
        scores = np.exp(scores - scores.max())
        return np.asarray(scores / scores.sum())


@dataclass(frozen=True)
class Model:
    vocabulary: dict[str, int]
    idf: np.ndarray
    classifiers: dict[str, Classifier]
    meta: dict[str, Any]

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The TF-IDF row of a text: its columns and values (sublinear tf, l2-normalised)."""
        counts = Counter(i for gram in analyse(text) if (i := self.vocabulary.get(gram)) is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(tf)) * self.idf[columns]
        return columns, (values / np.linalg.norm(values)).astype(np.float32)

    def predict(self, text: str) -> dict[str, list[tuple[str, float]]]:
        """Per field, every class with its calibrated probability, the likeliest first."""
        columns, values = self.features(text)
        found = {}
        for field, classifier in self.classifiers.items():
            probabilities = classifier.probabilities(columns, values)
            order = np.argsort(-probabilities, kind="stable")
            found[field] = [(classifier.classes[i], float(probabilities[i])) for i in order]
        return found

    @property
    def trained_on(self) -> int:
        return int(self.meta["trained_on"])

    def rule_precision(self, key: str) -> float | None:
        value = self.meta.get("rules", {}).get(key)
        return None if value is None else float(value)


def read(data: bytes) -> Model:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        meta = json.loads(archive.read("meta.json"))
        if meta.get("version") != VERSION:
            raise ValueError(f"default triage model of version {meta.get('version')}, expected {VERSION}")

        def array(name: str) -> np.ndarray:
            with archive.open(f"{name}.npy") as member:
                return np.asarray(np.lib.format.read_array(io.BytesIO(member.read()), allow_pickle=False))

        vocabulary = {str(gram): i for i, gram in enumerate(array("vocabulary").tolist())}
        classifiers = {
            str(field): Classifier(
                [str(c) for c in array(f"{field}_classes").tolist()],
                array(f"{field}_weights").astype(np.float32),
                array(f"{field}_intercept").astype(np.float32),
                float(meta["fields"][field]["temperature"]),
            )
            for field in FIELDS
        }
        return Model(vocabulary, array("idf").astype(np.float32), classifiers, meta)


_model: Model | None = None
_lock = threading.Lock()


def loaded() -> Model | None:
    """The shipped model, read once per process (at worker start through core.warmup); None when the
    package ships none (then committees start from their rules and roster alone)."""
    global _model
    if _model is None and PATH.exists():
        with _lock:
            if _model is None:
                _model = read(PATH.read_bytes())
    return _model


# Training ---------------------------------------------------------------------------------------------


def _member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


def _temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the log loss of out-of-fold scores (a grid: plain, reproducible)."""

    def loss(t: float) -> float:
        scaled = scores / t
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scaled).sum(axis=1))
        return float(np.mean(log_norm - scaled[np.arange(len(truth)), truth]))

    grid = [round(0.2 + 0.05 * i, 2) for i in range(97)]  # 0.2 … 5.0
    return min(grid, key=loss)


def _figures(scores: np.ndarray, truth: np.ndarray, classes: list[str], field: str) -> dict[str, float]:
    top = np.argsort(-scores, axis=1)[:, :2]
    figures = {
        "top1": float(np.mean(top[:, 0] == truth)),
        "top2": float(np.mean((top == truth[:, None]).any(axis=1))),
    }
    if field == SuggestionField.SCOPE:
        inside = np.array([c.startswith(f"{Scope.IN}:") for c in classes])
        figures["scope"] = float(np.mean(inside[top[:, 0]] == inside[truth]))
    return {k: round(v, 4) for k, v in figures.items()}


def train(
    records: Sequence[Record] | None = None,
    rule_precision: Callable[[list[Record]], dict[str, float]] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> bytes:
    """The model file for the train records (default: the shipped corpus's train split)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    train_records = list(load(TRAIN) if records is None else records)
    vectorizer = TfidfVectorizer(
        analyzer=analyse, sublinear_tf=True, min_df=MIN_DF, dtype=np.float64, lowercase=False
    )
    texts = [text_of("", "", r.text) for r in train_records]
    matrix = vectorizer.fit_transform(texts)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    progress(f"{len(train_records)} 条训练语料，{len(vocabulary)} 个字符 n-gram")
    arrays: dict[str, np.ndarray] = {
        "vocabulary": np.array(vocabulary, dtype=np.str_),
        "idf": np.asarray(vectorizer.idf_, dtype=np.float32),
    }
    fields: dict[str, Any] = {}
    for field in FIELDS:
        rows = [i for i, r in enumerate(train_records) if label(r, field) is not None]
        labels = [str(label(train_records[i], field)) for i in rows]
        classes = sorted(set(labels))
        truth = np.array([classes.index(x) for x in labels])
        groups = [train_records[i].dup_group or train_records[i].id for i in rows]
        x = matrix[rows]
        out_of_fold = np.zeros((len(rows), len(classes)))
        for fit_rows, score_rows in GroupKFold(n_splits=FOLDS).split(x, truth, groups):
            fold = LogisticRegression(C=C, max_iter=3_000).fit(x[fit_rows], truth[fit_rows])
            out_of_fold[np.ix_(score_rows, fold.classes_)] = fold.decision_function(x[score_rows])
            missing = np.setdiff1d(np.arange(len(classes)), fold.classes_)
            out_of_fold[np.ix_(score_rows, missing)] = -1e3  # a class the fold never saw
        temperature = _temperature(out_of_fold, truth)
        final = LogisticRegression(C=C, max_iter=3_000).fit(x, truth)
        arrays[f"{field}_classes"] = np.array(classes, dtype=np.str_)
        arrays[f"{field}_weights"] = np.asarray(final.coef_.T, dtype=np.float16)
        arrays[f"{field}_intercept"] = np.asarray(final.intercept_, dtype=np.float32)
        fields[field] = {
            "samples": len(rows),
            "temperature": temperature,
            "cross_validated": _figures(out_of_fold, truth, classes, field),
        }
        progress(f"{field}: {len(rows)} 条，{len(classes)} 类，温度 {temperature}，交叉验证 {fields[field]}")
    meta: dict[str, Any] = {
        "version": VERSION,
        "corpus": corpus_digest(train_records),
        "trained_on": len(train_records),
        "features": {"ngrams": list(NGRAMS), "min_df": MIN_DF, "sublinear_tf": True, "C": C, "folds": FOLDS},
        "fields": fields,
        "rules": {},
    }
    if rule_precision is not None:
        meta["rules"] = rule_precision(train_records)
    return _write(arrays, meta)


def _write(arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        _member(archive, "meta.json", json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode())
        for name, array in arrays.items():
            _member(archive, f"{name}.npy", _npy(array))
    return out.getvalue()
