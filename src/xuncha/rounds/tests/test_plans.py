"""The work plan (巡察工作方案) of a round: drafting, versions with their diff, submission, approval or return
with an opinion, the secretary's 审定, its official documents (the plan, each team's 授权决定, the 动员部署会
record), and the rule that a round's teams are stationed only under an approved plan with ready members."""

import datetime
import io
import json
from types import SimpleNamespace

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.core.tests.pdf import read_back
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
    assert elements(data) == ["发文机关标志", "标题", "印发机关和印发日期"]
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
    assert elements(data) == ["发文机关标志", "标题", "印发机关和印发日期"]
    plan_data = data
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
    assert elements(data) == ["标题"]  # a record, not a 公文: no 版头
    assert "书记作动员讲话。" in _text(data)
    read_back(
        {
            "工作方案": (plan_data, ["江东市委巡察工作领导小组", "市委第二轮巡察工作方案", "印发"]),
            "动员部署会会议记录": (data, ["市委第二轮巡察工作动员部署会会议记录", "书记作动员讲话。"]),
        }
    )
    with pytest.raises(Refused) as refused:
        round_meeting.save_round_meeting(
            w.round2, held_at=timezone.now(), place="", chair="某", by=w.users["office"], **lists
        )
    assert refused.value.field == "place"


# Pages ---------------------------------------------------------------------------------------------


def test_the_office_drafts_and_submits_on_the_page_and_the_leader_approves(fresh, client_for) -> None:
    w = fresh
    office, leader = client_for("office"), client_for("leader")
    page = reverse("rounds:plan", args=[w.round2.pk])
    assert "本轮尚未制定巡察工作方案" in office.get(page).content.decode()
    posted = {
        "stationing_on": w.round2.planned_start.isoformat(),
        "withdrawal_on": w.round2.planned_end.isoformat(),
        "topic": "专项主题一",
        "division": "分工",
        "requirements": "要求",
        f"task_{w.leader3.pk}": "主持全面工作",
    }
    bad = office.post(page, posted | {"withdrawal_on": w.round2.planned_start.isoformat()})
    assert bad.status_code == 200 and "撤离日期须晚于进驻日期" in bad.content.decode()
    assert office.post(page, posted).status_code == 302
    plan = WorkPlan.objects.get(round=w.round2)
    assert (plan.topic, plan.tasks) == ("专项主题一", {str(w.leader3.pk): "主持全面工作"})
    assert leader.post(page, posted).status_code == 403  # the leading group decides, it does not draft

    assert office.post(reverse("rounds:plan-submit", args=[w.round2.pk])).status_code == 302
    html = leader.get(page).content.decode()
    assert "批准" in html and "退回修改" in html and "第1稿" in html
    assert "退回修改" not in office.get(page).content.decode()
    assert office.post(reverse("rounds:plan-approve", args=[w.round2.pk])).status_code == 403
    response = leader.post(
        reverse("rounds:plan-approve", args=[w.round2.pk]), {"opinion": "同意。"}, follow=True
    )
    assert "已批准巡察工作方案" in response.content.decode()
    assert "leader 于" in response.content.decode()

    ratify = reverse("rounds:plan-ratify", args=[w.round2.pk])
    today = timezone.localdate().isoformat()
    office.post(ratify, {"ratified_by_name": "市委书记 王某", "ratified_on": today})
    plan.refresh_from_db()
    assert (plan.status, plan.ratified_by_name) == (PlanStatus.RATIFIED, "市委书记 王某")
    detail = client_for("t1_member").get(reverse("rounds:round-detail", args=[w.round2.pk])).content.decode()
    assert "已审定" in detail and "市委书记 王某" in detail
    liaison_detail = client_for("liaison1").get(reverse("rounds:round-detail", args=[w.round.pk]))
    assert "巡察工作方案" not in liaison_detail.content.decode()


def test_the_liaison_may_not_read_the_plan_and_outsiders_get_404(fresh, client_for) -> None:
    w = fresh
    _approved(w)
    page = reverse("rounds:plan", args=[w.round.pk])
    assert client_for("liaison1").get(page).status_code == 403
    assert client_for("county_office").get(page).status_code == 404
    assert client_for("t2_member").get(page).status_code == 200
    auth = reverse("rounds:plan-authorisation", args=[w.round2.pk, w.team3.pk])
    response = client_for("t1_member").get(auth)
    assert response.status_code == 200
    assert layout_problems(response.content) == []  # the downloaded (watermarked) .docx
    assert AuditEvent.objects.filter(action="work_plan.authorisation_read").count() == 1
    assert (
        client_for("office")
        .get(reverse("rounds:plan-authorisation", args=[w.round2.pk, w.team1.pk]))
        .status_code
        == 404
    )


def test_readiness_page_lets_the_inspector_sign_and_the_office_record_training(fresh, client_for) -> None:
    w = fresh
    member, office = client_for("t1_member"), client_for("office")
    page = reverse("rounds:readiness", args=[w.round2.pk])
    html = member.get(page).content.decode()
    assert "严格遵守党的保密纪律" in html
    member.post(
        reverse("rounds:readiness-sign", args=[w.round2.pk]), {"kind": CommitmentKind.CONFIDENTIALITY}
    )
    assert w.round2.commitments.get().inspector == w.inspector_t1_member
    new = reverse("rounds:training-create", args=[w.round2.pk])
    assert member.get(new).status_code == 403
    response = office.post(
        new,
        {
            "held_on": timezone.localdate().isoformat(),
            "topic": "巡察业务战前集训",
            "attendees": [w.inspector_t1_member.pk, w.inspector_conflicted.pk],
        },
    )
    assert response.status_code == 302
    assert set(w.round2.training_sessions.get().attendees.all()) == {
        w.inspector_t1_member,
        w.inspector_conflicted,
    }
    office.post(
        reverse("rounds:readiness-paper", args=[w.round2.pk]),
        {"inspector": w.inspector_conflicted.pk, "kind": CommitmentKind.CONDUCT},
    )
    assert w.round2.commitments.filter(inspector=w.inspector_conflicted, on_paper=True).count() == 1
    missing = readiness.missing_by_inspector(w.round2.pk, [w.inspector_t1_member, w.inspector_conflicted])
    assert missing == {
        w.inspector_t1_member.pk: ["巡察干部行为规范承诺"],
        w.inspector_conflicted.pk: ["保密承诺"],
    }


# API -----------------------------------------------------------------------------------------------

API = "/api/v1"


def _send(client, method: str, path: str, data: object = None):
    return client.generic(method, f"{API}{path}", json.dumps(data or {}), content_type="application/json")


def test_the_plan_through_the_api(fresh, client_for) -> None:
    w = fresh
    office, leader = client_for("office"), client_for("leader")
    body = {
        "round": w.round2.pk,
        "stationing_on": w.round2.planned_start.isoformat(),
        "withdrawal_on": w.round2.planned_end.isoformat(),
        "tasks": {str(w.leader3.pk): "主持全面工作"},
    }
    bad = _send(office, "POST", "/round-plans/", body | {"withdrawal_on": w.round2.planned_start.isoformat()})
    assert bad.status_code == 422 and "撤离日期" in bad.content.decode()
    created = _send(office, "POST", "/round-plans/", body)
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert _send(office, "POST", "/round-plans/", body).status_code == 422  # one plan per round
    assert _send(office, "POST", f"/round-plans/{plan_id}/submit").json()["status"] == "submitted"
    assert _send(office, "POST", f"/round-plans/{plan_id}/approve").status_code == 403
    returned = _send(leader, "POST", f"/round-plans/{plan_id}/return", {"opinion": ""})
    assert returned.status_code == 422 and "退回意见" in returned.content.decode()
    assert (
        _send(leader, "POST", f"/round-plans/{plan_id}/return", {"opinion": "请补充。"}).json()["status"]
        == "returned"
    )
    update = {k: v for k, v in body.items() if k != "round"} | {"topic": "专项主题二"}
    assert _send(office, "PUT", f"/round-plans/{plan_id}", update).status_code == 200
    _send(office, "POST", f"/round-plans/{plan_id}/submit")
    approved = _send(leader, "POST", f"/round-plans/{plan_id}/approve", {"opinion": "同意。"}).json()
    assert (approved["status"], approved["approved_by"], approved["versions"]) == ("approved", "leader", 2)
    versions = office.get(f"{API}/round-plans/{plan_id}/versions").json()
    assert [v["decision"] for v in versions] == ["returned", "approved"]
    assert versions[0]["diff"] == [] and "+  专项主题：专项主题二" in versions[1]["diff"]
    ratified = _send(
        office,
        "POST",
        f"/round-plans/{plan_id}/ratify",
        {"ratified_by_name": "市委书记 王某", "ratified_on": timezone.localdate().isoformat()},
    )
    assert ratified.json()["status"] == "ratified"
    assert office.get(f"{API}/round-plans/?round={w.round2.pk}").json()["count"] == 1
    assert client_for("liaison1").get(f"{API}/round-plans/{plan_id}").status_code == 404
    assert client_for("county_office").get(f"{API}/round-plans/{plan_id}").status_code == 404
    document = client_for("t1_member").get(f"{API}/round-plans/{plan_id}/teams/{w.team3.pk}/authorisation")
    assert document.status_code == 200


def test_readiness_and_the_deployment_meeting_through_the_api(fresh, client_for) -> None:
    w = fresh
    office = client_for("office")
    session = _send(
        office,
        "POST",
        "/training-sessions/",
        {
            "round": w.round2.pk,
            "held_on": timezone.localdate().isoformat(),
            "topic": "培训",
            "attendees": [w.inspector_t2_member.pk],
        },
    )
    assert session.status_code == 422
    assert session.json()["detail"] == [{"field": "attendees", "message": "参训人员须为本轮巡察组成员。"}]
    session = _send(
        office,
        "POST",
        "/training-sessions/",
        {
            "round": w.round2.pk,
            "held_on": timezone.localdate().isoformat(),
            "topic": "培训",
            "attendees": [w.inspector_t1_member.pk],
        },
    )
    assert session.status_code == 201
    signed = _send(
        client_for("t1_member"), "POST", "/commitments/", {"round": w.round2.pk, "kind": "confidentiality"}
    )
    assert signed.status_code == 201 and signed.json()["on_paper"] is False
    paper = _send(
        office,
        "POST",
        "/commitments/",
        {"round": w.round2.pk, "kind": "conduct", "inspector": w.inspector_conflicted.pk},
    )
    assert paper.status_code == 201 and paper.json()["on_paper"] is True
    rows = {
        r["inspector_name"]: r["missing"] for r in office.get(f"{API}/rounds/{w.round2.pk}/readiness").json()
    }
    assert rows == {"周敏": ["巡察干部行为规范承诺"], "孙立": ["巡前培训", "保密承诺"]}
    meeting = _send(
        office,
        "PUT",
        f"/rounds/{w.round2.pk}/deployment-meeting",
        {
            "held_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "place": "常委会议室",
            "chair": "书记",
        },
    )
    assert meeting.status_code == 200, meeting.content
    assert meeting.json()["units"] == "市城市建设投资集团"
    assert client_for("t1_member").get(f"{API}/rounds/{w.round2.pk}/deployment-meeting").status_code == 200
    assert client_for("liaison1").get(f"{API}/rounds/{w.round2.pk}/deployment-meeting").status_code == 404


def test_the_leading_group_sees_plans_to_approve_and_the_office_plans_returned(fresh, client_for) -> None:
    w = fresh
    plan = plans.submit_plan(_draft(w), by=w.users["office"])
    assert "待审批的巡察工作方案" in client_for("leader").get("/").content.decode()
    assert "被退回的巡察工作方案" not in client_for("office").get("/").content.decode()
    plans.return_plan(plan, opinion="请修改。", by=w.users["leader"])
    assert "待审批的巡察工作方案" not in client_for("leader").get("/").content.decode()
    assert "被退回的巡察工作方案" in client_for("office").get("/").content.decode()


def test_the_plan_list_costs_the_same_queries_for_more_plans(
    fresh, client_for, django_assert_max_num_queries
) -> None:
    w = fresh
    office = client_for("office")
    office.get(f"{API}/round-plans/")  # warm the session
    plans.submit_plan(_draft(w), by=w.users["office"])
    with django_assert_max_num_queries(12) as captured:
        body = office.get(f"{API}/round-plans/").json()
    assert body["count"] == 2 and {item["versions"] for item in body["items"]} == {0, 1}
    assert not [
        q
        for q in captured.captured_queries
        if "rounds_workplanversion" in q["sql"] and "COUNT" in q["sql"] and "GROUP BY" not in q["sql"]
    ]
