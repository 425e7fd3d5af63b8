"""API of reports and feedback: assemble, edit (never the status), submit and hear a report; the
comprehensive report by ``kind``; feedback with its problem list and ``deliver``; 404 out of scope and
422 with the field and a Chinese message."""

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xuncha.rounds.choices import Stage

from .. import actions
from .support import final, prepare, set_stage, unit_feedback

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_a_report_is_assembled_edited_submitted_and_heard_through_the_api(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member, leader, group = client_for("t1_member"), client_for("t1_leader"), client_for("leader")
    created = _send(member, "POST", f"/api/v1/inspections/{w.inspection1.pk}/report").json()
    assert created["kind"] == "team" and created["status"] == "draft"
    assert sorted(created["finding_ids"]) == sorted([w.banquet.pk, w.promotion.pk])
    url = f"/api/v1/reports/{created['id']}"
    patched = _send(member, "PATCH", url, {"suggestions": "健全会议费管理制度", "status": "final"}).json()
    assert patched["status"] == "draft" and patched["suggestions"] == "健全会议费管理制度"
    assert [v["event"] for v in patched["versions"]] == ["assembled", "updated"]
    response = _send(member, "PATCH", url, {"title": "  "})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "title"
    assert _send(member, "POST", f"{url}/submit").status_code == 403
    assert _send(leader, "POST", f"{url}/submit").json()["status"] == "submitted"

    hearing_url = f"/api/v1/rounds/{w.round.pk}/hearings"
    body = {
        "held_on": timezone.localdate().isoformat(),
        "attendees": "领导小组成员",
        "decisions": [{"report": created["id"], "decision": "revise", "opinion": "补充金额。"}],
    }
    assert (
        _send(leader, "POST", hearing_url, body).status_code == 404
    )  # a team leader: not the round's reader
    heard = _send(group, "POST", hearing_url, body).json()
    assert heard["decisions"][0]["decision"] == "revise"
    report = _send(member, "GET", url).json()
    assert report["status"] == "draft" and report["return_opinion"] == "补充金额。"
    assert report["decisions"][0]["opinion"] == "补充金额。"
    bad = {**body, "decisions": [{"report": created["id"], "decision": "maybe"}]}
    assert _send(group, "POST", hearing_url, bad).status_code == 422


def test_the_list_has_both_kinds_and_filters_them(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    actions.assemble_comprehensive(w.round, by=w.users["office"])
    office = client_for("office")
    kinds = [item["kind"] for item in office.get("/api/v1/reports/").json()["items"]]
    assert sorted(kinds) == ["comprehensive", "team"]
    only = office.get("/api/v1/reports/?kind=comprehensive").json()["items"]
    assert [item["kind"] for item in only] == ["comprehensive"]
    assert [i["kind"] for i in client_for("t1_member").get("/api/v1/reports/").json()["items"]] == ["team"]
    assert client_for("t2_member").get("/api/v1/reports/").json()["items"] == []
    assert client_for("liaison1").get("/api/v1/reports/").json()["items"] == []


def test_feedback_is_read_with_its_problems_and_delivered(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    feedback = unit_feedback(w)
    url = f"/api/v1/feedbacks/{feedback.pk}"
    liaison, leader = client_for("liaison1"), client_for("t1_leader")
    assert liaison.get(url).status_code == 404
    detail = leader.get(url).json()
    assert detail["recipient"] == "unit" and detail["status"] == "draft"
    assert [(p["number"], p["title"], p["finding_ids"]) for p in detail["problems"]] == [
        ("问题01", "违规公款宴请", [w.banquet.pk])
    ]
    body = {
        "meeting_on": timezone.localdate().isoformat(),
        "place": "三楼会议室",
        "attendees": "班子成员",
        "delivered_by": "组长",
    }
    response = _send(leader, "POST", f"{url}/deliver", body)
    assert response.status_code == 422 and "“反馈”阶段" in response.json()["detail"][0]["message"]
    set_stage(w.inspection1, Stage.FEEDBACK)
    response = _send(leader, "POST", f"{url}/deliver", {**body, "meeting_on": "2999-01-01"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "meeting_on"
    delivered = _send(leader, "POST", f"{url}/deliver", body).json()
    assert delivered["status"] == "delivered" and delivered["delivered_by"] == "组长"
    assert liaison.get(url).json()["problems"][0]["title"] == "违规公款宴请"
    assert [f["id"] for f in liaison.get("/api/v1/feedbacks/").json()["items"]] == [feedback.pk]
    assert client_for("t2_member").get(url).status_code == 404
