"""/api/v1/role-assignments/: what the office's people-and-roles page does, scoped as the page."""

import json

import pytest
from django.utils import timezone

from xuncha.core import actions
from xuncha.core.choices import Role, RoleStatus
from xuncha.core.models import AuditEvent, RoleAssignment

pytestmark = pytest.mark.django_db

API = "/api/v1/role-assignments/"


def _post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_the_list_is_scoped_as_the_page(world, client_for):
    office = client_for("office").get(f"{API}?limit=200").json()
    users = {item["username"] for item in office["items"]}
    assert {"office", "liaison1", "jiwei", "t1_member", "sysadmin"} <= users
    assert "county_office" not in users
    liaison = next(item for item in office["items"] if item["username"] == "liaison1")
    assert liaison["scope_name"] == "市财政局" and liaison["role_label"] == "被巡察单位联络人"
    assert liaison["status"] == RoleStatus.IN_FORCE and liaison["status_label"] == "有效"
    county = client_for("county_office").get(API).json()
    assert [item["username"] for item in county["items"]] == ["county_office"]
    assert client_for("sysadmin").get(API).json()["count"] == RoleAssignment.objects.count()
    # Anyone else sees only their own.
    assert [item["role"] for item in client_for("t2_member").get(API).json()["items"]] == [Role.TEAM_MEMBER]
    assert client_for("office").get(f"{API}?role=receiver").json()["count"] == 2


def test_the_office_appoints_a_liaison_who_then_sees_the_unit(world, client_for):
    office = client_for("office")
    outsider = world.users["outsider"]
    page = f"/orgs/units/{world.unit2.pk}/"
    assert client_for("outsider").get(page).status_code == 404
    answer = _post(office, API, {"user": outsider.pk, "role": Role.UNIT_LIAISON, "scope_id": world.unit2.pk})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["username"], body["scope_name"], body["status"]) == ("outsider", "市交通运输局", "in_force")
    assert body["granted_by"] == "office"
    assert client_for("outsider").get(page).status_code == 200
    # Withdrawn with a reason: 404 from the next request.
    assert _post(office, f"{API}{body['id']}/end", {"reason": ""}).status_code == 422
    ended = _post(office, f"{API}{body['id']}/end", {"reason": "工作调动"})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert client_for("outsider").get(page).status_code == 404


def test_refusals_in_the_api(world, client_for):
    office, outsider = client_for("office"), world.users["outsider"]
    # Another committee's unit: not the city office's to grant.
    county = {"user": outsider.pk, "role": Role.UNIT_LIAISON, "scope_id": world.county_unit.pk}
    assert _post(office, API, county).status_code == 403
    own = {"user": world.users["office"].pk, "role": Role.UNIT_LIAISON, "scope_id": world.unit2.pk}
    answer = _post(office, API, own)
    assert answer.status_code == 422 and "不能给自己授予角色" in answer.content.decode()
    team = {"user": outsider.pk, "role": Role.TEAM_MEMBER, "scope_id": world.team2.pk}
    assert _post(office, API, team).json()["detail"][0]["field"] == "role"
    missing = {"user": 987654, "role": Role.UNIT_LIAISON, "scope_id": world.unit2.pk}
    assert _post(office, API, missing).json()["detail"][0]["field"] == "user"
    assert not RoleAssignment.objects.filter(user=outsider).exists()


def test_a_custodian_grant_waits_and_the_second_person_decides(world, client_for):
    office, sysadmin = client_for("office"), client_for("sysadmin")
    outsider = world.users["outsider"]
    data = {"user": outsider.pk, "role": Role.CUSTODIAN, "scope_id": world.city.pk, "ends_on": None}
    pending = _post(office, API, data).json()
    assert pending["status"] == "pending" and pending["status_label"] == "待审批"
    assert client_for("office").get(f"{API}?status=pending").json()["count"] == 1
    approve = f"{API}{pending['id']}/approve"
    assert _post(office, approve).status_code == 422  # the granter
    assert _post(client_for("outsider"), approve).status_code == 403  # the grantee
    approved = _post(sysadmin, approve)
    assert approved.status_code == 200 and approved.json()["approved_by"] == "sysadmin"
    assert RoleAssignment.objects.get(pk=pending["id"]).status() == RoleStatus.IN_FORCE
    # The end date may be set by the office for a role within its committee.
    today = timezone.localdate()
    dated = _post(office, f"{API}{pending['id']}/end", {"on": today.isoformat()})
    assert dated.status_code == 200 and dated.json()["status"] == "in_force" and dated.json()["ends_at"]
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="role.").order_by("seq")] == [
        "role.granted",
        "role.approved",
        "role.ended",
    ]


def test_a_refused_grant_through_the_api(world, client_for):
    pending = actions.grant_role(
        user=world.users["outsider"], role=Role.AUDITOR, scope_id=world.city.pk, by=world.users["sysadmin"]
    )
    refuse = f"{API}{pending.pk}/refuse"
    assert _post(client_for("office"), refuse, {"reason": " "}).status_code == 422
    refused = _post(client_for("office"), refuse, {"reason": "未经党委研究"})
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["ended_reason"]) == ("ended", "未经党委研究")
    assert _post(client_for("county_office"), refuse, {"reason": "x"}).status_code == 404
