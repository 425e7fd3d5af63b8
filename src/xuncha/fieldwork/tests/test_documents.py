"""Document requests through the actions and the pages: templates, the done criterion (answered with files by
the liaison, an overdue item flagged), bad uploads and input, scope, the notice, the section and panels."""

import datetime
import io
from collections.abc import Callable
from types import SimpleNamespace

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.conftest import login_verified
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.pagination import EMPTY_PAGE
from xuncha.core.permissions import NotAllowed
from xuncha.core.tests.pdf import read_back
from xuncha.demo.fieldwork import documents as demo
from xuncha.fieldwork.actions import documents as actions
from xuncha.fieldwork.choices import DOCUMENT_DUE_DAYS, ItemStatus, RequestStatus
from xuncha.fieldwork.models import DocumentFile, DocumentItem, DocumentRequest
from xuncha.fieldwork.views import documents as views
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection

ClientFor = Callable[[str], Client]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def start(world: SimpleNamespace, persona: str = "t1_member") -> DocumentRequest:
    return actions.start_document_request(world.inspection1, by=world.users[persona])


def issued(world: SimpleNamespace) -> DocumentRequest:
    return actions.issue_document_request(start(world), by=world.users["t1_member"])


def make_overdue(item: DocumentItem, days: int = 3) -> None:
    """A due date in the past, as if the clock had moved on (the actions refuse past dates)."""
    DocumentItem.objects.filter(pk=item.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=days)
    )


def liaison_of_unit2(world: SimpleNamespace) -> Client:
    """A liaison of another unit (unit2, inspected by team2)."""
    user = User.objects.create(username="liaison2", full_name="交通局联络人")
    TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
    RoleAssignment.objects.create(
        user=user, role=Role.UNIT_LIAISON, scope_type=ROLE_SCOPE[Role.UNIT_LIAISON], scope_id=world.unit2.pk
    )
    return login_verified(Client(), user)


def _whats(request: DocumentRequest) -> list[str]:
    return list(request.items.order_by("position").values_list("what", flat=True))


# Templates ------------------------------------------------------------------------------------------


def test_a_routine_request_starts_from_the_routine_template(world: SimpleNamespace) -> None:
    request = start(world)
    whats = "\n".join(_whats(request))
    for expected in (
        "三重一大",
        "党委（党组）会议记录",
        "理论学习中心组学习记录",
        "财务凭证",
        "选人用人档案",
        "工程项目招投标",
        "整改资料",
        "民主生活会",
        "内部管理制度",
    ):
        assert expected in whats, expected
    assert request.number == 1 and request.status == RequestStatus.DRAFT
    assert request.due_on == timezone.localdate() + datetime.timedelta(days=DOCUMENT_DUE_DAYS)
    first = request.items.get(position=1)
    year = world.round.planned_start.year
    assert first.period == f"{year - 3}年1月以来" and first.due_on is None
    assert first.effective_due_on == request.due_on
    assert request.items.get(what="内部管理制度汇编").period == "现行有效"
    assert start(world).number == 2
    event = AuditEvent.objects.filter(action="document_request.started").latest("seq")
    assert event.details["items"] == request.items.count()


def test_special_and_lookback_rounds_have_their_own_items(world: SimpleNamespace) -> None:
    round_ = world.inspection1.round
    round_.kind, round_.topic = RoundKind.SPECIAL, "优化营商环境"
    special = [line.what for line in actions.template_items(world.inspection1)]
    assert "与“优化营商环境”专项有关的政策文件、工作台账及资金使用资料" in special
    assert "行政审批和政务服务事项办理台账" in special
    assert "选人用人档案（干部任免、调整材料及动议、推荐、考察、讨论决定记录）" not in special
    round_.kind, round_.topic = RoundKind.LOOKBACK, ""
    lookback = [line.what for line in actions.template_items(world.inspection1)]
    assert lookback[0].startswith("上轮巡察反馈意见整改方案")


# The done criterion ---------------------------------------------------------------------------------


def test_done_criterion_answered_by_the_liaison_with_files_and_an_overdue_item_flagged(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    member, liaison = client_for("t1_member"), client_for("liaison1")
    inspection = world.inspection1

    # The team starts a request from the template, edits it and issues it.
    response = member.post(
        f"/fieldwork/documents/inspections/{inspection.pk}/new/", {"title": "第一批调阅资料"}
    )
    request = DocumentRequest.objects.get(inspection=inspection)
    assert response.status_code == 302 and response["Location"] == f"/fieldwork/documents/{request.pk}/"
    first = request.items.get(position=1)
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = member.post(
        f"/fieldwork/documents/items/{first.pk}/edit/",
        {
            "what": "2024年以来党组会议记录",
            "period": "2024年1月以来",
            "mode": "copy",
            "due_on": due,
            "notes": "",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.what == "2024年以来党组会议记录" and first.due_on == due
    assert liaison.get(f"/fieldwork/documents/{request.pk}/").status_code == 404  # a draft is the team's
    assert member.get(f"/fieldwork/documents/{request.pk}/issue/").status_code == 200
    assert member.post(f"/fieldwork/documents/{request.pk}/issue/").status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ISSUED

    # The liaison finds it and answers the first item with two files, the second with a text.
    assert "第一批调阅资料" in liaison.get("/fieldwork/documents/").content.decode()
    assert first.what in liaison.get("/").content.decode()  # the home panel: what is due
    files = [
        SimpleUploadedFile("党组会议记录2024.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("党组会议记录2025.pdf", PDF + b"2025", content_type="application/pdf"),
    ]
    response = liaison.post(
        f"/fieldwork/documents/items/{first.pk}/answer/", {"attachments": files, "answer": ""}
    )
    assert response.status_code == 302
    second = request.items.get(position=2)
    response = liaison.post(f"/fieldwork/documents/items/{second.pk}/answer/", {"answer": "无此类资料"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ItemStatus.PROVIDED and first.answered_by == world.users["liaison1"]
    stored = list(DocumentFile.objects.filter(item=first).order_by("added_at"))
    assert [f.filename for f in stored] == ["党组会议记录2024.pdf", "党组会议记录2025.pdf"]
    assert stored[0].read() == PDF and PDF not in stored[0].blob.open("rb").read()  # sealed at rest
    answered = AuditEvent.objects.filter(action="document_item.answered", object_id=str(first.pk)).get()
    assert answered.details["files"] == 2 and answered.role == Role.UNIT_LIAISON

    # The team downloads a file (audited), accepts the first item and returns the second.
    page = member.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    assert "党组会议记录2024.pdf" in page and "无此类资料" in page
    response = member.get(f"/fieldwork/documents/files/{stored[0].pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    read = AuditEvent.objects.get(action="document_file.downloaded")
    assert read.actor == world.users["t1_member"] and read.role == Role.TEAM_MEMBER
    assert member.post(f"/fieldwork/documents/items/{first.pk}/accept/").status_code == 302
    response = member.post(
        f"/fieldwork/documents/items/{second.pk}/return/", {"reason": "请提供2023年度的记录"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ItemStatus.ACCEPTED and second.status == ItemStatus.RETURNED
    assert "请提供2023年度的记录" in liaison.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    refused = liaison.post(f"/fieldwork/documents/items/{first.pk}/answer/", {"answer": "再补充"})
    assert "已被巡察组接收" in refused.content.decode()

    # An item past its due date and not provided is flagged on the pages and counted.
    third = request.items.get(position=3)
    make_overdue(third)
    assert list(DocumentItem.objects.overdue()) == [third]
    page = member.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    assert "逾期 1 项" in page and 'class="table-danger"' in page
    listed = member.get(f"/fieldwork/documents/inspections/{inspection.pk}/?overdue=yes").content.decode()
    assert "第一批调阅资料" in listed
    assert "第一批调阅资料" not in member.get("/fieldwork/documents/?overdue=no").content.decode()
    home = member.get("/").content.decode()
    assert "逾期未提供的调阅资料" in home and third.what in home
    assert third.what in liaison.get("/").content.decode()


def test_an_item_without_its_own_date_is_overdue_with_its_request(world: SimpleNamespace) -> None:
    request = issued(world)
    DocumentRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert DocumentItem.objects.overdue().count() == request.items.count()
    answered = actions.answer_document_item(
        request.items.get(position=1), answer="已现场提供", by=world.users["liaison1"]
    )
    assert not DocumentItem.objects.overdue().filter(pk=answered.pk).exists()
    own = request.items.get(position=2)
    DocumentItem.objects.filter(pk=own.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=5))
    assert not DocumentItem.objects.overdue().filter(pk=own.pk).exists()
    counted = DocumentRequest.objects.with_counts().get(pk=request.pk)
    assert counted.overdue == request.items.count() - 2 and counted.received == 1


# Bad uploads and bad input --------------------------------------------------------------------------


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_saved(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    liaison = client_for("liaison1")
    before = AuditEvent.objects.count()
    response = liaison.post(
        f"/fieldwork/documents/items/{item.pk}/answer/",
        {
            "attachments": [
                SimpleUploadedFile("凭证.pdf", PDF),
                SimpleUploadedFile("凭证扫描.pdf", EXE, content_type="application/pdf"),
            ],
            "answer": "见附件",
        },
    )
    assert response.status_code == 200
    assert "文件类型不允许" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING and item.answer == ""
    assert not DocumentFile.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_empty_answer_is_refused(world: SimpleNamespace, client_for: ClientFor) -> None:
    item = issued(world).items.get(position=1)
    response = client_for("liaison1").post(
        f"/fieldwork/documents/items/{item.pk}/answer/", {"answer": " \u200b "}
    )
    assert "请上传文件或填写答复" in response.content.decode()
    with pytest.raises(Refused) as caught:
        actions.answer_document_item(
            item, answer="字" * (actions.ANSWER_LIMIT + 1), by=world.users["liaison1"]
        )
    assert caught.value.field == "answer"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"what": "", "mode": "view"}, "what", "这个字段是必填项"),
        ({"what": "  \u200b\u200b ", "mode": "view"}, "what", "请填写资料名称"),
        ({"what": "账" * 201, "mode": "view"}, "what", "201"),
        ({"what": "会议记录", "mode": "steal"}, "mode", "不在可用的选项中"),
        ({"what": "会议记录", "mode": "view", "due_on": "2026-13-45"}, "due_on", "日期"),
        ({"what": "会议记录", "mode": "view", "due_on": "2001-01-01"}, "due_on", "不能早于今天"),
    ],
)
def test_bad_item_input_is_shown_on_the_field(
    world: SimpleNamespace, client_for: ClientFor, data: dict[str, str], field: str, message: str
) -> None:
    request = start(world)
    count = request.items.count()
    response = client_for("t1_member").post(f"/fieldwork/documents/{request.pk}/items/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field]), form.errors
    assert request.items.count() == count


def test_script_tags_are_shown_escaped(world: SimpleNamespace, client_for: ClientFor) -> None:
    request = start(world)
    member = client_for("t1_member")
    member.post(
        f"/fieldwork/documents/{request.pk}/items/new/",
        {"what": "<script>alert(1)</script>账簿", "mode": "view"},
    )
    page = member.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;账簿" in page


def test_a_draft_is_edited_an_issued_request_only_grows(world: SimpleNamespace) -> None:
    member = world.users["t1_member"]
    request = start(world)
    count = request.items.count()
    third = request.items.get(position=3)
    actions.remove_document_item(request.items.get(position=2), by=member)
    assert list(request.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, count)
    )
    assert request.items.get(position=2).pk == third.pk
    actions.issue_document_request(request, by=member)
    with pytest.raises(Refused, match="清单已下发"):
        actions.update_document_item(
            third, what="改", period="", mode="view", due_on=None, notes="", by=member
        )
    with pytest.raises(Refused, match="清单已下发"):
        actions.remove_document_item(third, by=member)
    with pytest.raises(Refused, match="重复下发"):
        actions.issue_document_request(request, by=member)
    added = actions.add_document_item(request, what="2025年度公务接待清单", mode="copy", by=member)
    assert added.position == count and added.added_after_issue
    assert added.status == ItemStatus.PENDING


def test_an_empty_request_cannot_be_issued(world: SimpleNamespace) -> None:
    member = world.users["t1_member"]
    request = start(world)
    for item in list(request.items.all()):
        actions.remove_document_item(item, by=member)
    with pytest.raises(Refused, match="没有资料事项"):
        actions.issue_document_request(request, by=member)


def test_only_provided_items_are_reviewed(world: SimpleNamespace) -> None:
    item = issued(world).items.get(position=1)
    with pytest.raises(Refused, match="单位提供后才能接收"):
        actions.accept_document_item(item, by=world.users["t1_leader"])
    actions.answer_document_item(item, answer="已现场提供", by=world.users["liaison1"])
    with pytest.raises(Refused) as caught:
        actions.return_document_item(item, reason="  ", by=world.users["t1_leader"])
    assert caught.value.field == "reason"


# Scope ----------------------------------------------------------------------------------------------


def test_other_teams_and_other_liaisons_get_404(world: SimpleNamespace, client_for: ClientFor) -> None:
    request = issued(world)
    item = actions.answer_document_item(
        request.items.get(position=1),
        files=[Upload(name="记录.pdf", data=PDF)],
        answer="已现场提供",
        by=world.users["liaison1"],
    )
    file = item.files.get()
    paths = [
        f"/fieldwork/documents/{request.pk}/",
        f"/fieldwork/documents/{request.pk}/notice/",
        f"/fieldwork/documents/{request.pk}/items/new/",
        f"/fieldwork/documents/items/{item.pk}/answer/",
        f"/fieldwork/documents/items/{item.pk}/return/",
        f"/fieldwork/documents/files/{file.pk}/",
        f"/api/v1/document-requests/{request.pk}",
    ]
    for client in (
        client_for("t2_member"),
        client_for("county_office"),
        client_for("jiwei"),
        liaison_of_unit2(world),
    ):
        for path in paths:
            assert client.get(path).status_code == 404, path
        assert client.post(f"/fieldwork/documents/items/{item.pk}/accept/").status_code == 404
        assert (
            client.post(f"/fieldwork/documents/items/{item.pk}/answer/", {"answer": "x"}).status_code == 404
        )
        assert "调阅（复制）资料清单" not in client.get("/fieldwork/documents/").content.decode()
        assert client.get("/api/v1/document-requests/").json() == EMPTY_PAGE
    item.refresh_from_db()
    assert item.status == ItemStatus.PROVIDED and item.answer == "已现场提供"
    assert not AuditEvent.objects.filter(
        action__in=("document_file.downloaded", "document_request.notice_read")
    )


def test_the_office_reads_but_does_not_act(world: SimpleNamespace, client_for: ClientFor) -> None:
    request = start(world)
    office = client_for("office")
    assert office.get(f"/fieldwork/documents/{request.pk}/").status_code == 200
    assert office.post(f"/fieldwork/documents/{request.pk}/issue/").status_code == 403
    assert (
        client_for("liaison1").get(f"/fieldwork/documents/inspections/{world.inspection1.pk}/").status_code
        == 200
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


# The notice -----------------------------------------------------------------------------------------


def test_the_notice_is_a_real_docx_with_the_items_and_due_dates(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    special = timezone.localdate() + datetime.timedelta(days=20)
    actions.add_document_item(
        request,
        what="2025年度公务用车台账",
        period="2025年",
        mode="copy",
        due_on=special,
        by=world.users["t1_member"],
    )
    response = client_for("liaison1").get(f"/fieldwork/documents/{request.pk}/notice/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert layout_problems(response.content) == []
    assert elements(response.content) == ["发文机关标志", "发文字号", "标题"]
    read_back({"调阅通知": (response.content, ["江东市委第一巡察组", "关于调阅有关资料的通知"])})
    document = docx.Document(io.BytesIO(response.content))
    assert world.users["liaison1"].username in document.sections[0].header.paragraphs[0].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于调阅有关资料的通知" in text and "市财政局：" in text
    assert f"第一巡察组调阅〔{timezone.localdate().year}〕1号" in text
    due = request.due_on
    assert f"{due.year}年{due.month}月{due.day}日前" in text
    first = request.items.get(position=1)
    assert f"1. {first.what}（{first.period}；调阅）。" in text
    last = request.items.order_by("-position").first()
    assert last is not None
    own_due = f"{special.year}年{special.month}月{special.day}日前提供"
    assert f"{last.position}. 2025年度公务用车台账（2025年；复制；{own_due}）。" in text
    assert "江东市委第一巡察组" in text
    read = AuditEvent.objects.get(action="document_request.notice_read")
    assert read.actor == world.users["liaison1"] and read.role == Role.UNIT_LIAISON


# The fieldwork page's section and the home panels ---------------------------------------------------


def test_the_section_counts_in_two_queries(world: SimpleNamespace) -> None:
    request = issued(world)
    start(world)  # a draft: counted as a draft, its items not as owed
    actions.answer_document_item(
        request.items.get(position=1), answer="已现场提供", by=world.users["liaison1"]
    )
    make_overdue(request.items.get(position=2))
    http = RequestFactory().get("/")
    http.user = world.users["t1_member"]
    world.users["t1_member"].scopes  # noqa: B018 - loaded once per request, as in the middleware
    with CaptureQueriesContext(connection) as queries:
        html = views.section(http, world.inspection1)
    assert len(queries) == 2
    total = request.items.count()
    assert "清单 2 份（草稿 1 份）" in html
    assert f"已下发事项 {total} 项：已提供 1 项，待提供 {total - 1} 项" in html and "逾期" in html
    http.user = world.users["t2_member"]
    assert views.section(http, world.inspection1) == ""


def test_the_liaison_s_section_shows_only_issued_requests(world: SimpleNamespace) -> None:
    issued(world)
    start(world)
    http = RequestFactory().get("/")
    http.user = world.users["liaison1"]
    html = views.section(http, world.inspection1)
    assert "清单 1 份" in html and "草稿" not in html


def test_the_demo_builds_through_the_actions(world: SimpleNamespace, client_for: ClientFor) -> None:
    demo.build(SimpleNamespace(inspections={"2:第一巡察组": world.inspection1}, users=world.users))  # type: ignore[arg-type]
    first, second, third = DocumentRequest.objects.order_by("number")
    assert first.status == RequestStatus.ISSUED and second.status == RequestStatus.DRAFT
    statuses = set(first.items.values_list("status", flat=True))
    assert statuses == {ItemStatus.PENDING, ItemStatus.PROVIDED, ItemStatus.ACCEPTED, ItemStatus.RETURNED}
    assert DocumentFile.objects.count() == 4 and second.items.count() == 3
    docx_file = DocumentFile.objects.filter(content_type__contains="word").first()
    assert (
        docx_file is not None
        and "党组会议记录" in docx.Document(io.BytesIO(docx_file.read())).paragraphs[0].text
    )
    assert client_for("liaison1").get(f"/fieldwork/documents/{first.pk}/").status_code == 200
    # The third was issued ten days ago: one item owed past its date, flagged wherever items are counted.
    [overdue] = DocumentItem.objects.overdue()
    assert overdue.request == third and overdue.status == ItemStatus.PENDING and third.issued_at is not None
    assert third.issued_at < timezone.now() - datetime.timedelta(days=9)
    member, liaison = client_for("t1_member"), client_for("liaison1")
    assert "逾期 1 项" in liaison.get(f"/fieldwork/documents/{third.pk}/").content.decode()
    for client in (member, liaison):
        assert overdue.what in client.get("/").content.decode()
    assert overdue.what in member.get(f"/fieldwork/inspections/{world.inspection1.pk}/").content.decode()


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_pages_query_counts_do_not_grow_with_requests_items_or_files(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    liaison, member = client_for("liaison1"), client_for("t1_member")
    request = issued(world)
    first = request.items.get(position=1)
    actions.answer_document_item(first, files=[Upload("a.pdf", PDF)], by=world.users["liaison1"])
    paths = ["/fieldwork/documents/", f"/fieldwork/documents/inspections/{world.inspection1.pk}/"]
    detail = f"/fieldwork/documents/{request.pk}/"
    before = {path: _queries(member, path) for path in [*paths, detail]}
    liaison_before = _queries(liaison, detail)
    issued(world)
    start(world)
    for item in request.items.filter(position__in=(2, 3, 4)):
        actions.answer_document_item(
            item, files=[Upload("b.pdf", PDF), Upload("c.txt", b"text")], by=world.users["liaison1"]
        )
    assert {path: _queries(member, path) for path in [*paths, detail]} == before
    assert _queries(liaison, detail) == liaison_before


def test_an_issued_request_s_edit_pages_say_it_is_locked(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    member = client_for("t1_member")
    assert "清单已下发" in member.get(f"/fieldwork/documents/items/{item.pk}/edit/").content.decode()
    response = member.post(
        f"/fieldwork/documents/items/{item.pk}/edit/", {"what": "改名", "mode": "view"}, follow=True
    )
    assert "清单已下发，不能再修改事项" in response.content.decode()
    response = member.post(f"/fieldwork/documents/items/{item.pk}/remove/", follow=True)
    assert "清单已下发，不能再删除事项" in response.content.decode()
    item.refresh_from_db()
    assert item.what == "“三重一大”事项决策会议记录及相关材料"
    assert "补充调阅事项" in member.get(f"/fieldwork/documents/{request.pk}/").content.decode()


def test_an_archived_inspection_takes_no_more_requests_or_answers(world: SimpleNamespace) -> None:
    request = issued(world)
    draft_item = start(world).items.get(position=1)
    answered = actions.answer_document_item(
        request.items.get(position=2), files=[Upload("a.pdf", PDF)], by=world.users["liaison1"]
    )
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage=Stage.ARCHIVED)
    world.inspection1.refresh_from_db()
    with pytest.raises(Refused, match="已归档"):
        start(world)
    with pytest.raises(Refused, match="已归档"):
        actions.answer_document_item(
            request.items.get(position=1), answer="已提供", by=world.users["liaison1"]
        )
    member = world.users["t1_member"]
    with pytest.raises(Refused, match="已归档"):
        actions.update_document_item(
            draft_item, what="改名", period="", mode="view", due_on=None, notes="", by=member
        )
    with pytest.raises(Refused, match="已归档"):
        actions.remove_document_item(draft_item, by=member)
    with pytest.raises(Refused, match="已归档"):
        actions.withdraw_document_file(answered.files.get(), by=world.users["liaison1"])
    assert DocumentRequest.objects.count() == 2 and DocumentFile.objects.count() == 1


def test_the_liaison_withdraws_a_file_on_a_confirmation_page_until_the_item_is_accepted(
    world: SimpleNamespace, client_for: ClientFor, django_capture_on_commit_callbacks
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    actions.answer_document_item(item, files=[Upload("错传的凭证.pdf", PDF)], by=world.users["liaison1"])
    file = item.files.get()
    storage, blob = file.blob.storage, file.blob.name
    liaison = client_for("liaison1")
    detail = liaison.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    page = f"/fieldwork/documents/files/{file.pk}/withdraw/"
    assert page in detail
    assert "错传的凭证.pdf" in liaison.get(page).content.decode()
    assert client_for("t1_member").post(page).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = liaison.post(page, follow=True)
    assert "已撤回“错传的凭证.pdf”" in response.content.decode()
    item.refresh_from_db()
    # Neither a file nor a text left: owed again, and flagged once past its date.
    assert item.status == ItemStatus.PENDING and item.answered_at is None and not item.files.exists()
    assert not storage.exists(blob)
    event = AuditEvent.objects.get(action="document_file.withdrawn")
    assert event.object_id == str(item.pk) and event.details["files_left"] == 0
    assert "错传" not in str(event.details)  # the file's name may carry a person's: never in the log

    actions.answer_document_item(
        item, answer="见附件", files=[Upload("凭证.pdf", PDF)], by=world.users["liaison1"]
    )
    actions.accept_document_item(item, by=world.users["t1_member"])
    kept = item.files.get()
    assert "撤回" not in liaison.get(f"/fieldwork/documents/{request.pk}/").content.decode()
    response = liaison.post(f"/fieldwork/documents/files/{kept.pk}/withdraw/", follow=True)
    assert "该事项已被巡察组接收，不能再撤回文件。" in response.content.decode()
    assert item.files.filter(pk=kept.pk).exists()


def test_a_returned_item_stays_returned_and_a_text_answer_stays_provided_when_a_file_is_withdrawn(
    world: SimpleNamespace,
) -> None:
    request = issued(world)
    liaison, member = world.users["liaison1"], world.users["t1_member"]
    returned, texted = request.items.get(position=1), request.items.get(position=2)
    actions.answer_document_item(returned, files=[Upload("a.pdf", PDF)], by=liaison)
    actions.return_document_item(returned, reason="缺少2024年度", by=member)
    actions.answer_document_item(texted, answer="原件在档案室", files=[Upload("b.pdf", PDF)], by=liaison)
    for item in (returned, texted):
        actions.withdraw_document_file(item.files.get(), by=liaison)
    returned.refresh_from_db()
    texted.refresh_from_db()
    assert returned.status == ItemStatus.RETURNED and texted.status == ItemStatus.PROVIDED
    actions.answer_document_item(returned, files=[Upload("c.pdf", PDF)], by=liaison)
    with pytest.raises(NotAllowed, match="撤回调阅资料文件"):
        actions.withdraw_document_file(returned.files.get(), by=member)
