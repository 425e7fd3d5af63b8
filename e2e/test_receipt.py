"""The petition receipt on a phone (390×844): the code fits in two lines, and its 复制, 打印 and 保存为图片
buttons work without sending the code anywhere."""

import io
import re

from PIL import Image
from playwright.sync_api import Browser, expect

from xuncha.intake.tests.conftest import announce

PHONE = {"width": 390, "height": 844}


def test_the_receipt_buttons_on_a_phone(browser: Browser, live_server, world):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url + (request.post_data or "")))
    announcement = announce(world.inspection1)
    page.goto(f"{live_server.url}/portal/{announcement.public_code}/")
    page.fill("#id_content", "市财政局张局长多次用公款宴请，费用以会议费名义报销，涉及金额约十万元。")
    page.click("form button:has-text('提交')")
    receipt = page.locator("#receipt").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}(-[A-Z0-9]{6}){5}", receipt)
    requested.clear()

    # Two lines of three groups, nothing wider than the screen.
    box = page.locator("#receipt").bounding_box()
    line = float(page.locator("#receipt").evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert box and box["x"] + box["width"] <= PHONE["width"] and round(box["height"] / line) == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.tap("button:has-text('复制')")
    expect(page.locator("#receipt-status")).to_contain_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == receipt

    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.tap("button:has-text('打印')")
    assert page.evaluate("window.printed") == 1

    with page.expect_download() as download:
        page.tap("button:has-text('保存为图片')")
    assert download.value.suggested_filename == "巡察信访查询码.png"
    picture = Image.open(io.BytesIO(download.value.path().read_bytes()))
    assert picture.format == "PNG" and picture.size == (1440, 840)
    expect(page.locator("#receipt-image")).to_be_visible()
    assert all(receipt not in url for url in requested)  # nothing of it left the browser
    context.close()
