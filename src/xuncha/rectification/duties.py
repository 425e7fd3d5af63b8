"""What a unit still owes on time for one inspection: the plan (until submitted) and the two reports (until
uploaded), each with its due date. The home panels read it; so may deadline reminders."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from xuncha.rounds.models import Inspection

from .choices import PlanStatus, ReportKind
from .deadlines import REPORT_KINDS_DUE, plan_due_on, reports_due_on
from .models import Plan, UnitReport


@dataclass(frozen=True)
class Duty:
    inspection: Inspection
    what: str
    due_on: datetime.date

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.due_on < (today or timezone.localdate())


def duties(inspection: Inspection) -> list[Duty]:
    found: list[Duty] = []
    plan_due = plan_due_on(inspection)
    if plan_due is None:
        return found
    status = Plan.objects.filter(inspection=inspection).values_list("status", flat=True).first()
    if status in (None, PlanStatus.DRAFT, PlanStatus.RETURNED):
        found.append(Duty(inspection, "整改方案", plan_due))
    reports_due = reports_due_on(inspection)
    received = set(UnitReport.objects.filter(inspection=inspection).values_list("kind", flat=True))
    if reports_due is not None:
        found.extend(
            Duty(inspection, str(ReportKind(kind).label), reports_due)
            for kind in REPORT_KINDS_DUE
            if kind not in received
        )
    return found
