"""The auditor reads the whole audit log and never a word of case content.

A canary — a cadre's name with an allegation — is planted as a clue's title and content, a finding's title,
a petition's text and a free-text reason, through the actions; then every page the auditor has (the list
with its filters and every page of it, each event's page, the Excel export, the API) is read: the canary is
nowhere, and no visible text carries a UUID or a "#<id>"."""

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.core.models import AuditEvent
from xuncha.findings.clues import actions as clue_actions
from xuncha.findings.tests.clue_support import draft_clue
from xuncha.findings.tests.support import draft, petition, setup
from xuncha.rounds import actions as rounds_actions

pytestmark = pytest.mark.django_db

CANARY = "金丝雀赵某某收受回扣"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
HASH_ID = re.compile(r"#\s*\d")


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def planted(world: SimpleNamespace) -> SimpleNamespace:
    w = setup(world)
    w.canary_petition = petition(w, w.inspection1, "t1_member", f"反映{CANARY}，请组织核查。")
    w.canary_finding = draft(w, title=CANARY)
    clue = draft_clue(w, title=CANARY, content=f"{CANARY}，涉及金额约5万元。")
    changed = clue_actions.current_input(clue)
    changed.title = f"{CANARY}（补充）"
    clue_actions.update_clue(clue, data=changed, by=w.users["t1_member"])
    w.canary_clue = clue
    rounds_actions.set_fieldwork_end(
        w.inspection1, ends_on=timezone.localdate(), reason=f"{CANARY}需提前结束", by=w.users["office"]
    )
    return w


def _page(client: Client, path: str, params: dict[str, str] | None = None) -> str:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    return response.content.decode()


def _assert_clean(html: str, where: str) -> None:
    assert CANARY not in html, where
    text = visible(html)
    assert not UUID.search(text), (where, UUID.search(text))
    assert not HASH_ID.search(text), (where, HASH_ID.search(text))


def test_no_case_content_on_any_page_of_the_auditor(
    planted: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    w = planted
    auditor = client_for("auditor")
    # The events carry the canary in what was stored, so the test can fail.
    assert AuditEvent.objects.filter(object_repr__contains=CANARY).exists()
    assert any(CANARY in str(details) for details in AuditEvent.objects.values_list("details", flat=True))

    filters = [
        {},
        {"q": "问题线索"},
        {"q": "信访件"},
        {"q": "问题底稿"},
        {"q": "巡察"},
        {"object_type": "findings.clue"},
        {"object_type": "findings.clue", "object_id": str(w.canary_clue.pk)},
        {"actor": "t1_member"},
    ]
    for params in filters:
        first = _page(auditor, "/audit/", params)
        _assert_clean(first, f"/audit/ {params}")
        pages = auditor.get("/audit/", params).context["page_obj"].paginator.num_pages
        for number in range(2, pages + 1):
            _assert_clean(_page(auditor, "/audit/", {**params, "page": str(number)}), f"page {number}")

    seqs = list(AuditEvent.objects.visible_to(w.users["auditor"]).values_list("seq", flat=True))
    assert len(seqs) > 10
    for seq in seqs:
        _assert_clean(_page(auditor, f"/audit/{seq}/"), f"/audit/{seq}/")

    export = auditor.get("/audit/export/")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.getvalue())).worksheets[0]
    cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    assert CANARY not in cells and not UUID.search(cells)
    assert "问题线索" in cells

    listing = auditor.get("/api/v1/audit-events/", {"limit": 200}).content.decode()
    assert CANARY not in listing and "object_repr" not in listing
    for seq in seqs:
        assert CANARY not in auditor.get(f"/api/v1/audit-events/{seq}").content.decode()


def test_objects_by_number_and_users_by_name(
    planted: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    w = planted
    auditor = client_for("auditor")
    clue_events = visible(_page(auditor, "/audit/", {"object_type": "findings.clue"}))
    assert f"问题线索 {w.canary_clue.number}" in clue_events
    petition_events = visible(_page(auditor, "/audit/", {"q": "信访件"}))
    assert f"信访件 {w.canary_petition.number}" in petition_events
    # An edit of a clue names the fields changed, never what they say.
    updated = AuditEvent.objects.filter(action="clue.updated").latest("seq")
    page = visible(_page(auditor, f"/audit/{updated.seq}/"))
    assert "标题" in page and "t1_member" in page
    # The office's reason is free text on a case object: named, not shown.
    changed = AuditEvent.objects.filter(action="inspection.fieldwork_end_changed").latest("seq")
    page = visible(_page(auditor, f"/audit/{changed.seq}/"))
    assert "理由" in page and "（内容不显示）" in page
