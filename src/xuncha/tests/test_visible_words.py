"""No UUID, MIME type, code name or English word in what users read (issue 19).

Each persona of the demo opens the home page and follows the links breadth-first (GET only, within a cap
and at most a few pages per route), and every page's visible text — tags, scripts, styles and attribute
values left out — is searched for UUIDs, MIME types (``application/…``, ``image/png``) and ASCII words.
What may stay: numbers and dates, what users typed or uploaded (file names, e-mail addresses, web
addresses, account names, codes they are given), and the product names of ``ALLOWED_WORDS``.
"""

import re
from collections import deque
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoDbBlocker

from xuncha.conftest import login_verified
from xuncha.core.models import User
from xuncha.demo import data
from xuncha.demo.build import build
from xuncha.taxonomy import defaults as taxonomy

# Product and format names users know as they are; keep this list short.
ALLOWED_WORDS = frozenset(
    {"Excel", "Word", "PDF", "WPS", "JPG", "PNG", "SVG", "TXT", "WAV", "API", "TOTP", "ECharts", "KB", "MB"}
)

PAGES_PER_PERSONA = 150
PAGES_PER_ROUTE = 2
# Routes that answer with a file, not a page: their names contain one of these.
FILE_ROUTES = ("export", "download", "document", "docx", "xlsx", "pdf", "qr-", "package", "file", "print-all")
NOT_FOLLOWED = ("/static/", "/media/", "/api/", "/accounts/logout/")

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
MIME = re.compile(r"\b(?:application|image|text|audio|video|multipart|font)/[a-z0-9.+-]+", re.IGNORECASE)
# Data users typed or were given, taken out before the words are looked at.
DATA = (
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"[a-z][a-z0-9+.-]*://\S+"),  # web and otpauth:// addresses
    re.compile(r"\\[A-Za-z]"),  # the escapes of the regular expressions of triage rules
    re.compile(r"\w+\*{3,}"),  # the masked start of a password's salt
    re.compile(r"[^\s/\\:*?\"<>|，。；：]+\.[A-Za-z0-9]{2,5}\b"),  # file names
    re.compile(r"\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{3,}\b"),  # codes: receipts, boxes
)
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[A-Za-z0-9_]|[A-Za-z]")
# Not read on the screen; screen-reader text is left out too (the Django admin's untranslated captions).
HIDDEN = (
    "//script | //style | //template | //noscript | //*[@hidden]"
    " | //*[contains(@class, 'd-none')] | //*[contains(@class, 'visually-hidden')]"
)


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[SimpleNamespace]:
    """The demo, built once for the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        taxonomy.install()  # the data migration's work (tests run without migrations)
        build()
        users = {u.username: u for u in User.objects.all()}
        for user in users.values():
            TOTPDevice.objects.get_or_create(user=user, defaults={"name": "测试设备", "confirmed": True})
        yield SimpleNamespace(users=users)
        transaction.set_rollback(True)


def visible_text(html: bytes) -> str:
    page = lxml.html.fromstring(html)
    for element in page.xpath(HIDDEN):
        element.drop_tree()
    return " ".join(page.itertext())


def leaks(text: str, usernames: frozenset[str]) -> list[str]:
    """The UUIDs, MIME types and ASCII words of ``text`` that users should not read."""
    found = [f"UUID {m}" for m in UUID.findall(text)]
    text = UUID.sub(" ", text)
    found += [f"MIME {m}" for m in MIME.findall(text)]
    text = MIME.sub(" ", text)
    for pattern in DATA:
        text = pattern.sub(" ", text)
    found += [
        f"word {w}"
        for w in WORD.findall(text)
        if w not in ALLOWED_WORDS and w not in usernames and (len(w) > 1 or w.islower())
    ]
    return found


def _links(html: bytes, base: str) -> list[str]:
    paths = []
    for href in lxml.html.fromstring(html).xpath("//a/@href"):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
        if not path.startswith(NOT_FOLLOWED):
            paths.append(path)
    return paths


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    return None if any(word in name for word in FILE_ROUTES) else match.route


def crawl(client: Client, usernames: frozenset[str]) -> dict[str, list[str]]:
    """Page path → what it shows that it should not, breadth-first from the home page."""
    queue, seen, per_route = deque(["/"]), {"/"}, dict[str, int]()
    found: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < PAGES_PER_PERSONA:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        bad = leaks(visible_text(response.content), usernames)
        if bad:
            found[path] = sorted(set(bad))
        for link in _links(response.content, path):
            route = _route(link)
            if link in seen or route is None or per_route.get(route, 0) >= PAGES_PER_ROUTE:
                continue
            seen.add(link)
            per_route[route] = per_route.get(route, 0) + 1
            queue.append(link)
    return found


def test_the_filters_see_what_they_should():
    assert leaks("附件：证明材料.pdf（image/png，12 KB）", frozenset()) == ["MIME image/png"]
    assert leaks("版本 3 · 0b3c6a4e-1d2f-4c55-9a7e-2f1b9d6c8e10", frozenset()) == [
        "UUID 0b3c6a4e-1d2f-4c55-9a7e-2f1b9d6c8e10"
    ]
    assert leaks("状态：draft，导出 Excel", frozenset()) == ["word draft"]
    assert leaks("回执码 K7Q2M9XP4D 张三（t1_member）", frozenset({"t1_member"})) == []
    assert leaks("open_petitions 2026-12-07", frozenset()) == ["word open_petitions"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [username for username, _, _ in data.PERSONAS])
def test_no_persona_reads_a_uuid_a_mime_type_or_code(demo_world: SimpleNamespace, persona: str) -> None:
    client = login_verified(Client(), demo_world.users[persona])
    found = crawl(client, frozenset(demo_world.users))
    report = "\n".join(f"{path}: {', '.join(words[:8])}" for path, words in sorted(found.items()))
    assert not found, f"{persona} reads:\n{report}"
