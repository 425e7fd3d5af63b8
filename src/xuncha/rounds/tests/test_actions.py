"""Terms, rounds, teams, members (回避) and inspections: the actions, their refusals and their audit."""

import datetime

import pytest

from xuncha.core.choices import Role, ScopeType
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.rounds import actions
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, TeamMember

from .conftest import advance, new_inspector

D = datetime.date


def _round(world, *, number=2, kind=RoundKind.ROUTINE, by=None, **extra):
    values = {
        "committee": world.city,
        "number": number,
        "name": f"市委第{number}轮巡察",
        "kind": kind,
        "planned_start": D(2027, 3, 1),
        "planned_end": D(2027, 5, 31),
    } | extra
    return actions.create_round(**values, by=by or world.users["office"])


def _last_event(action_name: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action_name).order_by("-seq").first()


# Terms ------------------------------------------------------------------------------------------------


def test_create_term_and_change_its_units(world):
    office = world.users["office"]
    term = actions.create_term(
        committee=world.city,
        name="十四届",
        starts_on=D(2026, 1, 1),
        ends_on=D(2030, 12, 31),
        units=[world.unit1, world.unit2],
        by=office,
    )
    assert set(term.units.all()) == {world.unit1, world.unit2}
    assert _last_event("term.created").details["units"] == [world.unit1.pk, world.unit2.pk]

    actions.set_term_units(term, units=[world.unit2, world.unit3], by=office)
    assert set(term.units.all()) == {world.unit2, world.unit3}
    event = _last_event("term.units_changed")
    assert event.details["units"] == [
        sorted([world.unit1.pk, world.unit2.pk]),
        [world.unit2.pk, world.unit3.pk],
    ]
    assert event.actor == office and event.role == Role.OFFICE


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "届" * 101}, "name"),
        ({"ends_on": D(2025, 1, 1)}, "ends_on"),
    ],
)
def test_create_term_refuses_bad_input(world, values, field):
    args = {"name": "十四届", "starts_on": D(2026, 1, 1), "ends_on": D(2030, 12, 31)} | values
    with pytest.raises(Refused) as refused:
        actions.create_term(committee=world.city, **args, by=world.users["office"])
    assert refused.value.field == field


def test_term_units_must_belong_to_the_committee(world):
    with pytest.raises(Refused) as refused:
        actions.create_term(
            committee=world.city,
            name="十四届",
            starts_on=D(2026, 1, 1),
            ends_on=D(2030, 12, 31),
            units=[world.county_unit],
            by=world.users["office"],
        )
    assert refused.value.field == "units"
    assert "东安县农业农村局" in refused.value.message


@pytest.mark.parametrize("persona", ["leader", "county_office", "t1_leader", "sysadmin"])
def test_only_the_committees_office_creates_terms(world, persona):
    with pytest.raises(NotAllowed):
        actions.create_term(
            committee=world.city,
            name="十四届",
            starts_on=D(2026, 1, 1),
            ends_on=D(2030, 12, 31),
            by=world.users[persona],
        )


# Rounds -----------------------------------------------------------------------------------------------


def test_create_round_is_audited(world):
    created = _round(world, kind=RoundKind.SPECIAL, topic="乡村振兴领域")
    assert created.topic == "乡村振兴领域"
    event = _last_event("round.created")
    assert event.object_id == str(created.pk)
    assert event.committee_id == world.city.pk
    assert event.details["kind"] == "special"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": RoundKind.SPECIAL}, "topic", "专项巡察须填写专项主题"),
        ({"planned_end": D(2027, 3, 1)}, "planned_end", "计划结束日期须晚于计划开始日期"),
        ({"number": 1}, "number", "已有第1轮巡察"),
        ({"number": 0}, "number", "轮次序号"),
        ({"kind": "weekly"}, "kind", "巡察类型"),
        ({"name": ""}, "name", "请填写名称"),
        ({"kind": RoundKind.LOOKBACK}, "lookback_of", "至少一项"),
    ],
)
def test_create_round_refusals(world, values, field, message):
    with pytest.raises(Refused) as refused:
        _round(world, **values)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not Round.objects.filter(number=values.get("number", 2), name="市委第2轮巡察").exists()


def test_lookback_needs_an_inspection_in_rectification_or_later(world, set_today):
    office = world.users["office"]
    with pytest.raises(Refused) as refused:
        _round(world, kind=RoundKind.LOOKBACK, lookback_of=[world.inspection1])
    assert "尚处于“了解”阶段" in refused.value.message

    advance(world.inspection1, Stage.RECTIFYING, by=office, set_today=set_today)
    lookback = _round(world, kind=RoundKind.LOOKBACK, lookback_of=[world.inspection1])
    assert list(lookback.lookback_of.all()) == [world.inspection1]

    with pytest.raises(Refused) as refused:  # another committee's inspection
        actions.create_round(
            committee=world.county_a,
            number=1,
            name="东安县第一轮巡察“回头看”",
            kind=RoundKind.LOOKBACK,
            planned_start=D(2027, 3, 1),
            planned_end=D(2027, 4, 1),
            lookback_of=[world.inspection1],
            by=world.users["county_office"],
        )
    assert refused.value.field == "lookback_of"


def test_only_the_committees_office_creates_rounds(world):
    for persona in ("county_office", "leader", "t1_leader"):
        with pytest.raises(NotAllowed):
            _round(world, by=world.users[persona])


# Teams and 回避 ----------------------------------------------------------------------------------------


def test_create_team_refuses_a_duplicate_name(world):
    team = actions.create_team(round=world.round, name="第三巡察组", by=world.users["office"])
    assert team.round == world.round
    with pytest.raises(Refused) as refused:
        actions.create_team(round=world.round, name="第三巡察组", by=world.users["office"])
    assert refused.value.field == "name"


def test_conflicted_inspector_is_refused_with_the_reason(world):
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team1,
            inspector=world.inspector_conflicted,
            role=TeamRole.MEMBER,
            by=world.users["office"],
        )
    assert refused.value.field == "inspector"
    assert "孙立须回避" in refused.value.message
    assert "工作单位“市财政局国库支付中心”与被巡察单位“市财政局”存在隶属关系" in refused.value.message
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()


def test_blank_override_reason_is_no_override(world):
    with pytest.raises(Refused):
        actions.add_team_member(
            team=world.team1,
            inspector=world.inspector_conflicted,
            role=TeamRole.MEMBER,
            override_reason="   ",
            by=world.users["office"],
        )


def test_office_override_is_recorded_and_audited(world):
    office = world.users["office"]
    member = actions.add_team_member(
        team=world.team1,
        inspector=world.inspector_conflicted,
        role=TeamRole.MEMBER,
        override_reason="财务审计专业人员不足，且其不参与该中心相关事项",
        by=office,
    )
    assert member.conflict_reasons and "市财政局国库支付中心" in member.conflict_reasons[0]
    assert member.override_reason.startswith("财务审计专业人员不足")
    assert member.overridden_by == office
    event = _last_event("team.conflict_overridden")
    assert event.object_id == str(member.pk)
    assert event.actor == office
    assert event.details == {"reasons": member.conflict_reasons, "override_reason": member.override_reason}
    assert _last_event("team.member_added").seq == event.seq - 1


@pytest.mark.parametrize("role", [TeamRole.LEADER, TeamRole.DEPUTY])
def test_a_team_leader_cannot_be_overridden_into_a_conflict(world, role):
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team2 if role == TeamRole.LEADER else world.team1,
            inspector=new_inspector(world.city, "钱明", home_unit=world.unit2)
            if role == TeamRole.LEADER
            else world.inspector_conflicted,
            role=role,
            override_reason="确需由其带队",
            by=world.users["office"],
        )
    assert refused.value.field == "role"
    assert "不能担任" in refused.value.message


def test_a_team_leader_cannot_form_or_override(world):
    with pytest.raises(NotAllowed):
        actions.add_team_member(
            team=world.team1,
            inspector=world.inspector_conflicted,
            role=TeamRole.MEMBER,
            override_reason="组长认为无碍",
            by=world.users["t1_leader"],
        )
    assert not TeamMember.objects.filter(inspector=world.inspector_conflicted).exists()


def test_membership_grants_and_removal_revokes_the_scoped_role(world):
    office = world.users["office"]
    user = User.objects.create_user(username="new_member")
    inspector = new_inspector(world.city, "冯丽", user=user)
    member = actions.add_team_member(team=world.team2, inspector=inspector, role=TeamRole.LIAISON, by=office)
    assert RoleAssignment.objects.get(user=user, scope_type=ScopeType.TEAM, scope_id=world.team2.pk).active
    assert list(Inspection.objects.visible_to(User.objects.get(pk=user.pk))) == [world.inspection2]

    actions.remove_team_member(member, by=office)
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    assert not Inspection.objects.visible_to(User.objects.get(pk=user.pk)).exists()
    assert _last_event("team.member_removed").details["inspector"] == inspector.pk


def test_leader_grants_the_team_leader_role(world, team2_ready):
    user = User.objects.get(username="t2_leader")
    assert user.scopes.has(Role.TEAM_LEADER, world.team2.pk)


def test_one_leader_per_team_and_no_duplicates(world):
    office = world.users["office"]
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team1, inspector=new_inspector(world.city, "褚强"), role=TeamRole.LEADER, by=office
        )
    assert "只设一名组长" in refused.value.message
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team1, inspector=world.inspector_t1_member, role="member", by=office
        )
    assert "已是本组成员" in refused.value.message


def test_inspectors_of_another_committee_are_refused(world):
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team2,
            inspector=new_inspector(world.county_a, "卫东"),
            role=TeamRole.MEMBER,
            by=world.users["office"],
        )
    assert refused.value.field == "inspector"


def test_members_cannot_be_removed_once_stationed(world):
    member = TeamMember.objects.get(team=world.team1, inspector=world.inspector_t1_member)
    with pytest.raises(Refused) as refused:
        actions.remove_team_member(member, by=world.users["office"])
    assert "已进驻" in refused.value.message
    assert TeamMember.objects.filter(pk=member.pk).exists()


# Inspections ------------------------------------------------------------------------------------------


def test_create_inspection_is_due_at_the_rounds_planned_start(world):
    inspection = actions.create_inspection(
        round=world.round, team=world.team2, unit=world.unit3, by=world.users["office"]
    )
    assert inspection.stage == Stage.PREPARING
    assert inspection.stage_due_on == world.round.planned_start
    assert _last_event("inspection.created").object_id == str(inspection.pk)


def test_one_inspection_per_unit_per_round_and_units_of_the_committee(world):
    office = world.users["office"]
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=world.round, team=world.team2, unit=world.unit1, by=office)
    assert refused.value.field == "unit"
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=world.round, team=world.team2, unit=world.county_unit, by=office)
    assert refused.value.field == "unit"
    other_round = _round(world)
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=other_round, team=world.team2, unit=world.unit3, by=office)
    assert refused.value.field == "team"


def test_adding_an_inspection_runs_the_conflict_check_for_every_member(world):
    office = world.users["office"]
    round2 = _round(world)
    team = actions.create_team(round=round2, name="第一巡察组", by=office)
    actions.add_team_member(team=team, inspector=world.inspector_conflicted, role=TeamRole.MEMBER, by=office)
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=round2, team=team, unit=world.unit1, by=office)
    assert refused.value.field == "team"
    assert "孙立（工作单位“市财政局国库支付中心”" in refused.value.message
    assert not round2.inspections.exists()
    # A unit the member has nothing to do with is fine.
    assert actions.create_inspection(round=round2, team=team, unit=world.unit2, by=office).unit == world.unit2


def test_an_override_covers_only_the_reasons_it_was_given_for(world):
    office = world.users["office"]
    actions.add_team_member(
        team=world.team1,
        inspector=world.inspector_conflicted,
        role=TeamRole.MEMBER,
        override_reason="专业所需",
        by=office,
    )
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=world.round, team=world.team1, unit=world.unit1_child, by=office)
    assert "孙立" in refused.value.message


def test_an_archived_inspections_team_is_read_only(world, team2_ready, set_today):
    office = world.users["office"]
    actions.add_team_member(
        team=world.team2, inspector=new_inspector(world.city, "蒋平"), role=TeamRole.MEMBER, by=office
    )
    advance(world.inspection2, Stage.ARCHIVED, by=office, set_today=set_today)
    with pytest.raises(Refused) as refused:
        actions.add_team_member(
            team=world.team2, inspector=new_inspector(world.city, "沈阳"), role=TeamRole.MEMBER, by=office
        )
    assert "已归档" in refused.value.message
    with pytest.raises(Refused):
        actions.create_inspection(round=world.round, team=world.team2, unit=world.unit3, by=office)
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection2, to=Stage.REVIEWING, by=office)
    assert "已归档" in refused.value.message
    with pytest.raises(Refused):
        actions.set_fieldwork_end(world.inspection2, ends_on=D(2099, 1, 1), reason="延长", by=office)


def test_a_lookback_inspection_is_only_of_a_unit_of_the_inspections_looked_back_on(world, set_today):
    office = world.users["office"]
    advance(world.inspection1, Stage.RECTIFYING, by=office, set_today=set_today)
    lookback = _round(world, kind=RoundKind.LOOKBACK, lookback_of=[world.inspection1])
    team = actions.create_team(round=lookback, name="回头看第一组", by=office)
    with pytest.raises(Refused) as refused:
        actions.create_inspection(round=lookback, team=team, unit=world.unit2, by=office)
    assert refused.value.field == "unit" and "回头看" in refused.value.message
    inspection = actions.create_inspection(round=lookback, team=team, unit=world.unit1, by=office)
    assert inspection.unit == world.unit1
