"""No answer to a logged-in user stays in a cache: a crawl of every persona's pages, the API and a download
all carry ``Cache-Control: no-store, private``; the public pages keep their public caching."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.conftest import PERSONAS
from xuncha.core.actions import create_api_token

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
DEPTH = 2


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def _kind(path: str) -> str:
    """Pages of one kind (the same view for another id or page number) are crawled once."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(client: Client) -> Iterator[tuple[str, object]]:
    """Every answer reached from the home page by following links, ``DEPTH`` clicks deep."""
    seen: set[str] = set()
    level = ["/"]
    for _ in range(DEPTH + 1):
        following: list[str] = []
        for path in level:
            if _kind(path) in seen or path.startswith("/static/"):
                continue
            seen.add(_kind(path))
            response = client.get(path)
            yield path, response
            if response.get("Content-Type", "").startswith("text/html"):
                following += LINK.findall(response.content.decode())
        level = following


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_of_a_logged_in_user_is_cached(world, client_for, persona):
    crawled = dict(_crawl(client_for(persona)))
    assert len(crawled) >= 3  # the crawl went somewhere (an outsider has little to see)
    cached = sorted(path for path, response in crawled.items() if not _no_store(response))
    assert cached == []


def test_api_answers_and_downloads_are_not_cached(world, client_for):
    client = client_for("office")
    assert client.get("/")["Cache-Control"] == "private, no-store"  # as the views that say it themselves
    auditor = client_for("auditor")
    for who, path in (
        (client, "/api/v1/me"),
        (client, "/api/v1/findings/"),
        (client, reverse("rectification:ledger")),  # an Excel download
        (auditor, reverse("audit-export")),
    ):
        response = who.get(path)
        assert response.status_code == 200 and _no_store(response), path
    leader = world.users["leader"]
    _, raw = create_api_token(user=leader, name="测试", by=leader)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert response.status_code == 200 and _no_store(response)


def test_public_pages_keep_their_caching(world):
    response = Client().get("/portal/gongkai/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert _no_store(Client().get(reverse("login")))  # not public: the login form carries a CSRF token
