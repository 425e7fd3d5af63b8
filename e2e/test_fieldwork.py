"""Fieldwork in a real browser, the issue's "done when": a team member plans the unit's interviews from the
roster, schedules one and saves its record (stored encrypted); the unit's liaison sees the schedule without
the topics and confirms it, then answers a document item with a file; another team's member gets 404 on
the interview page. One live server, four logins."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from xuncha.fieldwork.actions import documents
from xuncha.fieldwork.choices import InterviewStatus, ItemStatus
from xuncha.fieldwork.models import DocumentFile, Interview, InterviewRecord

pytestmark = pytest.mark.e2e

TOPICS = "履行全面从严治党主体责任情况"
RECORD = "张建国谈到：专项资金调剂事后补提党组会。"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_FOUND = "页面不存在或无权访问"


def _local(moment: datetime.datetime) -> str:
    """A date-and-time field's value as typed (YYYY-MM-DD HH:MM), in the server's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_interviews_planned_confirmed_and_recorded_and_a_document_answered_with_a_file(
    world, login, live_server
) -> None:
    base = live_server.url
    request = documents.issue_document_request(
        documents.start_document_request(world.inspection1, by=world.users["t1_member"]),
        by=world.users["t1_member"],
    )
    item = request.items.get(position=1)

    # The team member plans from the roster and schedules the principal: started half an hour ago.
    page = login("t1_member")
    page.goto(f"{base}/fieldwork/interviews/inspections/{world.inspection1.pk}/")
    page.click("text=按花名册生成谈话安排")
    page.click("button:has-text('确认生成')")
    expect(page.locator(".alert-success")).to_contain_text("已按花名册增加 3 人")
    page.click("#interviews a:has-text('张建国')")
    page.click("text=安排时间和谈话人")
    start = timezone.now() - datetime.timedelta(minutes=30)
    page.fill("#id_starts_at", _local(start))
    page.fill("#id_ends_at", _local(start + datetime.timedelta(hours=1)))
    page.fill("#id_place", "巡察组谈话室")
    page.get_by_label("刘振华").check()
    page.get_by_label("周敏").check()
    page.fill("#id_topics", TOPICS)
    page.click("main form button:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存与张建国的谈话安排")
    interview = Interview.objects.get(person=world.principal1)
    detail = f"{base}/fieldwork/interviews/{interview.pk}/"
    member_session = page.context.cookies()  # back later in this session: a TOTP code is taken once
    _log_out(page)

    # The liaison sees the schedule, not the topics, and confirms; then answers the first item with a file.
    page = login("liaison1")
    page.goto(f"{base}/fieldwork/interviews/schedule/")
    expect(page.locator("table")).to_contain_text("张建国")
    assert TOPICS not in page.content()
    page.click("table a:has-text('张建国')")
    assert TOPICS not in page.content()
    page.click("button:has-text('确认按时参加')")
    expect(page.locator(".alert-success")).to_contain_text("已确认张建国按时参加谈话")
    page.goto(f"{base}/fieldwork/documents/{request.pk}/")
    page.locator(f"#item-{item.pk}").get_by_role("link", name="答复/上传").click()
    page.set_input_files(
        "input[type=file]", files=[{"name": "党组会议记录.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#id_answer", "2025年会议记录见附件")
    page.click("main form button:has-text('提交')")
    expect(page.locator(".alert-success")).to_contain_text("第 1 项已答复")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("党组会议记录.pdf")
    item.refresh_from_db()
    assert item.status == ItemStatus.PROVIDED and DocumentFile.objects.get(item=item).read() == PDF
    _log_out(page)

    # The team member saves the record: shown to the team, stored encrypted.
    page.context.add_cookies(member_session)
    page.goto(detail)
    expect(page.locator("body")).to_contain_text("单位已确认")
    page.click("text=填写记录")
    page.fill("#id_text", RECORD)
    page.click("button:has-text('加密保存')")
    expect(page.locator(".alert-success")).to_contain_text("谈话记录已加密保存")
    expect(page.locator("body")).to_contain_text(RECORD)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {InterviewRecord._meta.db_table}")  # noqa: S608 - a model's table
        [(stored,)] = cursor.fetchall()
    assert "张建国" not in stored and "党组会" not in stored
    _log_out(page)

    # Another team's member: the same 404 as for a page that does not exist.
    page = login("t2_member")
    response = page.goto(detail)
    assert response is not None and response.status == 404
    assert NOT_FOUND in page.content() and "张建国" not in page.content()
