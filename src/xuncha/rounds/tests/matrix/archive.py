"""Authorisation matrix rows of the archive package download (joined in src/xuncha/tests/matrix.py).

Only the committee's office and leading group may download it; the others who see the inspection get 403,
everyone else 404. The world's inspections are not archived, so the readers get 404 too (no package yet);
the download itself is tested in rounds/tests/test_archive.py.
"""

from xuncha.tests.matrix import TEAM1, TEAM2, Row, but, rule

ROWS: list[Row] = [
    rule("/rounds/inspections/{w.inspection1.pk}/archive-package/", forbidden=but(TEAM1, "office", "leader")),
    rule("/rounds/inspections/{w.inspection2.pk}/archive-package/", forbidden=but(TEAM2, "office", "leader")),
    rule("/api/v1/inspections/{w.inspection1.pk}/archive-package", forbidden=but(TEAM1, "office", "leader")),
    rule("/api/v1/inspections/{w.inspection2.pk}/archive-package", forbidden=but(TEAM2, "office", "leader")),
]


def add_world(w: object) -> None:
    """Nothing to add: the rows ask about the world's inspections as they are."""
