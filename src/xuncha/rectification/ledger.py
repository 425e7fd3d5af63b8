"""The Excel 整改台账: one row per item with its problem, measure, responsibility list, milestones, status
and light, watermarked with who exported it and when (as intake's and findings' ledgers)."""

import datetime
from collections.abc import Callable
from typing import IO

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from xuncha.core.ledger import Ledger
from xuncha.core.models import User
from xuncha.reports.choices import Recipient

from .listing import light_of
from .models import Evidence, Item, Progress
from .models.items import ItemQuerySet

SHEET = "整改台账"
COLUMNS = (
    ("轮次", 20),
    ("被巡察单位", 20),
    ("编号", 8),
    ("来源", 10),
    ("反馈问题", 36),
    ("整改措施", 50),
    ("类型", 10),
    ("责任领导", 16),
    ("责任部门", 16),
    ("完成时限", 12),
    ("阶段目标", 40),
    ("状态", 10),
    ("红黄绿", 8),
    ("进展次数", 8),
    ("佐证材料", 8),
    ("销号", 24),
    ("退回理由", 30),
)


CHUNK = 2000  # rows a query fetches (a server-side cursor on PostgreSQL); memory stays constant
Reporter = Callable[[int], None]


def _counted(model: type[Progress] | type[Evidence], item_path: str) -> Coalesce:
    """How many ``model`` rows an item has, as a correlated subquery (no join of progress × evidence)."""
    per_item = (
        model.objects.filter(**{item_path: OuterRef("pk")})
        .order_by()
        .values(item_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_item, output_field=IntegerField()), 0, output_field=IntegerField())


def _problem(item: Item) -> str:
    problem = item.problem
    if problem is None:
        return item.issue
    if problem.feedback.recipient == Recipient.PRINCIPAL:
        return f"{problem}（向党组织主要负责人反馈）"
    return str(problem)


def _milestones(item: Item) -> str:
    return "\n".join(
        f"{m.sequence}. {m.goal}（{m.due_on:%Y-%m-%d}，{m.get_status_display()}）"
        for m in item.milestones.all()
    )


def _closed(item: Item) -> str:
    if item.closed_at is None:
        return ""
    return f"{item.closed_by}（{timezone.localtime(item.closed_at):%Y-%m-%d}）"


def write(
    items: ItemQuerySet, *, user: User, at: datetime.datetime, progress: Reporter | None = None
) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows, streamed
    (xlsxwriter's constant memory, the rows read in chunks); ``progress`` is told the rows written so far
    every ``CHUNK`` rows."""
    ledger = Ledger(SHEET, COLUMNS, user=user, at=at, constant_memory=True)
    rows = (
        items.select_related("inspection__round", "closed_by")
        .prefetch_related("milestones")
        .annotate(updates=_counted(Progress, "item"), files=_counted(Evidence, "progress__item"))
    )
    today = timezone.localdate()
    count = 0
    for count, item in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        texts = (
            item.inspection.round.name,
            item.inspection.unit.name,
            item.code,
            item.get_source_display(),
            _problem(item),
            item.measure,
            item.get_kind_display(),
            item.leader,
            item.department,
            f"{item.due_on:%Y-%m-%d}" if item.due_on else "",
            _milestones(item),
            item.get_status_display(),
            light_of(item, today).label,
            str(getattr(item, "updates", 0)),
            str(getattr(item, "files", 0)),
            _closed(item),
            item.return_reason,
        )
        ledger.row(count, texts)
        if progress is not None and count % CHUNK == 0:
            progress(count)
    return ledger.close(), count
