"""Chinese full-text search that works the same on SQLite and PostgreSQL.

At intake the non-confidential text (title, content, whom it is about) is segmented with jieba's search
mode and stored space-separated in ``Petition.search_text``; a query is segmented the same way and every
word must occur. Reporter identity is never indexed.

A query that looks like a petition number ("01-003-0012", or its beginning "01-003-") also finds the
petitions whose number is it or starts with it, besides those whose text has it.
"""

import re

import jieba
from django.db.models import Q

from xuncha.core.text import normalised

from .models import Petition, PetitionQuerySet

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO; nothing of ours to say there

_MAX_QUERY_WORDS = 10
# Digits and hyphens, perhaps the office's mark (行政 series "01-003-办001"): a number or its beginning.
_NUMBER = re.compile(r"[0-9][0-9-]*(?:办[0-9]*)?")


def loaded() -> None:
    """Load jieba's default dictionary now (core.warmup: at a serving process's start, not in a request)."""
    jieba.initialize()


def _words(text: str) -> list[str]:
    return [w for w in (t.strip() for t in jieba.cut_for_search(normalised(text))) if w]


def index_text(petition: Petition) -> str:
    parts = (petition.title, petition.subject_name, petition.subject_post, petition.content)
    return " ".join(_words(" ".join(p for p in parts if p)))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, longest first, at most ten (a query is not a document)."""
    words = sorted(set(_words(query)), key=len, reverse=True)
    return words[:_MAX_QUERY_WORDS]


def search(petitions: PetitionQuerySet, query: str) -> PetitionQuerySet:
    by_text = petitions
    for word in query_words(query):
        by_text = by_text.filter(search_text__contains=word)
    number = query.strip()
    if _NUMBER.fullmatch(number):
        return petitions.filter(Q(number__startswith=number) | Q(pk__in=by_text.values("pk")))
    return by_text
