"""Pages of reports and feedback: the inspection's section, assembling and editing with versions, the
leading group's hearing, the comprehensive report from the round's page, the feedback meeting, the
audited and watermarked downloads, and the home panels."""

import io
from collections.abc import Callable
from types import SimpleNamespace

import docx
import pytest
from django.test import Client
from django.utils import timezone

from xuncha.core.models import AuditEvent
from xuncha.rounds.choices import Stage

from ..choices import FeedbackStatus, Recipient, ReportStatus
from ..models import Feedback, Hearing, Report
from .support import final, prepare, set_stage, submitted, unit_feedback

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def test_the_team_assembles_and_edits_the_report_from_the_inspection_page(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    member = client_for("t1_member")
    page = member.get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    assert "汇总巡察报告" in page
    response = member.post(f"/reports/inspections/{w.inspection1.pk}/assemble/")
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"

    response = member.post(f"/reports/{report.pk}/edit/", {"title": "", "problems": "x"})
    assert "请填写标题" in response.content.decode() or "这个字段是必填项" in response.content.decode()
    assert report.versions.count() == 1  # nothing saved
    data = {
        "title": report.title,
        "basics": "改写的基本情况",
        "problems": report.problems,
        "clues": "",
        "suggestions": "建议",
    }
    assert member.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    detail = member.get(f"/reports/{report.pk}/").content.decode()
    assert "第 2 版" in detail and "改写的基本情况" in detail and "修改前" in detail
    assert "报送领导小组" not in detail  # the member does not submit
    assert "报送领导小组" in client_for("t1_leader").get(f"/reports/{report.pk}/").content.decode()
    assert (
        "汇总巡察报告"
        not in client_for("office").get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    )


def test_the_hearing_form_records_a_decision_per_submitted_report(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    report = submitted(w)
    leader = client_for("leader")
    assert "待听取汇报的巡察报告" in leader.get("/").content.decode()
    url = f"/reports/rounds/{w.round.pk}/hearing/"
    today = timezone.localdate().isoformat()
    base = {"held_on": today, "attendees": "领导小组组长、成员"}
    response = leader.post(url, {**base, f"decision_{report.pk}": "revise"})
    assert "请填写领导小组意见" in response.content.decode() and not Hearing.objects.exists()
    response = leader.post(url, {**base, f"decision_{report.pk}": "approved"})
    hearing = Hearing.objects.get()
    assert response.url == f"/reports/hearings/{hearing.pk}/"
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert "同意" in leader.get(response.url).content.decode()

    office = client_for("office")
    round_page = office.get(f"/rounds/{w.round.pk}/").content.decode()
    assert "汇总综合报告" in round_page
    response = office.post(f"/reports/rounds/{w.round.pk}/comprehensive/")
    comprehensive = Report.objects.get(kind="comprehensive")
    assert response.url == f"/reports/{comprehensive.pk}/"
    assert client_for("t1_leader").get(f"/reports/{comprehensive.pk}/").status_code == 404


def test_feedback_is_delivered_at_the_meeting_and_the_liaison_then_reads_it(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    final(w)
    member, leader, liaison = client_for("t1_member"), client_for("t1_leader"), client_for("liaison1")
    page = member.get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    assert "起草反馈意见（被巡察党组织）" in page and "起草反馈意见（党组织主要负责人）" in page
    response = member.post(f"/reports/feedbacks/inspections/{w.inspection1.pk}/unit/assemble/")
    feedback = Feedback.objects.get(recipient=Recipient.UNIT)
    assert response.url == f"/reports/feedbacks/{feedback.pk}/"
    assert liaison.get(response.url).status_code == 404

    deliver = f"/reports/feedbacks/{feedback.pk}/deliver/"
    data = {
        "meeting_on": timezone.localdate().isoformat(),
        "place": "三楼会议室",
        "attendees": "班子成员",
        "delivered_by": "组长 刘振华",
    }
    response = leader.post(deliver, data)
    assert "“反馈”阶段" in response.content.decode()  # still 报告: refused on the form
    set_stage(w.inspection1, Stage.FEEDBACK)
    assert "待反馈的反馈意见" in leader.get("/").content.decode()
    assert leader.post(deliver, data).status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.DELIVERED

    detail = liaison.get(f"/reports/feedbacks/{feedback.pk}/").content.decode()
    assert "违规公款宴请" in detail and "底稿001" not in detail  # the problems, not the team's findings
    assert (
        "反馈意见（被巡察党组织）" in liaison.get(f"/rounds/inspections/{w.inspection1.pk}/").content.decode()
    )
    response = liaison.get(f"/reports/feedbacks/{feedback.pk}/download/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    document = docx.Document(io.BytesIO(response.content))
    assert "liaison1" in "".join(p.text for p in document.sections[0].header.paragraphs)  # watermark
    event = AuditEvent.objects.filter(action="feedback.read").get()
    assert event.actor == w.users["liaison1"] and event.role == "unit_liaison"


def test_problems_are_added_edited_and_removed_while_draft(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    feedback = unit_feedback(w)
    member = client_for("t1_member")
    url = f"/reports/feedbacks/{feedback.pk}/problems/new/"
    response = member.post(url, {"title": "会议费管理不规范", "description": "", "findings": [w.unsigned.pk]})
    assert response.status_code == 200 and feedback.problems.count() == 1
    response = member.post(
        url, {"title": "会议费管理不规范", "description": "超标准列支。", "findings": [w.banquet.pk]}
    )
    assert response.status_code == 302 and feedback.problems.count() == 2
    first = feedback.problems.get(sequence=1)
    assert member.post(f"/reports/feedbacks/problems/{first.pk}/remove/").status_code == 302
    assert [p.title for p in feedback.problems.all()] == ["会议费管理不规范"]


def test_a_report_download_is_audited(w: SimpleNamespace, client_for: ClientFor) -> None:
    report = final(w)
    response = client_for("office").get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="report.read", object_id=str(report.pk)).count() == 1
    assert client_for("t2_member").get(f"/reports/{report.pk}/download/").status_code == 404
    assert not AuditEvent.objects.filter(action="report.read", actor=w.users["t2_member"]).exists()


def test_lists_filter_and_page(w: SimpleNamespace, client_for: ClientFor) -> None:
    final(w)
    office = client_for("office")
    assert "关于巡察市财政局党组织的情况报告" in office.get("/reports/?status=final").content.decode()
    assert "关于巡察市财政局党组织的情况报告" not in office.get("/reports/?status=draft").content.decode()
    assert office.get("/reports/?status=nonsense&page=999").status_code == 200
    unit_feedback(w)
    assert "反馈意见" in office.get("/reports/feedbacks/?recipient=unit&q=财政").content.decode()
