"""Browser tests: headless Debian Chromium driven by Playwright against Django's live server."""

import os
import shutil
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from xuncha.conftest import PASSWORD, client_for, world  # noqa: F401 - fixtures shared with the unit tests

# Playwright's sync API runs an event loop in this thread; Django's ORM is only used from the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("XUNCHA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def totp_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def login(page: Page, live_server, transactional_db):  # type: ignore[no-untyped-def]
    """Log in through the real pages: password, then the TOTP code (every world persona has a device)."""

    def do(username: str) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button")
        page.wait_for_url("**/accounts/otp/verify/**")
        page.fill("#id_token", totp_code(username))
        page.click("main form button")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
