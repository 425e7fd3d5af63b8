"""API of findings: list and filters, one finding with evidence and versions, drafting, content edits that
never touch the status, the verbs, 404 out of scope and 422 with the field and a Chinese message."""

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from xuncha.taxonomy.choices import SchemeKind

from .. import actions
from ..choices import FindingStatus
from ..models import Finding, Regulation
from .support import category, draft, setup

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def _body(w: SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "违规发放津贴补贴",
        "description": "以加班费名义发放补贴36万元。",
        "focus": category(SchemeKind.FOCUS, "2.4").pk,
        "regulations": [Regulation.objects.get(committee=w.city, article="第八章").pk],
        "unit_responsible": True,
        "persons": [w.principal1.pk],
        "discipline": category(SchemeKind.DISCIPLINE, "3").pk,
        "nature": category(SchemeKind.NATURE, "4").pk,
        "root_cause": "system",
        "evidence": [{"kind": "petition", "id": str(w.petition1.pk)}],
    }
    body.update(overrides)
    return body


def test_a_finding_goes_from_draft_to_signed_off_through_the_api(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member, leader = client_for("t1_member"), client_for("t1_leader")
    response = _send(member, "POST", f"/api/v1/inspections/{w.inspection1.pk}/findings", _body(w))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft" and created["number"] == "底稿001"
    assert created["evidence"] == [
        {
            "kind": "petition",
            "label": "信访件",
            "id": str(w.petition1.pk),
            "text": f"{w.petition1.number} {w.petition1.content[:40]}",
            "url": f"/intake/petitions/{w.petition1.pk}/",
            "visible": True,
        }
    ]
    url = f"/api/v1/findings/{created['id']}"
    today = timezone.localdate().isoformat()
    assert (
        _send(leader, "POST", f"{url}/discuss", {"meeting_on": today, "opinion": "同意"}).status_code == 200
    )
    signed = _send(leader, "POST", f"{url}/sign-off").json()
    assert signed["status"] == "signed_off" and signed["signed_off_by"] == "t1_leader"
    assert [v["event"] for v in signed["versions"]] == ["drafted", "discussed", "signed_off"]
    assert (
        signed["versions"][0]["by"] == "t1_member"
        and signed["versions"][0]["data"]["title"] == "违规发放津贴补贴"
    )


def test_patch_changes_content_never_the_status(w: SimpleNamespace, client_for: ClientFor) -> None:
    finding = draft(w)
    url = f"/api/v1/findings/{finding.pk}"
    response = _send(client_for("t1_member"), "PATCH", url, {"title": "新标题", "status": "signed_off"})
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "新标题" and body["status"] == "draft"
    # What the body leaves out stays as it was, evidence included.
    assert body["description"] == finding.description and len(body["evidence"]) == 1
    assert [p["id"] for p in body["persons"]] == [w.principal1.pk]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DRAFT and finding.versions.count() == 2
    response = _send(client_for("t1_member"), "PATCH", url, {"evidence": []})
    assert response.json()["evidence"] == []


def test_bad_input_is_422_with_the_field(w: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    url = f"/api/v1/inspections/{w.inspection1.pk}/findings"
    cases = [
        ({"title": ""}, "title", "请填写问题标题"),
        ({"title": "题" * 201}, "title", "内容过长"),
        ({"focus": None}, "focus", "请选择三个聚焦中的一项"),
        ({"focus": category(SchemeKind.NATURE, "1").pk}, "focus", "请从三个聚焦中选择"),
        ({"persons": [w.principal2.pk]}, "persons", "责任人不存在或不可选"),
        ({"regulations": [999_999]}, "regulations", "定性依据不存在或不可选"),
        (
            {"evidence": [{"kind": "petition", "id": str(w.petition2.pk)}]},
            "evidence",
            "信访件不存在或无权访问",
        ),
        ({"evidence": [{"kind": "petition", "id": "nope"}]}, "evidence", "信访件不存在或无权访问"),
        ({"evidence": [{"kind": "minutes", "id": "1"}]}, "evidence", "证据类别“minutes”不存在"),
        ({"evidence": [{"kind": "interview", "id": "1"}]}, "evidence", "个别谈话不存在或无权访问"),
        ({"commonality": "x"}, "commonality", "请选择个性问题或共性问题"),
        ({"focus": "abc"}, "focus", "请输入整数"),
    ]
    for overrides, field, message in cases:
        response = _send(member, "POST", url, _body(w, **overrides))
        assert response.status_code == 422, overrides
        detail = response.json()["detail"]
        assert any(d["field"] == field and message in d["message"] for d in detail), (overrides, detail)
    assert not Finding.objects.exists()


def test_verbs_refuse_with_a_reason(w: SimpleNamespace, client_for: ClientFor) -> None:
    leader = client_for("t1_leader")
    mine = draft(w, "t1_leader")
    url = f"/api/v1/findings/{mine.pk}"
    response = _send(leader, "POST", f"{url}/sign-off")
    assert response.status_code == 422 and "须经组务会研究" in response.json()["detail"][0]["message"]
    response = _send(leader, "POST", f"{url}/discuss", {"meeting_on": "2026-02-30", "opinion": "同意"})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "meeting_on"
    today = timezone.localdate().isoformat()
    _send(leader, "POST", f"{url}/discuss", {"meeting_on": today, "opinion": "同意"})
    response = _send(leader, "POST", f"{url}/sign-off")
    assert response.status_code == 422 and "起草人不能审签" in response.json()["detail"][0]["message"]
    response = _send(leader, "POST", f"{url}/return", {"reason": "请补充证据"})
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert response.json()["return_reason"] == "请补充证据"
    assert _send(client_for("t1_member"), "POST", f"{url}/return", {"reason": "x"}).status_code == 403


def test_sign_off_by_a_leader_who_changed_it_is_422(w: SimpleNamespace, client_for: ClientFor) -> None:
    leader = client_for("t1_leader")
    finding = draft(w)
    url = f"/api/v1/findings/{finding.pk}"
    assert _send(leader, "PATCH", url, _body(w, title="组长改写的标题")).status_code == 200
    today = timezone.localdate().isoformat()
    meeting = {"meeting_on": today, "opinion": "同意"}
    assert _send(leader, "POST", f"{url}/discuss", meeting).status_code == 200
    response = _send(leader, "POST", f"{url}/sign-off")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "status",
            "message": "您修改过本问题底稿的内容，不能再审签；请由未参与起草和修改的其他组长（副组长）审签。",
        }
    ]
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.DISCUSSED


def test_list_filters_and_scope(w: SimpleNamespace, client_for: ClientFor) -> None:
    first = draft(w, title="公款宴请问题")
    draft(w, title="选人用人问题", focus=category(SchemeKind.FOCUS, "3.2"), persons=[w.deputy1])
    t2 = actions.draft_finding(
        w.inspection2,
        data=actions.FindingInput(
            title="交通局问题", description="事实。", focus=category(SchemeKind.FOCUS, "2.4")
        ),
        by=w.users["t2_member"],
    )

    def titles(persona: str, query: str = "") -> set[str]:
        response = client_for(persona).get(f"/api/v1/findings/?{query}")
        assert response.status_code == 200
        return {item["title"] for item in response.json()["items"]}

    assert titles("t1_member") == {"公款宴请问题", "选人用人问题"}
    assert titles("office") == {"公款宴请问题", "选人用人问题", "交通局问题"}
    assert titles("t2_member") == {"交通局问题"}
    for persona in ("liaison1", "jiwei", "county_office", "auditor"):
        assert titles(persona) == set()
    assert titles("office", f"inspection={w.inspection1.pk}&person={w.deputy1.pk}") == {"选人用人问题"}
    assert titles("office", f"focus={category(SchemeKind.FOCUS, '2.4').pk}") == {"公款宴请问题", "交通局问题"}
    assert titles("office", "q=选人&status=draft") == {"选人用人问题"}
    assert client_for("office").get("/api/v1/findings/?status=nonsense").status_code == 422
    for persona in ("liaison1", "t1_member", "jiwei"):
        assert client_for(persona).get(f"/api/v1/findings/{t2.pk}").status_code == 404
        assert (
            _send(client_for(persona), "PATCH", f"/api/v1/findings/{t2.pk}", {"title": "x"}).status_code
            == 404
        )
    assert client_for("leader").get(f"/api/v1/findings/{first.pk}").status_code == 200


def test_common_problems_api(w: SimpleNamespace, client_for: ClientFor) -> None:
    today = timezone.localdate()
    leader = w.users["t1_leader"]
    for title in ("公款宴请", "超标准接待"):
        finding = draft(w, title=title)
        actions.discuss_finding(finding, meeting_on=today, opinion="同意", by=leader)
        actions.sign_off_finding(finding, by=leader)
    url = f"/api/v1/findings/common?round={w.round.pk}"
    assert client_for("office").get(url).json() == []  # one inspection only: not common
    second = actions.draft_finding(
        w.inspection2,
        data=actions.FindingInput(
            title="交通局公款宴请",
            description="事实。",
            focus=category(SchemeKind.FOCUS, "2.4"),
            basis_note="违反中央八项规定精神。",
            unit_responsible=True,
            nature=category(SchemeKind.NATURE, "3"),
            root_cause="system",
            discipline=category(SchemeKind.DISCIPLINE, "3"),
        ),
        by=w.users["t2_member"],
    )
    actions.discuss_finding(second, meeting_on=today, opinion="同意", by=None)
    actions.sign_off_finding(second, by=None)
    problems = client_for("leader").get(url).json()
    assert [(p["scheme"], p["inspections"], p["units"], len(p["findings"])) for p in problems] == [
        ("focus", 2, 2, 3),
        ("discipline", 2, 2, 3),
    ]
    assert problems[0]["unit_names"] == ["市交通运输局", "市财政局"]
    assert client_for("t1_leader").get(url).status_code == 403
    assert client_for("county_office").get(url).status_code == 404
