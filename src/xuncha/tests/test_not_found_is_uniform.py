"""Out of scope looks exactly like missing: the same 404, byte for byte, so ids leak nothing.

Each case names an object that exists (its owner reads it: 200) and a persona outside its scope; that
persona's answer must equal the answer for an id that exists nowhere.
"""

import json
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from .matrix import Pk, resolved

MISSING = 999_999_999


def _id(world: SimpleNamespace, name: str) -> Any:
    value = getattr(world, name)
    return value if isinstance(value, int) else value.pk


# path template, world object, its owner (sees it), a persona outside its scope
READS = [
    ("/api/v1/committees/{}", "city", "office", "county_office"),
    ("/api/v1/units/{}", "unit1", "liaison1", "t2_member"),
    ("/api/v1/people/{}", "principal1", "t1_member", "t2_member"),
    ("/api/v1/inspectors/{}", "inspector_t1_member", "t1_leader", "t2_member"),
    ("/api/v1/departments/{}", "jiwei_dept", "jiwei", "zuzhibu"),
    ("/api/v1/rounds/{}", "round", "liaison1", "county_office"),
    ("/api/v1/teams/{}", "team1", "t1_member", "t2_member"),
    ("/api/v1/inspections/{}", "inspection1", "liaison1", "t2_member"),
    ("/api/v1/audit-events/{}", "audit_seq", "auditor", "office"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "owner", "stranger"), READS, ids=[r[0] for r in READS])
def test_read_of_out_of_scope_object_is_the_missing_404(
    world: SimpleNamespace,
    client_for: Callable[[str], Client],
    path: str,
    name: str,
    owner: str,
    stranger: str,
) -> None:
    existing = path.format(_id(world, name))
    assert client_for(owner).get(existing).status_code == 200
    client = client_for(stranger)
    out_of_scope, missing = client.get(existing), client.get(path.format(MISSING))
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert out_of_scope["Content-Type"] == missing["Content-Type"]


# The verbs too, with bodies the owner's office would have to refuse on their merits.
VERBS = [
    ("/api/v1/teams/{}/members", "team1", {"inspector": Pk("inspector_t1_member"), "role": "member"}),
    ("/api/v1/inspections/{}/transition", "inspection1", {"to": "reporting"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name", "body"), VERBS, ids=[v[0] for v in VERBS])
def test_verb_on_out_of_scope_object_is_the_missing_404(
    world: SimpleNamespace, client_for: Callable[[str], Client], path: str, name: str, body: dict[str, Any]
) -> None:
    data = json.dumps(resolved(body, world))
    client = client_for("t2_member")
    out_of_scope = client.post(path.format(_id(world, name)), data, content_type="application/json")
    missing = client.post(path.format(MISSING), data, content_type="application/json")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content


def _page(content: bytes) -> str:
    """The page without its per-request CSRF tokens."""
    text = content.decode()
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


@pytest.mark.django_db
def test_web_page_of_out_of_scope_object_is_the_missing_404(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    client = client_for("t2_member")
    out_of_scope = client.get(f"/rounds/inspections/{world.inspection1.pk}/")
    missing = client.get(f"/rounds/inspections/{MISSING}/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert _page(out_of_scope.content) == _page(missing.content)
