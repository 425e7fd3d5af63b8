"""The 待办 list and a batch action in a real browser: the team's member sees the navbar's count load and
the new petitions on the 待办 page, selects every petition of the list page at once, files them as 存查 on
the confirmation page, and the count goes; the print view shows the content with who printed it, without
the navigation and the buttons."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from xuncha.intake.choices import Status
from xuncha.intake.models import Petition
from xuncha.intake.tests.conftest import letter

pytestmark = pytest.mark.e2e


@pytest.fixture
def patient() -> Iterator[None]:
    """Longer waits for the assertions on a loaded shared machine (Playwright's default is 5 s)."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_the_todo_list_and_a_batch_filed_at_once(world, page, login, live_server, patient) -> None:
    first, second = letter(world, "个人诉求一"), letter(world, "个人诉求二")
    page.set_default_timeout(90_000)  # a loaded shared machine; a page rarely takes a few seconds alone
    login("t1_member")

    todo_link = page.locator("nav a.nav-link", has_text="待办")
    expect(todo_link.locator(".badge")).to_have_text("2")  # loaded by htmx after the page
    todo_link.click()
    expect(page.locator("h1")).to_have_text("待办")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("待分拣的信访件")
    expect(page.locator("main table")).to_contain_text(f"信访件{first.number}")

    page.emulate_media(media="print")
    expect(page.locator(".navbar")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator(".print-stamp")).to_contain_text("打印人：t1_member")
    expect(page.locator("main table")).to_be_visible()
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/intake/petitions/")
    page.check("[data-select-all]")
    expect(page.locator("input[name=ids]:checked")).to_have_count(2)
    page.click("button:has-text('批量分拣为存查')")
    expect(page.locator("h1")).to_have_text("批量分拣为存查")
    expect(page.locator("#batch-rows li")).to_have_count(2)
    page.select_option("#id_scope_reason", value="personal_claim")
    page.fill("#id_note", "个人诉求，已告知其通过信访渠道反映。")
    page.click("main form button:has-text('确认办理')")
    expect(page.locator(".alert-success")).to_contain_text("已将 2 件信访件分拣为存查")
    assert set(Petition.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Status.FILED
    }
    page.goto(f"{live_server.url}/todo/")
    expect(page.locator("main")).to_contain_text("暂无待办事项")
    expect(page.locator("nav a.nav-link", has_text="待办").locator(".badge")).to_have_count(0)
