"""Archive check of rectification: an inspection is archived only with its plan approved, every item closed
(or long-term with every milestone due so far closed), and the rectification report and the secretary's
implementation report received."""

from django.utils import timezone

from xuncha.rounds.models import Inspection

from .choices import ItemKind, ItemStatus, ReportKind
from .deadlines import REPORT_KINDS_DUE
from .models import Item, Plan, UnitReport


def _open(item: Item) -> bool:
    if item.is_closed:
        return False
    if item.kind != ItemKind.LONG_TERM:
        return True
    milestones = list(item.milestones.all())
    today = timezone.localdate()
    due = [m for m in milestones if m.due_on <= today]
    return not milestones or any(m.status != ItemStatus.CLOSED for m in due)


def open_items(inspection: Inspection) -> list[str]:
    lines: list[str] = []
    plan = Plan.objects.filter(inspection=inspection).first()
    if plan is None:
        lines.append("整改方案尚未报送")
    elif not plan.is_approved:
        lines.append("整改方案尚未经巡察办审核通过")
    items = Item.objects.filter(inspection=inspection).prefetch_related("milestones")
    for item in items:
        if _open(item):
            lines.append(f"整改事项{item.code}尚未销号")
    received = set(UnitReport.objects.filter(inspection=inspection).values_list("kind", flat=True))
    for kind in REPORT_KINDS_DUE:
        if kind not in received:
            lines.append(f"尚未收到{ReportKind(kind).label}")
    return lines
