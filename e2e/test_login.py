import pytest

pytestmark = pytest.mark.e2e


def test_team_member_logs_in_and_lands_on_a_chinese_home_page(world, login, live_server):
    page = login("t1_member")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "退出" in page.content()


def test_wrong_password_gives_a_chinese_error_and_no_session(world, page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "t1_member")
    page.fill("#id_password", "wrong-password")
    page.click("form button")
    assert "/accounts/login/" in page.url
    assert "密码" in page.locator(".alert-danger").inner_text()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
