"""The 待办 list: everyone's own, so every verified persona may read it (no object, nothing to scope)."""

from types import SimpleNamespace

from xuncha.tests.matrix import STAFF, Row, rule


def add_world(w: SimpleNamespace) -> None:
    """Nothing to add: each persona's to-dos come from the world's own objects."""


ROWS: list[Row] = [
    rule("/todo/", ok=STAFF),
    rule("/todo/?overdue=1&group=调阅资料", ok=STAFF, note="filters"),
    rule("/todo/count/", ok=STAFF),
    rule("/api/v1/todos/", ok=STAFF),
    rule("/api/v1/todos/?overdue=true", ok=STAFF, note="filters"),
]
