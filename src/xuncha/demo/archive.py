"""An archived inspection in the demo (``demo-data --history``): 江州市委's round of four years ago,
第一巡察组 at 市农业农村局, taken through every stage with one record of each kind the archive package
holds — the 巡察公告, a 了解情况函 answered with a file, a document request answered with a file, a
democratic evaluation and a questionnaire, a personal-matters spot check, an activity with its file, a
signed-off finding and its clue reported back, a weekly report, the team and comprehensive reports and
the hearing, the feedback, the plan, an item closed on evidence, the unit's reports, a 督办单 answered
with a file and closed — then archived by the office, which seals its package.

The system (``by=None``) records most of the team's steps, as in demo/history.py; 刘振华 (t1_leader) leads
the team and 吴涛 (t2_member) is on it where a step needs an account, the unit's liaison is appointed for
it, and the office, the leading group and 纪委监委 act as themselves. The team's and the liaison's roles
end with the archiving. Dates are those of the actions (today): the round's own dates place
it in the past.
"""

import datetime
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.fieldwork.actions import activities, checks, documents, surveys
from xuncha.fieldwork.actions.activities import ActivityInput
from xuncha.fieldwork.choices import ActivityKind, CheckResult, QuestionKind, SurveyKind
from xuncha.findings.clues import actions as clues
from xuncha.findings.clues import transfers
from xuncha.intake.actions import announcements
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import DepartmentKind
from xuncha.preparation import actions as preparation
from xuncha.preparation.choices import RequestKind
from xuncha.rectification.actions import items, plans, supervision
from xuncha.rectification.actions import reports as unit_reports
from xuncha.rectification.choices import ItemKind
from xuncha.rectification.choices import ReportKind as UnitReportKind
from xuncha.reports import actions as reports
from xuncha.reports import weekly
from xuncha.reports.choices import Decision, Recipient
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Term

from .data import CITY
from .history import _findings
from .plans import SECRETARIES, prepare_round
from .reports import hold_secretary_meeting

if TYPE_CHECKING:
    from .build import World

UNIT = "agri"
LIAISON = "liaison_agri"


def _docx(title: str, text: str) -> bytes:
    doc = OfficialDocument()
    doc.title(title)
    doc.paragraph(text)
    return doc.save()


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n% {text}\n".encode()


def _liaison(inspection: Inspection) -> User:
    """The unit's liaison, appointed by the office for this inspection (the role ends with the archiving)."""
    return User.objects.get(username=LIAISON)


def _fieldwork(w: "World", inspection: Inspection) -> None:
    today = timezone.localdate()
    now = timezone.now()
    unit = inspection.unit.name
    announcement = announcements.save_announcement(
        inspection,
        window_starts_at=now - datetime.timedelta(days=1),
        window_ends_at=now + datetime.timedelta(days=30),
        phone="0791-88880009",
        duty_hours="每天 8:00—20:00",
        duty_starts=datetime.time(8),
        duty_ends=datetime.time(20),
        postal_box="江州市 A009 号邮政信箱",
        email="xuncha-agri@jiangzhou.example.cn",
        box_locations=f"{unit}一楼大厅",
        visit_place=f"{unit}办公楼 3 楼 301 室（巡察组驻地）",
        by=None,
    )
    announcements.publish_announcement(announcement, by=None)

    jiwei = next(d for (c, kind), d in w.departments.items() if c == CITY and kind == DepartmentKind.JIWEI)
    request = preparation.send_request(
        inspection,
        kind=RequestKind.ASSISTANCE,
        subject=f"提请协助提供{unit}有关问题线索",
        questions=f"近三年收到的反映{unit}领导班子的问题线索及处置情况。",
        due_on=today + datetime.timedelta(days=7),
        departments=[jiwei],
        by=None,
    )
    preparation.answer_request(
        request.recipients.get(),
        text="近三年共收到反映该局领导班子的问题线索 2 件，均已办结，详见附件。",
        files=[Upload(name="问题线索处置情况.docx", data=_docx("问题线索处置情况", "2 件线索均已办结。"))],
        by=w.users["jiwei"],
    )

    # A request has a maker: the team member with an account, read afresh with the role on this team.
    member = User.objects.get(pk=w.users["t2_member"].pk)
    doc_request = documents.start_document_request(inspection, title="调阅资料清单", by=member)
    item = documents.add_document_item(doc_request, what="近三年党组会议记录", period="近三年", by=member)
    documents.issue_document_request(doc_request, by=member)
    minutes = Upload(
        name="党组会议记录（摘录）.docx", data=_docx("党组会议记录（摘录）", "研究农业项目资金分配。")
    )
    documents.answer_document_item(
        item, answer="已提供会议记录摘录。", files=[minutes], by=_liaison(inspection)
    )
    documents.accept_document_item(item, by=member)

    rng = random.Random(2022)  # noqa: S311 - the same demo answers every time, not a secret
    evaluation = surveys.create_survey(
        inspection, kind=SurveyKind.LEADERSHIP, title=f"{unit}领导班子和领导干部民主测评", by=None
    )
    questionnaire = surveys.create_survey(
        inspection, kind=SurveyKind.CUSTOM, title="作风建设问卷调查", by=None
    )
    surveys.add_question(
        questionnaire,
        kind=QuestionKind.SINGLE,
        text="您认为本单位“四风”问题整治成效如何？",
        options=["明显", "有所改进", "变化不大", "不了解"],
        by=None,
    )
    for survey in (evaluation, questionnaire):
        surveys.open_survey(survey, by=None)
        for code in surveys.issue_tokens(survey, count=8, by=None):
            answers = {str(q.pk): rng.choice(q.options) for q in survey.questions.all() if q.options}
            surveys.respond(token=code, answers=answers)
        surveys.close_survey(survey, by=None)

    check = checks.create_check(inspection, title="领导干部报告个人有关事项抽查核实", sample_size=2, by=None)
    check = checks.draw(check, by=None)
    for checked in check.persons.order_by("position"):
        checks.record_result(
            checked, result=CheckResult.CONSISTENT, details="与查核结果一致。", to_finding=False, by=None
        )

    activities.create_activity(
        inspection,
        data=ActivityInput(
            kind=ActivityKind.BRIEFING,
            title=f"听取{unit}党组工作情况汇报",
            starts_at=now - datetime.timedelta(hours=3),
            ends_at=now - datetime.timedelta(hours=1),
            place=f"{unit}三楼会议室",
            notes="党组书记汇报了落实全面从严治党主体责任情况。",
        ),
        uploads=[Upload(name="党组工作情况汇报.pdf", data=_pdf("党组工作情况汇报"))],
        by=None,
    )
    weekly_report = weekly.start_weekly_report(inspection, week_start=today, by=None)
    weekly.submit_weekly_report(weekly_report, by=None)


def _clue(w: "World", inspection: Inspection) -> None:
    finding = _findings(inspection, 0)[0]
    clue = clues.draft_clue(
        inspection,
        data=clues.ClueInput(
            title="违规发放津贴补贴问题线索",
            content=finding.description,
            kind="discipline",
            persons=list(finding.persons.all()),
            finding=finding,
        ),
        by=None,
    )
    clues.submit_clue(clue, by=None)
    clues.approve_clue(clue, by=User.objects.get(pk=w.users["t1_leader"].pk))  # with this team's role
    clue = clues.approve_clue(clue, by=w.users["office"])
    jiwei = w.users["jiwei"]
    transfer = transfers.transfer_clue(clue, by=w.users["office"])
    transfers.receive_clue_transfer(transfer, by=jiwei)
    transfers.dispose_clue_transfer(transfer, disposal="verify", by=jiwei)
    transfers.report_clue_transfer(
        transfer, outcome="form_1", result="经初步核实，问题属实，对相关责任人批评教育并责令退还。", by=jiwei
    )


def _report_and_feedback(w: "World", inspection: Inspection) -> Inspection:
    report = reports.submit_report(reports.assemble_report(inspection, by=None), by=None)
    reports.record_hearing(
        inspection.round,
        held_on=timezone.localdate(),
        attendees="巡察工作领导小组组长、副组长及成员",
        items=[reports.HearingItem(report, Decision.APPROVED, "同意，按程序反馈。")],
        by=w.users["leader"],
    )
    reports.assemble_comprehensive(inspection.round, by=w.users["office"])
    hold_secretary_meeting(
        [inspection], held_on=timezone.localdate(), chair=SECRETARIES["city"], by=w.users["office"]
    )
    from .build import advance  # build imports history, which this module imports

    inspection = advance(inspection, Stage.FEEDBACK, by=w.users["office"])
    feedback = reports.assemble_feedback(inspection, recipient=Recipient.UNIT, by=None)
    reports.deliver_feedback(
        feedback,
        meeting_on=timezone.localdate(),
        place=f"{inspection.unit.name}会议室",
        attendees="被巡察党组织领导班子成员",
        delivered_by="第一巡察组组长",
        by=w.users["office"],
    )
    return advance(inspection, Stage.RECTIFYING, by=w.users["office"])


def _rectification(w: "World", inspection: Inspection) -> None:
    office, liaison = w.users["office"], _liaison(inspection)
    problems = (
        FeedbackProblem.objects.delivered().filter(feedback__inspection=inspection).order_by("sequence")
    )
    plan = plans.start_plan(inspection, by=liaison)
    for problem in problems:
        task = plans.TaskInput(
            problem=problem,
            measure=f"针对“{problem.title}”逐项整改，建立长效制度。",
            kind=ItemKind.DEADLINE,
            leader="局长",
            department="办公室",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        plans.add_task(plan, task, by=liaison)
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, note="同意。", by=office)
    for each in inspection.rectification_items.all():
        evidence = Upload(name="整改佐证.pdf", data=_pdf(f"整改佐证 {each.pk}"))
        items.add_progress(each, text="已整改到位。", files=[evidence], by=liaison)
        items.submit_item(each, by=liaison)
        items.close_item(each, note="经核实，同意销号。", by=office)
    for kind in (UnitReportKind.RECTIFICATION, UnitReportKind.SECRETARY):
        unit_reports.upload_report(
            inspection,
            kind=kind,
            file=Upload(name=f"{UnitReportKind(kind).label}.pdf", data=_pdf(str(kind))),
            by=liaison,
        )
    notice = supervision.issue_notice(
        inspection,
        subject="督促追缴违规发放的津贴补贴",
        requirements="请于 15 日内追缴到位并报送办理情况。",
        due_on=timezone.localdate() + datetime.timedelta(days=15),
        lead_unit=inspection.unit,
        by=office,
    )
    supervision.respond(
        notice,
        unit=inspection.unit,
        text="已全部追缴到位。",
        files=[Upload(name="追缴凭证.pdf", data=_pdf("追缴凭证"))],
        by=liaison,
    )
    supervision.close_notice(notice, note="办理到位，同意办结。", by=office)
    supervision.assess(inspection, score=90, comments="整改到位。", by=office)


def build_archived(w: "World") -> Inspection:
    office = w.users["office"]
    committee = w.committees[CITY]
    year = timezone.localdate().year - 4
    start = datetime.date(year, 3, 1)
    round_ = rounds.create_round(
        committee=committee,
        term=Term.objects.filter(committee=committee, starts_on__lte=start, ends_on__gte=start).first(),
        number=9,
        name=f"{year}年市委第一轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=start,
        planned_end=datetime.date(year, 6, 30),
        by=office,
    )
    team = rounds.create_team(round=round_, name="第一巡察组", by=office)
    inspection = rounds.create_inspection(round=round_, team=team, unit=w.units[UNIT], by=office)
    for key, role in (
        ("t1_leader", TeamRole.LEADER),
        ("i10", TeamRole.MEMBER),
        ("t2_member", TeamRole.MEMBER),
    ):
        rounds.add_team_member(team=team, inspector=w.inspectors[key], role=role, by=office)
    orgs.appoint(
        role=Role.UNIT_LIAISON,
        scope_id=w.units[UNIT].pk,
        username=LIAISON,
        full_name="联络人 陈刚",
        by=office,
    )
    prepare_round(round_, office=office, approver=w.users["leader"], secretary=SECRETARIES["city"])
    from .build import advance  # build imports history, which this module imports

    inspection = advance(inspection, Stage.FIELDWORK, by=office)
    _fieldwork(w, inspection)
    _clue(w, inspection)
    inspection = advance(
        inspection, Stage.REPORTING, by=office, reason_to_end_fieldwork="了解阶段已按计划完成。"
    )
    inspection = _report_and_feedback(w, inspection)
    _rectification(w, inspection)
    return advance(inspection, Stage.ARCHIVED, by=office)
