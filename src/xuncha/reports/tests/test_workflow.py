"""Reports and feedback through the actions: assembling from signed-off findings, versions, submission,
the hearing's two decisions, the comprehensive report, feedback with its problem list, delivery and what
freezes, the stage guards, the archive check, and who sees what."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.findings import actions as findings
from xuncha.findings.choices import ClueKind
from xuncha.findings.clues.actions import ClueInput, draft_clue
from xuncha.findings.tests.support import content
from xuncha.rounds.archive import open_items
from xuncha.rounds.choices import Stage

from .. import actions, archive
from ..choices import Decision, FeedbackStatus, Recipient, ReportKind, ReportStatus
from ..models import Feedback, FeedbackProblem, Hearing, Report
from .support import deliver, final, hear, prepare, set_stage, submitted, unit_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def test_assembling_groups_the_signed_off_findings_by_the_three_focuses(w: SimpleNamespace) -> None:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    assert report.kind == ReportKind.TEAM and report.status == ReportStatus.DRAFT
    assert set(report.findings.all()) == {w.banquet, w.promotion}  # not the draft
    lines = report.problems.splitlines()
    assert lines[0] == "（一）群众身边腐败问题和不正之风方面"
    assert lines[1] == "1.违规公款宴请。" and lines[2] == w.banquet.description
    assert lines[3] == "（二）基层党组织软弱涣散、组织力欠缺方面"
    assert "尚未审签" not in report.problems
    assert "市财政局" in report.basics and "问题底稿2份" in report.basics
    assert [v.event for v in report.versions.all()] == ["assembled"]


def test_assembling_belongs_to_the_reporting_stage_and_needs_signed_off_findings(w: SimpleNamespace) -> None:
    set_stage(w.inspection1, Stage.FIELDWORK)
    with pytest.raises(Refused, match="“报告”阶段"):
        actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    set_stage(w.inspection2, Stage.REPORTING)
    with pytest.raises(Refused, match="尚无组长审签的问题底稿"):
        actions.assemble_report(w.inspection2, by=w.users["t2_member"])
    with pytest.raises(NotAllowed):
        actions.assemble_report(w.inspection2, by=w.users["office"])


def test_every_save_is_a_version_and_the_audit_names_sections_not_text(w: SimpleNamespace) -> None:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    data = actions.ReportInput(
        title=report.title,
        basics="改写的基本情况",
        problems=report.problems,
        evaluation=report.evaluation,
        suggestions="建议健全制度",
    )
    actions.update_report(report, data=data, by=w.users["t1_leader"])
    first, second = report.versions.order_by("number")
    changed = actions.diff(first.data, second.data)
    assert [label for label, _, _ in changed] == ["基本情况", "问题线索", "意见建议"]
    assert second.by == w.users["t1_leader"]
    event = AuditEvent.objects.filter(action="report.updated").get()
    assert event.details["sections"] == ["基本情况", "问题线索", "意见建议"]
    assert "改写的基本情况" not in str(event.details)
    with pytest.raises(Refused, match="请填写标题"):
        actions.update_report(report, data=actions.ReportInput(title=" "), by=w.users["t1_member"])


def test_the_leader_submits_and_a_submitted_report_is_read_only(w: SimpleNamespace) -> None:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    with pytest.raises(NotAllowed):
        actions.submit_report(report, by=w.users["t1_member"])
    actions.submit_report(report, by=w.users["t1_leader"])
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == w.users["t1_leader"]
    with pytest.raises(Refused, match="已报送"):
        actions.update_report(report, data=actions.ReportInput(title="新标题"), by=w.users["t1_member"])
    with pytest.raises(Refused, match="已报送"):
        actions.assemble_report(w.inspection1, by=w.users["t1_member"])


def test_revise_returns_the_report_with_the_opinion_and_approve_makes_it_final(w: SimpleNamespace) -> None:
    report = submitted(w)
    with pytest.raises(Refused, match="请填写领导小组意见"):
        hear(w, report, Decision.REVISE)
    assert not Hearing.objects.exists()  # nothing half-saved
    with pytest.raises(NotAllowed):
        actions.record_hearing(
            w.round,
            held_on=timezone.localdate(),
            attendees="x",
            items=[actions.HearingItem(report, Decision.APPROVED)],
            by=w.users["t1_leader"],
        )
    report = hear(w, report, Decision.REVISE, "补充问题的具体金额。")
    assert report.status == ReportStatus.DRAFT and report.return_opinion == "补充问题的具体金额。"
    actions.update_report(
        report, data=actions.ReportInput(title=report.title, problems="补充后"), by=w.users["t1_member"]
    )
    report = hear(w, actions.submit_report(report, by=w.users["t1_leader"]))
    assert report.status == ReportStatus.FINAL and report.final_at is not None
    assert report.return_opinion == ""
    assert [d.decision for d in report.decisions.order_by("pk")] == [Decision.REVISE, Decision.APPROVED]
    assert [v.event for v in report.versions.order_by("number")] == [
        "assembled",
        "submitted",
        "returned",
        "updated",
        "submitted",
        "approved",
    ]
    with pytest.raises(Refused, match="定稿"):
        actions.update_report(report, data=actions.ReportInput(title="x"), by=w.users["t1_member"])
    with pytest.raises(Refused, match="尚未报送或已定稿"):
        hear(w, report)


def test_the_comprehensive_report_sums_up_the_rounds_final_reports(w: SimpleNamespace) -> None:
    with pytest.raises(Refused, match="尚无经领导小组同意定稿"):
        actions.assemble_comprehensive(w.round, by=w.users["office"])
    final(w)
    with pytest.raises(NotAllowed):
        actions.assemble_comprehensive(w.round, by=w.users["leader"])
    report = actions.assemble_comprehensive(w.round, by=w.users["office"])
    assert report.kind == ReportKind.COMPREHENSIVE and report.inspection is None
    assert "（一）市财政局" in report.problems and "发现问题2个" in report.problems
    assert "市财政局" in report.clues
    assert set(report.findings.all()) == {w.banquet, w.promotion}
    actions.submit_report(report, by=w.users["office"])
    assert report.status == ReportStatus.FINAL
    assert set(Report.objects.visible_to(w.users["t1_leader"])) == {Report.objects.get(kind="team")}
    assert Report.objects.visible_to(w.users["leader"]).count() == 2


def test_feedback_needs_the_final_report_and_splits_the_problems_by_whose_they_are(
    w: SimpleNamespace,
) -> None:
    submitted(w)
    with pytest.raises(Refused, match="定稿后，才能起草反馈意见"):
        unit_feedback(w)
    hear(w, Report.objects.get())
    unit = unit_feedback(w)
    principal = actions.assemble_feedback(
        w.inspection1, recipient=Recipient.PRINCIPAL, by=w.users["t1_leader"]
    )
    [to_unit] = unit.problems.all()
    [to_principal] = principal.problems.all()
    assert to_unit.title == "违规公款宴请" and list(to_unit.findings.all()) == [w.banquet]
    assert to_unit.category is not None and to_unit.category.code == "2"
    assert to_unit.responsible.startswith("市财政局党组织、张建国")
    assert to_principal.title == "破格提拔程序不规范" and "李文华" in to_principal.responsible
    assert to_unit.number == "问题01"


def test_the_problem_list_is_edited_while_draft_and_stays_numbered(w: SimpleNamespace) -> None:
    final(w)
    feedback = unit_feedback(w)
    member = w.users["t1_member"]
    added = actions.add_problem(
        feedback,
        data=actions.ProblemInput(
            title="会议费管理不规范", description="会议费超标准列支。", findings=[w.banquet]
        ),
        by=member,
    )
    assert added.sequence == 2
    with pytest.raises(Refused, match="问题底稿应从定稿巡察报告"):
        actions.add_problem(
            feedback, data=actions.ProblemInput(title="x", description="y", findings=[w.unsigned]), by=member
        )
    with pytest.raises(Refused, match="请填写具体表现"):
        actions.update_problem(added, data=actions.ProblemInput(title="x"), by=member)
    actions.remove_problem(feedback.problems.get(sequence=1), by=member)
    added.refresh_from_db()
    assert added.sequence == 1 and feedback.problems.count() == 1
    with pytest.raises(NotAllowed):
        actions.remove_problem(added, by=w.users["office"])


def test_delivery_needs_the_feedback_stage_and_freezes_the_feedback(w: SimpleNamespace) -> None:
    final(w)
    feedback = unit_feedback(w)
    with pytest.raises(Refused, match="“反馈”阶段"):
        deliver(w, feedback)
    set_stage(w.inspection1, Stage.FEEDBACK)
    with pytest.raises(NotAllowed):
        deliver(w, feedback, "t1_member")
    with pytest.raises(Refused, match="请填写反馈会地点"):
        actions.deliver_feedback(
            feedback,
            meeting_on=timezone.localdate(),
            place="",
            attendees="x",
            delivered_by="y",
            by=w.users["office"],
        )
    deliver(w, feedback, "office")
    assert feedback.status == FeedbackStatus.DELIVERED and feedback.recorded_by == w.users["office"]
    problem = feedback.problems.get()
    for attempt in (
        lambda: actions.update_feedback(
            feedback, title="x", summary="", requirements="", by=w.users["t1_member"]
        ),
        lambda: actions.remove_problem(problem, by=w.users["t1_member"]),
        lambda: actions.update_problem(
            problem, data=actions.ProblemInput(title="x", description="y"), by=w.users["t1_member"]
        ),
        lambda: unit_feedback(w),
        lambda: deliver(w, feedback),
    ):
        with pytest.raises(Refused, match="已在反馈会上送达"):
            attempt()
    assert FeedbackProblem.objects.delivered().get() == problem


def test_the_liaison_sees_the_unit_feedback_once_delivered_and_never_the_principals(
    w: SimpleNamespace,
) -> None:
    final(w)
    set_stage(w.inspection1, Stage.FEEDBACK)
    unit = unit_feedback(w)
    actions.assemble_feedback(w.inspection1, recipient=Recipient.PRINCIPAL, by=w.users["t1_member"])
    liaison = w.users["liaison1"]
    assert not Feedback.objects.visible_to(liaison).exists()
    assert not FeedbackProblem.objects.visible_to(liaison).exists()
    deliver(w, unit)
    assert list(Feedback.objects.visible_to(liaison)) == [unit]
    assert FeedbackProblem.objects.visible_to(liaison).count() == 1
    assert not Report.objects.visible_to(liaison).exists()
    for outsider in ("t2_member", "jiwei", "county_office", "auditor"):
        assert not Feedback.objects.visible_to(w.users[outsider]).exists()
        assert not Report.objects.visible_to(w.users[outsider]).exists()
    assert Feedback.objects.visible_to(w.users["leader"]).count() == 2


def test_archiving_waits_for_the_final_report_and_the_delivered_feedback(w: SimpleNamespace) -> None:
    assert archive.open_items(w.inspection1) == []  # no report yet: nothing of reports is open
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    assert archive.open_items(w.inspection1) == ["巡察报告尚未经领导小组同意定稿"]
    assert "巡察报告尚未经领导小组同意定稿" in open_items(w.inspection1)  # registered with rounds
    hear(w, actions.submit_report(report, by=w.users["t1_leader"]))
    assert archive.open_items(w.inspection1) == ["向被巡察党组织的反馈意见尚未送达"]
    set_stage(w.inspection1, Stage.FEEDBACK)
    actions.assemble_feedback(w.inspection1, recipient=Recipient.PRINCIPAL, by=w.users["t1_member"])
    deliver(w, unit_feedback(w))
    assert archive.open_items(w.inspection1) == ["向党组织主要负责人的反馈意见尚未送达"]


def test_the_clue_section_counts_and_says_nothing_of_a_confidential_clue(w: SimpleNamespace) -> None:
    def clue(title: str, kind: str, confidential: bool) -> None:
        data = ClueInput(
            title=title,
            content="线索内容：收受礼金。",
            kind=kind,
            persons=[w.deputy1],
            confidential=confidential,
        )
        draft_clue(w.inspection1, data=data, by=w.users["t1_leader"])

    clue("李文华收受礼金", ClueKind.DISCIPLINE, False)
    clue("某领导干部违规经商", ClueKind.SELECTION, True)
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    assert "共发现问题线索2件" in report.clues
    assert "违纪违法问题1件（市纪委监委）" in report.clues and "草稿1件" in report.clues
    assert "另有高度保密线索1件" in report.clues
    for secret in ("选人用人", "违规经商", "收受礼金", "李文华", "线索内容"):
        assert secret not in report.clues


def test_a_rounds_reports_are_heard_together_each_with_its_decision(w: SimpleNamespace) -> None:
    finding = findings.draft_finding(
        w.inspection2, data=content(w, persons=[w.principal2], evidence=[]), by=w.users["t2_member"]
    )
    findings.discuss_finding(finding, meeting_on=timezone.localdate(), opinion="同意", by=None)
    findings.sign_off_finding(finding, by=None)
    set_stage(w.inspection2, Stage.REPORTING)
    second = actions.submit_report(actions.assemble_report(w.inspection2, by=w.users["t2_member"]), by=None)
    first = submitted(w)
    items = [
        actions.HearingItem(first, Decision.APPROVED),
        actions.HearingItem(second, Decision.REVISE, "问题定性需进一步核实。"),
    ]
    with pytest.raises(Refused, match="只能作出一项决定"):
        actions.record_hearing(
            w.round,
            held_on=timezone.localdate(),
            attendees="x",
            items=[items[0], items[0]],
            by=w.users["office"],
        )
    hearing = actions.record_hearing(
        w.round, held_on=timezone.localdate(), attendees="领导小组成员", items=items, by=w.users["office"]
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ReportStatus.FINAL, ReportStatus.DRAFT)
    assert hearing.decisions.count() == 2
    event = AuditEvent.objects.get(action="hearing.recorded")
    assert event.details["decisions"] == {str(first.pk): "approved", str(second.pk): "revise"}
    assert "核实" not in str(event.details)  # the opinion stays out of the audit
