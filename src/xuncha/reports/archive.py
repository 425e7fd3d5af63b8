"""Archive check of reports ("件件有着落"): an inspection is not archived while its team report waits for
the hearing or revision, while a final report's feedback to the unit is undelivered, or while a feedback
to the principal leader is still a draft. Like the other apps' checks it names what is open; an
inspection that never had a report has nothing open here."""

from xuncha.rounds.models import Inspection

from .choices import FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import Feedback, Report


def open_items(inspection: Inspection) -> list[str]:
    report = Report.objects.filter(kind=ReportKind.TEAM, inspection=inspection).first()
    if report is None:
        return []
    if report.status != ReportStatus.FINAL:
        return ["巡察报告尚未经领导小组同意定稿"]
    feedbacks = {f.recipient: f.status for f in Feedback.objects.filter(inspection=inspection)}
    items = []
    if feedbacks.get(Recipient.UNIT) != FeedbackStatus.DELIVERED:
        items.append("向被巡察党组织的反馈意见尚未送达")
    if feedbacks.get(Recipient.PRINCIPAL) == FeedbackStatus.DRAFT:
        items.append("向党组织主要负责人的反馈意见尚未送达")
    return items
