"""A democratic evaluation in a real browser: the printed QR code opens the survey page with the token in
the URL fragment (never sent to the server), the page's script puts it in the form, the respondent
answers, and the token cannot be used again."""

from playwright.sync_api import Page, expect

from xuncha.fieldwork.actions import surveys as actions
from xuncha.fieldwork.choices import SurveyKind
from xuncha.fieldwork.models import Response


def test_a_qr_token_fills_the_form_answers_once_and_stays_out_of_the_address(page: Page, live_server, world):  # type: ignore[no-untyped-def]
    survey = actions.create_survey(
        world.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=world.users["t1_member"]
    )
    actions.open_survey(survey, by=world.users["t1_leader"])
    [code] = actions.issue_tokens(survey, count=1, by=world.users["t1_member"])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/survey/#{code}")
    expect(page.locator("input[name=token]")).to_have_value(code)
    assert "#" not in page.url  # the script dropped the token from the address bar
    page.click("form button")
    for group in page.locator("input[type=radio][value='较好']").all():
        group.check()
    page.click("form button:has-text('提交')")
    expect(page.locator("body")).to_contain_text("提交成功")
    assert Response.objects.filter(survey=survey).count() == 1

    page.goto(f"{live_server.url}/survey/#{code}")
    page.click("form button")
    expect(page.locator("body")).to_contain_text(actions.CODE_REFUSED)
    assert all(code not in url for url in requested)
