"""Announcements: who drafts and publishes them, what is refused, the pages, the 码上巡察 QR code, and the
questions a member asks a reporter through the portal."""

import datetime
import io
import re

import docx
import pytest
import segno
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems, official_date
from xuncha.core.permissions import NotAllowed
from xuncha.core.tests.pdf import read_back
from xuncha.intake.actions.announcements import publish_announcement, save_announcement
from xuncha.intake.actions.messages import ask_reporter
from xuncha.intake.actions.petitions import PetitionInput, submit_public_petition
from xuncha.intake.models import Announcement, PetitionMessage
from xuncha.intake.views.portal import panel
from xuncha.rounds.choices import Stage

from .conftest import letter

pytestmark = pytest.mark.django_db


def values(**overrides):
    now = timezone.now()
    fields = {
        "window_starts_at": now - datetime.timedelta(hours=1),
        "window_ends_at": now + datetime.timedelta(days=45),
        "phone": "0791-88886666",
        "duty_hours": "每天 8:00—20:00",
        "duty_starts": datetime.time(8),
        "duty_ends": datetime.time(20),
        "postal_box": "江东市 A001 号信箱",
        "email": "xuncha1@example.cn",
        "box_locations": "市财政局一楼大厅\n市财政局五楼走廊",
        "visit_place": "市财政局 5 楼 501 室",
    }
    return fields | overrides


def draft(world, by="t1_leader", inspection=None, **overrides):
    return save_announcement(inspection or world.inspection1, **values(**overrides), by=world.users[by])


# The actions ----------------------------------------------------------------------------------------


def test_the_team_leader_drafts_an_announcement_with_an_unguessable_public_code(world):
    announcement = draft(world)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", announcement.public_code)
    assert announcement.published_at is None and not announcement.is_open()
    other = draft(world, by="office", inspection=world.inspection2)
    assert other.public_code != announcement.public_code
    event = AuditEvent.objects.get(action="announcement.created", object_id=str(announcement.pk))
    assert event.role == "team_leader"
    assert event.details["changes"]["phone"] == [None, "0791-88886666"]


def test_saving_again_updates_the_same_announcement_and_records_what_changed(world):
    first = draft(world)
    window = {"window_starts_at": first.window_starts_at, "window_ends_at": first.window_ends_at}
    second = draft(world, by="office", phone="0791-12388", **window)
    assert second.pk == first.pk and second.public_code == first.public_code
    assert Announcement.objects.count() == 1
    event = AuditEvent.objects.filter(action="announcement.updated").get()
    assert event.details["changes"] == {"phone": ["0791-88886666", "0791-12388"]}


@pytest.mark.parametrize("persona", ["t1_member", "t2_member", "liaison1", "leader", "custodian"])
def test_only_the_team_leader_and_the_office_edit(world, persona):
    with pytest.raises(NotAllowed):
        draft(world, by=persona)
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"window_starts_at": None}, "window_starts_at"),
        ({"window_starts_at": datetime.datetime(1, 1, 1, 8, tzinfo=datetime.UTC)}, "window_starts_at"),
        ({"window_ends_at": None}, "window_ends_at"),
        ({"window_ends_at": timezone.now() - datetime.timedelta(days=3)}, "window_ends_at"),
        ({"window_ends_at": timezone.now() + datetime.timedelta(days=400)}, "window_ends_at"),
        ({"duty_starts": None}, "duty_starts"),
        ({"duty_ends": None}, "duty_ends"),
        ({"duty_ends": datetime.time(8)}, "duty_ends"),
        ({"phone": ""}, "phone"),
        ({"phone": "请拨打<script>"}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"duty_hours": "\u200b"}, "duty_hours"),
        ({"postal_box": ""}, "postal_box"),
        ({"postal_box": "信" * 201}, "postal_box"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_announcements_are_refused_on_the_field_and_nothing_is_saved(world, overrides, field):
    with pytest.raises(Refused) as refusal:
        draft(world, **overrides)
    assert refusal.value.field == field
    assert not Announcement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="announcement.").exists()


def test_a_night_duty_past_midnight_is_allowed(world):
    announcement = draft(world, duty_starts=datetime.time(20), duty_ends=datetime.time(8))
    assert announcement.duty_starts > announcement.duty_ends


def test_an_archived_inspection_keeps_its_announcement(world):
    world.inspection1.stage = Stage.ARCHIVED
    with pytest.raises(Refused, match="已归档"):
        draft(world, by="office")


def test_publishing_opens_the_window_from_stationing_on(world):
    announcement = draft(world)
    publish_announcement(announcement, by=world.users["t1_leader"])
    announcement.refresh_from_db()
    assert announcement.published_at is not None and announcement.is_open()
    assert AuditEvent.objects.filter(action="announcement.published", object_id=str(announcement.pk)).exists()
    with pytest.raises(Refused, match="已经发布"):
        publish_announcement(announcement, by=world.users["office"])


def test_publishing_is_refused_before_stationing_after_reporting_and_after_the_window(world):
    preparing = draft(world, by="office", inspection=world.inspection2)
    with pytest.raises(Refused, match="进驻后"):
        publish_announcement(preparing, by=world.users["office"])
    past = draft(
        world,
        window_starts_at=timezone.now() - datetime.timedelta(days=10),
        window_ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(Refused) as refusal:
        publish_announcement(past, by=world.users["t1_leader"])
    assert refusal.value.field == "window_ends_at"
    current = draft(world)
    current.inspection.stage = Stage.FEEDBACK
    with pytest.raises(Refused, match="已不在受理信访期间"):
        publish_announcement(current, by=world.users["t1_leader"])
    with pytest.raises(NotAllowed):
        publish_announcement(preparing, by=world.users["t2_member"])
    assert not Announcement.objects.filter(published_at__isnull=False).exists()


# The pages ------------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "window_starts_at": "2026-03-01T08:00",
        "window_ends_at": "2026-05-01T18:00",
        "phone": "0791-88886666",
        "duty_hours": "每天 8:00—20:00",
        "duty_starts": "08:00",
        "duty_ends": "20:00",
        "postal_box": "江东市 A001 号信箱",
        "email": "",
        "box_locations": "",
        "visit_place": "",
    }
    return data | overrides


def test_the_team_leader_saves_the_announcement_on_its_page(world, client_for):
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/"
    client = client_for("t1_leader")
    page = client.get(url)
    assert page.status_code == 200 and 'name="window_starts_at"' in page.content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 302
    saved = Announcement.objects.get(inspection=world.inspection1)
    assert timezone.localtime(saved.window_starts_at).hour == 8 and saved.published_at is None


def test_bad_dates_and_refusals_are_shown_on_the_form_in_chinese(world, client_for):
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/"
    client = client_for("t1_leader")
    bad_date = client.post(url, form_data(window_starts_at="2026-13-45T99:99"))
    assert bad_date.status_code == 200 and "请输入有效的日期和时间" in bad_date.content.decode()
    backwards = client.post(url, form_data(window_ends_at="2026-02-01T08:00"))
    assert "受理结束时间须晚于开始时间" in backwards.content.decode()
    assert not Announcement.objects.exists()


def test_a_member_reads_the_announcement_but_does_not_edit_it(world, client_for):
    draft(world)
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/"
    member = client_for("t1_member")
    page = member.get(url)
    assert page.status_code == 200
    assert "0791-88886666" in page.content.decode() and 'name="phone"' not in page.content.decode()
    assert member.post(url, form_data(phone="0791-1")).status_code == 403
    assert client_for("liaison1").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404


def test_publishing_through_the_confirmation_page(world, client_for):
    announcement = draft(world)
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/publish/"
    client = client_for("t1_leader")
    assert "确认发布" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    announcement.refresh_from_db()
    assert announcement.published_at is not None
    assert client_for("t1_member").post(url).status_code == 403


def test_the_qr_code_opens_the_public_form_of_the_inspection(world, client_for):
    announcement = draft(world)
    client = client_for("t1_member")
    portal_url = f"http://testserver/portal/{announcement.public_code}/"
    page = client.get(f"/intake/inspections/{world.inspection1.pk}/qr/").content.decode()
    assert "<svg" in page and portal_url in page
    png = client.get(f"/intake/inspections/{world.inspection1.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and "attachment" in png["Content-Disposition"]
    expected = io.BytesIO()
    segno.make(portal_url, error="m").save(expected, kind="png", scale=12, border=4)
    assert b"".join(png.streaming_content) == expected.getvalue()
    svg = client.get(f"/intake/inspections/{world.inspection1.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in b"".join(svg.streaming_content)
    assert client.get(f"/intake/inspections/{world.inspection2.pk}/qr.png").status_code == 404  # no draft yet


def test_the_qr_code_uses_the_portal_address_when_set(world, client_for, settings):
    settings.XUNCHA_PORTAL_URL = "https://xuncha.example.gov.cn"
    announcement = draft(world)
    page = client_for("office").get(f"/intake/inspections/{world.inspection1.pk}/qr/").content.decode()
    assert f"https://xuncha.example.gov.cn/portal/{announcement.public_code}/" in page


def _document_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_announcement_document_carries_the_window_channels_and_scope(world, client_for):
    announcement = draft(world)
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/document/"
    assert (
        url
        in client_for("t1_member")
        .get(f"/intake/inspections/{world.inspection1.pk}/announcement/")
        .content.decode()
    )
    response = client_for("t1_member").get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert layout_problems(response.content) == []
    assert elements(response.content) == ["标题"]  # a 公告 is posted, without a 版头
    read_back({"巡察公告": (response.content, ["江东市委第一巡察组巡察市财政局公告"])})
    text = _document_text(response.content)
    starts = timezone.localdate(announcement.window_starts_at)
    ends = timezone.localdate(announcement.window_ends_at)
    assert "江东市委第一巡察组巡察市财政局公告" in text
    assert f"{official_date(starts)}至{official_date(ends)}" in text
    assert "1.值班电话：0791-88886666（每天 8:00—20:00）" in text
    assert "邮政信箱：江东市 A001 号信箱" in text and "电子邮箱：xuncha1@example.cn" in text
    assert "意见箱设置地点：市财政局一楼大厅；市财政局五楼走廊" in text
    assert "来访接待地点：市财政局 5 楼 501 室" in text
    assert "主要受理反映被巡察党组织领导班子及其成员、下一级党组织主要负责人" in text
    assert "不属于巡察受理范围的信访举报，将按照分级负责、属地管理原则，转交有关部门处理" in text
    read = AuditEvent.objects.get(action="announcement.document_read")
    assert read.actor == world.users["t1_member"] and read.role == "team_member"


def test_the_announcement_document_leaves_out_empty_channels(world, client_for):
    draft(world, email="", box_locations="", visit_place="")
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/document/"
    text = _document_text(client_for("office").get(url).content)
    assert "电子邮箱" not in text and "意见箱" not in text and "来访接待地点" not in text
    assert "3.网上反映" in text  # numbered on without gaps


def test_the_announcement_document_is_for_those_who_see_the_team(world, client_for):
    url = f"/intake/inspections/{world.inspection1.pk}/announcement/document/"
    assert client_for("office").get(url).status_code == 404  # not drafted yet
    inspection_page = f"/rounds/inspections/{world.inspection1.pk}/"
    assert url not in client_for("office").get(inspection_page).content.decode()
    draft(world)
    assert url in client_for("office").get(inspection_page).content.decode()
    assert client_for("leader").get(url).status_code == 200
    assert client_for("liaison1").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404
    assert AuditEvent.objects.filter(action="announcement.document_read").count() == 1


def test_the_inspection_page_links_to_the_announcement_for_those_who_see_the_team(world, client_for):
    link = f"/intake/inspections/{world.inspection1.pk}/announcement/"
    page = client_for("t1_member").get(f"/rounds/inspections/{world.inspection1.pk}/")
    assert link in page.content.decode()
    page = client_for("liaison1").get(f"/rounds/inspections/{world.inspection1.pk}/")
    assert page.status_code == 200 and link not in page.content.decode()


# Questions to the reporter --------------------------------------------------------------------------


@pytest.fixture
def web_petition(world, announcement):
    petition, _ = submit_public_petition(announcement, data=PetitionInput(content="网上反映违规发放津贴"))
    return petition


def test_a_member_asks_the_reporter_a_question_on_the_petition_page(world, web_petition, client_for):
    client = client_for("t1_member")
    detail = f"/intake/petitions/{web_petition.pk}/"
    page = client.get(detail).content.decode()
    assert "与反映人往来" in page and f'action="/intake/petitions/{web_petition.pk}/ask/"' in page
    response = client.post(f"/intake/petitions/{web_petition.pk}/ask/", {"text": "请补充发放时间"})
    assert response.status_code == 302 and response["Location"] == detail
    assert "请补充发放时间" in client.get(detail).content.decode()
    question = PetitionMessage.objects.get(petition=web_petition)
    assert question.direction == "to_reporter" and question.text == "请补充发放时间"
    assert question.by == world.users["t1_member"]
    event = AuditEvent.objects.get(action="petition.question_asked")
    assert "请补充" not in str(event.details)


def test_asking_is_refused_without_a_receipt_and_for_empty_text(world, web_petition, client_for):
    with pytest.raises(Refused):
        ask_reporter(letter(world, "来信反映"), text="请补充", by=world.users["t1_member"])
    with pytest.raises(Refused) as refusal:
        ask_reporter(web_petition, text=" \u200b ", by=world.users["t1_member"])
    assert refusal.value.field == "text"
    client = client_for("t1_member")
    response = client.post(f"/intake/petitions/{web_petition.pk}/ask/", {"text": ""}, follow=True)
    assert "请填写问题" in response.content.decode()
    assert not PetitionMessage.objects.exists()


def test_only_those_who_handle_the_petition_ask(world, web_petition, client_for, announcement):
    url = f"/intake/petitions/{web_petition.pk}/ask/"
    for persona in ("t2_member", "liaison1", "leader", "custodian"):
        assert client_for(persona).post(url, {"text": "问题"}).status_code == 404
    about_team, _ = submit_public_petition(
        announcement, data=PetitionInput(content="巡察组成员接受宴请", about_inspectors=True)
    )
    url = f"/intake/petitions/{about_team.pk}/ask/"
    assert client_for("t1_leader").post(url, {"text": "问题"}).status_code == 404
    assert client_for("office").post(url, {"text": "请说明时间地点"}).status_code == 302
    assert not PetitionMessage.objects.filter(petition=web_petition).exists()
    assert PetitionMessage.objects.filter(petition=about_team).count() == 1


def test_the_panel_shows_the_thread_without_attachment_names(world, web_petition, rf):
    from xuncha.core.files import Upload
    from xuncha.intake.actions.messages import reply_as_reporter

    ask_reporter(web_petition, text="请补充发放<b>时间</b>", by=world.users["t1_member"])
    reply_as_reporter(web_petition, text="三月发放", files=[Upload("王某某的证据.txt", "名单".encode())])
    request = rf.get(f"/intake/petitions/{web_petition.pk}/")
    request.user = world.users["t1_member"]
    html = panel(request, web_petition)
    assert "请补充发放&lt;b&gt;时间&lt;/b&gt;" in html and "三月发放" in html
    assert "附件 1 个" in html and "王某某" not in html
    assert f"/intake/petitions/{web_petition.pk}/ask/" in html
