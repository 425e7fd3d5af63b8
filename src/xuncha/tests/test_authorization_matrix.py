"""Run every row of the authorisation matrix for every persona, and check that no route is missing."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from .matrix import ROWS, Row

ADMIN_PREFIX = "sysadmin/"


def _cases() -> list[tuple[Row, str]]:
    return [(row, persona) for row in ROWS for persona in row.expected]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "persona"), _cases(), ids=[f"{r.method} {r.path} as {p}" for r, p in _cases()]
)
def test_route_answers_as_expected(world, client_for, row: Row, persona: str) -> None:
    path = row.path.format(w=world)
    client = client_for(persona)
    if row.method == "GET":
        response = client.get(path)
    else:
        response = client.generic(
            row.method, path, data=json.dumps(row.data or {}), content_type="application/json"
        )
    assert response.status_code == row.expected[persona], response.content[:300]


def _all_routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _all_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            routes.add(route)
    return routes


def test_every_route_is_in_the_matrix(world) -> None:
    covered = {resolve(row.path.format(w=world).split("?")[0]).route for row in ROWS}
    routes = {r for r in _all_routes(get_resolver()) if not r.startswith(ADMIN_PREFIX)}
    missing = sorted(routes - covered)
    assert not missing, f"routes missing from the authorisation matrix: {missing}"
