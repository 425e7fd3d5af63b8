"""`xuncha demo-data` on an empty database: every persona with its scoped roles, built through the
actions (the audit chain verifies), refusing to duplicate; one demo shared by the module's tests."""

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role
from xuncha.core.models import AuditEvent, User
from xuncha.demo import data
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Team, TeamMember

pytestmark = pytest.mark.django_db

# Persona → the (role, scope name) pairs it must hold, as in docs/architecture.md.
EXPECTED_ROLES = {
    "office": {(Role.OFFICE, data.CITY)},
    "leader": {(Role.LEADING_GROUP, data.CITY)},
    "t1_leader": {(Role.TEAM_LEADER, "第一巡察组")},
    "t1_member": {(Role.TEAM_MEMBER, "第一巡察组")},
    "t2_member": {(Role.TEAM_MEMBER, "第二巡察组"), (Role.TEAM_MEMBER, "回头看巡察组")},
    "liaison1": {(Role.UNIT_LIAISON, "市财政局"), (Role.UNIT_LIAISON, "市发展和改革委员会")},
    "jiwei": {(Role.RECEIVER, "市纪委监委")},
    "zuzhibu": {(Role.RECEIVER, "市委组织部")},
    "custodian": {(Role.CUSTODIAN, data.CITY)},
    "auditor": {(Role.AUDITOR, data.CITY)},
    "sysadmin": {(Role.SYSADMIN, data.CITY)},
    "county_office": {(Role.OFFICE, data.COUNTY_A)},
}


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo, loaded once for the module in a transaction rolled back at its end; each test runs in a
    savepoint of it (pytest-django's ``db``). The tests on an empty database are in test_gen_data.py."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run("demo-data")
        transaction.set_rollback(True)


def _scope_name(role: str, scope_id: int) -> str:
    model = {
        Role.TEAM_LEADER: Team,
        Role.TEAM_MEMBER: Team,
        Role.UNIT_LIAISON: Unit,
        Role.RECEIVER: Department,
    }.get(role, Committee)
    return str(model.objects.get(pk=scope_id).name)


def test_every_persona_exists_with_its_scoped_roles_and_the_password_is_printed(demo: str) -> None:
    assert data.PASSWORD in demo
    for username, expected in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.check_password(data.PASSWORD)
        held = {(a.role, _scope_name(a.role, a.scope_id)) for a in user.role_assignments.filter(active=True)}
        assert held == expected, username
        assert username in demo


def test_team_roles_belong_to_this_year_s_rounds(demo: str) -> None:
    """The second routine round; t2_member also sits on the look-back round's team (round 3)."""
    expected = {"t1_leader": {2}, "t1_member": {2}, "t2_member": {2, 3}}
    for username, numbers in expected.items():
        team_ids = User.objects.get(username=username).scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
        assert {i.round.number for i in Inspection.objects.filter(team_id__in=team_ids)} == numbers


def test_scopes_of_the_personas(demo: str) -> None:
    users = {u.username: u for u in User.objects.all()}
    team1 = Inspection.objects.filter(
        round__number=2, team__name="第一巡察组", round__committee__name=data.CITY
    )
    assert team1.exists()  # the objects exist, in another scope
    t2_visible = Inspection.objects.visible_to(users["t2_member"])
    assert {i.team.name for i in t2_visible} == {"第二巡察组", "回头看巡察组"}
    assert not t2_visible.filter(pk__in=team1).exists()
    # liaison1's two units: this year's finance bureau (了解) and last year's commission (整改), nothing else.
    liaison_sees = {(i.unit.name, i.round.number) for i in Inspection.objects.visible_to(users["liaison1"])}
    assert liaison_sees == {("市财政局", 2), ("市发展和改革委员会", 1)}
    assert {u.name for u in Unit.objects.visible_to(users["liaison1"])} == {"市财政局", "市发展和改革委员会"}
    for persona in ("sysadmin", "auditor", "custodian", "jiwei", "zuzhibu"):
        assert not Inspection.objects.visible_to(users[persona]).exists(), persona
    city_inspections = Inspection.objects.filter(round__committee__name=data.CITY)
    assert set(Inspection.objects.visible_to(users["office"])) == set(city_inspections)
    county = Inspection.objects.visible_to(users["county_office"])
    assert {i.round.committee.name for i in county} == {data.COUNTY_A}


def test_the_rounds_are_in_the_stages_the_readme_promises(demo: str) -> None:
    city = Inspection.objects.filter(round__committee__name=data.CITY)
    assert {i.stage for i in city.filter(round__number=1)} == {Stage.RECTIFYING}
    assert {i.stage for i in city.filter(round__number=2, team__name__in=["第一巡察组", "第二巡察组"])} == {
        Stage.FIELDWORK
    }
    assert Inspection.objects.overdue().filter(round__committee__name=data.CITY).exists()
    assert Unit.objects.count() >= 20


def test_everything_went_through_the_actions(demo: str) -> None:
    result = verify_chain()
    assert result.ok, result.reason
    assert result.checked == AuditEvent.objects.count() > 300
    recorded = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"core.user", "core.roleassignment", "orgs.unit", "orgs.person", "rounds.inspection"} <= recorded
    # The 回避 override is a recorded decision with its reason.
    overridden = TeamMember.objects.exclude(override_reason="")
    assert overridden.count() == 1
    assert overridden.get().conflict_reasons
    member_events = AuditEvent.objects.filter(
        object_type="rounds.teammember", object_id=str(overridden.get().pk)
    )
    assert any(e.details.get("override_reason") for e in member_events)


def test_a_second_run_does_not_duplicate(demo: str) -> None:
    counts = (
        User.objects.count(),
        Unit.objects.count(),
        Inspection.objects.count(),
        AuditEvent.objects.count(),
    )
    again = run("demo-data")
    assert "已经载入" in again
    assert data.PASSWORD in again
    assert counts == (
        User.objects.count(),
        Unit.objects.count(),
        Inspection.objects.count(),
        AuditEvent.objects.count(),
    )


@override_settings(XUNCHA_DEMO=True)
def test_each_persona_logs_in_and_lands_on_a_chinese_home_page(demo: str) -> None:
    for username in EXPECTED_ROLES:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": data.PASSWORD}, follow=True
        )
        assert response.status_code == 200, username
        assert response.redirect_chain[-1][0] == "/", username
        assert 'lang="zh-Hans"' in response.content.decode()
        me = client.get("/api/v1/me").json()
        assert {(r["role"]) for r in me["roles"]} == {role for role, _ in EXPECTED_ROLES[username]}


@override_settings(XUNCHA_DEMO=True)
def test_the_first_teams_inspection_is_404_outside_its_scope_in_the_ui_and_the_api(demo: str) -> None:
    inspection = Inspection.objects.get(
        round__committee__name=data.CITY, round__number=2, team__name="第一巡察组"
    )
    url = reverse("rounds:inspection-detail", args=[inspection.pk])
    expected = {"office": 200, "t1_member": 200, "liaison1": 200, "t2_member": 404, "sysadmin": 404}
    for username, status in expected.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == status, username
        assert client.get(f"/api/v1/inspections/{inspection.pk}").status_code == status, username


def test_the_office_appointed_two_liaisons_and_a_custodian_awaits_approval(demo: str) -> None:
    office = User.objects.get(username="office")
    for username, unit in (("liaison2", "市住房和城乡建设局"), ("liaison3", "市教育局")):
        user = User.objects.get(username=username)
        assert user.must_change_password and user.check_password(data.PASSWORD)
        assert {u.name for u in Unit.objects.visible_to(user)} == {unit}
        assert AuditEvent.objects.get(action="user.created", object_id=str(user.pk)).actor == office
        assert username in demo
    assert {i.unit.name for i in Inspection.objects.visible_to(User.objects.get(username="liaison3"))} == {
        "市教育局"
    }
    custodian = User.objects.get(username="custodian2").role_assignments.get()
    assert (custodian.role, custodian.status(), custodian.granted_by) == (Role.CUSTODIAN, "pending", office)
