"""Interview actions: the plan from the roster, scheduling rules, the liaison's answers, records encrypted."""

import datetime
import threading
from types import SimpleNamespace

import pytest
from django.db import connection, connections
from django.utils import timezone

from xuncha.conftest import build_world
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.fieldwork.actions import interviews as actions
from xuncha.fieldwork.choices import InterviewSource, InterviewStatus, ProblemKind
from xuncha.fieldwork.models import Interview, InterviewProblem, InterviewRecord, InterviewScan
from xuncha.orgs.actions import add_person
from xuncha.orgs.choices import PostCategory
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, Team, TeamMember

RECORD = "张建国谈到：2025年单位小金库问题由办公室主任经手。"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def slot(hours_from_now: float, length: float = 1.0) -> dict[str, datetime.datetime]:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours_from_now)
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=length)}


def pair(w: SimpleNamespace) -> list[object]:
    return [w.inspector_t1_leader, w.inspector_t1_member]


def schedule(w: SimpleNamespace, person: object, hours: float = 24, **extra: object) -> Interview:
    return actions.add_interview(
        w.inspection1,
        person=person,
        place="巡察组谈话室",
        inspectors=pair(w),
        topics="一、履行全面从严治党主体责任情况\n二、三重一大决策执行情况",
        by=w.users["t1_member"],
        **slot(hours),
        **extra,
    )


def test_plan_from_roster_takes_leadership_sub_unit_principals_and_key_posts_once(
    world: SimpleNamespace,
) -> None:
    sub_principal = add_person(
        unit=world.unit1_child, name="赵丽", post="主任", category=PostCategory.PRINCIPAL, by=None
    )
    add_person(unit=world.unit1_child, name="钱明", post="科员", category=PostCategory.OTHER, by=None)
    member = world.users["t1_member"]
    actions.generate_plan(world.inspection1, by=member)
    plan = list(world.inspection1.interviews.order_by("created_at"))
    assert [i.person for i in plan] == [world.principal1, world.deputy1, world.keypost1, sub_principal]
    assert all(i.source == InterviewSource.ROSTER and not i.is_scheduled for i in plan)
    assert plan[-1].post == "市财政局国库支付中心主任"
    actions.generate_plan(world.inspection1, by=member)
    assert world.inspection1.interviews.count() == 4
    event = AuditEvent.objects.filter(action="interview.plan_generated").latest("seq")
    assert event.details == {"added": 0, "skipped": 4}


def test_scheduling_needs_two_team_inspectors_and_refuses_double_booking(world: SimpleNamespace) -> None:
    member = world.users["t1_member"]
    common = {"place": "谈话室", "by": member, **slot(24)}
    with pytest.raises(Refused) as one:
        actions.add_interview(
            world.inspection1, person=world.deputy1, inspectors=[world.inspector_t1_member], **common
        )
    assert one.value.field == "inspectors" and "至少两名" in one.value.message
    with pytest.raises(Refused) as outsider:
        actions.add_interview(
            world.inspection1,
            person=world.deputy1,
            inspectors=[world.inspector_t1_member, world.inspector_t2_member],
            **common,
        )
    assert "吴涛不是本巡察组成员" in outsider.value.message
    schedule(world, world.principal1, hours=24)
    with pytest.raises(Refused) as busy:
        actions.add_interview(
            world.inspection1,
            person=world.deputy1,
            inspectors=pair(world),
            place="谈话室",
            by=member,
            **slot(24.5),
        )
    assert busy.value.field == "inspectors" and "时间冲突" in busy.value.message
    # Back to back is not an overlap.
    schedule(world, world.deputy1, hours=25)
    assert Interview.objects.count() == 2


def test_bad_slots_and_text_are_refused_and_nothing_is_saved(world: SimpleNamespace) -> None:
    member = world.users["t1_member"]
    start = timezone.now() + datetime.timedelta(days=1)
    cases = [
        ({"starts_at": start, "ends_at": start}, "ends_at"),
        ({"starts_at": start, "ends_at": start + datetime.timedelta(hours=9)}, "ends_at"),
        ({"starts_at": None, "ends_at": start}, "starts_at"),
    ]
    for times, field in cases:
        with pytest.raises(Refused) as refused:
            actions.add_interview(
                world.inspection1, name="老干部", place="谈话室", inspectors=pair(world), by=member, **times
            )
        assert refused.value.field == field
    with pytest.raises(Refused) as empty:
        actions.add_interview(
            world.inspection1, name="\u200b ", place="谈话室", inspectors=pair(world), by=member, **slot(5)
        )
    assert empty.value.field == "name"
    with pytest.raises(Refused) as long_place:
        actions.add_interview(
            world.inspection1, name="老干部", place="室" * 201, inspectors=pair(world), by=member, **slot(5)
        )
    assert long_place.value.field == "place"
    with pytest.raises(Refused) as other_unit:
        actions.add_interview(
            world.inspection1,
            person=world.principal2,
            place="谈话室",
            inspectors=pair(world),
            by=member,
            **slot(5),
        )
    assert other_unit.value.field == "person"
    assert not Interview.objects.exists()


def test_liaison_confirms_or_reports_a_conflict_and_a_new_slot_asks_again(world: SimpleNamespace) -> None:
    interview = schedule(world, world.principal1)
    liaison = world.users["liaison1"]
    actions.confirm_interview(interview, by=liaison)
    assert interview.status == InterviewStatus.CONFIRMED and interview.confirmed_by == liaison
    with pytest.raises(Refused):
        actions.confirm_interview(interview, by=liaison)
    with pytest.raises(NotAllowed):
        actions.confirm_interview(interview, by=world.users["t1_member"])
    actions.report_conflict(interview, note="当天参加省厅会议", by=liaison)
    assert interview.status == InterviewStatus.PLANNED and interview.conflict_note == "当天参加省厅会议"
    actions.confirm_interview(interview, by=liaison)
    actions.update_interview(
        interview,
        place="巡察组谈话室",
        inspectors=pair(world),
        topics=interview.topics,
        by=world.users["t1_member"],
        **slot(48),
    )
    assert interview.status == InterviewStatus.PLANNED and interview.confirmed_at is None


def test_record_is_encrypted_and_done_and_problems_and_scans_are_kept(world: SimpleNamespace) -> None:
    interview = schedule(world, world.principal1, hours=-2)
    member = world.users["t1_member"]
    actions.record_interview(interview, text=RECORD, by=member)
    assert interview.status == InterviewStatus.DONE
    record = InterviewRecord.objects.get(interview=interview)
    assert record.text == RECORD
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM fieldwork_interviewrecord")
        (raw,) = cursor.fetchone()
        cursor.execute("SELECT topics FROM fieldwork_interview")
        (raw_topics,) = cursor.fetchone()
    assert raw.startswith("x1:") and "小金库" not in raw and "张建国" not in raw
    assert raw_topics.startswith("x1:") and "三重一大" not in raw_topics
    event = AuditEvent.objects.get(action="interview.recorded")
    assert "小金库" not in str(event.details)
    actions.add_problem(interview, kind=ProblemKind.CLUE, text="办公室主任经手小金库", by=member)
    assert InterviewProblem.objects.get().text == "办公室主任经手小金库"
    actions.add_scans(interview, uploads=[Upload("记录.pdf", PDF)], by=member)
    scan = InterviewScan.objects.get()
    assert scan.read() == PDF and scan.filename == "记录.pdf" and scan.content_type == "application/pdf"
    with pytest.raises(Refused) as bad:
        actions.add_scans(interview, uploads=[Upload("a.exe", b"MZ\x90\x00\x03")], by=member)
    assert bad.value.field == "attachments"
    assert InterviewScan.objects.count() == 1


def test_a_future_or_cancelled_interview_cannot_be_recorded(world: SimpleNamespace) -> None:
    member = world.users["t1_member"]
    future = schedule(world, world.principal1, hours=24)
    with pytest.raises(Refused) as early:
        actions.record_interview(future, text=RECORD, by=member)
    assert "尚未进行" in early.value.message
    actions.cancel_interview(future, reason="本人病假", by=member)
    with pytest.raises(Refused):
        actions.record_interview(future, text=RECORD, by=member)
    with pytest.raises(Refused) as reason:
        actions.cancel_interview(schedule(world, world.deputy1), reason=" ", by=member)
    assert reason.value.field == "reason"
    assert not InterviewRecord.objects.exists()


def test_another_team_may_not_plan(world: SimpleNamespace) -> None:
    with pytest.raises(NotAllowed):
        actions.generate_plan(world.inspection1, by=world.users["t2_member"])
    with pytest.raises(NotAllowed):
        actions.generate_plan(world.inspection1, by=world.users["office"])


# Bookings across teams -------------------------------------------------------------------------------


def upgraded_team_on_unit1(w: SimpleNamespace) -> Inspection:
    """A city 提级 round whose team (t2_member, 孙立 and 周敏, also of team1) inspects unit1 while team1's
    routine inspection of it goes on."""
    today = timezone.localdate()
    with action_scope("test.upgraded_round"):
        round_ = Round.objects.create(
            committee=w.city,
            number=2,
            name="市委提级巡察",
            kind=RoundKind.UPGRADED,
            planned_start=today - datetime.timedelta(days=5),
            planned_end=today + datetime.timedelta(days=60),
        )
        team = Team.objects.create(round=round_, name="提级巡察组")
        for inspector in (w.inspector_t2_member, w.inspector_conflicted, w.inspector_t1_member):
            TeamMember.objects.create(team=team, inspector=inspector, role=TeamRole.MEMBER)
        RoleAssignment.objects.create(
            user=w.users["t2_member"],
            role=Role.TEAM_MEMBER,
            scope_type=ROLE_SCOPE[Role.TEAM_MEMBER],
            scope_id=team.pk,
        )
        inspection = Inspection.objects.create(round=round_, team=team, unit=w.unit1, stage=Stage.FIELDWORK)
        record("test.upgraded_round", None, by=None, committee_id=w.city.pk)
    w.users["t2_member"] = User.objects.get(pk=w.users["t2_member"].pk)  # its scopes loaded afresh
    return inspection


def book(w: SimpleNamespace, inspection: Inspection, person: object, inspectors: list[object]) -> Interview:
    planner = "t1_member" if inspection.pk == w.inspection1.pk else "t2_member"
    return actions.add_interview(
        inspection, person=person, place="谈话室", inspectors=inspectors, by=w.users[planner], **slot(24)
    )


def test_an_inspector_or_a_cadre_is_not_booked_twice_at_one_time_through_two_teams(
    world: SimpleNamespace,
) -> None:
    upgraded = upgraded_team_on_unit1(world)
    book(world, world.inspection1, world.principal1, pair(world))
    with pytest.raises(Refused, match=r"周敏在 .+ 已有其他谈话安排，时间冲突"):
        book(world, upgraded, world.deputy1, [world.inspector_t2_member, world.inspector_t1_member])
    with pytest.raises(Refused, match=f"{world.principal1.name}在该时段已有谈话安排"):
        book(world, upgraded, world.principal1, [world.inspector_t2_member, world.inspector_conflicted])
    assert Interview.objects.filter(inspection=upgraded).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared", ["inspector", "person"])
def test_two_teams_booking_one_inspector_or_one_cadre_at_once_get_one_booking(shared: str) -> None:
    w = build_world()
    upgraded = upgraded_team_on_unit1(w)
    if shared == "inspector":  # 周敏 on both teams, different cadres
        bookings = [
            (w.inspection1, w.principal1, pair(w)),
            (upgraded, w.deputy1, [w.inspector_t2_member, w.inspector_t1_member]),
        ]
    else:  # the same cadre, different inspectors
        bookings = [
            (w.inspection1, w.principal1, pair(w)),
            (upgraded, w.principal1, [w.inspector_t2_member, w.inspector_conflicted]),
        ]
    outcomes: list[str] = []
    start = threading.Barrier(len(bookings))

    def run(inspection: Inspection, person: object, inspectors: list[object]) -> None:
        try:
            start.wait()
            book(w, inspection, person, inspectors)
            outcomes.append("ok")
        except Refused as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=booking) for booking in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert Interview.objects.filter(starts_at__isnull=False).count() == 1
