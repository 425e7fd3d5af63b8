"""The inspection stage machine: the table, its guards and what each move records."""

import datetime
import itertools

import pytest

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.rounds import actions, archive, checks
from xuncha.rounds.choices import STAGE_ORDER, TRANSITIONS, Stage
from xuncha.rounds.models import StageChange
from xuncha.rounds.stages import move_refusal

from .conftest import advance, declare_relative

D = datetime.date


def test_the_table_is_one_step_forward_through_every_stage():
    assert [(a, b) for a, (b, _roles) in TRANSITIONS.items()] == list(itertools.pairwise(STAGE_ORDER))


@pytest.mark.parametrize(("current", "to"), list(itertools.product(STAGE_ORDER, STAGE_ORDER)))
def test_only_the_next_stage_is_a_move(current, to):
    refusal = move_refusal(current, to)
    here, there = STAGE_ORDER.index(current), STAGE_ORDER.index(to)
    if current != Stage.ARCHIVED and there == here + 1:
        assert refusal is None
    elif current == Stage.ARCHIVED:
        assert refusal == "巡察已归档，只能查阅，不能再变更阶段。"
    elif there > here + 1:
        skipped = "、".join(str(Stage(s).label) for s in STAGE_ORDER[here + 1 : there])
        assert refusal.endswith(f"直接进入“{Stage(to).label}”，须依次经过：{skipped}")
    elif there < here:
        assert "退回" in refusal
    else:
        assert "已处于" in refusal


def test_unknown_stage_is_refused(world):
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection1, to="finished", by=world.users["office"])
    assert refused.value.field == "to"


def test_every_allowed_move_by_its_roles(world, team2_ready, set_today):
    """inspection2 from 准备 to 归档: the team leader makes the first three moves, the office the rest."""
    inspection = world.inspection2
    t2_leader, office = world.users["t2_leader"], world.users["office"]
    start = D(2027, 3, 1)
    set_today(start)
    movers = {
        Stage.STATIONED: t2_leader,
        Stage.FIELDWORK: t2_leader,
        Stage.REPORTING: t2_leader,
        Stage.FEEDBACK: office,
        Stage.RECTIFYING: office,
        Stage.REVIEWING: office,
        Stage.ARCHIVED: office,
    }
    for to, mover in movers.items():
        if to == Stage.REPORTING:
            set_today(inspection.fieldwork_ends_on)
        before = inspection.stage
        moved = actions.transition_inspection(inspection, to=to, by=mover, note=f"进入{to}")
        assert moved.stage == to
        change = StageChange.objects.filter(inspection=inspection).latest("at")
        assert (change.from_stage, change.to_stage, change.by, change.note) == (
            before,
            to,
            mover,
            f"进入{to}",
        )
        event = AuditEvent.objects.filter(action="inspection.transitioned").order_by("-seq").first()
        assert event.details["from"] == before and event.details["to"] == to
        assert event.actor == mover
    assert inspection.stationed_on == start
    assert inspection.fieldwork_ends_on == start + datetime.timedelta(days=60)
    assert inspection.feedback_on == inspection.fieldwork_ends_on
    assert inspection.stage_due_on is None
    assert inspection.stage_changes.count() == len(movers)


def test_skipping_a_stage_is_refused_with_the_stages_in_between(world):
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection2, to=Stage.FIELDWORK, by=world.users["office"])
    assert refused.value.message == "不能从“准备”直接进入“了解”，须依次经过：进驻"
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection1, to=Stage.ARCHIVED, by=world.users["office"])
    assert refused.value.message.endswith("须依次经过：报告、反馈、整改、评估回访")
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.FIELDWORK
    assert not StageChange.objects.exists()


def test_going_backwards_is_refused(world):
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection1, to=Stage.STATIONED, by=world.users["office"])
    assert refused.value.message.startswith("不能从“了解”退回“进驻”")


@pytest.mark.parametrize(
    "persona", ["t1_member", "liaison1", "leader", "t2_member", "county_office", "sysadmin"]
)
def test_wrong_role_is_refused(world, set_today, persona):
    set_today(world.inspection1.fieldwork_ends_on)
    with pytest.raises(NotAllowed) as refused:
        actions.transition_inspection(world.inspection1, to=Stage.REPORTING, by=world.users[persona])
    assert "只有巡察办、巡察组组长可以" in refused.value.message


def test_team_leader_cannot_make_the_offices_moves(world, set_today):
    set_today(world.inspection1.fieldwork_ends_on)
    actions.transition_inspection(world.inspection1, to=Stage.REPORTING, by=world.users["t1_leader"])
    with pytest.raises(NotAllowed):
        actions.transition_inspection(world.inspection1, to=Stage.FEEDBACK, by=world.users["t1_leader"])


def test_stationing_needs_a_leader_and_two_members(world):
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection2, to=Stage.STATIONED, by=world.users["office"])
    assert refused.value.message == "巡察组须有组长且至少两名成员，方可进驻。"


def test_stationing_is_refused_while_a_conflict_is_unresolved(world, team2_ready):
    declare_relative(world.inspector_t2_member, world.unit2)  # declared after the team was formed
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection2, to=Stage.STATIONED, by=world.users["office"])
    assert "吴涛（申报的亲属（配偶）在“市交通运输局”任职）" in refused.value.message


def test_no_reporting_before_the_end_of_fieldwork(world, set_today):
    ends_on = world.inspection1.fieldwork_ends_on
    set_today(ends_on - datetime.timedelta(days=1))
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection1, to=Stage.REPORTING, by=world.users["office"])
    date = f"{ends_on.year}年{ends_on.month}月{ends_on.day}日"
    assert refused.value.message.startswith(f"了解阶段至 {date}结束，尚不能进入报告阶段")
    set_today(ends_on)
    assert actions.transition_inspection(world.inspection1, to=Stage.REPORTING, by=world.users["office"])


def test_archiving_is_refused_while_registered_checks_list_open_items(world, set_today, monkeypatch):
    open_items = ["信访件 XF-001 尚未办结", "问题线索 XS-002 尚未报告处置结果"]
    monkeypatch.setattr(checks, "_checks", {})
    archive.register_archive_check(
        lambda inspection: list(open_items) if inspection == world.inspection1 else []
    )
    office = world.users["office"]
    advance(world.inspection1, Stage.REVIEWING, by=office, set_today=set_today)
    with pytest.raises(Refused) as refused:
        actions.transition_inspection(world.inspection1, to=Stage.ARCHIVED, by=office)
    for item in open_items:
        assert item in refused.value.message
    world.inspection1.refresh_from_db()
    assert world.inspection1.stage == Stage.REVIEWING

    open_items.clear()
    actions.transition_inspection(world.inspection1, to=Stage.ARCHIVED, by=office)
    assert world.inspection1.stage == Stage.ARCHIVED
    assert world.inspection1.is_read_only


def test_the_system_may_move_an_inspection(world, set_today):
    set_today(world.inspection1.fieldwork_ends_on)
    actions.transition_inspection(world.inspection1, to=Stage.REPORTING, by=None)
    assert StageChange.objects.get(inspection=world.inspection1).by is None
