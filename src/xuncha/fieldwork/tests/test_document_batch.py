"""Batch 接收 and 退回 of a document request's items: all or nothing, on the page and in the API."""

import json
from types import SimpleNamespace

from django.urls import reverse

from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.actions import documents as actions
from xuncha.fieldwork.choices import ItemStatus
from xuncha.fieldwork.models import DocumentItem, DocumentRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _issued_with_two_provided(world: SimpleNamespace) -> tuple[DocumentRequest, DocumentItem, DocumentItem]:
    request = actions.start_document_request(world.inspection1, by=world.users["t1_member"])
    request = actions.issue_document_request(request, by=world.users["t1_member"])
    provided = [
        actions.answer_document_item(
            request.items.get(position=position),
            files=[Upload(name="记录.pdf", data=PDF)],
            by=world.users["liaison1"],
        )
        for position in (1, 2)
    ]
    return request, provided[0], provided[1]


def test_the_team_accepts_the_selected_items_at_once(world, client_for):
    request, first, second = _issued_with_two_provided(world)
    page = (
        client_for("t1_member").get(reverse("fieldwork:document-request", args=[request.pk])).content.decode()
    )
    assert f'name="ids" value="{first.pk}" form="item-batch"' in page and "批量接收" in page
    url = reverse("fieldwork:document-item-batch-accept", args=[request.pk])
    confirm = client_for("t1_member").get(url, {"ids": [first.pk, second.pk]}).content.decode()
    assert f"第 1 项 {first.what}" in confirm and f"第 2 项 {second.what}" in confirm
    assert client_for("t1_member").post(url, {"ids": [first.pk, second.pk]}).status_code == 302
    assert set(
        DocumentItem.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {ItemStatus.ACCEPTED}
    assert AuditEvent.objects.filter(action="document_item.accepted").count() == 2


def test_an_item_not_provided_refuses_the_whole_batch(world, client_for):
    request, first, _ = _issued_with_two_provided(world)
    owed = request.items.get(position=3)
    url = reverse("fieldwork:document-item-batch-return", args=[request.pk])
    response = client_for("t1_leader").post(url, {"ids": [first.pk, owed.pk], "reason": "缺少2024年度凭证"})
    page = response.content.decode()
    assert response.status_code == 200 and f"第 3 项 {owed.what}：" in page
    assert DocumentItem.objects.get(pk=first.pk).status == ItemStatus.PROVIDED
    assert not AuditEvent.objects.filter(action="document_item.returned").exists()


def test_the_liaison_and_other_teams_may_not(world, client_for):
    request, first, _ = _issued_with_two_provided(world)
    url = reverse("fieldwork:document-item-batch-accept", args=[request.pk])
    assert client_for("liaison1").get(url, {"ids": [first.pk]}).status_code == 403
    assert client_for("t2_member").get(url, {"ids": [first.pk]}).status_code == 404


def test_the_api_returns_the_selected_items(world, client_for):
    request, first, second = _issued_with_two_provided(world)
    api = f"/api/v1/document-requests/{request.pk}/items/batch"
    body = {"ids": [first.pk, second.pk], "action": "return", "reason": "不清晰，请重新扫描"}
    response = client_for("t1_member").post(api, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"count": 2}
    assert DocumentItem.objects.get(pk=second.pk).status == ItemStatus.RETURNED
    other = client_for("t2_member").post(api, json.dumps(body), content_type="application/json")
    assert other.status_code == 404
