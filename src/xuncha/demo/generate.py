"""Synthetic data for benchmarks: `xuncha gen-data --scale N` adds N synthetic city committees.

Each step of the scale adds one committee with UNITS units, PEOPLE_PER_UNIT roster people, ROUNDS rounds
of TEAMS teams inspecting UNITS_PER_TEAM units each, with the inspections spread over the stages — all
through the actions, so the audit chain grows as it would in use. Two accounts per committee
(``genNNN_office`` and ``genNNN_member``, a member of the first team of every round) give the
benchmarks an office and a team member to measure; their passwords are random and never printed.
"""

import datetime
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xuncha.core import actions as accounts
from xuncha.core.choices import Role
from xuncha.core.models import RoleAssignment, User
from xuncha.findings import actions as findings
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.choices import RECEIVING_STAGES, Channel
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import CommitteeLevel, Expertise
from xuncha.orgs.models import Committee
from xuncha.reports import actions as reports
from xuncha.reports.choices import Decision, Recipient
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import STAGE_ORDER, RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from . import complaints, data
from .build import advance
from .plans import prepare_round
from .reports import hold_secretary_meeting

UNITS = 40
PEOPLE_PER_UNIT = 6
INSPECTORS = 12
ROUNDS = 4
TEAMS = 3
UNITS_PER_TEAM = 3
# How far the inspections of each round have gone: the oldest round is in 整改, the newest in 准备.
ROUND_STAGES = (Stage.RECTIFYING, Stage.REPORTING, Stage.FIELDWORK, Stage.PREPARING)
PREFIX = "样例市"


@dataclass
class StepCounts:
    units: int = 0
    people: int = 0
    rounds: int = 0
    inspections: int = 0


def next_index() -> int:
    return Committee.objects.filter(name__startswith=PREFIX).count() + 1


def generate_step(index: int, *, year: int) -> StepCounts:
    """One synthetic committee with its units, rosters, inspector pool, rounds and inspections."""
    counts = StepCounts()
    rng = data.name_maker(index)
    committee = orgs.create_committee(
        name=f"{PREFIX}{index:03d}委", short_name=f"样例{index:03d}", level=CommitteeLevel.CITY, by=None
    )
    office, member = (
        accounts.create_user(
            username=f"gen{index:03d}_{kind}", password=secrets.token_urlsafe(18), full_name=kind, by=None
        )
        for kind in ("office", "member")
    )
    accounts.grant_role(user=office, role=Role.OFFICE, scope_id=committee.pk, by=None)

    units = []
    for i in range(UNITS):
        spec = data.UNITS[i % len(data.UNITS)]
        suffix = f"（{i // len(data.UNITS) + 1}）" if i >= len(data.UNITS) else ""
        unit = orgs.create_unit(
            committee=committee, name=spec.name + suffix, unit_type=spec.unit_type, by=office
        )
        units.append(unit)
        for category, post in (*spec.posts, *data.ORGAN_KEY_POSTS)[:PEOPLE_PER_UNIT]:
            orgs.add_person(unit=unit, name=data.person_name(rng), post=post, category=category, by=office)
            counts.people += 1
    counts.units = len(units)
    for suffix, kind in data.DEPARTMENTS[:2]:
        orgs.create_department(committee=committee, name=f"样例{index:03d}{suffix}", kind=kind, by=office)

    expertise = list(Expertise.values)
    inspectors = [
        orgs.create_inspector(
            committee=committee,
            name=data.person_name(rng),
            expertise=[expertise[i % len(expertise)]],
            user=member if i == 0 else None,
            by=office,
        )
        for i in range(INSPECTORS)
    ]
    per_round = TEAMS * UNITS_PER_TEAM
    for r, stage in enumerate(ROUND_STAGES):
        year_of_round = year - ROUNDS + r + 1
        round_ = rounds.create_round(
            committee=committee,
            number=r + 1,
            name=f"{year_of_round}年{PREFIX}{index:03d}第{r + 1}轮巡察",
            kind=RoundKind.ROUTINE,
            planned_start=datetime.date(year_of_round, 3, 1),
            planned_end=datetime.date(year_of_round, 6, 30),
            by=office,
        )
        counts.rounds += 1
        round_inspections: list[Inspection] = []
        for t in range(TEAMS):
            team = rounds.create_team(round=round_, name=f"第{t + 1}巡察组", by=office)
            # Inspector 0 is the member account's: it sits in the first team of every round.
            members = [inspectors[1 + t * 3 + m] for m in range(3)] + ([inspectors[0]] if t == 0 else [])
            for m, inspector in enumerate(members):
                role = TeamRole.LEADER if m == 0 else TeamRole.MEMBER
                rounds.add_team_member(team=team, inspector=inspector, role=role, by=office)
            for u in range(UNITS_PER_TEAM):
                unit = units[(r * per_round + t * UNITS_PER_TEAM + u) % UNITS]
                round_inspections.append(
                    rounds.create_inspection(round=round_, team=team, unit=unit, by=office)
                )
                counts.inspections += 1
        # No leading-group account in a synthetic committee: the system records the plan's approval.
        prepare_round(round_, office=office, approver=None, secretary="市委书记")
        for inspection in round_inspections:
            advance(
                inspection,
                min(stage, Stage.REPORTING, key=STAGE_ORDER.index),
                by=office,
                reason_to_end_fieldwork="样例数据：了解阶段按计划结束。",
            )
        if STAGE_ORDER.index(stage) > STAGE_ORDER.index(Stage.REPORTING):
            _report_and_feed_back(round_inspections, stage, office=office)
    return counts


def _report_and_feed_back(inspections: list[Inspection], stage: str, *, office: User) -> None:
    """Past 报告 only with a final team report and the feedback delivered (rounds' stage checks): one
    signed-off finding per inspection, its report heard with the round's others, the feedback delivered."""
    today = timezone.localdate()
    focus, nature = (
        Category.objects.get(scheme__kind=kind, scheme__is_default=True, code=code)
        for kind, code in ((SchemeKind.FOCUS, "2.5"), (SchemeKind.NATURE, "2"))
    )
    reports_heard = []
    for inspection in inspections:
        finding = findings.draft_finding(
            inspection,
            data=findings.FindingInput(
                title="工程项目管理不规范",
                description="样例数据：部分项目未按规定程序审批。",
                focus=focus,
                basis_note="违反相关法规制度规定。",
                unit_responsible=True,
                persons=[],
                nature=nature,
                root_cause="responsibility",
            ),
            by=None,
        )
        findings.discuss_finding(finding, meeting_on=today, opinion="同意列入巡察报告。", by=None)
        findings.sign_off_finding(finding, by=None)
        report = reports.assemble_report(inspection, by=None)
        reports_heard.append(
            reports.HearingItem(reports.submit_report(report, by=None), Decision.APPROVED, "")
        )
    reports.record_hearing(
        inspections[0].round, held_on=today, attendees="领导小组成员", items=reports_heard, by=None
    )
    hold_secretary_meeting(inspections, held_on=today, chair="市委书记", by=None)
    for inspection in inspections:
        advance(inspection, Stage.FEEDBACK, by=office)
        feedback = reports.assemble_feedback(inspection, recipient=Recipient.UNIT, by=None)
        reports.deliver_feedback(
            feedback,
            meeting_on=today,
            place="被巡察单位会议室",
            attendees="被巡察党组织领导班子成员",
            delivered_by="巡察组组长",
            by=office,
        )
        advance(inspection, stage, by=office)


def generate(scale: int, *, year: int, progress: Callable[[int, StepCounts, float], None]) -> StepCounts:
    total = StepCounts()
    first = next_index()
    for step in range(scale):
        started = time.monotonic()
        counts = generate_step(first + step, year=year)
        for name in ("units", "people", "rounds", "inspections"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        progress(step + 1, counts, time.monotonic() - started)
    return total


PETITION_BATCH = 500  # petitions per transaction: one commit per batch keeps SQLite fast
DUPLICATE_SHARE = 0.1  # how many arrive again through another channel, retyped
MINUTES = 60 * 24 * 50  # received over the last fifty days


def generate_petitions(count: int, *, progress: Callable[[int], None]) -> int:
    """Add ``count`` petitions to the synthetic committees' inspections that are receiving petitions,
    through ``register_petition`` (so triage, duplicate detection, search indexing and the audit chain run
    as in use), entered by each committee's office account. Returns how many were added."""
    inspections = list(
        Inspection.objects.filter(
            round__committee__name__startswith=PREFIX, stage__in=RECEIVING_STAGES
        ).select_related("unit", "round")
    )
    if not inspections:
        return 0
    offices = {
        committee_id: User.objects.get(pk=user_id)
        for committee_id, user_id in RoleAssignment.objects.in_force()
        .filter(
            role=Role.OFFICE,
            scope_id__in={i.round.committee_id for i in inspections},
            user__username__startswith="gen",
        )
        .values_list("scope_id", "user_id")
    }
    people = {i.unit_id: list(i.unit.people.all()) for i in inspections}
    rng = data.name_maker(count)  # seeded: the same data every run
    channels = (Channel.LETTER, Channel.PHONE, Channel.VISIT, Channel.EMAIL)
    earlier: list[tuple[Inspection, str]] = []
    made = 0
    while made < count:
        with transaction.atomic():
            for _ in range(min(PETITION_BATCH, count - made)):
                if earlier and rng.random() < DUPLICATE_SHARE:
                    inspection, first = rng.choice(earlier)
                    text = complaints.retyped(first, rng)
                else:
                    inspection = rng.choice(inspections)
                    person = rng.choice(people[inspection.unit_id])
                    text = complaints.complaint(
                        rng,
                        unit=inspection.unit.name,
                        surname=person.name[0],
                        title=complaints.title_of(person.post),
                    ).text
                    earlier = [*earlier[-199:], (inspection, text)]
                channel = rng.choice(channels)
                register_petition(
                    inspection,
                    data=PetitionInput(
                        content=text,
                        channel=channel,
                        received_at=timezone.now()
                        - datetime.timedelta(minutes=rng.randint(10, 60 * 24 * 50)),
                        in_duty_hours=rng.random() < 0.8 if channel == Channel.PHONE else None,
                    ),
                    by=offices[inspection.round.committee_id],
                )
                made += 1
        progress(made)
    return made
