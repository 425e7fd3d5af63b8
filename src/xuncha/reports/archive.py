"""Archive check of reports ("件件有着落"): an inspection is not archived while its team report waits for
the hearing or revision, while a final report's feedback to the unit is undelivered, or while a feedback
to the principal leader is still a draft. Like the other apps' checks it names what is open; an
inspection that never had a report has nothing open here."""

from django.urls import reverse

from xuncha.rounds.checks import OpenItem
from xuncha.rounds.models import Inspection

from .choices import FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import Feedback, Report


def _feedback_url(inspection: Inspection, recipient: str, feedback: Feedback | None) -> str:
    """The feedback's page, or where it is drafted when there is none yet."""
    if feedback is not None:
        return reverse("reports:feedback-detail", args=[feedback.pk])
    return reverse("reports:feedback-assemble", args=[inspection.pk, recipient])


def open_items(inspection: Inspection) -> list[OpenItem]:
    report = Report.objects.filter(kind=ReportKind.TEAM, inspection=inspection).first()
    if report is None:
        return []
    if report.status != ReportStatus.FINAL:
        url = reverse("reports:report-detail", args=[report.pk])
        return [OpenItem("巡察报告尚未经领导小组同意定稿", url)]
    feedbacks = {f.recipient: f for f in Feedback.objects.filter(inspection=inspection)}
    unit, principal = feedbacks.get(Recipient.UNIT), feedbacks.get(Recipient.PRINCIPAL)
    items = []
    if unit is None or unit.status != FeedbackStatus.DELIVERED:
        url = _feedback_url(inspection, Recipient.UNIT, unit)
        items.append(OpenItem("向被巡察党组织的反馈意见尚未送达", url))
    if principal is not None and principal.status == FeedbackStatus.DRAFT:
        url = _feedback_url(inspection, Recipient.PRINCIPAL, principal)
        items.append(OpenItem("向党组织主要负责人的反馈意见尚未送达", url))
    return items
