"""Archive check of rectification: an inspection is archived only with every item closed (or long-term with
every milestone due so far closed) and, once its feedback to the unit was delivered, its plan approved and
the rectification report and the secretary's implementation report received. Like the other apps' checks
it names what is open; an inspection that never had feedback or items has nothing open here."""

from django.urls import reverse
from django.utils import timezone

from xuncha.rounds.checks import OpenItem
from xuncha.rounds.models import Inspection

from .choices import ItemKind, ItemStatus, NoticeStatus, ReportKind
from .deadlines import REPORT_KINDS_DUE, delivered_on
from .lookback import unchecked_items
from .models import Item, Plan, SupervisionNotice, UnitReport


def _open(item: Item) -> bool:
    if item.is_closed:
        return False
    if item.kind != ItemKind.LONG_TERM:
        return True
    milestones = list(item.milestones.all())
    today = timezone.localdate()
    due = [m for m in milestones if m.due_on <= today]
    return not milestones or any(m.status != ItemStatus.CLOSED for m in due)


def open_items(inspection: Inspection) -> list[OpenItem]:
    items = Item.objects.filter(inspection=inspection).prefetch_related("milestones")
    lines = [
        OpenItem(f"整改事项{item.code}尚未销号", reverse("rectification:item", args=[item.pk]))
        for item in items
        if _open(item)
    ]
    if delivered_on(inspection) is None:
        return lines
    page = reverse("rectification:inspection", args=[inspection.pk])
    plan = Plan.objects.filter(inspection=inspection).first()
    if plan is None:
        lines.insert(0, OpenItem("整改方案尚未报送", page))
    elif not plan.is_approved:
        lines.insert(0, OpenItem("整改方案尚未经巡察办审核通过", page))
    received = set(UnitReport.objects.filter(inspection=inspection).values_list("kind", flat=True))
    upload = reverse("rectification:report-upload", args=[inspection.pk])
    for kind in REPORT_KINDS_DUE:
        if kind not in received:
            lines.append(OpenItem(f"尚未收到{ReportKind(kind).label}", upload))
    return lines


def open_notices(inspection: Inspection) -> list[OpenItem]:
    """Every supervision notice (督办单) of the inspection not yet closed (办结)."""
    notices = SupervisionNotice.objects.filter(inspection=inspection).exclude(status=NoticeStatus.CLOSED)
    return [
        OpenItem(f"督办单{n.number}尚未办结", reverse("rectification:notice", args=[n.pk]))
        for n in notices.order_by("year", "sequence")
    ]


def unchecked_lookback(inspection: Inspection) -> list[OpenItem]:
    """A look-back inspection: every earlier item in force has the team's verdict (回头看核查)."""
    items = unchecked_items(inspection).select_related("inspection__team", "inspection__unit")
    return [
        OpenItem(
            f"“回头看”尚未核查：{item.inspection}的{item.code}",
            reverse("rectification:lookback-check", args=[inspection.pk, item.pk]),
        )
        for item in items.order_by("inspection_id", "number")
    ]
