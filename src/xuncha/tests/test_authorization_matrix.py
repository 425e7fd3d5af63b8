"""Run every row of the authorisation matrix for every persona; check that no route or method is missing."""

import datetime
import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from pytest_django import DjangoDbBlocker

from xuncha.conftest import build_world, login_verified
from xuncha.core.models import AuditEvent
from xuncha.orgs import actions as orgs_actions
from xuncha.rounds import actions as rounds_actions
from xuncha.rounds.choices import RoundKind

from .matrix import ALL, ANONYMOUS, AREAS, NO_OTP, ROWS, Row, resolved

ADMIN_PREFIX = "sysadmin/"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _add_what_routes_need(w: SimpleNamespace) -> None:
    """Terms, a county round and inspector, former posts and declared relatives, team members by id, and
    an audit event of a county: objects some routes need and the world lacks, made through the actions."""
    start = datetime.date(2026, 1, 1)
    w.term = rounds_actions.create_term(
        committee=w.city, name="市委第十二届", starts_on=start, ends_on=start.replace(year=2031), by=None
    )
    w.county_term = rounds_actions.create_term(
        committee=w.county_a, name="县委第十五届", starts_on=start, ends_on=start.replace(year=2031), by=None
    )
    w.county_audit_seq = AuditEvent.objects.filter(committee_id=w.county_a.pk).latest("seq").seq
    w.county_round = rounds_actions.create_round(
        committee=w.county_a,
        number=1,
        name="县委第一轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=start,
        planned_end=start.replace(month=6),
        by=None,
    )
    w.county_inspector = orgs_actions.create_inspector(committee=w.county_a, name="赵磊", by=None)
    w.former_post = orgs_actions.add_former_post(w.inspector_t1_member, unit=w.unit2, post="科员", by=None)
    w.county_former_post = orgs_actions.add_former_post(
        w.county_inspector, unit=w.county_unit, post="科员", by=None
    )
    w.relative = orgs_actions.declare_relative(
        w.inspector_t1_member, name="周某", relation="配偶", unit=w.unit3, by=None
    )
    w.county_relative = orgs_actions.declare_relative(
        w.county_inspector, name="赵某", relation="兄弟", unit=w.county_unit, by=None
    )
    w.member_t1 = w.team1.members.get(inspector=w.inspector_t1_member)
    w.member_t2 = w.team2.members.get(inspector=w.inspector_t2_member)
    for area in AREAS:
        area.add_world(w)


def _session_key(w: SimpleNamespace, persona: str) -> str:
    client = Client()
    if persona == NO_OTP:
        client.force_login(w.users["office"])  # the password only: no verified device in the session
    else:
        login_verified(client, w.users[persona])
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def matrix_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[SimpleNamespace]:
    """The world with what the routes need, and a logged-in session per persona, built once for the
    module in a transaction rolled back at its end; each test runs in a savepoint of it (pytest-django's
    ``db``), as with Django's ``TestCase.setUpTestData``. Built per case, the matrix took 100 s, not 25 s."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        _add_what_routes_need(w)
        w.sessions = {p: _session_key(w, p) for p in ALL if p != ANONYMOUS}
        yield w
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def sessions_stay_fresh(settings: Any) -> None:
    """The matrix's sessions are made once, and each case's refresh of the idle timer is rolled back with the
    case: on a slow run the sessions would time out half-way. The matrix is about scope; idle timeouts are
    tested in core."""
    settings.XUNCHA_IDLE_TIMEOUT = 24 * 3600


def client_as(world: SimpleNamespace, persona: str) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def send(client: Client, row: Row, path: str, world: SimpleNamespace) -> Any:
    """The row's request: JSON bodies for the API, form-encoded ones for the web pages."""
    if row.method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        body = json.dumps(resolved(row.data, world))
        return client.generic(row.method, path, data=body, content_type="application/json")
    return client.post(path, resolved(row.data, world))


def _cases() -> list[tuple[Row, str]]:
    return [(row, persona) for row in ROWS for persona in row.expected]


def _case_id(row: Row, persona: str) -> str:
    note = f" ({row.note})" if row.note else ""
    return f"{row.method} {row.path}{note} as {persona}"


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), _cases(), ids=[_case_id(r, p) for r, p in _cases()])
def test_route_answers_as_expected(matrix_world: SimpleNamespace, row: Row, persona: str) -> None:
    path = row.path.format(w=matrix_world)
    response = send(client_as(matrix_world, persona), row, path, matrix_world)
    assert response.status_code == row.expected[persona], response.content[:300]


def test_case_ids_are_unique() -> None:
    ids = [_case_id(r, p) for r, p in _cases()]
    assert len(ids) == len(set(ids))


def _all_routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _all_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            routes.add(route)
    return routes


def _accepts(world: SimpleNamespace, path: str, method: str) -> bool:
    """Whether a route takes ``method`` at all: anything but 405 for the office. A fresh login each time,
    since a probe may log out or change things (the test's savepoint undoes the changes)."""
    client = login_verified(Client(), world.users["office"])
    return client.generic(method, path, data="{}", content_type="application/json").status_code != 405


@pytest.mark.django_db
def test_every_route_and_method_is_in_the_matrix(matrix_world: SimpleNamespace) -> None:
    """Every URL pattern has a GET row, and a row for each unsafe method it accepts (UI: POST; API: POST,
    PUT, PATCH, DELETE). Only the admin's sub-routes are left out: the /sysadmin/ row covers them."""
    example: dict[str, str] = {}
    covered: set[tuple[str, str]] = set()
    for row in ROWS:
        path = row.path.format(w=matrix_world)
        route = resolve(path.split("?")[0]).route
        example.setdefault(route, path)
        covered.add((route, row.method))
    routes = {r for r in _all_routes(get_resolver()) if not r.startswith(ADMIN_PREFIX)}
    missing = sorted(f"GET {r}" for r in routes if (r, "GET") not in covered)
    for route, path in sorted(example.items()):
        if route.startswith(ADMIN_PREFIX):
            continue
        methods = UNSAFE if route.startswith("api/") else ("POST",)
        missing += [
            f"{m} {route}" for m in methods if (route, m) not in covered and _accepts(matrix_world, path, m)
        ]
    assert not missing, f"routes or methods missing from the authorisation matrix: {missing}"
