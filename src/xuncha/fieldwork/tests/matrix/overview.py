"""Authorisation matrix rows of the inspection's fieldwork page: whoever sees the inspection opens it
(the unit's liaison gets a reduced page); everyone else gets 404."""

from types import SimpleNamespace

from xuncha.tests.matrix import TEAM1, TEAM2, Row, rule


def add_world(w: SimpleNamespace) -> None:
    """The page shows what the other areas' worlds hold; it needs nothing of its own."""


ROWS: list[Row] = [
    rule("/fieldwork/inspections/{w.inspection1.pk}/", ok=TEAM1),
    rule("/fieldwork/inspections/{w.inspection2.pk}/", ok=TEAM2),
]
