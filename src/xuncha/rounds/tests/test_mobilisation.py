"""The mobilisation meeting (动员会): who plans it, refusals on the field, its notice and record as official
documents, audited downloads."""

import datetime
import io

import docx
import pytest
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.core.tests.pdf import read_back
from xuncha.rounds.mobilisation import DEFAULT_AGENDA, save_meeting
from xuncha.rounds.models import MobilisationMeeting

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(datetime.datetime(2026, 12, 8, 9, 30))  # a Tuesday


def values(**overrides):
    return {
        "held_at": AT,
        "place": "市财政局三楼会议室",
        "chair": "市财政局党组书记 张建国",
        "attendees": "市财政局领导班子成员\n各处室主要负责人",
        "agenda": "\n".join(DEFAULT_AGENDA),
        "notes": "",
    } | overrides


def plan(world, by="t1_leader", **overrides):
    return save_meeting(world.inspection1, **values(**overrides), by=world.users[by])


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_team_leader_plans_and_the_office_completes_the_meeting(world):
    meeting = plan(world)
    assert meeting.agenda_items == list(DEFAULT_AGENDA)
    created = AuditEvent.objects.get(action="mobilisation_meeting.created")
    assert created.role == "team_leader" and created.details["changes"]["place"] == [
        None,
        "市财政局三楼会议室",
    ]
    plan(world, by="office", notes="实到 86 人，会后开展民主测评。")
    assert MobilisationMeeting.objects.count() == 1
    updated = AuditEvent.objects.get(action="mobilisation_meeting.updated")
    assert updated.role == "office" and list(updated.details["changes"]) == ["notes"]


@pytest.mark.parametrize("persona", ["t1_member", "leader", "liaison1", "t2_member", "jiwei"])
def test_only_the_team_leader_and_the_office_plan_it(world, persona):
    with pytest.raises(NotAllowed):
        plan(world, by=persona)
    assert not MobilisationMeeting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_at": None}, "held_at"),
        ({"held_at": timezone.make_aware(datetime.datetime(1999, 5, 1, 9))}, "held_at"),
        ({"place": "  "}, "place"),
        ({"chair": ""}, "chair"),
        ({"attendees": ""}, "attendees"),
        ({"agenda": "\n"}, "agenda"),
        ({"place": "会" * 201}, "place"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(world, overrides, field):
    with pytest.raises(Refused) as refused:
        plan(world, **overrides)
    assert refused.value.field == field
    assert not MobilisationMeeting.objects.exists()


def test_the_page_saves_the_meeting_and_shows_errors_in_chinese(world, client_for):
    url = f"/rounds/inspections/{world.inspection1.pk}/mobilisation/"
    client = client_for("t1_leader")
    page = client.get(url).content.decode()
    assert "巡察组组长作巡察工作动员讲话" in page and "尚未登记动员会" in page
    bad = client.post(url, values(held_at="2026-13-45T09:00", place=""))
    assert bad.status_code == 200 and "请输入有效的日期和时间" in bad.content.decode()
    assert not MobilisationMeeting.objects.exists()
    data = values(held_at="2026-12-08T09:30")
    assert client.post(url, data).status_code == 302
    meeting = MobilisationMeeting.objects.get()
    assert meeting.held_at == AT and meeting.chair == "市财政局党组书记 张建国"
    # A member reads it without the form; the liaison of the unit may not.
    member_page = client_for("t1_member").get(url).content.decode()
    assert "市财政局三楼会议室" in member_page and "<form" not in member_page.split("</nav>")[-1]
    assert client_for("t1_member").post(url, data).status_code == 403
    assert client_for("liaison1").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404
    detail = client_for("t1_member").get(f"/rounds/inspections/{world.inspection1.pk}/").content.decode()
    assert url in detail


def test_the_notice_is_an_official_document_with_the_meeting(world, client_for):
    plan(world)
    response = client_for("t1_member").get(f"/rounds/inspections/{world.inspection1.pk}/mobilisation/notice/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "filename*=" in response["Content-Disposition"]
    assert layout_problems(response.content) == []
    assert elements(response.content) == ["发文机关标志", "标题"]
    text = _text(response.content)
    assert "关于召开巡察工作动员会的通知" in text and "市财政局：" in text
    assert "2026年12月8日（星期二）9:30" in text and "市财政局三楼会议室" in text
    assert "一、会议时间" in text and "五、会议议程" in text
    assert "1.巡察组组长作巡察工作动员讲话，通报巡察任务和工作安排" in text
    assert "江东市委第一巡察组" in text
    read_back({"动员会通知": (response.content, ["江东市委第一巡察组", "关于召开巡察工作动员会的通知"])})
    read = AuditEvent.objects.get(action="mobilisation_meeting.notice_read")
    assert read.actor == world.users["t1_member"] and read.role == "team_member"


def test_the_record_has_blank_lines_until_the_notes_are_written(world, client_for):
    plan(world)
    url = f"/rounds/inspections/{world.inspection1.pk}/mobilisation/record/"
    blank = client_for("leader").get(url).content
    assert layout_problems(blank) == []
    assert elements(blank) == ["标题"]  # a record, not a 公文: no 版头
    assert "巡察工作动员会会议记录" in _text(blank) and "＿＿＿＿" in _text(blank)
    plan(world, notes="实到 86 人，会后开展民主测评。")
    filled = _text(client_for("office").get(url).content)
    assert "实到 86 人，会后开展民主测评。" in filled and "＿＿＿＿" not in filled
    assert "参会人员：市财政局领导班子成员；各处室主要负责人" in filled
    assert AuditEvent.objects.filter(action="mobilisation_meeting.record_read").count() == 2


def test_documents_need_a_meeting_and_a_reader(world, client_for):
    url = f"/rounds/inspections/{world.inspection1.pk}/mobilisation/notice/"
    assert client_for("office").get(url).status_code == 404
    plan(world)
    assert client_for("liaison1").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="mobilisation_meeting.notice_read").exists()


def test_without_libreoffice_the_pdf_is_a_chinese_page(world, client_for, monkeypatch, tmp_path):
    plan(world)
    monkeypatch.setenv("PATH", str(tmp_path))
    url = f"/rounds/inspections/{world.inspection1.pk}/mobilisation/notice/?format=pdf"
    response = client_for("t1_leader").get(url)
    assert response.status_code == 503 and "未安装 LibreOffice" in response.content.decode()
