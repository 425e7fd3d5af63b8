"""Near-duplicate detection at intake: the same complaint by web, phone and box, across a committee.

A petition's text (title, content, whom it is about) is normalised (NFKC, lower case, only letters and
digits kept, numbers folded to one mark, common function characters dropped: what a clerk retyping a
call or a letter changes without changing the matter) and cut into character bigram shingles. A MinHash
signature of ``PERMUTATIONS`` values is cut into ``BANDS`` bands of ``ROWS`` values; each band is hashed
(blake2b, stable across processes) into a ``Fingerprint`` row (committee, band, value). A new petition's
candidates are the petitions of the same committee, in any inspection and channel, that share a band:
one query of index lookups, each band's bucket read up to ``BUCKET_LIMIT`` rows. The best
``CANDIDATE_CAP`` of them (most bands shared) are verified by the exact Jaccard similarity of the shingle
sets, recomputed from their few texts (no signature column needed, and exact rather than estimated), and
those reaching ``THRESHOLD`` become ``DuplicateCandidate`` suggestions for a member.

Short texts give too few shingles for a meaningful similarity (two six-character notes share half their
shingles by chance): below ``SHORT_TEXT`` normalised characters a petition gets one fingerprint of its
whole normalised text instead, and is suggested only with petitions whose normalised text is identical.

Changing the normalisation or the constants below changes every fingerprint: re-index all petitions.
"""

import hashlib
import re
from collections import Counter

import numpy as np
import numpy.typing as npt
from django.db import connection

from xuncha.core.text import normalised

from .models import DuplicateCandidate, Fingerprint, Petition

# Character bigrams, most Chinese words being two characters: on the tests' paraphrases (the web text,
# a clerk's summary of the call, the box letter of one complaint) bigram similarity is 0.33–0.71, against
# 0.25 at most for different complaints about the same unit, post or kind of misconduct; trigrams gave
# 0.20 against 0.19, too close to tell apart.
SHINGLE = 2
THRESHOLD = 0.3
# 32 bands of 2 rows: a pair at similarity 0.3 shares a band with probability 1 − (1 − 0.3²)³² ≈ 0.95,
# at 0.4 ≈ 0.996; pairs below are looked at less often, and never more than the cap.
BANDS = 32
ROWS = 2
PERMUTATIONS = BANDS * ROWS
# The band of a short text's whole-text fingerprint.
EXACT_BAND = BANDS
SHORT_TEXT = 20
# At most this many petitions are verified (and suggested) per intake, read from at most this many
# rows per band: the work stays bounded when thousands of texts are alike (a mass letter, templates).
CANDIDATE_CAP = 10
BUCKET_LIMIT = CANDIDATE_CAP
# Fixed, so that fingerprints computed by any process at any time agree.
SEED = "xuncha-duplicates-1"

# Anything but letters and digits (Unicode categories L and N): spaces, punctuation, symbols, emoji.
_NOT_ALNUM = re.compile(r"[\W_]+")
_NUMBER = re.compile("[0-9〇零一二两三四五六七八九十百千万亿]+")
# Function characters a retyping adds or drops freely (的/了/把/被, pronouns …).
_FILLER = str.maketrans("", "", "的地得了着过是在和与及或也还又就都把被将我你他她它们这那其啊吧呢吗呀")

_U64 = np.uint64


def _parameters(name: str) -> npt.NDArray[np.uint64]:
    """Fixed 64-bit parameters from blake2b (numpy's generators may change their streams between
    versions, and every stored fingerprint depends on these)."""
    values = [
        int.from_bytes(hashlib.blake2b(f"{SEED}:{name}:{i}".encode(), digest_size=8).digest(), "little")
        for i in range(PERMUTATIONS)
    ]
    return np.array(values, dtype=_U64)


# Permutation i of a shingle hash h: (a_i·h + b_i) mod 2⁶⁴, a bijection for odd a_i.
_A = _parameters("a") | _U64(1)
_B = _parameters("b")


def normalise(text: str) -> str:
    """The text as compared: folded, only letters and digits, numbers as one mark, fillers dropped."""
    return _NUMBER.sub("#", _NOT_ALNUM.sub("", normalised(text))).translate(_FILLER)


def _parts(petition: Petition) -> list[str]:
    texts = (petition.title, petition.content, petition.subject_name, petition.subject_post)
    return [part for part in (normalise(text) for text in texts) if part]


def shingles_of(petition: Petition) -> npt.NDArray[np.uint64]:
    """The petition's distinct shingles, as ``similarity`` compares them."""
    return _shingles(_parts(petition))


def _shingles(parts: list[str]) -> npt.NDArray[np.uint64]:
    """The distinct n-grams of each part, each packed losslessly into 63 bits (code points < 2²¹)."""
    codes = []
    for part in parts:
        if len(part) < SHINGLE:
            continue
        points = np.frombuffer(part.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
        count = len(points) - SHINGLE + 1
        code = np.zeros(count, dtype=_U64)
        for offset in range(SHINGLE):
            code = (code << _U64(21)) | points[offset : offset + count]
        codes.append(code)
    return np.unique(np.concatenate(codes)) if codes else np.empty(0, dtype=_U64)


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: a stable, well-spread 64-bit hash of each packed shingle."""
    with np.errstate(over="ignore"):
        z = values + _U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
        return z ^ (z >> _U64(31))


def signature(shingles: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The MinHash signature: under each permutation, the least hash of the set."""
    with np.errstate(over="ignore"):
        permuted = _mix(shingles)[:, None] * _A[None, :] + _B[None, :]
    result: npt.NDArray[np.uint64] = permuted.min(axis=0)
    return result


def _hash64(band: int, data: bytes) -> int:
    digest = hashlib.blake2b(band.to_bytes(2, "little") + data, digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)  # BigIntegerField is signed


def fingerprints(petition: Petition) -> list[tuple[int, int]]:
    """The (band, value) pairs of a petition: MinHash bands, or one whole-text value for a short text."""
    parts = _parts(petition)
    if not parts:
        return []
    if sum(len(part) for part in parts) < SHORT_TEXT:
        return [(EXACT_BAND, _hash64(EXACT_BAND, "|".join(parts).encode()))]
    rows = signature(_shingles(parts)).reshape(BANDS, ROWS)
    return [(band, _hash64(band, rows[band].tobytes())) for band in range(BANDS)]


def similarity(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Jaccard similarity of two sets of shingles (sorted, distinct)."""
    if not a.size or not b.size:
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


def _sharing(committee_id: int, prints: list[tuple[int, int]]) -> Counter[str]:
    """Petitions of the committee sharing a band, with how many bands each shares. Each band's bucket is
    read up to ``BUCKET_LIMIT`` rows, so a mass of near-identical texts costs no more than a few."""
    table = connection.ops.quote_name(Fingerprint._meta.db_table)
    part = (
        f"SELECT * FROM (SELECT petition_id FROM {table} "  # noqa: S608 (our table's name; values are parameters)
        "WHERE committee_id = %s AND band = %s AND value = %s LIMIT %s) AS b{}"
    )
    sql = " UNION ALL ".join(part.format(i) for i in range(len(prints)))
    params = [v for band, value in prints for v in (committee_id, band, value, BUCKET_LIMIT)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Counter(str(row[0]) for row in cursor.fetchall())


def index(petition: Petition) -> list[DuplicateCandidate]:
    """(Re)compute the petition's fingerprints and suggest the near-duplicates found by them.

    Called inside the intake action; pairs already suggested (either way round) or already in one
    confirmed group are not suggested again."""
    committee_id = petition.inspection.round.committee_id
    prints = fingerprints(petition)
    Fingerprint.objects.filter(petition=petition).delete()
    if not prints:
        return []
    hits = _sharing(committee_id, prints)
    Fingerprint.objects.bulk_create(
        Fingerprint(petition=petition, committee_id=committee_id, band=band, value=value)
        for band, value in prints
    )
    found = [pk for pk, _ in sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATE_CAP]]
    if not found:
        return []
    others = (
        Petition.objects.filter(pk__in=found)
        .exclude(pk__in=DuplicateCandidate.objects.filter(petition=petition).values("other"))
        .exclude(pk__in=DuplicateCandidate.objects.filter(other=petition).values("petition"))
    )
    if petition.duplicate_group_id is not None:
        others = others.exclude(duplicate_group_id=petition.duplicate_group_id)
    own = None if prints[0][0] == EXACT_BAND else _shingles(_parts(petition))
    candidates = []
    for other in others.only("pk", "title", "content", "subject_name", "subject_post"):
        # A shared whole-text fingerprint means identical once normalised.
        score = 1.0 if own is None else similarity(own, _shingles(_parts(other)))
        if score >= THRESHOLD:
            candidates.append(DuplicateCandidate(petition=petition, other=other, similarity=round(score, 4)))
    return DuplicateCandidate.objects.bulk_create(candidates)
