"""The unit portrait and the key-person radar in a real browser: the portrait's ECharts draw from the data
the page embeds (no inline script, nothing the Content-Security-Policy refuses), and the radar lists the
key person with the contributions of his score."""

from playwright.sync_api import Page, expect

from xuncha.analytics.tests import radar_support
from xuncha.fieldwork.actions import surveys
from xuncha.fieldwork.choices import SurveyKind


def test_the_portrait_draws_its_charts_and_the_radar_explains(login, live_server, world) -> None:  # type: ignore[no-untyped-def]
    radar_support.build(world)
    survey = surveys.create_survey(
        world.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=world.users["t1_member"]
    )
    surveys.open_survey(survey, by=world.users["t1_leader"])
    overall = survey.questions.filter(kind="rating", person__isnull=True).get()
    surveys.enter_paper_response(
        survey,
        answers={str(q.pk): "较好" for q in survey.questions.filter(kind="rating")} | {str(overall.pk): "好"},
        by=world.users["t1_member"],
    )
    page: Page = login("office")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/orgs/units/{world.unit1.pk}/")
    page.click("text=政治生态画像")
    expect(page.locator("h1")).to_contain_text("政治生态画像 · 市财政局")
    # The evaluation, channels and focus charts have data (the look-back one has none and is removed).
    for chart in ("evaluation", "channels", "focus"):
        expect(page.locator(f".portrait-chart[data-chart={chart}] canvas")).to_have_count(1)
    expect(page.locator(".portrait-chart[data-chart=verdicts]")).to_have_count(0)
    expect(page.locator("#inspections")).to_contain_text("100.0%（1 票）")

    page.click("nav >> text=统计研判")
    page.click("nav >> text=重点人研判")
    row = page.locator("#radar tbody tr").first
    expect(row).to_contain_text(world.principal1.name)
    expect(row).to_contain_text("3 件信访（来电、来信、来访，归并为 2 件）")
    expect(row).to_contain_text("1 条线索已移交市纪委监委")
    assert errors == []
