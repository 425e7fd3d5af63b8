"""Screenshots of the running demo for the README (not a test): `make demo`, then
`.venv/bin/python e2e/screenshots.py http://127.0.0.1:8000 [name …]`. Each shot logs in as a persona, opens a
page (a path, or a link followed from one) and saves docs/screenshots/<persona>-<name>.png at 1280×800."""

import re
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

PASSWORD = "Xuncha-demo-2026"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _first_link(page: Page, pattern: str) -> str:
    """The first link on the page whose href matches ``pattern``."""
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if re.search(pattern, href):
            return str(href)
    raise SystemExit(f"no link matching {pattern} on {page.url}")


INSPECTION = r"^/rounds/inspections/\d+/$"
# (persona, name, path, link patterns followed one after another); persona None: the public portal.
FIELDWORK = r"^/fieldwork/inspections/\d+/$"
SHOTS: list[tuple[str | None, str, str, tuple[str, ...]]] = [
    ("t1_member", "petitions", "/intake/petitions/", ()),
    ("t1_member", "petition-detail", "/intake/petitions/?q=宴请", (r"^/intake/petitions/[0-9a-f-]{36}/$",)),
    ("custodian", "reveals", "/intake/reveals/", ()),
    ("jiwei", "transfers", "/intake/transfers/", ()),
    ("office", "triage-rules", "/intake/triage-rules/", ()),
    (None, "portal", "", ()),  # the portal: its address is read from the team's QR code page
    ("t1_member", "fieldwork", "/", (FIELDWORK,)),
    ("t1_member", "interviews", "/", (FIELDWORK, r"^/fieldwork/interviews/inspections/\d+/$")),
    ("liaison1", "documents", "/fieldwork/documents/", (r"^/fieldwork/documents/\d+/$",)),
    (
        "t1_leader",
        "survey-results",
        "/fieldwork/surveys/1/results/",
        (),
    ),  # the demo's first survey: 30 answers
    ("t1_leader", "findings", "/", (r"^/findings/inspections/\d+/$",)),
    ("office", "common-problems", "/findings/common/", ()),
    ("t1_leader", "clues", "/", (r"^/findings/clues/inspections/\d+/$",)),
    ("jiwei", "clue-transfers", "/findings/clue-transfers/", ()),
    ("office", "reports", "/reports/", ()),
    ("office", "feedback", "/reports/feedbacks/", (r"^/reports/feedbacks/\d+/$",)),
    ("office", "rectification", "/rectification/", ()),
    ("liaison1", "rectification-items", "/rectification/", ()),
    ("office", "people-access", "/orgs/people-access/", ()),
    ("office", "people-appoint", "/orgs/people-access/appoint/liaison/", ()),
    ("auditor", "audit-list", "/audit/?q=登录", ()),
    ("office", "home", "/", ()),
    ("office", "dashboard", "/analytics/", ()),
    ("office", "round-plan", "/rounds/?kind=routine", (r"^/rounds/\d+/$", r"^/rounds/\d+/plan/$")),
    ("t1_leader", "preparation", "/", (INSPECTION, r"^/preparation/inspections/\d+/$")),
    ("jiwei", "information-requests", "/preparation/", (r"^/preparation/requests/\d+/$",)),
    ("office", "weekly-reports", "/reports/weekly/", ()),
    ("liaison1", "unit-notices", "/", (r"^/fieldwork/notices/inspections/\d+/$",)),
    ("office", "key-persons", "/analytics/key-persons/", ()),
    (
        "office",
        "portrait",
        "/orgs/units/?q=财政",
        (r"^/orgs/units/\d+/$", r"^/analytics/units/\d+/portrait/$"),
    ),
    ("office", "filings", "/analytics/filings/", ()),
    ("office", "todo", "/todo/", ()),
    ("office", "secretary-meeting", "/reports/secretary-meetings/1/", ()),
    ("office", "petition-batch", "/intake/petitions/", ()),
    (
        "t1_member",
        "petition-group",
        "/intake/petitions/?q=宴请",
        (r"^/intake/petitions/[0-9a-f-]{36}/$", r"/duplicates/group/"),
    ),
]


def main(base: str, only: set[str]) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for persona, name, path, follow in SHOTS:
            if only and name not in only:
                continue
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            if persona is None:
                page.goto(base + _portal_path(browser, base))
                persona = "public"
            else:
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", persona)
                page.fill("input[name=password]", PASSWORD)
                page.click("form button")
                page.goto(base + path)
                for pattern in follow:
                    page.goto(base + _first_link(page, pattern))
            page.screenshot(path=OUT / f"{persona}-{name}.png", full_page=False)
            print(f"{persona}-{name}.png  {page.url}")
            page.close()
        browser.close()


def _portal_path(browser: Browser, base: str) -> str:
    page = browser.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "t1_member")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button")
    page.goto(f"{base}/rounds/inspections/")
    page.goto(base + _first_link(page, INSPECTION))
    page.goto(base + _first_link(page, r"/qr/$"))
    found = re.search(r"/portal/[\w-]{8,}/", page.content())
    page.close()
    if not found:
        raise SystemExit("no portal address on the announcement page")
    return found.group(0)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), set(sys.argv[2:]))
