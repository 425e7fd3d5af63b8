"""Authorisation matrix rows of rectification's publication (joined in src/xuncha/tests/matrix.py)."""

from types import SimpleNamespace

from xuncha.tests.matrix import Row


def add_world(w: SimpleNamespace) -> None:
    """Objects of this area in the matrix world."""


ROWS: list[Row] = []
