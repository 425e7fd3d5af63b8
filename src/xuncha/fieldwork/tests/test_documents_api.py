"""Document requests through the API: start, add, edit and remove items, issue, the liaison's multipart
answer with files and the withdrawal of a file, review, filters, 422s in Chinese, and 404 outside the
scope."""

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.actions import documents as actions
from xuncha.fieldwork.choices import ItemStatus, RequestStatus
from xuncha.fieldwork.models import DocumentFile, DocumentItem, DocumentRequest

from .test_documents import EXE, PDF, issued, liaison_of_unit2, make_overdue, start

ClientFor = Callable[[str], Client]
API = "/api/v1/document-requests"


def _post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_the_team_starts_adds_and_issues_and_the_liaison_answers(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    member, liaison = client_for("t1_member"), client_for("liaison1")
    response = _post(member, f"{API}/", {"inspection": world.inspection1.pk, "title": "补充调阅"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == RequestStatus.DRAFT and body["number"] == 1 and body["title"] == "补充调阅"
    assert body["items"][0]["what"] == "“三重一大”事项决策会议记录及相关材料"
    request_id = body["id"]
    assert liaison.get(f"{API}/{request_id}").status_code == 404  # not yet issued

    due = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = _post(
        member, f"{API}/{request_id}/items", {"what": "公务卡消费明细", "mode": "copy", "due_on": due}
    )
    assert response.status_code == 201
    added = response.json()
    assert added["due_on"] == due and added["effective_due_on"] == due and added["mode_label"] == "复制"
    response = _post(member, f"{API}/{request_id}/issue")
    assert response.status_code == 200 and response.json()["status"] == RequestStatus.ISSUED

    listed = liaison.get(f"{API}/").json()
    assert listed["count"] == 1 and listed["items"][0]["outstanding"] == len(body["items"]) + 1
    item_id = added["id"]
    response = liaison.post(
        f"{API}/{request_id}/items/{item_id}/answer",
        {
            "answer": "2025年明细见附件",
            "files": [SimpleUploadedFile("明细1.pdf", PDF), SimpleUploadedFile("明细2.pdf", PDF + b"2")],
        },
    )
    assert response.status_code == 200, response.content
    answered = response.json()
    assert answered["status"] == ItemStatus.PROVIDED and answered["answer"] == "2025年明细见附件"
    assert sorted(f["filename"] for f in answered["files"]) == ["明细1.pdf", "明细2.pdf"]
    assert DocumentFile.objects.filter(item_id=item_id).count() == 2

    response = _post(member, f"{API}/{request_id}/items/{item_id}/return", {"reason": "缺少1月明细"})
    assert response.status_code == 200 and response.json()["status"] == ItemStatus.RETURNED
    response = liaison.post(f"{API}/{request_id}/items/{item_id}/answer", {"answer": "已补充1月明细"})
    assert response.status_code == 200
    response = _post(member, f"{API}/{request_id}/items/{item_id}/accept")
    assert response.status_code == 200 and response.json()["status"] == ItemStatus.ACCEPTED
    detail = member.get(f"{API}/{request_id}").json()
    assert detail["received"] == 1 and len(detail["items"]) == len(body["items"]) + 1


def test_an_exe_renamed_pdf_is_refused_with_a_chinese_422(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    response = client_for("liaison1").post(
        f"{API}/{request.pk}/items/{item.pk}/answer",
        {"files": [SimpleUploadedFile("凭证.pdf", EXE, content_type="application/pdf")]},
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "attachments" and "文件类型不允许" in detail["message"]
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING and not DocumentFile.objects.exists()


def test_bad_input_gets_422_with_the_field(world: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    request = start(world)
    past = {"inspection": world.inspection1.pk, "due_on": "2001-01-01"}
    for data, field in (
        (past, "due_on"),
        ({"inspection": world.inspection1.pk, "due_on": "2026-02-30"}, "due_on"),
        ({"inspection": world.inspection2.pk}, "inspection"),  # team2's: out of sight, like a missing one
        ({"inspection": world.inspection1.pk, "title": "题" * 101}, "title"),
    ):
        response = _post(member, f"{API}/", data)
        assert response.status_code == 422, data
        assert response.json()["detail"][0]["field"] == field, response.json()
    response = _post(member, f"{API}/{request.pk}/items", {"what": "x", "mode": "steal"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "mode"
    assert DocumentRequest.objects.count() == 1


def test_filters_and_the_overdue_flag(world: SimpleNamespace, client_for: ClientFor) -> None:
    request = issued(world)
    start(world)
    item = request.items.get(position=1)
    make_overdue(item)
    member = client_for("t1_member")
    overdue = member.get(f"{API}/?overdue=true").json()
    assert [r["id"] for r in overdue["items"]] == [request.pk] and overdue["items"][0]["overdue"] == 1
    assert member.get(f"{API}/?status=draft").json()["count"] == 1
    assert member.get(f"{API}/?inspection={world.inspection2.pk}").json()["count"] == 0
    flagged = [i for i in member.get(f"{API}/{request.pk}").json()["items"] if i["is_overdue"]]
    assert [i["id"] for i in flagged] == [item.pk]


def test_another_team_and_another_liaison_get_404(world: SimpleNamespace, client_for: ClientFor) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    for client in (client_for("t2_member"), liaison_of_unit2(world), client_for("zuzhibu")):
        assert client.get(f"{API}/{request.pk}").status_code == 404
        assert _post(client, f"{API}/{request.pk}/issue").status_code == 404
        assert _post(client, f"{API}/{request.pk}/items", {"what": "x"}).status_code == 404
        assert client.post(f"{API}/{request.pk}/items/{item.pk}/answer", {"answer": "x"}).status_code == 404
        assert _post(client, f"{API}/{request.pk}/items/{item.pk}/accept").status_code == 404
        assert client.get(f"{API}/").json()["count"] == 0
    # An item is reached only through its own request.
    other = start(world)
    member = client_for("t1_member")
    assert _post(member, f"{API}/{other.pk}/items/{item.pk}/accept").status_code == 404
    assert DocumentItem.objects.get(pk=item.pk).status == ItemStatus.PENDING


def test_the_team_may_not_answer_and_the_liaison_may_not_review(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    assert (
        client_for("t1_leader")
        .post(f"{API}/{request.pk}/items/{item.pk}/answer", {"answer": "x"})
        .status_code
        == 403
    )
    assert _post(client_for("liaison1"), f"{API}/{request.pk}/items/{item.pk}/accept").status_code == 403
    assert _post(client_for("liaison1"), f"{API}/{request.pk}/items", {"what": "x"}).status_code == 403
    assert _post(client_for("office"), f"{API}/{request.pk}/issue").status_code == 403


def _patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, json.dumps(data), content_type="application/json")


def test_a_draft_s_items_are_edited_and_removed_through_the_api_and_refused_once_issued(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    member = client_for("t1_member")
    request = start(world)
    first, second = request.items.get(position=1), request.items.get(position=2)
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = _patch(member, f"{API}/{request.pk}/items/{first.pk}", {"mode": "copy", "due_on": due})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == "copy" and body["due_on"] == due and body["what"] == first.what  # the rest kept
    events = AuditEvent.objects.filter(action="document_item.updated", object_id=str(first.pk))
    assert events.count() == 1
    response = _patch(member, f"{API}/{request.pk}/items/{first.pk}", {"what": " ", "period": "x"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "what"
    assert DocumentItem.objects.get(pk=first.pk).period == first.period  # nothing half-saved

    count = request.items.count()
    response = _post(member, f"{API}/{request.pk}/items/{first.pk}/remove")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) == count - 1 and items[0]["id"] == second.pk and items[0]["position"] == 1
    assert AuditEvent.objects.filter(action="document_item.removed", object_id=str(first.pk)).exists()

    actions.issue_document_request(request, by=world.users["t1_member"])
    response = _patch(member, f"{API}/{request.pk}/items/{second.pk}", {"what": "改名"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "清单已下发，不能再修改事项。"
    response = _post(member, f"{API}/{request.pk}/items/{second.pk}/remove")
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "清单已下发，不能再删除事项。"
    assert DocumentItem.objects.get(pk=second.pk).what == second.what


def test_item_edits_are_the_team_s_and_reach_an_item_only_through_its_request(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request, other = start(world), start(world)
    item = request.items.get(position=1)
    for persona, status in (("office", 403), ("t2_member", 404), ("zuzhibu", 404)):
        client = client_for(persona)
        assert _patch(client, f"{API}/{request.pk}/items/{item.pk}", {"what": "x"}).status_code == status
        assert _post(client, f"{API}/{request.pk}/items/{item.pk}/remove").status_code == status
    member = client_for("t1_member")
    assert _patch(member, f"{API}/{other.pk}/items/{item.pk}", {"what": "x"}).status_code == 404
    assert _post(member, f"{API}/{other.pk}/items/{item.pk}/remove").status_code == 404
    assert DocumentItem.objects.get(pk=item.pk).what == item.what


def test_the_liaison_withdraws_a_file_through_the_api_until_the_team_accepts(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    request = issued(world)
    item = request.items.get(position=1)
    liaison = client_for("liaison1")
    actions.answer_document_item(
        item, files=[Upload("错传.pdf", PDF), Upload("凭证.pdf", PDF + b"2")], by=world.users["liaison1"]
    )
    wrong, kept = item.files.order_by("added_at", "size")
    base = f"{API}/{request.pk}/items/{item.pk}/files"
    assert _post(client_for("t1_member"), f"{base}/{wrong.pk}/withdraw").status_code == 403
    assert _post(client_for("t2_member"), f"{base}/{wrong.pk}/withdraw").status_code == 404
    response = _post(liaison, f"{base}/{wrong.pk}/withdraw")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [f["id"] for f in body["files"]] == [str(kept.pk)] and body["status"] == ItemStatus.PROVIDED
    assert _post(liaison, f"{base}/{wrong.pk}/withdraw").status_code == 404  # gone
    actions.accept_document_item(item, by=world.users["t1_member"])
    response = _post(liaison, f"{base}/{kept.pk}/withdraw")
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "该事项已被巡察组接收，不能再撤回文件。"
    assert DocumentFile.objects.filter(pk=kept.pk).exists()
