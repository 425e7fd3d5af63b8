"""Team and liaison roles end when the inspection is archived: from the next request the team and the
unit's liaison get 404 on it (page and API); the office keeps its read access."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.core import actions as accounts
from xuncha.core.choices import Role, RoleStatus
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.rounds import actions
from xuncha.rounds.choices import Stage

from .conftest import advance

pytestmark = pytest.mark.django_db


def _liaison_of_unit2(world) -> User:
    user = accounts.create_user(username="liaison2", password="Qingfeng-zhengqi-2026", by=None)
    TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
    accounts.grant_role(user=user, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=world.users["office"])
    world.users["liaison2"] = user
    return user


def test_archiving_ends_the_teams_and_the_liaisons_roles(world, team2_ready, set_today, client_for):
    TOTPDevice.objects.create(user=world.users["t2_leader"], name="测试设备", confirmed=True)
    liaison = _liaison_of_unit2(world)
    page, api = f"/rounds/inspections/{world.inspection2.pk}/", f"/api/v1/inspections/{world.inspection2.pk}"
    clients = {persona: client_for(persona) for persona in ("t2_leader", "t2_member", "liaison2", "office")}
    for persona, client in clients.items():
        assert client.get(page).status_code == 200, persona
        assert client.get(api).status_code == 200, persona
    advance(world.inspection2, Stage.ARCHIVED, by=world.users["office"], set_today=set_today)
    for persona in ("t2_leader", "t2_member", "liaison2"):
        assert clients[persona].get(page).status_code == 404, persona
        assert clients[persona].get(api).status_code == 404, persona
    assert clients["office"].get(page).status_code == 200
    assert clients["office"].get(api).status_code == 200
    ended = AuditEvent.objects.filter(action="role.ended").order_by("seq")
    assert [(e.details["user"], e.details["reason"]) for e in ended] == [
        ("t2_leader", "巡察已归档"),
        ("t2_member", "巡察已归档"),
        ("liaison2", "该单位的巡察均已归档"),
    ]
    assert {e.committee_id for e in ended} == {world.city.pk}
    # Reappointed (a later grant), the liaison sees the unit's archived inspection again.
    accounts.grant_role(
        user=liaison, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=world.users["office"]
    )
    assert clients["liaison2"].get(page).status_code == 200


def test_roles_last_until_the_last_inspection_is_archived(world, team2_ready, set_today):
    office = world.users["office"]
    _liaison_of_unit2(world)
    actions.create_inspection(round=world.round, team=world.team2, unit=world.unit3, by=office)
    advance(world.inspection2, Stage.ARCHIVED, by=office, set_today=set_today)
    team = RoleAssignment.objects.filter(
        scope_id=world.team2.pk, role__in=[Role.TEAM_LEADER, Role.TEAM_MEMBER]
    )
    assert {a.status() for a in team} == {RoleStatus.IN_FORCE}  # team2 still inspects unit3
    liaison = RoleAssignment.objects.get(user__username="liaison2")
    assert liaison.status() == RoleStatus.ENDED and not liaison.active
    # unit1's liaison keeps its role: only unit2's inspection was archived.
    assert RoleAssignment.objects.get(user=world.users["liaison1"]).status() == RoleStatus.IN_FORCE
