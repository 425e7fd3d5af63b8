"""What a round's kind lets it reach: 提级 and 交叉 go down to the committees below, 交叉 never home."""

import datetime

import pytest
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, User
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import UnitType
from xuncha.orgs.models import Inspector, Unit
from xuncha.rounds import actions
from xuncha.rounds.choices import RoundKind, TeamRole

pytestmark = pytest.mark.django_db


def _round(world, kind: str, number: int = 2):
    today = timezone.localdate()
    return actions.create_round(
        committee=world.city,
        number=number,
        name=f"市委第{number}轮巡察",
        kind=kind,
        planned_start=today,
        planned_end=today + datetime.timedelta(days=90),
        by=world.users["office"],
    )


def test_only_rounds_that_reach_down_may_inspect_a_county_unit(world):
    office = world.users["office"]
    routine = _round(world, RoundKind.ROUTINE, number=2)
    team = actions.create_team(round=routine, name="第一巡察组", by=office)
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=routine, team=team, unit=world.county_unit, by=office)
    assert refused.value.field == "unit"

    upgraded = _round(world, RoundKind.UPGRADED, number=3)
    team = actions.create_team(round=upgraded, name="第一巡察组", by=office)
    inspection = actions.create_inspection(round=upgraded, team=team, unit=world.county_unit, by=office)
    assert inspection.unit == world.county_unit
    # The city office now sees the county unit it inspects; the county's other units stay out of reach.
    assert Unit.objects.visible_to(office).filter(pk=world.county_unit.pk).exists()
    other = orgs.create_unit(committee=world.county_a, name="东安县水利局", unit_type=UnitType.ORGAN, by=None)
    assert not Unit.objects.visible_to(office).filter(pk=other.pk).exists()


def test_cross_round_sends_county_inspectors_elsewhere_but_never_home(world):
    office = world.users["office"]
    county_inspector = orgs.create_inspector(committee=world.county_a, name="东安县干部", by=None)
    b_unit = orgs.create_unit(
        committee=world.county_b, name="西平县教育局", unit_type=UnitType.ORGAN, by=None
    )

    routine = _round(world, RoundKind.ROUTINE, number=2)
    routine_team = actions.create_team(round=routine, name="第一巡察组", by=office)
    with pytest.raises(Refused):
        actions.add_team_member(
            team=routine_team, inspector=county_inspector, role=TeamRole.MEMBER, by=office
        )

    cross = _round(world, RoundKind.CROSS, number=3)
    away = actions.create_team(round=cross, name="第一巡察组", by=office)
    actions.create_inspection(round=cross, team=away, unit=b_unit, by=office)
    actions.add_team_member(team=away, inspector=county_inspector, role=TeamRole.MEMBER, by=office)
    assert Inspector.objects.visible_to(office).filter(pk=county_inspector.pk).exists()

    home = actions.create_team(round=cross, name="第二巡察组", by=office)
    actions.create_inspection(round=cross, team=home, unit=world.county_unit, by=office)
    with pytest.raises(Refused) as refused:
        actions.add_team_member(team=home, inspector=county_inspector, role=TeamRole.MEMBER, by=office)
    assert "交叉巡察中不得巡察本地" in refused.value.message


def test_team_roles_granted_and_ended_are_audit_events_and_the_account_stays_put(world):
    office = world.users["office"]
    account = User.objects.create(username="new_member")
    inspector = orgs.create_inspector(committee=world.city, name="新组员", user=account, by=None)
    member = actions.add_team_member(team=world.team2, inspector=inspector, role=TeamRole.MEMBER, by=office)
    granted = AuditEvent.objects.get(action="role.granted", details__user=account.username)
    assert (granted.details["role"], granted.details["scope_id"]) == ("team_member", world.team2.pk)
    with pytest.raises(Refused) as refused:
        orgs.update_inspector(inspector, user=None, by=office)
    assert refused.value.field == "user"
    actions.remove_team_member(member, by=office)
    ended = AuditEvent.objects.get(action="role.ended", details__user=account.username)
    assert ended.details["reason"] == "已移出巡察组"
    assert not account.scopes.has("team_member", world.team2.pk)


def test_the_api_offers_a_cross_round_the_same_inspectors_as_the_form(world, client_for):
    county_inspector = orgs.create_inspector(committee=world.county_a, name="东安县干部", by=None)
    cross = _round(world, RoundKind.CROSS, number=3)
    team = actions.create_team(round=cross, name="第一巡察组", by=world.users["office"])
    response = client_for("office").post(
        f"/api/v1/teams/{team.pk}/members",
        data={"inspector": county_inspector.pk, "role": TeamRole.MEMBER},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
