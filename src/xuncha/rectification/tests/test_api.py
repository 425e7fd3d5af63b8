"""API of rectification: plans submitted, returned and approved; items listed with filters, submitted,
returned with a reason and closed (of a milestone too); 422 with the field; 404 outside the scope."""

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from xuncha.rounds.tests.conftest import update_settings

from ..actions import plans
from ..models import Plan
from .support import approved_plan, delivered, task, with_evidence

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
RESUBMIT = "销号申请已被退回：请按退回理由报告新的整改进展或补充佐证材料后，再申请销号。"


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return delivered(world)


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_a_plan_is_submitted_returned_and_approved_through_the_api(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    liaison, office = client_for("liaison1"), client_for("office")
    plan = plans.start_plan(w.inspection1, by=w.users["liaison1"])
    for problem in (w.problem_a, w.problem_b):
        plans.add_task(plan, task(w, problem), by=w.users["liaison1"])
    url = f"/api/v1/rectification-plans/{plan.pk}"
    assert _send(liaison, "POST", f"{url}/submit").json()["status"] == "submitted"
    response = _send(office, "POST", f"{url}/return", {"reason": " "})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    returned = _send(office, "POST", f"{url}/return", {"reason": "措施不具体"}).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "措施不具体"
    _send(liaison, "POST", f"{url}/submit")
    approved = _send(office, "POST", f"{url}/approve", {"note": "同意"}).json()
    assert approved["status"] == "approved" and len(approved["items"]) == 2
    assert _send(liaison, "POST", f"{url}/approve").status_code == 403
    assert _send(client_for("t2_member"), "GET", url).status_code == 404
    listed = _send(client_for("leader"), "GET", "/api/v1/rectification-plans/?status=approved").json()
    assert [p["id"] for p in listed["items"]] == [plan.pk]


def test_items_are_submitted_returned_and_closed_through_the_api(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    approved_plan(w)
    liaison, office = client_for("liaison1"), client_for("office")
    url = f"/api/v1/rectification-items/{w.task_a.pk}"
    response = _send(liaison, "POST", f"{url}/submit")
    assert response.status_code == 422 and "佐证材料" in response.json()["detail"][0]["message"]
    with_evidence(w, w.task_a)
    assert _send(liaison, "POST", f"{url}/submit").json()["status"] == "submitted"
    assert _send(client_for("t1_leader"), "POST", f"{url}/close").status_code == 403
    returned = _send(office, "POST", f"{url}/return", {"reason": "缺少清退凭证"}).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "缺少清退凭证"
    detail = _send(liaison, "GET", url).json()
    assert detail["progress"][0]["evidence"] and detail["light"] == "green"
    response = _send(liaison, "POST", f"{url}/submit")  # nothing new since the return
    assert response.status_code == 422 and response.json()["detail"] == [
        {"field": "item", "message": RESUBMIT}
    ]
    with_evidence(w, w.task_a)
    assert _send(liaison, "POST", f"{url}/submit").json()["status"] == "submitted"
    assert _send(office, "POST", f"{url}/close", {"note": "核实无误"}).json()["status"] == "closed"
    # A milestone of the long-term task; one of another item is refused on the field.
    b = f"/api/v1/rectification-items/{w.task_b.pk}"
    first = w.task_b.milestones.get(sequence=1)
    response = _send(liaison, "POST", f"{url}/submit", {"milestone": first.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "milestone"
    with_evidence(w, w.task_b, milestone=first)
    _send(liaison, "POST", f"{b}/submit", {"milestone": first.pk})
    closed = _send(office, "POST", f"{b}/close", {"milestone": first.pk}).json()
    assert [m["status"] for m in closed["milestones"]] == ["closed", "open"] and closed["status"] == "open"


def test_the_item_list_filters_and_hides_other_scopes(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    office = client_for("office")
    listed = _send(office, "GET", "/api/v1/rectification-items/").json()
    assert listed["count"] == 2
    by_kind = _send(office, "GET", "/api/v1/rectification-items/?kind=long_term").json()
    assert [i["id"] for i in by_kind["items"]] == [w.task_b.pk]
    assert _send(office, "GET", "/api/v1/rectification-items/?light=yellow").json()["count"] == 0
    update_settings(w.city, due_soon_days=14)
    yellow = _send(office, "GET", "/api/v1/rectification-items/?light=yellow").json()
    assert [i["code"] for i in yellow["items"]] == ["任务02"]  # its first milestone is due in 10 days
    assert _send(office, "GET", "/api/v1/rectification-items/?light=purple").status_code == 422
    for persona in ("t2_member", "jiwei", "county_office"):
        assert _send(client_for(persona), "GET", "/api/v1/rectification-items/").json()["count"] == 0
        assert (
            _send(client_for(persona), "GET", f"/api/v1/rectification-items/{w.task_a.pk}").status_code == 404
        )
    assert Plan.objects.count() == 1
