"""The office's batch 核实销号 and 退回 on the item list: all or nothing, on the page and in the API."""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from xuncha.core.models import AuditEvent

from ..actions import items
from ..choices import ItemStatus
from ..models import Item
from .support import approved_plan, delivered, with_evidence

CLOSE = reverse("rectification:item-batch-close")
RETURN = reverse("rectification:item-batch-return")


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)
    items.submit_item(with_evidence(world, world.task_a), by=world.users["liaison1"])
    return world


def test_the_list_offers_the_batch_to_the_office_only(w, client_for):
    office = client_for("office").get(reverse("rectification:item-list")).content.decode()
    assert f'name="ids" value="{w.task_a.pk}" form="item-batch"' in office and CLOSE in office
    assert CLOSE not in client_for("liaison1").get(reverse("rectification:item-list")).content.decode()
    assert client_for("liaison1").get(CLOSE, {"ids": [w.task_a.pk]}).status_code == 403


def test_the_office_closes_the_selected_items(w, client_for):
    confirm = client_for("office").get(CLOSE, {"ids": [w.task_a.pk]}).content.decode()
    assert f"{w.unit1.name} {w.task_a.code}" in confirm
    assert client_for("office").post(CLOSE, {"ids": [w.task_a.pk], "note": "佐证充分"}).status_code == 302
    assert Item.objects.get(pk=w.task_a.pk).status == ItemStatus.CLOSED


def test_an_item_not_submitted_refuses_the_whole_batch(w, client_for):
    response = client_for("office").post(RETURN, {"ids": [w.task_a.pk, w.task_b.pk], "reason": "佐证不足"})
    page = response.content.decode()
    assert response.status_code == 200 and f"{w.unit1.name} {w.task_b.code}：尚未申请销号。" in page
    assert Item.objects.get(pk=w.task_a.pk).status == ItemStatus.SUBMITTED
    assert not AuditEvent.objects.filter(action="rectification_item.returned").exists()


def test_the_api_returns_the_selected_items(w, client_for):
    body = {"ids": [w.task_a.pk], "action": "return", "reason": "佐证不足，请补充"}
    api = "/api/v1/rectification-items/batch"
    assert (
        client_for("liaison1").post(api, json.dumps(body), content_type="application/json").status_code == 422
    )
    response = client_for("office").post(api, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"count": 1}
    assert Item.objects.get(pk=w.task_a.pk).status == ItemStatus.RETURNED
    assert (
        client_for("t2_member").post(api, json.dumps(body), content_type="application/json").status_code
        == 404
    )


def test_a_closure_request_is_on_the_offices_todo_list(w, client_for):
    page = client_for("office").get("/todo/").content.decode()
    assert "待核实销号的整改事项" in page and f"{w.unit1.name} {w.task_a.code}" in page
    assert "待核实销号的整改事项" not in client_for("county_office").get("/todo/").content.decode()
