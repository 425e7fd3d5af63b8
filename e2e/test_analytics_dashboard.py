"""The statistics dashboard in a real browser: every figure's ECharts chart draws from the data the page
embeds (no inline script, nothing the Content-Security-Policy refuses), and a number of the table drills
down to the rows it counts."""

from playwright.sync_api import Page, expect

from xuncha.analytics.figures import FIGURES
from xuncha.analytics.tests import figures_support


def test_the_dashboard_draws_every_chart_and_drills_down(login, live_server, world) -> None:  # type: ignore[no-untyped-def]
    figures_support.build(world)
    page: Page = login("office")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/analytics/")
    expect(page.locator("h1")).to_contain_text("统计分析")
    for key in FIGURES:
        expect(page.locator(f".analytics-chart[data-chart={key}] canvas")).to_have_count(1)

    page.locator("#figure-petition_channels table").get_by_role("link", name="来信").click()
    expect(page.locator("h1")).to_contain_text("信访件：按渠道")
    expect(page.locator("#figure-rows tbody tr")).to_have_count(3)
    assert errors == []
