"""Templates: Django's ``{# … #}`` comment ends on its own line; one spread over lines is shown to
the user as text (the portal once printed its comment about the referrer policy)."""

import re
from pathlib import Path

from django.test import Client

import xuncha

TEMPLATES = Path(xuncha.__file__).parent / "templates"
UNCLOSED = re.compile(r"\{#(?!.*#\})")


def test_no_comment_tag_spans_lines():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNCLOSED.search(line)
    ]
    assert found == []


def test_a_request_too_big_to_read_is_answered_in_chinese(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post("/portal/lookup/", {"receipt": "x" * 2048})
    assert response.status_code == 400
    assert "提交的内容过长或格式不正确" in response.content.decode()


def test_a_request_for_another_host_is_answered_in_chinese(db):
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert "提交的内容过长或格式不正确" in response.content.decode()
