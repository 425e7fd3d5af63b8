"""Information requests through the API: send, a department's multipart answer with a file, what each side
reads (a department its own slot only), the file's audited download, asking again, closing, a lead; 422s
in Chinese with their field, and 404 outside the scope."""

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from xuncha.core.models import AuditEvent

from ..choices import AnswerStatus, RequestStatus
from ..models import InformationRequest, Lead
from .support import PDF, SECRET, answer, send, slot

ClientFor = Callable[[str], Client]
API = "/api/v1/information-requests"


def _post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def _due(days: int = 10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _payload(w: SimpleNamespace, **changes: Any) -> dict[str, Any]:
    return {
        "inspection": w.inspection1.pk,
        "kind": "assistance",
        "subject": "提请协助核查有关问题",
        "questions": "请提供近三年反映该单位的问题线索。",
        "due_on": _due(),
        "departments": [w.jiwei_dept.pk, w.zuzhibu_dept.pk],
    } | changes


def test_send_answer_with_a_file_and_each_side_reads_what_it_may(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    w = world
    leader, jiwei, zuzhibu = client_for("t1_leader"), client_for("jiwei"), client_for("zuzhibu")
    response = _post(leader, f"{API}/", _payload(w))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["kind"] == "assistance" and body["status"] == RequestStatus.OPEN
    assert [r["department"] for r in body["recipients"]] == ["市纪委监委", "市委组织部"]
    request_id = body["id"]
    jiwei_slot = next(r for r in body["recipients"] if r["department_id"] == w.jiwei_dept.pk)
    assert jiwei_slot["state"] == "pending" and jiwei_slot["answers"] == []

    # jiwei answers (multipart) with a text and a file, as on the page.
    path = f"{API}/{request_id}/recipients/{jiwei_slot['id']}/answer"
    response = jiwei.post(path, {"text": SECRET, "files": [SimpleUploadedFile("线索.pdf", PDF)]})
    assert response.status_code == 200, response.content
    seen_by_jiwei = response.json()["recipients"]
    assert [r["department"] for r in seen_by_jiwei] == ["市纪委监委"]  # its own slot only
    answered = seen_by_jiwei[0]
    assert answered["state"] == "answered" and answered["answers"][0]["text"] == SECRET
    file = answered["answers"][0]["files"][0]
    assert file["filename"] == "线索.pdf" and file["size"] == len(PDF)
    # Answered already: refused with the field.
    again = jiwei.post(path, {"text": "再答一次"})
    assert again.status_code == 422 and "本部门已答复" in again.content.decode()

    # The team reads every slot and the answer; 组织部 only its own slot, without 纪委监委's answer.
    team_view = client_for("t1_member").get(f"{API}/{request_id}").json()
    assert {r["department"]: r["state"] for r in team_view["recipients"]} == {
        "市纪委监委": "answered",
        "市委组织部": "pending",
    }
    assert AuditEvent.objects.filter(action="information_request.answers_read", actor__username="t1_member")
    zuzhibu_view = zuzhibu.get(f"{API}/{request_id}")
    assert [r["department"] for r in zuzhibu_view.json()["recipients"]] == ["市委组织部"]
    assert SECRET not in zuzhibu_view.content.decode()
    # The list carries the slots' states, never an answer's text.
    listed = leader.get(f"{API}/?inspection={w.inspection1.pk}").json()
    assert listed["count"] == 1 and SECRET not in json.dumps(listed, ensure_ascii=False)
    assert {r["state"] for r in listed["items"][0]["recipients"]} == {"answered", "pending"}

    # The file: the team and jiwei download it (audited); 组织部 and another team get 404.
    file_path = f"{API}/{request_id}/files/{file['id']}"
    got = client_for("t1_leader").get(file_path)
    assert got.status_code == 200 and got.content == PDF
    assert AuditEvent.objects.filter(
        action="information_answer_file.downloaded", object_id=file["id"]
    ).exists()
    assert zuzhibu.get(file_path).status_code == 404
    assert client_for("t2_member").get(file_path).status_code == 404
    assert (
        client_for("t1_leader").get(f"{API}/{w.inspection2.pk + 999}/files/{file['id']}").status_code == 404
    )


def test_refusals_are_422_with_the_field_and_out_of_scope_is_404(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    w = world
    leader = client_for("t1_leader")
    cases = [
        (_payload(w, subject=" "), "subject", "请填写事由"),
        (_payload(w, departments=[]), "departments", "请至少选择一个部门"),
        (_payload(w, departments=[999_999]), "departments", "部门不存在"),
        (_payload(w, due_on="2000-01-01"), "due_on", "答复期限不能早于今天"),
        (_payload(w, kind="preparation"), "kind", "巡前了解只能在"),
        (_payload(w, inspection=w.inspection2.pk), "inspection", "巡察不存在或无权访问"),
    ]
    for payload, field, message in cases:
        response = _post(leader, f"{API}/", payload)
        assert response.status_code == 422, (field, response.content)
        assert field in response.content.decode() and message in response.content.decode(), field
    assert _post(client_for("t1_member"), f"{API}/", _payload(w)).status_code == 403
    assert not InformationRequest.objects.exists()

    request = send(w)
    for persona in ("t2_member", "liaison1", "county_office", "auditor"):
        assert client_for(persona).get(f"{API}/{request.pk}").status_code == 404, persona
        assert client_for(persona).get(f"{API}/").json()["count"] == 0, persona
    # A slot is reached only under its own request.
    other = send(w, departments=[w.zuzhibu_dept])
    wrong = f"{API}/{other.pk}/recipients/{slot(request, w.zuzhibu_dept).pk}/answer"
    assert client_for("zuzhibu").post(wrong, {"text": "答复"}).status_code == 404


def test_ask_again_close_and_a_lead_call_the_same_actions(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    w = world
    request = send(w)
    found = answer(w, request, with_file=False)
    leader = client_for("t1_leader")
    jiwei_slot = slot(request, w.jiwei_dept)
    path = f"{API}/{request.pk}/recipients/{jiwei_slot.pk}/ask-again"
    assert _post(client_for("t1_member"), path, {"note": "请补充", "due_on": _due(5)}).status_code == 403
    response = _post(leader, path, {"note": "请补充处置结果", "due_on": _due(5)})
    assert response.status_code == 200, response.content
    again = next(r for r in response.json()["recipients"] if r["id"] == str(jiwei_slot.pk))
    assert again["state"] == "pending" and again["asked_again"] == 1 and again["due_on"] == _due(5)
    assert len(again["answers"]) == 1  # the earlier answer stays

    lead_path = f"{API}/{request.pk}/answers/{found.pk}/leads"
    assert _post(client_for("jiwei"), lead_path, {"passage": "线索"}).status_code == 403
    response = _post(client_for("t1_member"), lead_path, {"passage": "张某某收受礼金线索"})
    assert response.status_code == 201 and response.json()["number"] == "了解线索01"
    assert Lead.objects.get().passage == "张某某收受礼金线索"

    too_long = _post(leader, f"{API}/{request.pk}/close", {"note": "长" * 1001})
    assert too_long.status_code == 422 and "note" in too_long.content.decode()
    closed = _post(leader, f"{API}/{request.pk}/close", {"note": "已了解清楚"})
    assert closed.status_code == 200 and closed.json()["status"] == RequestStatus.CLOSED
    late = client_for("jiwei").post(f"{API}/{request.pk}/recipients/{jiwei_slot.pk}/answer", {"text": "补充"})
    assert late.status_code == 422 and "该函已关闭" in late.content.decode()
    assert slot(request, w.jiwei_dept).status == AnswerStatus.PENDING
