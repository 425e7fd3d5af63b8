"""The audit log's Excel export: the auditor alone; everyone else gets the 404 of the audit pages."""

from types import SimpleNamespace

from xuncha.tests.matrix import Row, rule


def add_world(w: SimpleNamespace) -> None:
    """Nothing to add: the export reads the world's own events."""


ROWS: list[Row] = [
    rule("/audit/export/", ok=("auditor",)),
    rule("/audit/export/?q=登录", ok=("auditor",), note="filtered"),
]
