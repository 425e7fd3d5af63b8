"""Rectification in a real browser, the issue's "done when": the unit's liaison drafts a plan from the
delivered feedback (a task per problem) and submits it; the office approves it; the liaison reports progress
with an evidence file and asks for closure; the office returns it with a reason the liaison then reads, and
closes it once asked again; the liaison of another unit gets 404. One live server, three logins."""

import pytest
from playwright.sync_api import Page, expect

from xuncha.core import actions as accounts
from xuncha.core.choices import Role
from xuncha.rectification.choices import ItemStatus, PlanStatus
from xuncha.rectification.models import Item, Plan
from xuncha.rectification.tests.support import days, delivered
from xuncha.reports.models import FeedbackProblem

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "佐证材料只有制度文本，缺少清退费用的银行回单。"
NOT_FOUND = "页面不存在或无权访问"


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def _confirm(page: Page) -> None:
    page.click("main form button:has-text('确认')")


def _add_task(page: Page, problem: FeedbackProblem, measure: str, kind: str) -> None:
    page.click("a:has-text('增加整改任务')")
    page.select_option("#id_problem", value=str(problem.pk))
    page.fill("#id_measure", measure)
    page.select_option("#id_kind", label=kind)
    page.fill("#id_leader", "王建国（局长）")
    page.fill("#id_department", "办公室")
    page.fill("#id_due_on", days(30).isoformat())
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_plan_drafted_approved_and_an_item_closed_only_after_verification(
    world, login, live_server
) -> None:
    base = live_server.url
    w = delivered(world)
    inspection_page = f"{base}/rectification/inspections/{w.inspection1.pk}/"

    # The liaison drafts the plan from the problem list and submits it.
    page = login("liaison1")
    liaison_session = page.context.cookies()  # a TOTP code is taken once: later visits reuse the session
    page.goto(inspection_page)
    page.click("a:has-text('起草整改方案')")
    _confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已起草整改方案")
    _add_task(page, w.problem_a, "严格执行公务接待制度，清退违规报销费用。", "限期整改")
    _add_task(page, w.problem_b, "修订财务报销审批制度。", "立行立改")
    page.click("a:has-text('报送')")
    _confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已报送整改方案")
    plan = Plan.objects.get(inspection=w.inspection1)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == world.users["liaison1"]
    _log_out(page)

    # The office approves it.
    page = login("office")
    office_session = page.context.cookies()
    page.goto(inspection_page)
    page.click("a:has-text('审核通过')")
    page.fill("#id_note", "同意。")
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    _log_out(page)

    # The liaison reports progress with evidence and asks for closure.
    item = Item.objects.get(inspection=w.inspection1, problem=w.problem_a)
    item_page = f"{base}/rectification/items/{item.pk}/"
    page.context.add_cookies(liaison_session)
    page.goto(item_page)
    page.click("a:has-text('报告整改进展')")
    page.fill("#id_text", "已制定公务接待管理办法。")
    page.set_input_files(
        "input[type=file]", files=[{"name": "接待管理办法.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("已报告整改进展")
    page.click("a:has-text('申请销号')")
    _confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已申请销号")
    _log_out(page)

    # The office returns it with the reason.
    page.context.add_cookies(office_session)
    page.goto(item_page)
    page.click("a:has-text('退回')")
    page.fill("#id_reason", REASON)
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("已退回销号申请")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    _log_out(page)

    # The liaison reads the reason, reports what was done since, and asks again (not before: a returned item
    # needs new progress after the return).
    page.context.add_cookies(liaison_session)
    page.goto(item_page)
    expect(page.locator("main")).to_contain_text(REASON)
    page.click("a:has-text('报告整改进展')")
    page.fill("#id_text", "违规报销费用已全部清退。")
    page.set_input_files(
        "input[type=file]", files=[{"name": "清退凭证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("已报告整改进展")
    page.click("a:has-text('申请销号')")
    _confirm(page)
    _log_out(page)

    # The office verifies and closes it (销号).
    page.context.add_cookies(office_session)
    page.goto(item_page)
    page.click("a:has-text('核实销号')")
    page.fill("#id_note", "银行回单已补充，核实无误。")
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("已核实销号")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.closed_by == world.users["office"]
    _log_out(page)

    # The liaison of another unit: 404 on the plan's inspection and on the item.
    accounts.grant_role(
        user=world.users["outsider"], role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=None
    )
    page = login("outsider")
    for url in (inspection_page, item_page):
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(page.locator("main")).to_contain_text(NOT_FOUND)
