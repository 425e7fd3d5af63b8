"""What reports puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the team report, the round's comprehensive report (综合报告), the record of each hearing (领导小组听取汇报)
that decided on the team report, the minutes of each 书记专题会 that decided on the inspection, the feedback
to the unit and to its principal leader, and the team's submitted weekly reports (周报)."""

import datetime
from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.rounds.archive import ArchiveFile, Retention
from xuncha.rounds.models import Inspection

from . import weekly_counts
from .choices import ReportKind, WeeklyStatus
from .documents import feedback_docx, report_docx
from .meeting import meeting_docx
from .models import Feedback, Hearing, Report, SecretaryMeeting, WeeklyReport
from .weekly import week_label


def hearing_document(hearing: Hearing, inspection: Inspection) -> bytes:
    committee = hearing.round.committee.name
    doc = OfficialDocument()
    doc.title("巡察工作领导小组听取巡察情况汇报记录")
    doc.paragraph(f"时间：{hearing.held_on:%Y-%m-%d}")
    doc.paragraph(f"出席人员：{hearing.attendees}")
    doc.paragraph(f"{committee}巡察工作领导小组听取{hearing.round.name}巡察情况汇报，决定如下：")
    for decision in hearing.decisions.filter(report__inspection=inspection).select_related("report"):
        doc.heading(1, f"{decision.report.title}：{decision.get_decision_display()}")
        if decision.opinion.strip():
            doc.paragraph(decision.opinion)
    doc.signature(f"{committee}巡察工作领导小组办公室", hearing.held_on)
    return doc.save()


def weekly_document(report: WeeklyReport) -> bytes:
    inspection = report.inspection
    doc = OfficialDocument()
    doc.title(f"{inspection.team_signature}巡察工作周报（{week_label(report.week_start)}）")
    doc.heading(1, "本周数据")
    for label, text in weekly_counts.lines(report.counts):
        doc.paragraph(f"{label}：{text}")
    for heading, text in (
        ("本周工作情况", report.narrative),
        ("发现的主要问题", report.problems),
        ("下周工作计划", report.next_plan),
        ("巡察办意见", report.office_comment),
    ):
        if text.strip():
            doc.heading(1, heading)
            doc.paragraph(text)
    doc.signature(inspection.team_signature, timezone.localdate(report.submitted_at))
    return doc.save()


def _day(report: Report) -> datetime.date:
    return timezone.localdate(report.final_at or report.submitted_at or report.updated_at)


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    reports = Report.objects.filter(inspection=inspection, kind=ReportKind.TEAM)
    for report in reports:
        yield ArchiveFile(
            "报告/巡察报告.docx",
            report_docx(report),
            title=report.title,
            day=_day(report),
            retention=Retention.PERMANENT,
        )
    comprehensive = Report.objects.filter(round_id=inspection.round_id, kind=ReportKind.COMPREHENSIVE)
    for report in comprehensive.select_related("round__committee"):
        yield ArchiveFile(
            "报告/综合报告.docx",
            report_docx(report),
            title=report.title,
            author=f"{inspection.round.committee.name}巡察工作领导小组办公室",
            day=_day(report),
            retention=Retention.PERMANENT,
        )
    hearings = (
        Hearing.objects.filter(decisions__report__in=reports).distinct().select_related("round__committee")
    )
    for n, hearing in enumerate(hearings.order_by("held_on", "pk"), 1):
        yield ArchiveFile(
            f"报告/听取汇报记录/{n:02d}听取汇报记录{hearing.held_on:%Y%m%d}.docx",
            hearing_document(hearing, inspection),
            title="巡察工作领导小组听取巡察情况汇报记录",
            author=f"{inspection.round.committee.name}巡察工作领导小组",
            day=hearing.held_on,
            retention=Retention.PERMANENT,
        )
    meetings = SecretaryMeeting.objects.filter(decisions__inspection=inspection).distinct()
    for n, meeting in enumerate(meetings.select_related("round__committee").order_by("held_on", "pk"), 1):
        yield ArchiveFile(
            f"报告/书记专题会议纪要/{n:02d}书记专题会议纪要{meeting.held_on:%Y%m%d}.docx",
            meeting_docx(meeting),
            title=f"{meeting.round.committee.name}书记专题会议纪要",
            author=meeting.round.committee.name,
            day=meeting.held_on,
            retention=Retention.PERMANENT,
        )
    for feedback in Feedback.objects.filter(inspection=inspection).order_by("recipient"):
        yield ArchiveFile(
            f"报告/反馈意见（{feedback.get_recipient_display()}）.docx",
            feedback_docx(feedback),
            title=feedback.title,
            day=feedback.meeting_on,
            retention=Retention.PERMANENT,
        )
    weeklies = WeeklyReport.objects.filter(inspection=inspection).exclude(status=WeeklyStatus.DRAFT)
    weeklies = weeklies.select_related("inspection__round__committee", "inspection__team")
    for weekly in weeklies.order_by("week_start"):
        yield ArchiveFile(
            f"报告/周报/周报{weekly.week_start:%Y%m%d}.docx",
            weekly_document(weekly),
            title=f"巡察工作周报（{week_label(weekly.week_start)}）",
            day=timezone.localdate(weekly.submitted_at),
            retention=Retention.YEARS_10,
        )
