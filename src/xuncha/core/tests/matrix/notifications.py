"""Notifications: everyone reads and marks their own; another user's notification is a 404 like a missing
one. The world holds one notification of the office's."""

from types import SimpleNamespace

from xuncha.core.notifications import notify
from xuncha.tests.matrix import STAFF, Row, rule


def add_world(w: SimpleNamespace) -> None:
    (w.notification,) = notify(
        [w.users["office"]], key="matrix:1", title="转交函江东巡转〔2026〕1号已逾期未报结果", link="/"
    )


ROWS: list[Row] = [
    rule("/notifications/", ok=STAFF),
    rule("/notifications/?show=all", ok=STAFF, note="all"),
    rule("/notifications/{w.notification.pk}/read/", ok=STAFF, ok_status=405),  # POST only
    rule("/notifications/{w.notification.pk}/read/", "POST", ok=("office",), ok_status=302),
    rule("/notifications/read-all/", ok=STAFF, ok_status=405),  # POST only
    rule("/notifications/read-all/", "POST", ok=STAFF, ok_status=302),
]
