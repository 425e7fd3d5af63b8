"""The Excel summary of every 周报 of a round (周报汇总表): one row per report with its week, status, the
figures (the snapshot once submitted) and its texts, watermarked with who exported it and when."""

import datetime
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.ledger import Ledger
from xuncha.core.models import User

from . import weekly_counts
from .models import WeeklyReport
from .weekly import week_label

SHEET = "周报汇总表"
COLUMNS = (
    ("巡察组", 14),
    ("被巡察单位", 20),
    ("周次", 20),
    ("报送期限", 12),
    ("状态", 10),
    ("报送人", 12),
    ("报送时间", 16),
    ("逾期", 6),
    ("本周数据", 50),
    ("本周工作情况", 50),
    ("发现的主要问题", 40),
    ("下周工作计划", 40),
    ("巡察办意见", 30),
)


def _moment(value: datetime.datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def write(reports: QuerySet[WeeklyReport], *, user: User, at: datetime.datetime) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows."""
    ledger = Ledger(SHEET, COLUMNS, user=user, at=at)
    rows = reports.select_related("inspection__team", "inspection__unit", "submitted_by").order_by(
        "inspection__team__name", "inspection_id", "week_start"
    )
    count = 0
    for count, report in enumerate(rows, start=1):
        figures = "\n".join(f"{label}：{text}" for label, text in weekly_counts.lines(report.counts))
        ledger.row(
            count,
            (
                report.inspection.team.name,
                report.inspection.unit.name,
                week_label(report.week_start),
                f"{report.due_on:%Y-%m-%d}",
                report.get_status_display(),
                str(report.submitted_by or ""),
                _moment(report.submitted_at),
                "是" if report.is_late else "",
                figures,
                report.narrative,
                report.problems,
                report.next_plan,
                report.office_comment,
            ),
        )
    return ledger.close(), count
