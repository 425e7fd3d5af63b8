"""Build the demo world through the actions of every app, so the audit chain holds its whole history.

The system (``by=None``) creates committees and accounts, as an installer would; the city's 巡察办 then
keeps the unit and inspector libraries, plans the rounds and moves the inspections, and the team leader
moves his own team's inspection, as they would in the product.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from xuncha.analytics import rollups
from xuncha.core import actions as accounts
from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Committee, Department, Inspector, Unit
from xuncha.rounds import actions as rounds
from xuncha.rounds import mobilisation
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, Team, Term

from . import data
from .archive import build_archived
from .data import CITY, COUNTY_A, COUNTY_B
from .fieldwork import build_fieldwork
from .findings import build_findings
from .history import build_history
from .intake import build_intake
from .lookback import build_lookback
from .notices import build_notices
from .plans import SECRETARIES, prepare_round
from .preparation import build_preparation
from .publication import build_publication
from .rectification import build_rectification
from .reports import build_reports
from .supervision import build_supervision
from .weekly import build_weekly

# Roles held on a committee, by persona (team and unit roles follow from the objects they belong to).
COMMITTEE_ROLES: dict[str, tuple[str, str]] = {
    "office": (Role.OFFICE, CITY),
    "leader": (Role.LEADING_GROUP, CITY),
    "custodian": (Role.CUSTODIAN, CITY),
    "auditor": (Role.AUDITOR, CITY),
    "sysadmin": (Role.SYSADMIN, CITY),
    "county_office": (Role.OFFICE, COUNTY_A),
}

# Notes the office writes when it moves an inspection on: what happened at that step.
STAGE_NOTES: dict[str, str] = {
    Stage.STATIONED: "召开巡察动员会，公布巡察组联系方式和受理时间。",
    Stage.FIELDWORK: "动员会后转入了解阶段：个别谈话、调阅资料、受理信访。",
    Stage.REPORTING: "了解阶段结束，形成巡察报告初稿，向巡察工作领导小组汇报。",
    Stage.FEEDBACK: "领导小组听取汇报、书记专题会研究后，向被巡察党组织反馈巡察意见。",
    Stage.RECTIFYING: "反馈意见已送达，被巡察党组织组织整改。",
}


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    departments: dict[tuple[str, str], Department] = field(default_factory=dict)
    inspectors: dict[str, Inspector] = field(default_factory=dict)
    inspections: dict[str, Inspection] = field(default_factory=dict)
    receipt: str = ""  # the receipt code of the demo's web petition, to try the public lookup


def demo_loaded() -> bool:
    return Committee.objects.filter(name=CITY).exists() or User.objects.filter(username="office").exists()


def database_empty() -> bool:
    return not (Committee.objects.exists() or User.objects.exists())


def build(today: datetime.date | None = None, *, history: bool = False) -> World:
    today = today or timezone.localdate()
    w = World()
    _committees_and_accounts(w)
    _units_and_rosters(w)
    _departments(w)
    _liaison_and_receivers(w)
    _appointments(w)
    _inspector_pool(w)
    term = _term(w, today)
    _round_one(w, term, today)
    _round_two(w, term, today)
    _county_round(w, today)
    w.receipt = build_intake(w)
    build_fieldwork(w)
    build_findings(w)
    build_reports(w)
    build_rectification(w)
    build_supervision(w)
    build_publication(w)
    build_lookback(w)
    build_preparation(w)
    build_weekly(w)
    build_notices(w)
    if history:  # three years of earlier rounds: `demo-data --history`
        build_history(w)
        build_archived(w)
    rollups.rebuild()  # the demo moves items' deadlines back with UPDATEs, which send no signals
    return w


def _committees_and_accounts(w: World) -> None:
    for name, short_name, level, parent, _ in data.COMMITTEES:
        w.committees[name] = orgs.create_committee(
            name=name, short_name=short_name, level=level, parent=w.committees.get(parent), by=None
        )
    for username, full_name, _ in data.PERSONAS:
        w.users[username] = accounts.create_user(
            username=username, password=data.PASSWORD, full_name=full_name, by=None
        )
    for username, (role, committee) in COMMITTEE_ROLES.items():
        accounts.grant_role(user=w.users[username], role=role, scope_id=w.committees[committee].pk, by=None)


def _office_of(w: World, committee: str) -> User:
    return w.users["county_office"] if committee == COUNTY_A else w.users["office"]


def _units_and_rosters(w: World) -> None:
    rng = data.name_maker(2026)
    for spec in data.UNITS:
        committee = w.committees[spec.committee]
        # 安平县 has no office account in the demo: its units are entered by the system.
        by = None if spec.committee == COUNTY_B else _office_of(w, spec.committee)
        unit = orgs.create_unit(
            committee=committee,
            name=spec.name,
            unit_type=spec.unit_type,
            party_org_kind=spec.party_org_kind,
            parent=w.units.get(spec.parent),
            by=by,
        )
        w.units[spec.key] = unit
        for category, post in spec.posts:
            orgs.add_person(unit=unit, name=data.person_name(rng), post=post, category=category, by=by)


def _departments(w: World) -> None:
    for name, _, _, _, prefix in data.COMMITTEES:
        by = None if name == COUNTY_B else _office_of(w, name)
        for suffix, kind in data.DEPARTMENTS:
            w.departments[(name, kind)] = orgs.create_department(
                committee=w.committees[name], name=f"{prefix}{suffix}", kind=kind, by=by
            )


def _liaison_and_receivers(w: World) -> None:
    grants = (
        ("liaison1", Role.UNIT_LIAISON, w.units["finance"].pk),
        # Also the liaison of 市发改委 (last year's round, in 整改): drafts its plan (demo/rectification.py).
        ("liaison1", Role.UNIT_LIAISON, w.units["ndrc"].pk),
        ("jiwei", Role.RECEIVER, w.departments[(CITY, DepartmentKind.JIWEI)].pk),
        ("zuzhibu", Role.RECEIVER, w.departments[(CITY, DepartmentKind.ZUZHIBU)].pk),
    )
    for username, role, scope_id in grants:
        accounts.grant_role(user=w.users[username], role=role, scope_id=scope_id, by=None)


def _appointments(w: World) -> None:
    """What the office does on its people and roles page: new accounts for the liaisons of two units (in
    force at once) and for a second custodian (waiting for the sysadmin's approval). The demo sets the
    published demo password in place of the one-time one; the first login still asks for a new one."""
    office = w.users["office"]
    for username, full_name, unit_key, _ in data.APPOINTED:
        done = orgs.appoint(
            role=Role.UNIT_LIAISON if unit_key else Role.CUSTODIAN,
            scope_id=w.units[unit_key].pk if unit_key else w.committees[CITY].pk,
            username=username,
            full_name=full_name,
            by=office,
        )
        w.users[username] = accounts.set_password(done.assignment.user, password=data.PASSWORD, by=None)


def _inspector_pool(w: World) -> None:
    office = w.users["office"]
    city = w.committees[CITY]
    for spec in data.INSPECTORS:
        inspector = orgs.create_inspector(
            committee=city,
            name=spec.name,
            home_unit=w.units.get(spec.home_unit),
            post=spec.post,
            expertise=spec.expertise,
            user=w.users.get(spec.user),
            by=office,
        )
        for unit_key, post, period in spec.former_posts:
            orgs.add_former_post(inspector, unit=w.units[unit_key], post=post, period=period, by=office)
        for name, relation, unit_key, post in spec.relatives:
            orgs.declare_relative(
                inspector, name=name, relation=relation, unit=w.units[unit_key], post=post, by=office
            )
        w.inspectors[spec.key] = inspector
    county = w.committees[COUNTY_A]
    for key, name, post in data.COUNTY_INSPECTORS:
        w.inspectors[key] = orgs.create_inspector(
            committee=county, name=name, post=post, expertise=["discipline"], by=w.users["county_office"]
        )


def _term(w: World, today: datetime.date) -> Term:
    city = w.committees[CITY]
    return rounds.create_term(
        committee=city,
        name="江州市委第十三届任期",
        starts_on=datetime.date(today.year - 3, 10, 1),
        ends_on=datetime.date(today.year + 2, 9, 30),
        units=[u for u in w.units.values() if u.committee_id == city.pk],
        by=w.users["office"],
    )


def _team(
    w: World,
    round_: Round,
    name: str,
    unit_key: str,
    members: tuple[tuple[str, str], ...],
    overrides: dict[str, str] | None = None,
    by: User | None = None,
) -> Inspection:
    """A team, its inspection of one unit, then its members (so the 回避 check sees the unit)."""
    by = by or w.users["office"]
    team: Team = rounds.create_team(round=round_, name=name, by=by)
    inspection = rounds.create_inspection(round=round_, team=team, unit=w.units[unit_key], by=by)
    for inspector_key, role in members:
        rounds.add_team_member(
            team=team,
            inspector=w.inspectors[inspector_key],
            role=role,
            override_reason=(overrides or {}).get(inspector_key, ""),
            by=by,
        )
    w.inspections[f"{round_.number}:{name}"] = inspection
    return inspection


def advance(
    inspection: Inspection, to: str, *, by: User | None, reason_to_end_fieldwork: str = ""
) -> Inspection:
    """Move ``inspection`` stage by stage up to ``to``; fieldwork ends early (with a reason) when needed."""
    order = list(Stage.values)
    while order.index(inspection.stage) < order.index(to):
        if inspection.stage == Stage.FIELDWORK and reason_to_end_fieldwork:
            inspection = rounds.set_fieldwork_end(
                inspection, ends_on=timezone.localdate(), reason=reason_to_end_fieldwork, by=by
            )
        next_stage = order[order.index(inspection.stage) + 1]
        inspection = rounds.transition_inspection(
            inspection, to=next_stage, note=STAGE_NOTES.get(next_stage, ""), by=by
        )
    return inspection


L, M = TeamRole.LEADER, TeamRole.MEMBER


def _round_one(w: World, term: Term, today: datetime.date) -> None:
    """Last year's routine round: every inspection has reached 整改."""
    office = w.users["office"]
    round_ = rounds.create_round(
        committee=w.committees[CITY],
        term=term,
        number=1,
        name=f"{today.year - 1}年市委第一轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=datetime.date(today.year - 1, 3, 1),
        planned_end=datetime.date(today.year - 1, 6, 30),
        by=office,
    )
    plan = (
        ("第一巡察组", "ndrc", (("i5", L), ("i8", M), ("i10", M))),
        ("第二巡察组", "ucic", (("i12", L), ("i9", M), ("i15", M))),
        ("第三巡察组", "education", (("i14", L), ("i11", M), ("i7", M))),
    )
    teams = [_team(w, round_, name, unit_key, members) for name, unit_key, members in plan]
    prepare_round(round_, office=office, approver=w.users["leader"], secretary=SECRETARIES["city"])
    for inspection in teams:
        # To 报告 here; demo/reports.py writes the reports and feedback and moves them on to 整改.
        advance(
            inspection,
            Stage.REPORTING,
            by=office,
            reason_to_end_fieldwork="演示数据：本轮了解阶段已按计划完成，补录结束日期。",
        )


def _round_two(w: World, term: Term, today: datetime.date) -> None:
    """This year's routine round: two teams in 了解; the third has not stationed yet and is overdue."""
    office = w.users["office"]
    round_ = rounds.create_round(
        committee=w.committees[CITY],
        term=term,
        number=2,
        name=f"{today.year}年市委第二轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=today - datetime.timedelta(days=30),
        planned_end=today + datetime.timedelta(days=90),
        by=office,
    )
    # 孙立新's sister works in the finance bureau's treasury centre: the office overrides with a reason.
    first = _team(
        w,
        round_,
        "第一巡察组",
        "finance",
        (("t1_leader", L), ("t1_member", M), ("conflicted", M)),
        overrides={
            "conflicted": "其妹在下属国库支付中心任一般科员，不涉及巡察重点事项；经巡察办研究不予回避，"
            "组内分工不参与国库支付中心的谈话和资料调阅。"
        },
    )
    second = _team(w, round_, "第二巡察组", "transport", (("i5", L), ("t2_member", M), ("i6", M)))
    # Planned to start 30 days ago and still preparing: overdue on the office's and the leader's pages.
    _team(w, round_, "第三巡察组", "market", (("i12", L), ("i8", M)))
    prepare_round(
        round_, office=office, approver=w.users["leader"], secretary=SECRETARIES["city"], returned_once=True
    )
    advance(first, Stage.FIELDWORK, by=w.users["t1_leader"])
    _mobilise(first, by=w.users["t1_leader"])
    advance(second, Stage.FIELDWORK, by=office)


def _mobilise(inspection: Inspection, *, by: User) -> None:
    """The mobilisation meeting held on the day the team stationed."""
    day = inspection.stationed_on or timezone.localdate()
    mobilisation.save_meeting(
        inspection,
        held_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone()),
        place=f"{inspection.unit.name}三楼会议室",
        chair=f"{inspection.unit.name}党组书记",
        attendees=mobilisation.default_attendees(inspection),
        agenda="\n".join(mobilisation.DEFAULT_AGENDA),
        notes="实到 86 人。巡察组组长作动员讲话，通报了巡察任务和联系方式；会后开展民主测评。",
        by=by,
    )


def _county_round(w: World, today: datetime.date) -> None:
    county_office = w.users["county_office"]
    round_ = rounds.create_round(
        committee=w.committees[COUNTY_A],
        number=1,
        name=f"{today.year}年清河县委第一轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=today - datetime.timedelta(days=5),
        planned_end=today + datetime.timedelta(days=85),
        by=county_office,
    )
    inspection = _team(w, round_, "第一巡察组", "liulin", (("qh1", L), ("qh2", M)), by=county_office)
    # 清河县 has no leading-group account in the demo: the system records its approval.
    prepare_round(round_, office=county_office, approver=None, secretary=SECRETARIES["county"])
    advance(inspection, Stage.STATIONED, by=county_office)
