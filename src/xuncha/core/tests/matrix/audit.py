"""The audit log's Excel export: the auditor alone; everyone else gets the 404 of the audit pages."""

from xuncha.tests.matrix import Row, rule

ROWS: list[Row] = [
    rule("/audit/export/", ok=("auditor",)),
    rule("/audit/export/?q=登录", ok=("auditor",), note="filtered"),
]
