"""The work plan (巡察工作方案) of a round: drafting, versions with their diff, submission, approval or return
with an opinion, the secretary's 审定, its official documents (the plan, each team's 授权决定, the 动员部署会
record), and the rule that a round's teams are stationed only under an approved plan with ready members."""

import datetime
import io
from types import SimpleNamespace

import docx
import pytest
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.rounds import actions, plan_documents, plans, readiness, round_meeting
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, WorkPlan
from xuncha.rounds.plan_choices import CommitmentKind, PlanStatus, VersionDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage_machine_only() -> None:
    """Here the registered transition checks apply (this overrides the conftest fixture that clears them)."""


@pytest.fixture
def fresh(world: SimpleNamespace) -> SimpleNamespace:
    """A second round of the city with one team (周敏 leads, 孙立 without an account is a member) inspecting
    the investment group; no plan, no training, no commitments yet."""
    office = world.users["office"]
    today = timezone.localdate()
    world.round2 = actions.create_round(
        committee=world.city,
        number=2,
        name="市委第二轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=today + datetime.timedelta(days=5),
        planned_end=today + datetime.timedelta(days=80),
        by=office,
    )
    world.team3 = actions.create_team(round=world.round2, name="第一巡察组", by=office)
    world.inspection3 = actions.create_inspection(
        round=world.round2, team=world.team3, unit=world.unit3, by=office
    )
    world.leader3 = actions.add_team_member(
        team=world.team3, inspector=world.inspector_t1_member, role=TeamRole.LEADER, by=office
    )
    world.member3 = actions.add_team_member(
        team=world.team3, inspector=world.inspector_conflicted, role=TeamRole.MEMBER, by=office
    )
    return world


def _draft(w: SimpleNamespace, **extra: object) -> WorkPlan:
    fields: dict[str, object] = {
        "stationing_on": w.round2.planned_start,
        "withdrawal_on": w.round2.planned_end,
        "division": plans.DEFAULT_DIVISION,
        "requirements": plans.DEFAULT_REQUIREMENTS,
        "tasks": {w.leader3.pk: "主持全面工作", w.member3.pk: "负责调阅财务资料"},
    }
    return plans.save_plan(w.round2, **(fields | extra), by=w.users["office"])  # type: ignore[arg-type]


def _approved(w: SimpleNamespace) -> WorkPlan:
    plan = plans.submit_plan(_draft(w), by=w.users["office"])
    return plans.approve_plan(plan, opinion="同意。", by=w.users["leader"])


def _ready(w: SimpleNamespace) -> None:
    office = w.users["office"]
    readiness.record_training(
        w.round2,
        held_on=timezone.localdate(),
        topic="巡前培训",
        attendees=[w.inspector_t1_member, w.inspector_conflicted],
        by=office,
    )
    for kind in CommitmentKind:
        readiness.sign_commitment(w.round2, kind=kind, by=w.users["t1_member"])
        readiness.sign_commitment(w.round2, kind=kind, inspector=w.inspector_conflicted, by=office)


# Stationing ----------------------------------------------------------------------------------------


def _station(w: SimpleNamespace) -> Inspection:
    return actions.transition_inspection(w.inspection3, to=Stage.STATIONED, by=w.users["office"])


def test_stationing_is_refused_until_the_plan_is_approved_and_says_why(fresh: SimpleNamespace) -> None:
    w = fresh
    _ready(w)
    with pytest.raises(Refused, match="本轮巡察工作方案尚未制定，须经领导小组批准后巡察组方可进驻"):
        _station(w)
    plan = plans.submit_plan(_draft(w), by=w.users["office"])
    with pytest.raises(Refused, match="本轮巡察工作方案待审批，须经领导小组批准"):
        _station(w)
    plans.return_plan(plan, opinion="请细化分工。", by=w.users["leader"])
    with pytest.raises(Refused, match="本轮巡察工作方案已退回"):
        _station(w)
    plan = _draft(w, topic="专项主题一")
    plans.submit_plan(plan, by=w.users["office"])
    plans.approve_plan(plan, by=w.users["leader"])
    assert _station(w).stage == Stage.STATIONED


def test_stationing_names_who_lacks_training_or_commitments(fresh: SimpleNamespace) -> None:
    w = fresh
    office = w.users["office"]
    _approved(w)
    with pytest.raises(Refused) as refused:
        _station(w)
    assert "周敏尚未完成巡前培训、保密承诺、巡察干部行为规范承诺" in refused.value.message
    assert "孙立尚未完成巡前培训、保密承诺、巡察干部行为规范承诺" in refused.value.message

    session = readiness.record_training(
        w.round2, held_on=timezone.localdate(), topic="巡前培训", attendees=[w.inspector_t1_member], by=office
    )
    for kind in CommitmentKind:
        readiness.sign_commitment(w.round2, kind=kind, by=w.users["t1_member"])
    readiness.sign_commitment(
        w.round2, kind=CommitmentKind.CONFIDENTIALITY, inspector=w.inspector_conflicted, by=office
    )
    with pytest.raises(Refused) as refused:
        _station(w)
    assert "周敏" not in refused.value.message
    assert "孙立尚未完成巡前培训、巡察干部行为规范承诺" in refused.value.message

    readiness.set_attendance(session, attendees=[w.inspector_t1_member, w.inspector_conflicted], by=office)
    readiness.sign_commitment(
        w.round2, kind=CommitmentKind.CONDUCT, inspector=w.inspector_conflicted, by=office
    )
    assert _station(w).stage == Stage.STATIONED


# Readiness refusals --------------------------------------------------------------------------------


def test_commitments_are_signed_by_the_inspector_or_recorded_on_paper_by_the_office(
    fresh: SimpleNamespace,
) -> None:
    w = fresh
    office = w.users["office"]
    own = readiness.sign_commitment(w.round2, kind=CommitmentKind.CONFIDENTIALITY, by=w.users["t1_member"])
    assert (own.inspector, own.on_paper, own.signed_by) == (
        w.inspector_t1_member,
        False,
        w.users["t1_member"],
    )
    assert "保密" in own.text
    with pytest.raises(Refused, match="周敏已签署保密承诺"):
        readiness.sign_commitment(w.round2, kind=CommitmentKind.CONFIDENTIALITY, by=w.users["t1_member"])
    with pytest.raises(Refused, match="您不是本轮巡察组成员"):
        readiness.sign_commitment(w.round2, kind=CommitmentKind.CONDUCT, by=w.users["t2_member"])
    with pytest.raises(Refused, match="周敏有平台账号，须本人在平台签署承诺"):
        readiness.sign_commitment(
            w.round2, kind=CommitmentKind.CONDUCT, inspector=w.inspector_t1_member, by=office
        )
    with pytest.raises(Refused, match="吴涛不是本轮巡察组成员"):
        readiness.sign_commitment(
            w.round2, kind=CommitmentKind.CONDUCT, inspector=w.inspector_t2_member, by=office
        )
    with pytest.raises(NotAllowed):
        readiness.sign_commitment(
            w.round2, kind=CommitmentKind.CONDUCT, inspector=w.inspector_conflicted, by=w.users["leader"]
        )
    with pytest.raises(Refused, match="请选择有效的承诺事项"):
        readiness.sign_commitment(w.round2, kind="other", inspector=w.inspector_conflicted, by=office)
    paper = readiness.sign_commitment(
        w.round2, kind=CommitmentKind.CONDUCT, inspector=w.inspector_conflicted, by=office
    )
    assert paper.on_paper
    assert AuditEvent.objects.filter(action="commitment.recorded").count() == 1
    assert AuditEvent.objects.filter(action="commitment.signed").count() == 1


def test_training_takes_only_the_rounds_inspectors_and_past_days(fresh: SimpleNamespace) -> None:
    w = fresh
    office = w.users["office"]
    with pytest.raises(Refused, match="吴涛不是本轮巡察组成员"):
        readiness.record_training(
            w.round2, held_on=timezone.localdate(), topic="培训", attendees=[w.inspector_t2_member], by=office
        )
    with pytest.raises(Refused, match="培训日期不能晚于今天"):
        readiness.record_training(
            w.round2, held_on=timezone.localdate() + datetime.timedelta(days=1), topic="培训", by=office
        )
    with pytest.raises(NotAllowed):
        readiness.record_training(
            w.round2, held_on=timezone.localdate(), topic="培训", by=w.users["t1_member"]
        )


# Versions, approval, return, 审定 ---------------------------------------------------------------


def test_a_returned_plan_is_revised_and_its_versions_show_what_changed(fresh: SimpleNamespace) -> None:
    w = fresh
    office, leader = w.users["office"], w.users["leader"]
    plan = plans.submit_plan(_draft(w), by=office)
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(Refused, match="不能再修改"):
        _draft(w, topic="改动")
    with pytest.raises(NotAllowed):
        plans.approve_plan(plan, by=office)
    with pytest.raises(Refused, match="请填写退回意见"):
        plans.return_plan(plan, opinion="  ", by=leader)
    plans.return_plan(plan, opinion="请增加专项主题。", by=leader)
    assert WorkPlan.objects.get(pk=plan.pk).status == PlanStatus.RETURNED

    with pytest.raises(Refused, match="没有修改"):
        plans.submit_plan(plan, by=office)
    plan = _draft(w, topic="群众身边不正之风和腐败问题")
    plans.submit_plan(plan, by=office)
    plan = plans.approve_plan(plan, opinion="同意。", by=leader)
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, leader)

    first, second = plan.versions.order_by("number")
    assert (first.decision, first.opinion, first.decided_by) == (
        VersionDecision.RETURNED,
        "请增加专项主题。",
        leader,
    )
    assert (second.decision, second.decided_by) == (VersionDecision.APPROVED, leader)
    changed = [(line.kind, line.text) for line in plans.diff(first, second) if line.kind in "+-"]
    assert changed == [("-", "  按照“三个聚焦”开展常规巡察"), ("+", "  专项主题：群众身边不正之风和腐败问题")]
    assert "周敏，负责主持全面工作" in second.text
    assert "孙立，负责负责调阅财务资料" in second.text
    actions_done = list(
        AuditEvent.objects.filter(action__startswith="work_plan.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "work_plan.created",
        "work_plan.submitted",
        "work_plan.returned",
        "work_plan.updated",
        "work_plan.submitted",
        "work_plan.approved",
    ]


def test_the_secretarys_ratification_is_recorded_after_approval(fresh: SimpleNamespace) -> None:
    w = fresh
    office, today = w.users["office"], timezone.localdate()
    plan = plans.submit_plan(_draft(w), by=office)
    with pytest.raises(Refused, match="须经领导小组批准后方可登记审定"):
        plans.ratify_plan(plan, ratified_by_name="市委书记 王某", ratified_on=today, by=office)
    plan = plans.approve_plan(plan, by=w.users["leader"])
    with pytest.raises(Refused, match="审定日期不能晚于今天"):
        plans.ratify_plan(
            plan, ratified_by_name="市委书记 王某", ratified_on=today + datetime.timedelta(days=1), by=office
        )
    with pytest.raises(Refused, match="不能早于领导小组批准日期"):
        plans.ratify_plan(
            plan, ratified_by_name="市委书记 王某", ratified_on=today - datetime.timedelta(days=1), by=office
        )
    with pytest.raises(Refused, match="审定人"):
        plans.ratify_plan(plan, ratified_by_name="", ratified_on=today, by=office)
    with pytest.raises(NotAllowed):
        plans.ratify_plan(plan, ratified_by_name="市委书记 王某", ratified_on=today, by=w.users["t1_member"])
    plan = plans.ratify_plan(plan, ratified_by_name="市委书记 王某", ratified_on=today, by=office)
    assert (plan.status, plan.ratified_by_name, plan.ratified_on) == (
        PlanStatus.RATIFIED,
        "市委书记 王某",
        today,
    )
    assert plan.is_approved
    assert plans.plan_lines(w.inspection3) == []


def test_bad_input_is_refused_with_its_field(fresh: SimpleNamespace) -> None:
    w = fresh
    cases = [
        ({"stationing_on": None}, "stationing_on"),
        ({"withdrawal_on": w.round2.planned_start}, "withdrawal_on"),
        ({"focus": ["不是三个聚焦的内容"]}, "focus"),
        ({"tasks": {w.inspection1.team.members.first().pk: "不是本轮成员"}}, "tasks"),
    ]
    for extra, field in cases:
        with pytest.raises(Refused) as refused:
            _draft(w, **extra)
        assert refused.value.field == field
    assert not WorkPlan.objects.filter(round=w.round2).exists()  # nothing half-saved
    with pytest.raises(NotAllowed):
        plans.save_plan(w.round2, stationing_on=None, withdrawal_on=None, by=w.users["leader"])


def test_an_empty_round_cannot_submit_and_the_submitter_cannot_approve(fresh: SimpleNamespace) -> None:
    w = fresh
    office = w.users["office"]
    empty = actions.create_round(
        committee=w.city,
        number=3,
        name="市委第三轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=w.round2.planned_start,
        planned_end=w.round2.planned_end,
        by=office,
    )
    plan = plans.save_plan(
        empty, stationing_on=empty.planned_start, withdrawal_on=empty.planned_end, by=office
    )
    with pytest.raises(Refused, match="尚未安排巡察对象和巡察组"):
        plans.submit_plan(plan, by=office)


# Documents -----------------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_authorisation_decision_of_each_team_has_no_layout_problems(fresh: SimpleNamespace) -> None:
    w = fresh
    plans.ratify_plan(
        _approved(w), ratified_by_name="市委书记 王某", ratified_on=timezone.localdate(), by=w.users["office"]
    )
    plan = WorkPlan.objects.get(round=w.round2)
    team = plan_documents.authorisation_team(plan, w.team3.pk)
    assert team is not None
    data = plan_documents.authorisation_document(plan, team)
    assert layout_problems(data) == []
    text = _text(data)
    assert "关于授权周敏等同志第一巡察组任职和任务分工的决定" in text
    assert "授权周敏同志任第一巡察组组长" in text
    assert "孙立（组员）：负责调阅财务资料" in text
    assert "市城市建设投资集团" in text
    assert plan_documents.authorisation_team(plan, w.team1.pk) is None  # another round's team


def test_the_plan_and_the_deployment_meeting_documents_have_no_layout_problems(
    fresh: SimpleNamespace,
) -> None:
    w = fresh
    plan = plans.ratify_plan(
        _approved(w), ratified_by_name="市委书记 王某", ratified_on=timezone.localdate(), by=w.users["office"]
    )
    data = plan_documents.plan_document(plan)
    assert layout_problems(data) == []
    text = _text(data)
    assert "市委第二轮巡察工作方案" in text
    assert "本方案经市委书记 王某于" in text

    lists = round_meeting.defaults(w.round2)
    assert "第一巡察组（组长：周敏）" in lists["teams"]
    assert lists["units"] == "市城市建设投资集团"
    meeting = round_meeting.save_round_meeting(
        w.round2,
        held_at=timezone.now() - datetime.timedelta(hours=2),
        place="市委常委会议室",
        chair="市委书记 王某",
        notes="书记作动员讲话。",
        by=w.users["office"],
        **lists,
    )
    data = plan_documents.round_meeting_document(meeting)
    assert layout_problems(data) == []
    assert "书记作动员讲话。" in _text(data)
    with pytest.raises(Refused) as refused:
        round_meeting.save_round_meeting(
            w.round2, held_at=timezone.now(), place="", chair="某", by=w.users["office"], **lists
        )
    assert refused.value.field == "place"
