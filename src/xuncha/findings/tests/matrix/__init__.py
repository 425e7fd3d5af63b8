"""Authorisation matrix rows of findings (joined in src/xuncha/tests/matrix.py)."""

from types import SimpleNamespace

from xuncha.tests.matrix import Row


def add_world(w: SimpleNamespace) -> None:
    """Objects the findings routes need, made through the actions, added to the matrix world."""


ROWS: list[Row] = []
