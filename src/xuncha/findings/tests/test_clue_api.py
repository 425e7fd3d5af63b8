"""API of clues and clue transfers: drafting, the verbs through to report-back, lists without content,
audited reads, filters, 404 out of scope and 422 with the field."""

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from xuncha.core.models import AuditEvent

from ..models import Clue
from .clue_support import CONTENT, draft_clue, transferred_clue
from .support import setup

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _body(w: SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    body = {"title": "张建国收受礼金", "content": CONTENT, "kind": "discipline", "persons": [w.principal1.pk]}
    body.update(overrides)
    return body


def test_a_clue_goes_from_draft_to_reported_back_through_the_api(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member, leader, office, jiwei = (client_for(p) for p in ("t1_member", "t1_leader", "office", "jiwei"))
    created = _post(
        member, f"/api/v1/inspections/{w.inspection1.pk}/clues", _body(w, petition=str(w.petition1.pk))
    )
    assert created.status_code == 201, created.content
    clue = created.json()
    assert (clue["number"], clue["department_id"], clue["content"]) == ("线索001", w.jiwei_dept.pk, CONTENT)
    assert "content" not in member.get("/api/v1/clues/").json()["items"][0]
    url = f"/api/v1/clues/{clue['id']}"
    assert _post(member, f"{url}/submit").json()["status"] == "submitted"
    assert _post(leader, f"{url}/approve").json()["leader_approved_at"] is not None
    assert _post(office, f"{url}/approve").json()["status"] == "approved"
    sent = _post(office, f"{url}/transfer", {"due_on": None})
    assert sent.status_code == 201
    transfer = sent.json()
    assert transfer["receiver_name"] == "市纪委监委" and "clue_content" not in transfer

    assert jiwei.get(url).status_code == 404  # the transfer, never the clue
    assert [t["id"] for t in jiwei.get("/api/v1/transfers/").json()["items"]] == [transfer["id"]]
    t_url = f"/api/v1/transfers/{transfer['id']}"
    detail = jiwei.get(t_url).json()
    assert detail["clue_content"] == CONTENT and "张建国" in detail["persons"]
    assert AuditEvent.objects.filter(action="clue_transfer.content_read", actor=w.users["jiwei"]).count() == 1
    assert client_for("zuzhibu").get(t_url).status_code == 404
    assert _post(jiwei, f"{t_url}/receive").json()["status"] == "received"
    refused = _post(jiwei, f"{t_url}/dispose", {"disposal": "arrest"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "disposal"
    assert _post(jiwei, f"{t_url}/dispose", {"disposal": "verify"}).json()["status"] == "disposed"
    reported = _post(
        jiwei, f"{t_url}/report-back", {"outcome": "case_opened", "result": "经初步核实，已立案审查。"}
    )
    assert reported.json()["status"] == "reported"
    assert office.get(t_url).json()["result"] == "经初步核实，已立案审查。"
    assert _post(office, f"{t_url}/receive").status_code == 403


def test_bad_input_is_422_on_its_field_and_nothing_is_saved(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member = client_for("t1_member")
    url = f"/api/v1/inspections/{w.inspection1.pk}/clues"
    for overrides, field in (
        ({"persons": [w.principal2.pk]}, "persons"),
        ({"petition": str(w.petition2.pk)}, "petition"),
        ({"kind": "rumour"}, "kind"),
        ({"department": w.zuzhibu_dept.pk}, "receiver_reason"),
        ({"unit": w.unit2.pk}, "unit"),
        ({"confidential": True}, "confidential"),
        ({"title": "x" * 201}, "title"),
    ):
        response = _post(member, url, _body(w, **overrides))
        assert response.status_code == 422, overrides
        assert field in json.dumps(response.json()), (overrides, response.json())
    assert not Clue.objects.exists()
    assert _post(client_for("office"), url, _body(w)).status_code == 403
    assert _post(client_for("t2_member"), url, _body(w)).status_code == 404


def test_reads_filters_and_confidentiality(w: SimpleNamespace, client_for: ClientFor) -> None:
    secret = draft_clue(w, "t1_leader", confidential=True)
    draft_clue(w, kind="selection", title="违规提拔")
    transfer = transferred_clue(w)
    member = client_for("t1_member")
    assert member.get(f"/api/v1/clues/{secret.pk}").status_code == 404
    assert client_for("office").get(f"/api/v1/clues/{secret.pk}").json()["confidential"] is True
    assert [c["title"] for c in member.get("/api/v1/clues/?kind=selection").json()["items"]] == ["违规提拔"]
    assert member.get("/api/v1/clues/").json()["count"] == 2
    assert client_for("t1_leader").get(f"/api/v1/clues/?inspection={w.inspection1.pk}").json()["count"] == 3
    assert member.get("/api/v1/clues/?status=bogus").status_code == 422
    assert member.get("/api/v1/transfers/?overdue=true").json()["count"] == 0
    assert member.get(f"/api/v1/transfers/?department={w.jiwei_dept.pk}").json()["items"][0]["id"] == str(
        transfer.pk
    )
    reads = AuditEvent.objects.filter(action="clue.content_read", object_id=str(secret.pk))
    assert reads.count() == 1 and reads.get().actor == w.users["office"]


def test_a_patch_edits_the_content_never_the_status(w: SimpleNamespace, client_for: ClientFor) -> None:
    clue = draft_clue(w)
    member = client_for("t1_member")
    url = f"/api/v1/clues/{clue.pk}"
    body = {"title": "收受礼金（补充）", "status": "approved", "department": w.zuzhibu_dept.pk}
    refused = member.patch(url, data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 422 and "receiver_reason" in refused.content.decode()
    body["receiver_reason"] = "主要涉及违规提拔。"
    patched = member.patch(url, data=json.dumps(body), content_type="application/json").json()
    assert (patched["title"], patched["status"], patched["department_id"]) == (
        "收受礼金（补充）",
        "draft",
        w.zuzhibu_dept.pk,
    )
    assert patched["content"] == CONTENT and patched["persons"] == [w.principal1.pk]
    null_title = member.patch(url, data=json.dumps({"title": None}), content_type="application/json")
    assert null_title.json()["title"] == "收受礼金（补充）"  # null keeps the value
    transfer = transferred_clue(w)
    withdrawn = _post(
        client_for("t1_leader"), f"/api/v1/clues/{transfer.clue_id}/withdraw", {"reason": "重复"}
    )
    assert withdrawn.status_code == 422
    assert _post(client_for("t1_leader"), f"{url}/withdraw", {"reason": "与另一线索合并。"}).json()[
        "status"
    ] == ("withdrawn")
