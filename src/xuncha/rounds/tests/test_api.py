"""The rounds API: list shape and filters, identical 404s out of scope, 422 refusals, 403 for wrong roles."""

import datetime
import json

import pytest

from xuncha.core.api import NOT_FOUND
from xuncha.rounds.choices import Stage, TeamRole
from xuncha.rounds.models import Round, TeamMember

API = "/api/v1"


def _post(client, path, data):
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def test_inspection_list_shape_and_scope(world, client_for):
    body = client_for("office").get(f"{API}/inspections/").json()
    assert body["count"] == 2
    first = next(item for item in body["items"] if item["id"] == world.inspection1.pk)
    assert first["stage"] == "fieldwork" and first["stage_label"] == "了解"
    assert first["unit_name"] == "市财政局" and first["team_name"] == "第一巡察组"
    assert first["fieldwork_ends_on"] == world.inspection1.fieldwork_ends_on.isoformat()
    assert first["is_overdue"] is False and first["deadline_state"] == ""

    for persona, expected in {
        "t1_member": [world.inspection1.pk],
        "t2_member": [world.inspection2.pk],
        "liaison1": [world.inspection1.pk],
        "sysadmin": [],
        "county_office": [],
    }.items():
        items = client_for(persona).get(f"{API}/inspections/").json()["items"]
        assert [item["id"] for item in items] == expected, persona


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=fieldwork", ["inspection1"]),
        ("stage=preparing", ["inspection2"]),
        ("unit={w.unit2.pk}", ["inspection2"]),
        ("team={w.team1.pk}", ["inspection1"]),
        ("round={w.round.pk}", ["inspection1", "inspection2"]),
        ("committee={w.county_a.pk}", []),
        ("overdue=true", []),
        ("overdue=false", ["inspection1", "inspection2"]),
    ],
)
def test_inspection_filters(world, client_for, query, expected):
    body = client_for("office").get(f"{API}/inspections/?{query.format(w=world)}").json()
    assert sorted(item["id"] for item in body["items"]) == sorted(getattr(world, n).pk for n in expected)


def test_overdue_filter(world, client_for, set_today):
    set_today(world.inspection1.stage_due_on + datetime.timedelta(days=1))
    body = client_for("office").get(f"{API}/inspections/?overdue=true").json()
    assert [item["id"] for item in body["items"]] == [world.inspection1.pk]
    assert body["items"][0]["is_overdue"] is True


def test_bad_filter_is_422(world, client_for):
    response = client_for("office").get(f"{API}/inspections/?stage=finished")
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("t2_member", "/inspections/{w.inspection1.pk}"),
        ("liaison1", "/inspections/{w.inspection2.pk}"),
        ("sysadmin", "/inspections/{w.inspection1.pk}"),
        ("t2_member", "/teams/{w.team1.pk}"),
        ("county_office", "/rounds/{w.round.pk}"),
        ("jiwei", "/rounds/{w.round.pk}"),
    ],
)
def test_out_of_scope_is_the_same_404_as_missing(world, client_for, persona, path):
    client = client_for(persona)
    existing = client.get(API + path.format(w=world))
    missing = client.get(API + path.split("{")[0] + "999999")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json() == NOT_FOUND


def test_transition_out_of_scope_is_404(world, client_for):
    response = _post(
        client_for("t2_member"), f"/inspections/{world.inspection1.pk}/transition", {"to": "reporting"}
    )
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_transition_refusal_is_422_with_the_reason(world, client_for):
    response = _post(
        client_for("office"), f"/inspections/{world.inspection2.pk}/transition", {"to": "fieldwork"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"field": "to", "message": "不能从“准备”直接进入“了解”，须依次经过：进驻"}]
    }
    response = _post(
        client_for("t1_leader"), f"/inspections/{world.inspection1.pk}/transition", {"to": "reporting"}
    )
    assert response.status_code == 422
    assert "尚不能进入报告阶段" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize("persona", ["t1_member", "liaison1", "leader"])
def test_transition_by_a_visible_wrong_role_is_403(world, client_for, persona):
    response = _post(
        client_for(persona), f"/inspections/{world.inspection1.pk}/transition", {"to": "reporting"}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "只有巡察办、巡察组组长可以将巡察推进到“报告”阶段。"}


def test_transition_moves_the_stage(world, client_for, set_today):
    set_today(world.inspection1.fieldwork_ends_on)
    response = _post(
        client_for("t1_leader"),
        f"/inspections/{world.inspection1.pk}/transition",
        {"to": "reporting", "note": "了解工作结束"},
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "reporting"
    assert world.inspection1.stage_changes.get().note == "了解工作结束"


def test_stage_is_not_writable_elsewhere(world, client_for):
    client = client_for("office")
    for method in ("put", "patch"):
        response = getattr(client, method)(
            f"{API}/inspections/{world.inspection1.pk}",
            json.dumps({"stage": "archived"}),
            content_type="application/json",
        )
        assert response.status_code == 405
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.FIELDWORK


def _round_body(world, **extra):
    return {
        "committee": world.city.pk,
        "number": 2,
        "name": "市委第二轮巡察",
        "kind": "routine",
        "planned_start": "2027-03-01",
        "planned_end": "2027-05-31",
    } | extra


def test_create_round(world, client_for):
    response = _post(client_for("office"), "/rounds/", _round_body(world))
    assert response.status_code == 201
    created = Round.objects.get(number=2)
    assert response.json()["id"] == created.pk and response.json()["lookback_of"] == []
    listed = client_for("office").get(f"{API}/rounds/?committee={world.city.pk}").json()
    assert listed["count"] == 2


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "special"}, "topic"),
        ({"committee": 999999}, "committee"),
        ({"planned_end": "2027-01-01"}, "planned_end"),
        ({"planned_start": "明年"}, "planned_start"),
        ({"kind": "lookback", "lookback_of": [999999]}, "lookback_of"),
    ],
)
def test_create_round_refusals_are_422(world, client_for, extra, field):
    response = _post(client_for("office"), "/rounds/", _round_body(world, **extra))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert not Round.objects.filter(number=2).exists()


def test_create_round_in_a_visible_committee_without_the_office_role_is_403(world, client_for):
    response = _post(client_for("leader"), "/rounds/", _round_body(world))
    assert response.status_code == 403
    assert "巡察办" in response.json()["detail"]
    # Another committee's office: the committee is not even visible.
    assert _post(client_for("county_office"), "/rounds/", _round_body(world)).status_code == 422


def test_team_detail_shows_members_and_conflicts_by_role(world, client_for):
    _post(
        client_for("office"),
        f"/teams/{world.team1.pk}/members",
        {"inspector": world.inspector_conflicted.pk, "role": "member", "override_reason": "专业所需"},
    )
    office = client_for("office").get(f"{API}/teams/{world.team1.pk}").json()
    overridden = next(m for m in office["members"] if m["inspector_name"] == "孙立")
    assert overridden["override_reason"] == "专业所需" and overridden["conflict_reasons"]
    member_view = client_for("t1_member").get(f"{API}/teams/{world.team1.pk}").json()
    assert {m["inspector_name"] for m in member_view["members"]} == {"刘振华", "周敏", "孙立"}
    assert all(m["conflict_reasons"] is None and m["override_reason"] is None for m in member_view["members"])
    assert client_for("liaison1").get(f"{API}/teams/{world.team1.pk}").json()["members"] is None
    teams = client_for("t2_member").get(f"{API}/teams/").json()
    assert [t["id"] for t in teams["items"]] == [world.team2.pk]


def test_add_member_conflict_is_422_listing_the_reasons(world, client_for):
    response = _post(
        client_for("office"),
        f"/teams/{world.team1.pk}/members",
        {"inspector": world.inspector_conflicted.pk, "role": TeamRole.MEMBER},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "inspector"
    assert "工作单位“市财政局国库支付中心”与被巡察单位“市财政局”存在隶属关系" in error["message"]
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()


def test_add_member_scope_and_role(world, client_for):
    body = {"inspector": world.inspector_conflicted.pk, "role": "member", "override_reason": "x"}
    assert _post(client_for("t2_member"), f"/teams/{world.team1.pk}/members", body).status_code == 404
    for persona in ("t1_leader", "leader", "liaison1"):  # the role is checked before the body's inspector
        response = _post(client_for(persona), f"/teams/{world.team1.pk}/members", body)
        assert response.status_code == 403, persona
        assert response.json() == {"detail": "只有巡察办可以调整巡察组成员。"}
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()
    created = _post(client_for("office"), f"/teams/{world.team1.pk}/members", body)
    assert created.status_code == 201 and created.json()["conflict_reasons"]
