"""Shared test fixtures: a small world with every persona of architecture.md.

``world`` builds, in one audited scope, one city committee with two counties, three city units with a
roster, two departments, an inspector pool, a round with two teams and their inspections, and one
user per persona holding exactly the scoped roles that persona has in the demo. Tests ask for objects
that *exist* in another scope, never for ids that do not exist (lessons.md §2).
"""

import datetime
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.models import RoleAssignment, User
from xuncha.orgs.choices import CommitteeLevel, DepartmentKind, PostCategory, UnitType
from xuncha.orgs.models import Committee, CommitteeSettings, Department, Inspector, Person, Unit
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, Team, TeamMember
from xuncha.rounds.tests.plan_support import approve_plan_for_tests

PASSWORD = "Xuncha-test-2026"

PERSONAS = (
    "office",
    "leader",
    "t1_leader",
    "t1_member",
    "t2_member",
    "liaison1",
    "jiwei",
    "zuzhibu",
    "custodian",
    "auditor",
    "sysadmin",
    "county_office",
    "outsider",
)


def _save(obj: Any) -> Any:
    obj.save()
    return obj


def _user(username: str, full_name: str) -> User:
    user = User(username=username, full_name=full_name)
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
    return user


def login_verified(client: Client, user: User) -> Client:
    """Log ``client`` in as ``user`` with a verified TOTP device, as after a full two-factor login."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def _grant(user: User, role: str, scope: Any) -> None:
    RoleAssignment.objects.create(user=user, role=role, scope_type=ROLE_SCOPE[role], scope_id=scope.pk)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    today = timezone.localdate()
    with action_scope("test.world"):
        w.city = _save(Committee(name="江东市委", short_name="市委", level=CommitteeLevel.CITY))
        w.county_a = _save(Committee(name="江东市东安县委", level=CommitteeLevel.COUNTY, parent=w.city))
        w.county_b = _save(Committee(name="江东市西平县委", level=CommitteeLevel.COUNTY, parent=w.city))
        for committee in (w.city, w.county_a, w.county_b):
            _save(CommitteeSettings(committee=committee))

        w.unit1 = _save(Unit(committee=w.city, name="市财政局", unit_type=UnitType.ORGAN))
        w.unit1_child = _save(
            Unit(
                committee=w.city, name="市财政局国库支付中心", unit_type=UnitType.INSTITUTION, parent=w.unit1
            )
        )
        w.unit2 = _save(Unit(committee=w.city, name="市交通运输局", unit_type=UnitType.ORGAN))
        w.unit3 = _save(Unit(committee=w.city, name="市城市建设投资集团", unit_type=UnitType.SOE))
        w.county_unit = _save(Unit(committee=w.county_a, name="东安县农业农村局", unit_type=UnitType.ORGAN))

        w.principal1 = _save(
            Person(unit=w.unit1, name="张建国", post="党组书记、局长", category=PostCategory.PRINCIPAL)
        )
        w.deputy1 = _save(
            Person(unit=w.unit1, name="李文华", post="副局长", category=PostCategory.LEADERSHIP)
        )
        w.keypost1 = _save(
            Person(unit=w.unit1, name="王海燕", post="会计科科长", category=PostCategory.KEY_POST)
        )
        w.principal2 = _save(
            Person(unit=w.unit2, name="陈志强", post="党组书记、局长", category=PostCategory.PRINCIPAL)
        )

        w.jiwei_dept = _save(Department(committee=w.city, name="市纪委监委", kind=DepartmentKind.JIWEI))
        w.zuzhibu_dept = _save(Department(committee=w.city, name="市委组织部", kind=DepartmentKind.ZUZHIBU))

        w.users = {name: _user(name, name) for name in PERSONAS}
        w.inspector_t1_leader = _save(
            Inspector(committee=w.city, name="刘振华", user=w.users["t1_leader"], home_unit=w.unit3)
        )
        w.inspector_t1_member = _save(Inspector(committee=w.city, name="周敏", user=w.users["t1_member"]))
        w.inspector_t2_member = _save(Inspector(committee=w.city, name="吴涛", user=w.users["t2_member"]))
        w.inspector_conflicted = _save(Inspector(committee=w.city, name="孙立", home_unit=w.unit1_child))

        w.round = _save(
            Round(
                committee=w.city,
                number=1,
                name="市委第一轮巡察",
                kind=RoundKind.ROUTINE,
                planned_start=today - datetime.timedelta(days=20),
                planned_end=today + datetime.timedelta(days=70),
            )
        )
        w.team1 = _save(Team(round=w.round, name="第一巡察组"))
        w.team2 = _save(Team(round=w.round, name="第二巡察组"))
        _save(TeamMember(team=w.team1, inspector=w.inspector_t1_leader, role=TeamRole.LEADER))
        _save(TeamMember(team=w.team1, inspector=w.inspector_t1_member, role=TeamRole.MEMBER))
        _save(TeamMember(team=w.team2, inspector=w.inspector_t2_member, role=TeamRole.MEMBER))
        w.inspection1 = _save(
            Inspection(
                round=w.round,
                team=w.team1,
                unit=w.unit1,
                stage=Stage.FIELDWORK,
                stationed_on=today - datetime.timedelta(days=10),
                fieldwork_ends_on=today + datetime.timedelta(days=50),
                stage_due_on=today + datetime.timedelta(days=50),
            )
        )
        w.inspection2 = _save(Inspection(round=w.round, team=w.team2, unit=w.unit2, stage=Stage.PREPARING))

        u = w.users
        _grant(u["office"], Role.OFFICE, w.city)
        _grant(u["leader"], Role.LEADING_GROUP, w.city)
        _grant(u["t1_leader"], Role.TEAM_LEADER, w.team1)
        _grant(u["t1_member"], Role.TEAM_MEMBER, w.team1)
        _grant(u["t2_member"], Role.TEAM_MEMBER, w.team2)
        _grant(u["liaison1"], Role.UNIT_LIAISON, w.unit1)
        _grant(u["jiwei"], Role.RECEIVER, w.jiwei_dept)
        _grant(u["zuzhibu"], Role.RECEIVER, w.zuzhibu_dept)
        _grant(u["custodian"], Role.CUSTODIAN, w.city)
        _grant(u["auditor"], Role.AUDITOR, w.city)
        _grant(u["sysadmin"], Role.SYSADMIN, w.city)
        _grant(u["county_office"], Role.OFFICE, w.county_a)
        approve_plan_for_tests(w.round)  # its teams may be stationed (plan approved, members ready)
        w.audit_seq = record("test.world", None, by=None, committee_id=w.city.pk).seq
    return w


@pytest.fixture(scope="session")
def _audit_anchor_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh path per test under one directory of the session (the folder is made only when a test
    anchors): not ``tmp_path``, whose directory and symbolic link per test cost more than the 25,000
    matrix cases need."""
    root = tmp_path_factory.mktemp("audit-anchors")
    return (root / str(n) / "audit-anchor.jsonl" for n in itertools.count())


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings: Any, _audit_anchor_files: Iterator[Path]) -> None:
    """Each test anchors the audit chain (the daily job does) in its own file, never in var/."""
    settings.XUNCHA_AUDIT_ANCHOR_FILE = next(_audit_anchor_files)


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    return build_world()


@pytest.fixture
def client_for(world: SimpleNamespace) -> Callable[[str], Client]:
    """A logged-in (and TOTP-verified) test client for a persona: ``client_for("t1_member")``."""

    def make(persona: str) -> Client:
        client = Client()
        return client if persona == "anonymous" else login_verified(client, world.users[persona])

    return make
