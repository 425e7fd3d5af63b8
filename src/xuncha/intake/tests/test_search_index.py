"""The indexed full-text search (FTS5 on SQLite, GIN on PostgreSQL; intake.search and intake.fts) finds
exactly what the search by LIKE over every row found, kept in step with inserts, edits and deletes."""

import pytest
from django.db import connection

from xuncha.core.audit import action_scope, record
from xuncha.intake import fts, search
from xuncha.intake.models import Petition

from .conftest import letter

TEXTS = [
    "市财政局张局长违规报销招待费，金额巨大",
    "反映李副局长收受礼金和购物卡",
    "城投集团工程项目围标串标，涉及 ABC-123 标段",
    "举报 Zhang San 在 www.example.cn 发布不实信息 100% 属实",
    "巡察组长王五作风问题；乡镇“一把手”插手工程",
    "it's a \"quoted\" complaint about 食堂 O'Brien",
]
QUERIES = [
    "张局长", "局长", "局", "长违", "财政", "报销招待费", "礼金 购物卡", "李副局长 礼金", "ABC-123",
    "abc", "BC-1", "-12", "zhang", "ZHANG SAN", "example.cn", "100%", "%", "一把手", "把手", "“一",
    "巡察组", "察组", "工程", "工程 城投", "O'Brien", "'", "\"quoted\"", "食堂", "不存在的词", "；",
]  # fmt: skip


def _ids(rows):
    return {p.pk for p in rows}


@pytest.fixture
def petitions(world):
    return [letter(world, text) for text in TEXTS]


def test_the_index_finds_what_like_found(world, petitions):
    everything = Petition.objects.all()
    found_any = 0
    for query in QUERIES:
        indexed = _ids(search.search(everything, query))
        assert indexed == _ids(search.search_without_index(everything, query)), query
        found_any += bool(indexed)
    assert found_any >= len(QUERIES) - 3  # all but a few found something
    assert _ids(search.search(everything, "局长")) == {petitions[0].pk, petitions[1].pk}
    assert _ids(search.search(everything, "  ")) == _ids(everything)


def test_the_index_follows_edits_and_deletes(world, petitions):
    first, second = petitions[0], petitions[1]
    first.content = "改为反映公车私用"
    first.search_text = search.index_text(first)
    with action_scope("test.edit"):
        first.save()
        record("test.edit", first, by=None)
    everything = Petition.objects.all()
    assert not search.search(everything, "招待费").exists()
    assert _ids(search.search(everything, "公车")) == {first.pk}
    Petition.objects.filter(pk=second.pk).update(status=second.status)  # an edit that leaves the words
    assert _ids(search.search(everything, "购物卡")) == {second.pk}
    with action_scope("test.delete"):
        record("test.delete", second, by=None)
        Petition.objects.filter(pk=second.pk).delete()
    assert not search.search(everything, "购物卡").exists()
    assert _ids(search.search(everything, "公车私用")) == {first.pk}


def test_the_stored_words_carry_their_suffixes(world):
    assert search.with_suffixes(["巡察组", "组", "ab"]) == "巡察组 察组 组 ab b"
    assert len(search.index_text(Petition(content="x" * 500)).split()[0]) == search.MAX_WORD


def test_a_lost_index_is_rebuilt_after_migrate(world, petitions):
    """SQLite drops the triggers when it rebuilds a table to alter it; ``ensure`` (after every migrate)
    puts the index back."""
    with connection.cursor() as cursor:
        cursor.execute(fts.DROP[connection.vendor][0])  # the insert trigger, or PostgreSQL's index
    assert not fts.present()
    if connection.vendor == "postgresql":  # the test's own deferred checks would block CREATE INDEX
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    fts.ensure()
    assert fts.present()
    added = letter(world, "补建索引后登记的信访件")
    assert _ids(search.search(Petition.objects.all(), "补建索引")) == {added.pk}
    assert _ids(search.search(Petition.objects.all(), "招待费")) == {petitions[0].pk}
