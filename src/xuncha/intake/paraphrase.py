"""How alike two petitions are when one retells the other: a clerk's summary of a call and the letter of
the same matter share few character bigrams (Jaccard 0.03–0.21 on the corpus's pairs) but the same
persons, places and sums, and the rarer words of the matter.

Four signals, each shown as the evidence of a suggested pair (``GET /api/v1/petitions/{id}/duplicates``) and
scored by the evaluation (triage/eval_matching.py):

- ``persons``: roster persons the triage found in both (their suggestions), the strongest sign;
- ``entities``: places, projects and companies (names ending in 村, 镇, 社区, 小区, 公司, 工程 …), sums of
  money (as values: "一百多万元" and "100多万元" are one sum) and dates (years, months and days), extracted
  by patterns, never guessed;
- ``text``: cosine similarity of character 2–3-gram TF-IDF vectors (sublinear term frequency);
- ``overlap``: the IDF-weighted share of the shorter text's character bigrams that the other has too (a
  summary keeps the rare words of the letter, and is shorter).

The IDF weights are those of the shipped corpus's train split (triage/corpus, never its dev split), so they
are fixed, the same in every process and known before a committee's first petition. ``score`` adds the
signals with the weights below; ``THRESHOLD`` was chosen on the train split's duplicate pairs
(``eval_matching.choose_threshold``): the lowest score with at most one false pair per 100 train texts over
all pairs. docs/triage.md has the figures on train and dev.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from xuncha.core.text import chinese_numeral, normalised

# Weights of the signals; the threshold on their sum (see the module's docstring).
PERSON_WEIGHT = 0.4
ENTITY_WEIGHT = 0.05
ENTITY_CAP = 2
THRESHOLD = 0.6

_NOT_ALNUM = re.compile(r"[\W_]+")
_PLACE = re.compile(
    r"([\u4e00-\u9fff]{2})(村|镇|乡|街道|社区|小区|公司|学校|医院|中学|小学|幼儿园|合作社|工程|项目|大桥|公路"
    r"|广场|花园|大厦|中心|路|酒店|宾馆|工厂|集团|市场)"
)
# Words before a place's own name that are not part of it ("我们村", "他们公司", "这个小区").
_PLACE_NOISE = re.compile(r"^(?:[我你他她它]们?|这个?|那个?|本|该|某|所在|一个|一家|其)")
# A "name" holding one of these is a phrase, not a name ("把工程", "给他小舅子的公司").
_FUNCTION_CHARS = frozenset("的了把比给他她我你在是和与被将就都也还要对向从到为说让叫去来有没不这那个")
_AMOUNT = re.compile(
    r"([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)(?:多|余)?(万|亿)?(?:多|余)?(?:元|块)"
)
_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_DAY = re.compile(
    r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:([0-9]{1,2}|[一二三四五六七八九十]{1,3})[日号])?"
)


def _cn_number(text: str) -> float:
    """A number in Arabic digits or in Chinese numerals ("一百二十", "十五") as a value."""
    return float(text) if text[:1].isdigit() else float(chinese_numeral(text))


def entities(text: str) -> set[str]:
    """Places, projects, companies, sums and dates named in the text, each as a comparable string."""
    text = normalised(text)
    found = set()
    # The two characters before the kind ("石桥" of "石桥村"): the same in a letter and in a clerk's
    # summary, whatever words come before; a longer name is cut the same way in both.
    for name, kind in _PLACE.findall(text):
        if not _PLACE_NOISE.match(name) and not _FUNCTION_CHARS.intersection(name):
            found.add(name + kind)
    for number, scale in _AMOUNT.findall(text):
        value = _cn_number(number)
        if value:
            value *= {"万": 10_000, "亿": 100_000_000}.get(scale, 1)
            if value >= 100:  # "一块" or "三元" is not a sum that identifies a matter
                found.add(f"{value:g}元")
    found |= {f"{year}年" for year in _YEAR.findall(text)}
    for month, day in _DAY.findall(text):
        m, d = _cn_number(month), _cn_number(day) if day else None
        if m and 1 <= m <= 12 and d:
            found.add(f"{m:g}月{d:g}日")
    return found


def _squeezed(text: str) -> str:
    return _NOT_ALNUM.sub("", normalised(text))


@functools.cache
def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """Fitted on the corpus's train split (loaded once per process: core.warmup at a worker's start)."""
    from .triage.corpus import TRAIN, load  # the corpus is data; read only here

    texts = [_squeezed(r.text) for r in load(TRAIN)]
    cosine = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit(texts)
    overlap = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), binary=True, norm=None).fit(texts)
    return cosine, overlap


def loaded() -> None:
    """Fit the weights now (core.warmup), not in the first request."""
    _vectorizers()


@dataclass
class Evidence:
    """Why two petitions look like one matter."""

    text: float
    overlap: float
    persons: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    # 1 when both name roster persons and share none: two matters of the same kind about different people.
    other_persons: int = 0

    @property
    def score(self) -> float:
        return (
            self.text
            + self.overlap
            + PERSON_WEIGHT * (min(len(self.persons), 1) - self.other_persons)
            + ENTITY_WEIGHT * min(len(self.entities), ENTITY_CAP)
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "score": round(self.score, 4),
            "text": round(self.text, 4),
            "overlap": round(self.overlap, 4),
            "persons": self.persons,
            "entities": self.entities,
            "other_persons": bool(self.other_persons),
        }


class Texts:
    """Several texts vectorised at once, compared pairwise."""

    def __init__(self, texts: list[str]) -> None:
        cosine, overlap = _vectorizers()
        squeezed = [_squeezed(t) for t in texts]
        self.cosine: csr_matrix = cosine.transform(squeezed).tocsr()
        self.weights: csr_matrix = overlap.transform(squeezed).tocsr()
        self.present: csr_matrix = self.weights.copy()
        self.present.data[:] = 1
        self.mass = np.asarray(self.weights.sum(axis=1)).ravel()
        self.entities = [entities(t) for t in texts]

    def text(self, i: int, j: int) -> float:
        return float(self.cosine[i].multiply(self.cosine[j]).sum())

    def overlap(self, i: int, j: int) -> float:
        shorter = min(self.mass[i], self.mass[j])
        if shorter <= 0:
            return 0.0
        shared = float(self.weights[i].multiply(self.present[j]).sum())
        return min(1.0, shared / shorter)

    def evidence(
        self, i: int, j: int, persons_i: Iterable[str] = (), persons_j: Iterable[str] = ()
    ) -> Evidence:
        """The evidence of texts i and j; ``persons_*`` are the persons each names (labels or ids)."""
        a, b = set(persons_i), set(persons_j)
        return Evidence(
            text=self.text(i, j),
            overlap=self.overlap(i, j),
            persons=sorted(a & b),
            entities=sorted(self.entities[i] & self.entities[j]),
            other_persons=int(bool(a and b and not a & b)),
        )

    def matrices(self) -> tuple["np.ndarray", "np.ndarray"]:
        """Text and overlap similarity of every pair at once (for the evaluation)."""
        text = (self.cosine @ self.cosine.T).toarray()
        shared = (self.weights @ self.present.T).toarray()
        shorter = np.minimum(self.mass[:, None], self.mass[None, :])
        overlap = np.minimum(1.0, np.divide(shared, shorter, out=np.zeros_like(shared), where=shorter > 0))
        return text, overlap
