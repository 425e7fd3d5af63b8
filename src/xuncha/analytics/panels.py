"""Home cards of the statistics: the office and the leading group see the headline figures of their own
committees (one query, whatever the data), with a link to the dashboard."""

from xuncha.core.home import Panel
from xuncha.core.models import User

from .figures import overview
from .scope import VIEWER_ROLES

CARDS = (
    ("coverage", "届期覆盖率", "%"),
    ("in_progress", "进行中的巡察", "个"),
    ("petitions", "信访件", "件"),
    ("findings", "发现问题", "个"),
    ("clues", "问题线索", "条"),
    ("items_overdue", "逾期未销号整改事项", "项"),
)


def home_panels(user: User) -> list[Panel]:
    ids = user.scopes.ids(*VIEWER_ROLES)
    if not ids:
        return []
    rows = [
        (row, [(name, row.counts.get(key, 0), unit) for key, name, unit in CARDS])
        for row in overview(sorted(ids))
    ]
    context = {"rows": rows}
    return [Panel("统计概览", "analytics/dashboard_home.html", context, order=15)]
