"""What reports puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the team report and the feedback to the unit and to its principal leader."""

from collections.abc import Iterator

from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from .choices import ReportKind
from .documents import feedback_docx, report_docx
from .models import Feedback, Report


def documents(inspection: Inspection, by: User) -> Iterator[tuple[str, bytes]]:
    for report in Report.objects.filter(inspection=inspection, kind=ReportKind.TEAM):
        yield "报告/巡察报告.docx", report_docx(report)
    for feedback in Feedback.objects.filter(inspection=inspection).order_by("recipient"):
        yield f"报告/反馈意见（{feedback.get_recipient_display()}）.docx", feedback_docx(feedback)
