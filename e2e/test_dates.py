"""Dates read YYYY-MM-DD, and dates with a time YYYY-MM-DD HH:MM, in a browser set to English (an
``<input type=date>`` would show 12/07/2026 there): typed, chosen on the picker, and shown back on a
refused form."""

from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from xuncha.rounds.models import MobilisationMeeting


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


def test_dates_with_a_time_are_yyyy_mm_dd_hh_mm_in_an_english_browser(  # type: ignore[no-untyped-def]
    page: Page, live_server, login, world
):
    """An ``<input type=datetime-local>`` would show 12/08/2026, 09:00 AM here."""
    inspection = world.inspection1
    login("t1_leader")
    page.goto(f"{live_server.url}/rounds/inspections/{inspection.pk}/mobilisation/")
    held_at = page.locator("#id_held_at")
    assert held_at.get_attribute("type") == "text"
    assert held_at.get_attribute("placeholder") == "YYYY-MM-DD HH:MM"
    # The first entry proposes the stationing day at 9:00, shown in this format.
    expect(held_at).to_have_value(f"{inspection.stationed_on:%Y-%m-%d} 09:00")

    # A moment that is no date is a Chinese message on the field, and the typed text is shown back.
    held_at.fill("2026-02-30 09:30")
    page.fill("#id_place", "市财政局三楼会议室")
    page.fill("#id_chair", "市财政局党组书记 张建国")
    page.click("main form button:has-text('保存')")
    expect(page.locator("main")).to_contain_text("请输入有效的日期和时间，例如 2026-05-01 09:30。")
    expect(held_at).to_have_value("2026-02-30 09:30")

    # The button opens the browser's date-and-time picker on a hidden input; the choice comes back in
    # YYYY-MM-DD HH:MM (a headless browser shows no popup, so the choice is made on that input).
    group = held_at.locator("xpath=..")
    button = group.locator("[data-date-picker]")
    expect(button).to_be_visible()
    held_at.fill("2026-12-8 14:05")
    button.click()
    proxy = group.locator(".iso-date-proxy")
    assert proxy.get_attribute("type") == "datetime-local" and proxy.input_value() == "2026-12-08T14:05"
    proxy.evaluate("proxy => { proxy.value = '2026-12-08T09:30'; proxy.dispatchEvent(new Event('change')); }")
    expect(held_at).to_have_value("2026-12-08 09:30")

    page.click("main form button:has-text('保存')")
    expect(page.locator(".alert-success")).to_be_visible()
    meeting = MobilisationMeeting.objects.get(inspection=inspection)
    assert timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M") == "2026-12-08 09:30"
    page.goto(f"{live_server.url}/rounds/inspections/{inspection.pk}/mobilisation/")
    expect(page.locator("#id_held_at")).to_have_value("2026-12-08 09:30")
