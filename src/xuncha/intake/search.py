"""Chinese full-text search that works the same on SQLite and PostgreSQL, backed by an index on both.

At intake the non-confidential text (title, content, whom it is about) is segmented with jieba's search
mode and stored space-separated in ``Petition.search_text``, each word followed by its suffixes
(``巡察组 察组 组``), so that a word found *inside* another is the start of an indexed word. A query is
segmented the same way and every word must occur: on SQLite a prefix query of the FTS5 table
``intake_petition_fts`` (kept by triggers, migration 0009), on PostgreSQL a prefix ``tsquery`` against a GIN
index over the stored words. That finds exactly what ``search_text LIKE '%word%'`` found (the search
before the index, and the reference its tests compare with): a word without spaces is inside the text if and
only if it begins one of the stored suffixes. Reporter identity is never indexed.

A query that looks like a petition number ("01-003-0012", or its beginning "01-003-") also finds the
petitions whose number is it or starts with it, besides those whose text has it.
"""

import re
from typing import Any

import jieba
from django.db.models import BooleanField, F, Func, Q
from django.db.models.sql.compiler import SQLCompiler

from xuncha.core.text import normalised

from .models import Petition, PetitionQuerySet

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO; nothing of ours to say there

_MAX_QUERY_WORDS = 10
# Digits and hyphens, perhaps the office's mark (行政 series "01-003-办001"): a number or its beginning.
_NUMBER = re.compile(r"[0-9][0-9-]*(?:办[0-9]*)?")
# A longer "word" is a run of letters or digits (a URL, a pasted hash): kept to its start, which also keeps
# every suffix within PostgreSQL's limit on an indexed word.
MAX_WORD = 100


def loaded() -> None:
    """Load jieba's default dictionary now (core.warmup: at a serving process's start, not in a request)."""
    jieba.initialize()


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD] for w in (t.strip() for t in jieba.cut_for_search(normalised(text))) if w]


def with_suffixes(words: list[str]) -> str:
    """The words and every suffix of each, once each, space-separated (what ``search_text`` stores)."""
    found: dict[str, None] = {}
    for word in words:
        for start in range(len(word)):
            found.setdefault(word[start:], None)
    return " ".join(found)


def index_text(petition: Petition) -> str:
    return with_suffixes(_words(" ".join(petition.text_parts)))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, longest first, at most ten (a query is not a document)."""
    words = sorted(set(_words(query)), key=len, reverse=True)
    return words[:_MAX_QUERY_WORDS]


class _Matches(Func):
    """True for a petition whose stored words begin with each of ``words`` (see the module's text)."""

    output_field = BooleanField()

    def __init__(self, words: list[str]) -> None:
        super().__init__(F("pk"), F("search_text"))
        self.words = words

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        pk, params = compiler.compile(self.source_expressions[0])
        match = " AND ".join('"{}"*'.format(word.replace('"', '""')) for word in self.words)
        found = "SELECT petition_id FROM intake_petition_fts_doc WHERE docid IN (SELECT rowid FROM "
        found += "intake_petition_fts WHERE intake_petition_fts MATCH %s)"
        sql = f"{pk} IN ({found})"
        return sql, [*params, match]

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[1])
        query = " & ".join(
            "'{}':*".format(word.replace("\\", "\\\\").replace("'", "''")) for word in self.words
        )
        # The very expression of the GIN index intake_petition_words (migration 0009).
        sql = f"array_to_tsvector(array_remove(string_to_array({column}, ' '), '')) @@ %s::tsquery"
        return sql, [*params, query]


def search(petitions: PetitionQuerySet, query: str) -> PetitionQuerySet:
    words = query_words(query)
    by_text = petitions.filter(_Matches(words)) if words else petitions
    number = query.strip()
    if _NUMBER.fullmatch(number):
        return petitions.filter(Q(number__startswith=number) | Q(pk__in=by_text.values("pk")))
    return by_text


def search_without_index(petitions: PetitionQuerySet, query: str) -> PetitionQuerySet:
    """The same search by ``LIKE``, reading every row: the reference the indexed search is tested and
    benchmarked against."""
    for word in query_words(query):
        petitions = petitions.filter(search_text__contains=word)
    return petitions
