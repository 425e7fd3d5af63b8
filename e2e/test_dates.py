"""Dates read YYYY-MM-DD in a browser set to English (an ``<input type=date>`` would show 12/07/2026 there):
typed, chosen on the calendar, and shown back on a refused form."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_dates_are_yyyy_mm_dd_in_an_english_browser(page: Page, live_server, login, world):  # type: ignore[no-untyped-def]
    assert page.evaluate("navigator.language") == "en-US"
    login("office")
    page.goto(f"{live_server.url}/rounds/new/")
    start, end = page.locator("#id_planned_start"), page.locator("#id_planned_end")
    assert start.get_attribute("type") == "text" and start.get_attribute("placeholder") == "YYYY-MM-DD"
    page.fill("#id_name", "市委第二轮巡察")
    start.fill("2026-12-07")

    # The calendar button opens the browser's picker on a hidden date input; a headless browser shows no
    # popup, so the day is chosen on that input, and the text field takes it in YYYY-MM-DD.
    button = end.locator("xpath=..").locator("[data-date-picker]")
    expect(button).to_be_visible()
    button.click()
    end.locator("xpath=..").locator(".iso-date-proxy").evaluate(
        "proxy => { proxy.value = '2026-12-01'; proxy.dispatchEvent(new Event('change')); }"
    )
    expect(end).to_have_value("2026-12-01")

    page.click("main form button:has-text('保存')")
    expect(page.locator("main")).to_contain_text("计划结束日期须晚于计划开始日期")
    expect(page.locator("#id_planned_start")).to_have_value("2026-12-07")
    expect(page.locator("#id_planned_end")).to_have_value("2026-12-01")
