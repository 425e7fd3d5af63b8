"""What rectification puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the plan with its three lists, the 整改台账, and the reports the unit uploaded (as uploaded)."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from . import ledger
from .actions.supervision import notice_document
from .choices import ItemSource
from .documents import plan_docx
from .lookback import is_lookback, write_ledger
from .models import Item, Plan, SupervisionNotice, UnitReport


def documents(inspection: Inspection, by: User) -> Iterator[tuple[str, bytes]]:
    items = Item.objects.filter(inspection=inspection)
    plan = Plan.objects.filter(inspection=inspection).first()
    if plan is not None:
        tasks = list(
            items.filter(source=ItemSource.PLAN)
            .select_related("problem")
            .prefetch_related("milestones")
            .order_by("number")
        )
        yield "整改/整改方案.docx", plan_docx(plan, tasks)
    handle, _ = ledger.write(items, user=by, at=timezone.now())
    with handle:
        yield "整改/整改台账.xlsx", handle.read()
    for n, report in enumerate(UnitReport.objects.filter(inspection=inspection).order_by("added_at"), 1):
        name = report.filename.replace("/", "-")
        yield f"整改/报告/{n:02d}-{report.get_kind_display()}-{name}", report.read()
    notices = SupervisionNotice.objects.filter(inspection=inspection).select_related(
        "committee", "lead_unit", "lead_department", "inspection__team", "inspection__unit"
    )
    for notice in notices.order_by("year", "sequence"):
        chosen = list(notice.items.order_by("number"))
        yield f"整改/督办单/督办单-{notice.year}-{notice.sequence}.docx", notice_document(notice, chosen)
    if is_lookback(inspection):
        handle, _ = write_ledger(inspection, user=by, at=timezone.now())
        with handle:
            yield "整改/回头看核查台账.xlsx", handle.read()
