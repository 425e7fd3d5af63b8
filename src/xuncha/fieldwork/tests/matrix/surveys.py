from types import SimpleNamespace

from xuncha.tests.matrix import Row


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""


ROWS: list[Row] = []
