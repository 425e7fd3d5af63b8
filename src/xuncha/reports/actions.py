"""Every change of reports and feedback.

Team report (巡察报告): assembled by the inspection's team from its signed-off findings while the inspection
is in 报告 (with a section on each member of the unit's leadership team and the evaluation results), edited
(each save a ``ReportVersion``), submitted by a team leader; the leading group's hearing
(recorded by the office or the leading group) decides per report: 同意 makes it final and read-only,
修改后再报 returns it to the team with the opinion. Comprehensive report (综合报告): assembled by the
office from a round's final team reports, edited, and made final by the office for the secretary's meeting.

Feedback (反馈意见): once the report is final, the team assembles one to the unit and one to its principal
leader, each with a problem list from the report's findings, edited while a draft; a team leader or the
office records its delivery at the feedback meeting (反馈会) in the 反馈 stage, which freezes it.

Audit events name what changed (sections, counts), never the text.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Model
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.findings.models import Finding
from xuncha.orgs.models import Person
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round
from xuncha.rounds.stages import label
from xuncha.taxonomy.models import Category

from . import assemble
from .choices import Decision, FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import (
    Feedback,
    FeedbackProblem,
    Hearing,
    HearingDecision,
    LeaderAssessment,
    Report,
    ReportVersion,
)

TITLE_LIMIT = 200
TEXT_LIMIT = 50_000
NOTE_LIMIT = 2_000
SHORT_LIMIT = 100

AUDIT_ACTIONS = {
    "report.assembled": "汇总巡察报告",
    "report.updated": "修改巡察报告",
    "report.submitted": "报送巡察报告",
    "report.approved": "领导小组同意巡察报告",
    "report.returned": "领导小组要求修改后再报",
    "report.read": "下载巡察报告",
    "hearing.recorded": "记录领导小组听取汇报",
    "feedback.assembled": "汇总反馈意见",
    "feedback.updated": "修改反馈意见",
    "feedback.problem_added": "增加反馈问题",
    "feedback.problem_updated": "修改反馈问题",
    "feedback.problem_removed": "删除反馈问题",
    "feedback.delivered": "召开反馈会送达反馈意见",
    "feedback.read": "下载反馈意见",
}
AUDIT_DETAILS = {
    "kind": "类别",
    "sections": "修改的部分",
    "findings": "问题底稿数",
    "reports": "报告数",
    "decisions": "决定",
    "recipient": "反馈对象",
    "problems": "问题数",
    "number": "编号",
    "held_on": "听取汇报日期",
    "meeting_on": "反馈会日期",
}

SECTION_LABELS = {
    "title": "标题",
    "basics": "基本情况",
    "problems": "发现的主要问题",
    "clues": "问题线索",
    "evaluation": "民主测评和问卷调查情况",
    "leaders": "领导班子成员情况",
    "suggestions": "意见建议",
    "status": "状态",
    "return_opinion": "修改意见",
}
VERSION_EVENTS = {
    "assembled": "汇总",
    "updated": "修改",
    "submitted": "报送",
    "approved": "同意定稿",
    "returned": "修改后再报",
}
SECTIONS = ("title", "basics", "problems", "clues", "evaluation", "suggestions")


@dataclass
class ReportInput:
    title: str
    basics: str = ""
    problems: str = ""
    clues: str = ""
    evaluation: str = ""
    suggestions: str = ""


@dataclass
class LeaderInput:
    """The team's text on one member of the leadership team (a ``LeaderAssessment`` of the report)."""

    assessment: LeaderAssessment
    positive: str
    negative: str


@dataclass
class ProblemInput:
    title: str
    description: str = ""
    category: Category | None = None
    findings: Sequence[Finding] = ()
    responsible: str = ""


@dataclass
class HearingItem:
    report: Report
    decision: str
    opinion: str = ""


# Who may do what -----------------------------------------------------------------------------------------


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def writer_roles(report: Report) -> dict[str, int]:
    """Who edits a report: its team (a team report) or the committee's office (the comprehensive one)."""
    if report.inspection is not None:
        return team_roles(report.inspection)
    return {Role.OFFICE: report.round.committee_id}


def submitter_roles(report: Report) -> dict[str, int]:
    if report.inspection is not None:
        return {Role.TEAM_LEADER: report.inspection.team_id}
    return {Role.OFFICE: report.round.committee_id}


def hearing_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id, Role.LEADING_GROUP: round_.committee_id}


def deliverer_roles(feedback: Feedback) -> dict[str, int]:
    inspection = feedback.inspection
    return {Role.TEAM_LEADER: inspection.team_id, Role.OFFICE: inspection.round.committee_id}


# Guards ------------------------------------------------------------------------------------------------


def _lock(obj: Model) -> None:
    """Re-read ``obj`` under a row lock, so that two concurrent changes see each other's status."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())


def _in_stage(inspection: Inspection, stages: Sequence[str], what: str) -> None:
    if inspection.stage not in stages:
        names = "、".join(f"“{label(s)}”" for s in stages)
        raise Refused(f"{what}须在{names}阶段办理，本巡察现处于“{label(inspection.stage)}”阶段。")


def _report_writable(report: Report) -> None:
    if report.inspection is not None:
        _in_stage(report.inspection, [Stage.REPORTING], "起草和修改巡察报告")
    if report.status == ReportStatus.SUBMITTED:
        raise Refused("巡察报告已报送，待领导小组听取汇报，不能修改。", field="status")
    if report.status == ReportStatus.FINAL:
        raise Refused("报告已定稿，只能查阅。", field="status")


def final_report(inspection: Inspection) -> Report | None:
    return Report.objects.filter(
        kind=ReportKind.TEAM, inspection=inspection, status=ReportStatus.FINAL
    ).first()


def _feedback_writable(feedback: Feedback) -> None:
    if feedback.status == FeedbackStatus.DELIVERED:
        raise Refused("反馈意见已在反馈会上送达，不能再修改。", field="status")
    if feedback.inspection.is_read_only:
        raise Refused("巡察已归档，只能查阅。")


# Versions ----------------------------------------------------------------------------------------------


def leaders_text(report: Report) -> str:
    """The leadership section as one text (kept in each version, so its history shows the changes)."""
    return "\n".join(
        f"{a.person.name}（{a.person.post}）\n正面反映：{a.positive or '—'}\n负面反映：{a.negative or '—'}"
        for a in report.leaders.select_related("person").order_by("position")
    )


def version_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(report, name) for name in SECTIONS}
    data["leaders"] = leaders_text(report)
    data["status"] = report.get_status_display()
    data["return_opinion"] = report.return_opinion
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The parts that changed between two versions: (Chinese name, before, after)."""
    return [
        (name, str(before.get(key) or ""), str(after.get(key) or ""))
        for key, name in SECTION_LABELS.items()
        if str(before.get(key) or "") != str(after.get(key) or "")
    ]


def _version(report: Report, event: str, by: User | None, role: str, details: dict[str, Any]) -> None:
    """Keep the report as it now stands and record the change (which parts changed, not their text)."""
    last = report.versions.order_by("-number").first()
    data = version_data(report)
    number = (last.number if last else 0) + 1
    ReportVersion(report=report, number=number, event=event, data=data, by=by).save()
    changed = [name for name, _, _ in diff(last.data if last else {}, data)]
    details = {"kind": report.kind, "version": number, "sections": changed, **details}
    record(f"report.{event}", report, by=by, role=role, details=details)


# Reports -----------------------------------------------------------------------------------------------


def _clean_report(data: ReportInput) -> ReportInput:
    text = {
        name: clean_text(
            getattr(data, name),
            label=SECTION_LABELS[name],
            field=name,
            limit=TEXT_LIMIT,
            required=False,
            multiline=True,
        )
        for name in SECTIONS[1:]
    }
    title = clean_text(data.title, label="标题", field="title", limit=TITLE_LIMIT)
    return ReportInput(title=title, **text)


@action
def assemble_report(inspection: Inspection, *, by: User | None) -> Report:
    """A draft from the current signed-off findings; on an existing draft, 发现的主要问题, 问题线索 and the
    evaluation results are assembled again and the team's 基本情况 and 意见建议 kept. Each member of the
    leadership team gets a section (正面、负面反映) drafted from the data, once: the team's text is kept."""
    role = require(by, team_roles(inspection), what="汇总巡察报告")
    _in_stage(inspection, [Stage.REPORTING], "起草巡察报告")
    _lock(inspection)  # one report per inspection, even when two assemble at once
    title, basics, problems, clues, findings = assemble.team_report(inspection)
    if not findings:
        raise Refused("本巡察尚无组长审签的问题底稿，不能汇总巡察报告。")
    report = Report.objects.filter(kind=ReportKind.TEAM, inspection=inspection).first()
    if report is None:
        report = Report(
            kind=ReportKind.TEAM, round=inspection.round, inspection=inspection, title=title, created_by=by
        )
        report.basics = basics
    _report_writable(report)
    report.basics = report.basics or basics
    report.problems, report.clues = problems, clues
    tallies = assemble.tallies(inspection)
    report.evaluation = assemble.evaluation_text(tallies)
    report.updated_at = timezone.now()
    report.save()
    report.findings.set(findings)
    _add_leaders(report, assemble.leader_texts(inspection, findings, tallies))
    _version(report, "assembled", by, role, {"findings": len(findings)})
    return report


def _add_leaders(report: Report, rows: list[tuple[Person, str, str]]) -> None:
    """A section for each member of the leadership team not yet in the report, drafted from the data;
    the sections the team has already written are kept."""
    present = set(report.leaders.values_list("person_id", flat=True))
    last = report.leaders.aggregate(n=Max("position"))["n"] or 0
    for person, positive, negative in rows:
        if person.pk not in present:
            last += 1
            LeaderAssessment(
                report=report, person=person, position=last, positive=positive, negative=negative
            ).save()


@action
def update_leaders(report: Report, *, rows: Sequence[LeaderInput], by: User | None) -> Report:
    """The team's 正面、负面反映 on members of the leadership team (each an assessment of this report)."""
    role = require(by, writer_roles(report), what="修改领导班子成员情况")
    if not report.is_team:
        raise Refused("综合报告没有领导班子成员情况。")
    _lock(report)
    _report_writable(report)
    for row in rows:
        assessment = row.assessment
        if assessment.report_id != report.pk:
            raise Refused("班子成员不属于本报告。", field="leaders")
        name = assessment.person.name
        for attr, what in (("positive", "正面反映"), ("negative", "负面反映")):
            text = clean_text(
                getattr(row, attr),
                label=f"{name}：{what}",
                field="leaders",
                limit=TEXT_LIMIT,
                required=False,
                multiline=True,
            )
            setattr(assessment, attr, text)
        assessment.save()
    report.updated_at = timezone.now()
    report.save()
    _version(report, "updated", by, role, {})
    return report


@action
def assemble_comprehensive(round_: Round, *, by: User | None) -> Report:
    """The round's 综合报告 from its final team reports (the office's draft for the secretary's meeting)."""
    role = require(by, {Role.OFFICE: round_.committee_id}, what="汇总综合报告")
    _lock(round_)
    finals = list(
        Report.objects.filter(round=round_, kind=ReportKind.TEAM, status=ReportStatus.FINAL)
        .select_related("inspection__unit")
        .order_by("inspection__team__name", "pk")
    )
    if not finals:
        raise Refused("本轮尚无经领导小组同意定稿的巡察报告，不能汇总综合报告。")
    title, basics, problems, clues = assemble.comprehensive_report(round_, finals)
    report = Report.objects.filter(kind=ReportKind.COMPREHENSIVE, round=round_).first()
    if report is None:
        report = Report(kind=ReportKind.COMPREHENSIVE, round=round_, title=title, created_by=by)
    _report_writable(report)
    report.basics, report.problems, report.clues = basics, problems, clues
    report.updated_at = timezone.now()
    report.save()
    report.findings.set([f for r in finals for f in r.findings.all()])
    _version(report, "assembled", by, role, {"reports": len(finals)})
    return report


@action
def update_report(report: Report, *, data: ReportInput, by: User | None) -> Report:
    role = require(by, writer_roles(report), what="修改报告")
    _lock(report)
    _report_writable(report)
    clean = _clean_report(data)
    for name in SECTIONS:
        setattr(report, name, getattr(clean, name))
    report.updated_at = timezone.now()
    report.save()
    _version(report, "updated", by, role, {})
    return report


@action
def submit_report(report: Report, *, by: User | None) -> Report:
    """A team leader submits the team report for the hearing; the office makes the comprehensive report
    final (it goes on to the secretary's meeting)."""
    role = require(by, submitter_roles(report), what="报送报告")
    _lock(report)
    _report_writable(report)
    if not report.problems.strip():
        raise Refused("报告尚无“发现的主要问题”，请先汇总或填写。", field="problems")
    now = timezone.now()
    report.submitted_by, report.submitted_at = by, now
    if report.is_team:
        report.status = ReportStatus.SUBMITTED
    else:
        report.status, report.final_at = ReportStatus.FINAL, now
    report.save()
    _version(report, "submitted", by, role, {})
    return report


@action
def record_hearing(
    round_: Round,
    *,
    held_on: datetime.date | None,
    attendees: str,
    items: Sequence[HearingItem],
    by: User | None,
) -> Hearing:
    """The leading group heard submitted team reports of the round; each gets 同意 or 修改后再报."""
    role = require(by, hearing_roles(round_), what="记录领导小组听取汇报")
    if held_on is None:
        raise Refused("请填写听取汇报日期。", field="held_on")
    if held_on > timezone.localdate():
        raise Refused("听取汇报日期不能晚于今天。", field="held_on")
    attendees = clean_text(attendees, label="出席人员", field="attendees", limit=NOTE_LIMIT, multiline=True)
    if not items:
        raise Refused("请至少对一份巡察报告作出决定。", field="decisions")
    if len({item.report.pk for item in items}) != len(items):
        raise Refused("同一份报告只能作出一项决定。", field="decisions")
    hearing = Hearing(round=round_, held_on=held_on, attendees=attendees, recorded_by=by)
    hearing.save()
    now = timezone.now()
    for item in items:
        report = item.report
        _lock(report)
        if report.round_id != round_.pk or not report.is_team:
            raise Refused(f"“{report}”不是本轮的巡察报告。", field="decisions")
        if report.status != ReportStatus.SUBMITTED:
            raise Refused(f"“{report}”尚未报送或已定稿，不能听取汇报。", field="decisions")
        if item.decision not in Decision.values:
            raise Refused("请选择“同意”或“修改后再报”。", field="decisions")
        opinion = clean_text(
            item.opinion,
            label="领导小组意见",
            field="decisions",
            limit=NOTE_LIMIT,
            required=item.decision == Decision.REVISE,
            multiline=True,
        )
        HearingDecision(hearing=hearing, report=report, decision=item.decision, opinion=opinion).save()
        if item.decision == Decision.APPROVED:
            report.status, report.final_at, report.return_opinion = ReportStatus.FINAL, now, ""
            event = "approved"
        else:
            report.status, report.return_opinion = ReportStatus.DRAFT, opinion
            event = "returned"
        report.save()
        _version(report, event, by, role, {"held_on": held_on})
    decisions = {str(item.report.pk): item.decision for item in items}
    record(
        "hearing.recorded",
        hearing,
        by=by,
        role=role,
        details={"held_on": held_on, "reports": len(items), "decisions": decisions},
    )
    return hearing


# Feedback ----------------------------------------------------------------------------------------------


def _problem_rows(report: Report, recipient: str) -> list[ProblemInput]:
    return [
        ProblemInput(
            title=finding.title,
            description=finding.description,
            category=assemble.top_focus(finding),
            findings=[finding],
            responsible=assemble.responsible(finding),
        )
        for finding in assemble.feedback_findings(report, recipient)
    ]


def _set_problems(feedback: Feedback, rows: Sequence[ProblemInput]) -> None:
    for old in feedback.problems.all():
        old.findings.clear()
        old.delete()
    for sequence, row in enumerate(rows, start=1):
        problem = FeedbackProblem(feedback=feedback, sequence=sequence)
        _apply_problem(problem, row)


def _apply_problem(problem: FeedbackProblem, row: ProblemInput) -> None:
    problem.title = row.title
    problem.description = row.description
    problem.category = row.category
    problem.responsible = row.responsible
    problem.save()
    problem.findings.set(row.findings)


@action
def assemble_feedback(inspection: Inspection, *, recipient: str, by: User | None) -> Feedback:
    """A draft feedback to ``recipient`` with its problem list from the final report's findings; on an
    existing draft, the problem list is assembled again (its text sections are kept)."""
    role = require(by, team_roles(inspection), what="汇总反馈意见")
    if recipient not in Recipient.values:
        raise Refused("请选择反馈对象。", field="recipient")
    _in_stage(inspection, [Stage.REPORTING, Stage.FEEDBACK], "起草反馈意见")
    _lock(inspection)
    report = final_report(inspection)
    if report is None:
        raise Refused("巡察报告经领导小组同意定稿后，才能起草反馈意见。")
    feedback = Feedback.objects.filter(inspection=inspection, recipient=recipient).first()
    if feedback is None:
        title, summary, requirements = assemble.feedback_texts(inspection, recipient)
        feedback = Feedback(
            inspection=inspection,
            recipient=recipient,
            title=title,
            summary=summary,
            requirements=requirements,
            created_by=by,
        )
    _feedback_writable(feedback)
    feedback.updated_at = timezone.now()
    feedback.save()
    rows = _problem_rows(report, recipient)
    _set_problems(feedback, rows)
    details = {"recipient": recipient, "problems": len(rows)}
    record("feedback.assembled", feedback, by=by, role=role, details=details)
    return feedback


@action
def update_feedback(
    feedback: Feedback, *, title: str, summary: str, requirements: str, by: User | None
) -> Feedback:
    role = require(by, team_roles(feedback.inspection), what="修改反馈意见")
    _lock(feedback)
    _feedback_writable(feedback)
    feedback.title = clean_text(title, label="标题", field="title", limit=TITLE_LIMIT)
    feedback.summary = clean_text(
        summary, label="总体情况", field="summary", limit=TEXT_LIMIT, required=False, multiline=True
    )
    feedback.requirements = clean_text(
        requirements,
        label="意见建议和整改要求",
        field="requirements",
        limit=TEXT_LIMIT,
        required=False,
        multiline=True,
    )
    feedback.updated_at = timezone.now()
    feedback.save()
    record("feedback.updated", feedback, by=by, role=role, details={"recipient": feedback.recipient})
    return feedback


def _clean_problem(feedback: Feedback, row: ProblemInput) -> ProblemInput:
    report = final_report(feedback.inspection)
    allowed = set(report.findings.values_list("pk", flat=True)) if report else set()
    if any(f.pk not in allowed for f in row.findings):
        raise Refused("问题底稿应从定稿巡察报告所依据的问题底稿中选择。", field="findings")
    return ProblemInput(
        title=clean_text(row.title, label="问题", field="title", limit=TITLE_LIMIT),
        description=clean_text(
            row.description, label="具体表现", field="description", limit=TEXT_LIMIT, multiline=True
        ),
        category=row.category,
        findings=list(row.findings),
        responsible=clean_text(
            row.responsible, label="责任主体", field="responsible", limit=200, required=False
        ),
    )


@action
def add_problem(feedback: Feedback, *, data: ProblemInput, by: User | None) -> FeedbackProblem:
    role = require(by, team_roles(feedback.inspection), what="修改反馈问题清单")
    _lock(feedback)
    _feedback_writable(feedback)
    clean = _clean_problem(feedback, data)
    last = feedback.problems.aggregate(n=Max("sequence"))["n"] or 0
    problem = FeedbackProblem(feedback=feedback, sequence=last + 1)
    _apply_problem(problem, clean)
    record("feedback.problem_added", problem, by=by, role=role, details={"number": problem.number})
    return problem


@action
def update_problem(problem: FeedbackProblem, *, data: ProblemInput, by: User | None) -> FeedbackProblem:
    feedback = problem.feedback
    role = require(by, team_roles(feedback.inspection), what="修改反馈问题清单")
    _lock(feedback)
    _feedback_writable(feedback)
    _apply_problem(problem, _clean_problem(feedback, data))
    record("feedback.problem_updated", problem, by=by, role=role, details={"number": problem.number})
    return problem


@action
def remove_problem(problem: FeedbackProblem, *, by: User | None) -> Feedback:
    """Remove a problem; the ones after it move up, so the list stays numbered 1, 2, 3 …"""
    feedback = problem.feedback
    role = require(by, team_roles(feedback.inspection), what="修改反馈问题清单")
    _lock(feedback)
    _feedback_writable(feedback)
    number = problem.number
    record("feedback.problem_removed", problem, by=by, role=role, details={"number": number})
    problem.findings.clear()
    problem.delete()
    for sequence, rest in enumerate(feedback.problems.order_by("sequence"), start=1):
        if rest.sequence != sequence:
            rest.sequence = sequence
            rest.save(update_fields=["sequence"])
    return feedback


@action
def deliver_feedback(
    feedback: Feedback,
    *,
    meeting_on: datetime.date | None,
    place: str,
    attendees: str,
    delivered_by: str,
    by: User | None,
) -> Feedback:
    """The feedback meeting (反馈会) was held: the feedback and its problems are frozen from now on."""
    role = require(by, deliverer_roles(feedback), what="记录反馈会")
    _lock(feedback)
    _feedback_writable(feedback)
    inspection = feedback.inspection
    _in_stage(inspection, [Stage.FEEDBACK], "召开反馈会")
    if final_report(inspection) is None:
        raise Refused("巡察报告尚未经领导小组同意定稿，不能反馈。")
    if not feedback.problems.exists():
        raise Refused("反馈意见的问题清单为空，请先汇总或增加问题。")
    if meeting_on is None:
        raise Refused("请填写反馈会日期。", field="meeting_on")
    if meeting_on > timezone.localdate():
        raise Refused("反馈会日期不能晚于今天。", field="meeting_on")
    feedback.meeting_on = meeting_on
    feedback.meeting_place = clean_text(place, label="反馈会地点", field="place", limit=SHORT_LIMIT)
    feedback.attendees = clean_text(
        attendees, label="参会人员", field="attendees", limit=NOTE_LIMIT, multiline=True
    )
    feedback.delivered_by_name = clean_text(
        delivered_by, label="反馈人", field="delivered_by", limit=SHORT_LIMIT
    )
    feedback.status = FeedbackStatus.DELIVERED
    feedback.recorded_by, feedback.delivered_at = by, timezone.now()
    feedback.save()
    details = {
        "recipient": feedback.recipient,
        "meeting_on": meeting_on,
        "problems": feedback.problems.count(),
    }
    record("feedback.delivered", feedback, by=by, role=role, details=details)
    return feedback
