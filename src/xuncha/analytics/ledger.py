"""A figure of the dashboard as an Excel sheet (``core.ledger``: watermarked with who exported it and when);
the export is an audit event naming the figure, the committee and the filters, never any content."""

import datetime
from typing import IO

from xuncha.core.audit import action_scope, record
from xuncha.core.ledger import Ledger
from xuncha.core.models import User

from .figures import Figure
from .scope import Filters, Source, Viewpoint

AUDIT_ACTIONS = {"analytics.figure_exported": "导出统计图表"}
AUDIT_DETAILS = {"figure": "统计图表", "committee": "党委", "tree": "含下级党委", "source": "统计范围"}


def _scope_line(point: Viewpoint, filters: Filters) -> str:
    parts = [point.committee.name + ("（含下级党委汇总）" if point.tree else "")]
    if point.source == Source.UPPER:
        parts.append("上级在本地的提级、交叉、联动巡察")
    parts += [f"{name}：{value}" for name, value in filters.as_dict().items()]
    return "　".join(parts)


def export_figure(
    figure: Figure, *, point: Viewpoint, filters: Filters, user: User, at: datetime.datetime
) -> IO[bytes]:
    """The workbook (a rewound temporary file) with the figure's table, after recording the export."""
    columns = [("项目", 36), *[(name, 14) for name in figure.columns]]
    sheet = Ledger(figure.title[:31].replace("/", "／").replace(":", "："), columns, user=user, at=at)
    for n, row in enumerate(figure.rows, start=1):
        sheet.row(n, [row.label, *row.values])
    tail = len(figure.rows) + 1
    sheet.row(tail + 1, ["统计范围", _scope_line(point, filters)])
    if figure.note:
        sheet.row(tail + 2, ["说明", figure.note])
    with action_scope("analytics.figure_exported"):
        record(
            "analytics.figure_exported",
            None,
            by=user,
            role=point.role,
            committee_id=point.home_id,
            details={
                "figure": figure.key,
                "committee": point.committee.pk,
                "tree": point.tree,
                "source": point.source,
                "filters": filters.as_dict(),
                "rows": len(figure.rows),
            },
        )
    return sheet.close()
