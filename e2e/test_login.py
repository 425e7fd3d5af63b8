import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("persona", ["t1_member", "office", "liaison1"])
def test_persona_logs_in_with_totp_and_lands_on_a_chinese_home_page(world, login, persona):
    page = login(persona)
    assert page.locator("h1").inner_text() == "工作台"
    assert "退出" in page.content()


def test_team_member_cannot_open_another_teams_inspection(world, login, live_server):
    page = login("t2_member")
    response = page.goto(f"{live_server.url}/rounds/inspections/{world.inspection1.pk}/")
    assert response is not None and response.status == 404
    assert "页面不存在或无权访问" in page.content()
    response = page.goto(f"{live_server.url}/rounds/inspections/{world.inspection2.pk}/")
    assert response is not None and response.status == 200


def test_wrong_password_gives_a_chinese_error_and_no_session(world, page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "t1_member")
    page.fill("#id_password", "wrong-password")
    page.click("form button")
    assert "/accounts/login/" in page.url
    assert "密码" in page.locator(".alert-danger").inner_text()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
