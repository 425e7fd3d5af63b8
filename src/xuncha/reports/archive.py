"""Archive check of reports: an inspection is archived only with its report final and its feedback to the
unit (and any feedback to the principal leader) delivered."""

from xuncha.rounds.models import Inspection

from .choices import FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import Feedback, Report


def open_items(inspection: Inspection) -> list[str]:
    items: list[str] = []
    if not Report.objects.filter(
        kind=ReportKind.TEAM, inspection=inspection, status=ReportStatus.FINAL
    ).exists():
        items.append("巡察报告尚未经领导小组同意定稿")
    feedbacks = {f.recipient: f.status for f in Feedback.objects.filter(inspection=inspection)}
    if feedbacks.get(Recipient.UNIT) != FeedbackStatus.DELIVERED:
        items.append("向被巡察党组织的反馈意见尚未送达")
    if feedbacks.get(Recipient.PRINCIPAL) == FeedbackStatus.DRAFT:
        items.append("向党组织主要负责人的反馈意见尚未送达")
    return items
