"""The public pages' throttle counts atomically: however many requests race, no more than the limit pass;
a refused request is not counted; every 429 of the public API says when to try again (Retry-After)."""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.http import HttpRequest
from django.test import Client, RequestFactory

from xuncha.core import throttle

LIMIT = 10
RACERS = 50


def _request(address: str = "203.0.113.60") -> HttpRequest:
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.fixture
def low_limit(settings):
    settings.XUNCHA_PORTAL_LIMITS = {**settings.XUNCHA_PORTAL_LIMITS, throttle.SUBMIT: LIMIT}


def _count_rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM intake_throttle_cache")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_the_limit_is_reached_and_refused_requests_are_not_counted(low_limit):
    answers = [throttle.allow(_request(), throttle.SUBMIT) for _ in range(LIMIT + 5)]
    assert answers == [True] * LIMIT + [False] * 5
    assert _count_rows() == [str(LIMIT)]
    assert throttle.allow(_request("203.0.113.61"), throttle.SUBMIT)  # another client, another counter
    assert throttle.allow(_request(), throttle.LOOKUP)  # another kind too


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_racing_requests_never_pass_beyond_the_limit(low_limit):
    start = threading.Barrier(RACERS)

    def race(_: int) -> bool:
        try:
            start.wait()
            return throttle.allow(_request(), throttle.SUBMIT)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(race, range(RACERS)))
    assert answers.count(True) == LIMIT and _count_rows() == [str(LIMIT)]


def test_on_sqlite_the_count_is_one_atomic_statement_between_connections(tmp_path):
    """What the racing test shows on PostgreSQL, for SQLite: 50 connections to one database file (as
    gunicorn's workers have) run the counting statement at once."""
    path = tmp_path / "throttle.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute(
            "CREATE TABLE t (cache_key varchar(255) PRIMARY KEY, value text NOT NULL, expires datetime)"
        )
    statement = throttle.COUNT_SQL.format(table='"t"').replace("%s", "?")
    start = threading.Barrier(RACERS)

    def race(_: int) -> bool:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            start.wait()
            return db.execute(statement, ["key", "2030-01-01 00:00:00", LIMIT]).fetchone() is not None
        finally:
            db.close()

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(race, range(RACERS)))
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT value FROM t").fetchone()
    assert answers.count(True) == LIMIT and count == str(LIMIT)


@pytest.mark.django_db
def test_every_429_of_the_public_api_says_when_to_try_again(settings):
    settings.XUNCHA_PORTAL_LIMITS = {throttle.SUBMIT: 1, throttle.LOOKUP: 1, throttle.SURVEY: 1}
    client = Client(REMOTE_ADDR="203.0.113.62")
    for path, body, first, message in [
        ("/api/v1/public/petitions", {"public_code": "x", "content": "反映"}, 404, throttle.MESSAGE),
        ("/api/v1/public/petitions/lookup", {"receipt": "x"}, 404, throttle.MESSAGE),
        ("/api/v1/public/surveys/form", {"token": "ABCD-EFGH"}, 422, "提交过于频繁，请稍后再试。"),
    ]:
        assert client.post(path, body, content_type="application/json").status_code == first
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 429 and response.json() == {"detail": message}
        assert 0 < int(response["Retry-After"]) <= 3600
