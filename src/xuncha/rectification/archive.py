"""Archive check of rectification: an inspection is archived only with every item closed (or long-term with
every milestone due so far closed) and, once its feedback to the unit was delivered, its plan approved and
the rectification report and the secretary's implementation report received. Like the other apps' checks
it names what is open; an inspection that never had feedback or items has nothing open here."""

from django.utils import timezone

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


def open_items(inspection: Inspection) -> list[str]:
    items = Item.objects.filter(inspection=inspection).prefetch_related("milestones")
    lines = [f"整改事项{item.code}尚未销号" for item in items if _open(item)]
    if delivered_on(inspection) is None:
        return lines
    plan = Plan.objects.filter(inspection=inspection).first()
    if plan is None:
        lines.insert(0, "整改方案尚未报送")
    elif not plan.is_approved:
        lines.insert(0, "整改方案尚未经巡察办审核通过")
    received = set(UnitReport.objects.filter(inspection=inspection).values_list("kind", flat=True))
    for kind in REPORT_KINDS_DUE:
        if kind not in received:
            lines.append(f"尚未收到{ReportKind(kind).label}")
    return lines


def open_notices(inspection: Inspection) -> list[str]:
    """Every supervision notice (督办单) of the inspection not yet closed (办结)."""
    notices = SupervisionNotice.objects.filter(inspection=inspection).exclude(status=NoticeStatus.CLOSED)
    return [f"督办单{n.number}尚未办结" for n in notices.order_by("year", "sequence")]


def unchecked_lookback(inspection: Inspection) -> list[str]:
    """A look-back inspection: every earlier item in force has the team's verdict (回头看核查)."""
    items = unchecked_items(inspection).select_related("inspection__team", "inspection__unit")
    return [
        f"“回头看”尚未核查：{item.inspection}的{item.code}"
        for item in items.order_by("inspection_id", "number")
    ]
