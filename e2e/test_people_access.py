"""Issue 15's done-when in a real browser: as ``office``, appointing a liaison for a unit that has none takes
the people and roles page alone (a new account, its one-time password shown once); that liaison logs in,
is made to set a new password before anything else, and then sees the unit's inspection."""

import pytest
from playwright.sync_api import Browser, Page, expect

from xuncha.core.models import User

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "Jiaotong-lianluo-2026"


def test_office_appoints_a_liaison_who_sets_a_password_and_sees_the_inspection(
    world, login, live_server, browser: Browser
):
    page: Page = login("office")
    page.click("nav >> text=基础数据")
    page.click("nav >> text=人员与权限")
    expect(page.locator("h1")).to_have_text("人员与权限")
    page.click("main >> text=任命被巡察单位联络人")
    # 市交通运输局 (inspection2's unit) has no liaison: the list says so, by name.
    # The unit's roster comes with the unit (htmx replaces the fields: wait for the new ones); the person is
    # picked from it, and the new account takes the name.
    roster = page.query_selector("#id_person")
    page.select_option("#id_scope", label="市交通运输局 · 暂无联络人")
    page.wait_for_function("old => document.querySelector('#id_person') !== old", arg=roster)
    person = world.principal2
    expect(page.locator("#id_person")).to_contain_text(person.name)
    page.select_option("#id_person", label=f"{person.name}（{person.post}）")
    expect(page.locator("#id_account")).to_have_value("")  # a new account
    page.fill("#id_username", "wangfang")
    page.click("main form button:has-text('任命')")
    expect(page.locator("h1")).to_have_text("任命完成")
    expect(page.locator("main")).to_contain_text(
        f"已任命 {person.name}（wangfang）为市交通运输局的被巡察单位联络人"
    )
    one_time = page.locator("#one-time-password").inner_text()
    assert User.objects.get(username="wangfang").must_change_password

    liaison = browser.new_context(locale="zh-CN").new_page()
    liaison.goto(f"{live_server.url}/accounts/login/")
    liaison.fill("#id_username", "wangfang")
    liaison.fill("#id_password", one_time)
    liaison.click("main form button")
    liaison.wait_for_url("**/accounts/password/")
    liaison.goto(f"{live_server.url}/rounds/inspections/{world.inspection2.pk}/")
    assert liaison.url.endswith("/accounts/password/")  # nothing else until the password is changed
    liaison.fill("#id_old_password", one_time)
    liaison.fill("#id_new_password1", NEW_PASSWORD)
    liaison.fill("#id_new_password2", NEW_PASSWORD)
    liaison.click("main form button")
    liaison.wait_for_url(f"{live_server.url}/")
    liaison.click("nav >> a.nav-link:text-is('巡察')")
    liaison.click(f"main >> a[href='/rounds/inspections/{world.inspection2.pk}/']")
    expect(liaison.locator("main")).to_contain_text("市交通运输局")
    assert not User.objects.get(username="wangfang").must_change_password
    liaison.context.close()
