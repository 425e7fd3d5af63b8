"""The public portal in a real browser: a reporter submits, keeps the receipt and looks it up; the team
sees the petition with its triage suggestions; another team does not."""

import re

from playwright.sync_api import Page, expect

from xuncha.intake.models import Petition
from xuncha.intake.tests.conftest import announce


def test_a_public_petition_reaches_the_responsible_team_with_its_suggestions(
    page: Page, live_server, login, world
):  # type: ignore[no-untyped-def]
    announcement = announce(world.inspection1)
    page.goto(f"{live_server.url}/portal/{announcement.public_code}/")
    expect(page.locator("body")).to_contain_text("第一巡察组")
    page.fill("#id_subject_name", "张局长")
    page.fill("#id_content", "市财政局张局长多次用公款宴请，费用以会议费名义报销，涉及金额约十万元。")
    page.click("form button:has-text('提交')")
    receipt = page.locator("#receipt").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}(-[A-Z0-9]{6}){5}", receipt)
    assert receipt not in page.url

    page.goto(f"{live_server.url}/portal/lookup/")
    page.fill("#id_receipt", receipt)
    page.click("form button")
    expect(page.locator("body")).to_contain_text("已受理")
    assert receipt not in page.url

    petition = Petition.objects.get()
    login("t1_member")
    page.goto(f"{live_server.url}/intake/petitions/")
    expect(page.locator("body")).to_contain_text(petition.number)
    page.goto(f"{live_server.url}/intake/petitions/{petition.pk}/")
    expect(page.locator("body")).to_contain_text("张建国")  # the roster person the text names
    expect(page.locator("body")).to_contain_text("花名册")  # and the evidence that produced it


def test_another_team_gets_404_on_it(page: Page, live_server, login, world):  # type: ignore[no-untyped-def]
    from xuncha.intake.actions.petitions import PetitionInput, submit_public_petition

    petition, _ = submit_public_petition(
        announce(world.inspection1), data=PetitionInput(content="网上反映问题")
    )
    login("t2_member")
    response = page.goto(f"{live_server.url}/intake/petitions/{petition.pk}/")
    assert response is not None and response.status == 404
