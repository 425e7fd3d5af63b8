"""Stage checks of reports, registered with ``rounds.checks``: an inspection enters 反馈 only with its team
report final, and 整改 only with the feedback to the unit delivered (the rectification period runs from
that delivery)."""

from xuncha.rounds.models import Inspection

from .choices import FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import Feedback, Report


def feedback_ready(inspection: Inspection) -> list[str]:
    final = Report.objects.filter(
        kind=ReportKind.TEAM, inspection=inspection, status=ReportStatus.FINAL
    ).exists()
    return [] if final else ["巡察报告尚未经领导小组同意定稿"]


def rectifying_ready(inspection: Inspection) -> list[str]:
    delivered = Feedback.objects.filter(
        inspection=inspection, recipient=Recipient.UNIT, status=FeedbackStatus.DELIVERED
    ).exists()
    return [] if delivered else ["向被巡察党组织的反馈意见尚未送达"]
