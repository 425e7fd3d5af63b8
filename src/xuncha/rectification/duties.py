"""What a unit still owes on time for one inspection: the plan (until submitted) and the two reports (until
uploaded), each with its due date. The home panels read it; so may deadline reminders."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from xuncha.reports.choices import FeedbackStatus, Recipient
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Inspection

from .choices import PlanStatus, ReportKind
from .deadlines import REPORT_KINDS_DUE, due_after
from .models import Plan, UnitReport


@dataclass(frozen=True)
class Duty:
    inspection: Inspection
    what: str
    due_on: datetime.date

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.due_on < (today or timezone.localdate())


def duties(inspection: Inspection) -> list[Duty]:
    return duties_of(Inspection.objects.filter(pk=inspection.pk).select_related("round__committee__settings"))


def duties_of(inspections: QuerySet[Inspection]) -> list[Duty]:
    """What the units owe for ``inspections`` (with ``round__committee__settings`` selected), in one query
    however many there are: the feedback's delivery, the plan's status and the reports in are annotated."""
    annotated = inspections.annotate(
        delivered_on=Subquery(
            Feedback.objects.filter(
                inspection=OuterRef("pk"), recipient=Recipient.UNIT, status=FeedbackStatus.DELIVERED
            ).values("meeting_on")[:1]
        ),
        plan_status=Subquery(Plan.objects.filter(inspection=OuterRef("pk")).values("status")[:1]),
        **{
            f"has_{kind}": Exists(UnitReport.objects.filter(inspection=OuterRef("pk"), kind=kind))
            for kind in REPORT_KINDS_DUE
        },
    )
    found: list[Duty] = []
    for inspection in annotated:
        start: datetime.date | None = getattr(inspection, "delivered_on")  # noqa: B009  # an annotation
        if start is None:
            continue
        if getattr(inspection, "plan_status") in (None, PlanStatus.DRAFT, PlanStatus.RETURNED):  # noqa: B009
            found.append(Duty(inspection, "整改方案", due_after(start, inspection, "plan_days")))
        reports_due = due_after(start, inspection, "rectification_report_days")
        found.extend(
            Duty(inspection, str(ReportKind(kind).label), reports_due)
            for kind in REPORT_KINDS_DUE
            if not getattr(inspection, f"has_{kind}")
        )
    return found
