import json

import pytest

from xuncha.core.models import AuditEvent
from xuncha.orgs import actions
from xuncha.orgs.models import Person, Unit

API = "/api/v1"


def post(client, path, data):
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def names(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"items", "count", "count_capped", "next_cursor"}
    assert body["count"] >= len(body["items"])
    return [item["name"] for item in body["items"]]


@pytest.mark.parametrize("kind", ["committees", "units", "people", "inspectors", "departments"])
def test_every_list_is_paginated_with_items_and_count(world, client_for, kind):
    response = client_for("office").get(f"{API}/{kind}/", {"limit": 1})
    body = response.json()
    assert len(body["items"]) == 1
    assert body["count"] > 1


def test_lists_are_scoped_and_filtered(world, client_for):
    office = client_for("office")
    assert names(office.get(f"{API}/units/", {"unit_type": "soe"})) == ["市城市建设投资集团"]
    assert names(office.get(f"{API}/units/", {"q": "财政", "parent": world.unit1.pk})) == [
        "市财政局国库支付中心"
    ]
    assert names(office.get(f"{API}/people/", {"unit": world.unit1.pk, "category": "principal"})) == [
        "张建国"
    ]
    assert names(office.get(f"{API}/committees/", {"level": "county"})) == [
        "江东市东安县委",
        "江东市西平县委",
    ]
    assert names(office.get(f"{API}/departments/", {"kind": "jiwei"})) == ["市纪委监委"]
    actions.update_inspector(world.inspector_t2_member, expertise=["audit", "law"], by=None)
    assert names(office.get(f"{API}/inspectors/", {"expertise": "audit"})) == ["吴涛"]
    assert names(client_for("liaison1").get(f"{API}/units/")) == ["市财政局"]
    assert names(client_for("liaison1").get(f"{API}/people/")) == ["张建国", "李文华", "王海燕"]
    assert names(client_for("t2_member").get(f"{API}/inspectors/")) == ["吴涛"]
    assert names(client_for("jiwei").get(f"{API}/departments/")) == ["市纪委监委"]
    assert names(client_for("county_office").get(f"{API}/units/")) == ["东安县农业农村局"]


def test_a_bad_filter_value_is_422_in_chinese(world, client_for):
    response = client_for("office").get(f"{API}/units/", {"unit_type": "bank"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "unit_type"


@pytest.mark.parametrize(
    ("persona", "kind", "obj"),
    [
        ("liaison1", "units", "unit2"),
        ("county_office", "units", "unit1"),
        ("liaison1", "people", "principal2"),
        ("t2_member", "inspectors", "inspector_t1_member"),
        ("jiwei", "departments", "zuzhibu_dept"),
        ("county_office", "committees", "city"),
    ],
)
def test_out_of_scope_is_the_same_404_as_missing(world, client_for, persona, kind, obj):
    client = client_for(persona)
    out_of_scope = client.get(f"{API}/{kind}/{getattr(world, obj).pk}")
    missing = client.get(f"{API}/{kind}/987654")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert client_for("office").get(f"{API}/{kind}/{getattr(world, obj).pk}").status_code == 200


def test_inspector_output_never_carries_relatives(world, client_for):
    actions.declare_relative(
        world.inspector_t1_member, name="周大伟", relation="兄弟", unit=world.unit2, by=None
    )
    response = client_for("office").get(f"{API}/inspectors/{world.inspector_t1_member.pk}")
    assert response.status_code == 200
    assert set(response.json()) == {
        "id",
        "committee_id",
        "name",
        "home_unit_id",
        "post",
        "expertise",
        "is_active",
    }
    assert "周大伟" not in response.content.decode() and "兄弟" not in response.content.decode()


def test_create_unit_and_person_through_the_actions(world, client_for):
    office = client_for("office")
    response = post(office, "/units/", {"committee": world.city.pk, "name": "市审计局", "unit_type": "organ"})
    assert response.status_code == 201
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.name, unit.committee) == ("市审计局", world.city)
    response = post(
        office, "/people/", {"unit": unit.pk, "name": "冯立新", "post": "局长", "category": "principal"}
    )
    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).unit == unit
    events = AuditEvent.objects.filter(actor__username="office", object_type__startswith="orgs.")
    assert list(events.order_by("seq").values_list("action", flat=True)) == ["unit.created", "person.added"]


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("/units/", {"committee": "{city}", "name": "市财政局", "unit_type": "organ"}, "name", "已有名为"),
        ("/units/", {"committee": "{city}", "name": "市审计局", "unit_type": "bank"}, "unit_type", "无效"),
        ("/units/", {"committee": "{city}"}, "name", "必填"),
        ("/units/", {"committee": 987654, "name": "某局", "unit_type": "organ"}, "committee", "党委不存在"),
        (
            "/units/",
            {"committee": "{city}", "name": "某局", "unit_type": "organ", "parent": "{county_unit}"},
            "parent",
            "不存在或无权访问",
        ),
        (
            "/people/",
            {"unit": "{unit1}", "name": "赵刚", "post": "局长", "category": "principal"},
            "category",
            "主要负责人",
        ),
        (
            "/people/",
            {"unit": "{county_unit}", "name": "赵刚", "post": "局长", "category": "other"},
            "unit",
            "不存在",
        ),
        (
            "/people/",
            {"unit": "{unit1}", "name": "", "post": "局长", "category": "other"},
            "name",
            "缺少姓名",
        ),
    ],
)
def test_bad_input_is_422_with_field_and_chinese_message(world, client_for, path, data, field, message):
    ids = {name: getattr(world, name).pk for name in ("city", "county_unit", "unit1")}
    data = {k: int(v.format(**ids)) if str(v).startswith("{") else v for k, v in data.items()}
    units, people = Unit.objects.count(), Person.objects.count()
    response = post(client_for("office"), path, data)
    assert response.status_code == 422, response.content
    [error] = [e for e in response.json()["detail"] if e["field"] == field]
    assert message in error["message"]
    assert (Unit.objects.count(), Person.objects.count()) == (units, people)


def test_creation_by_a_role_that_may_not_is_refused(world, client_for):
    # The team member sees unit1 (its inspection) but may not maintain its roster.
    response = post(
        client_for("t1_member"),
        "/people/",
        {"unit": world.unit1.pk, "name": "某", "post": "某", "category": "other"},
    )
    assert response.status_code == 403
    assert not Person.objects.filter(name="某").exists()


def patch(client, path, data):
    return client.patch(f"{API}{path}", json.dumps(data), content_type="application/json")


def test_committee_settings_are_read_and_changed_field_by_field_through_the_action(world, client_for):
    office = client_for("office")
    path = f"/committees/{world.city.pk}/settings"
    before = office.get(f"{API}{path}").json()
    assert before["committee_id"] == world.city.pk and before["archive_petition_attachments"] is False
    changed = patch(office, path, {"archive_petition_attachments": True, "due_soon_days": 5})
    assert changed.status_code == 200, changed.content
    after = changed.json()
    assert after["archive_petition_attachments"] is True and after["due_soon_days"] == 5
    assert {k: v for k, v in after.items() if k not in ("archive_petition_attachments", "due_soon_days")} == {
        k: v for k, v in before.items() if k not in ("archive_petition_attachments", "due_soon_days")
    }
    event = AuditEvent.objects.filter(action="committee_settings.updated").latest("seq")
    assert event.actor == world.users["office"]
    # Out of range: the action's Chinese refusal on the field, nothing saved.
    bad = patch(office, path, {"due_soon_days": 999})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["detail"]] == ["due_soon_days"]
    assert office.get(f"{API}{path}").json()["due_soon_days"] == 5
    # The city's office does not read or set the county's rules; a team member sees no settings at all.
    assert client_for("office").get(f"{API}/committees/{world.county_a.pk}/settings").status_code == 404
    assert patch(client_for("t1_member"), path, {"due_soon_days": 3}).status_code == 404
