"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The portal needs no login: every persona, and the anonymous visitor, gets the same pages (an empty
submission is shown again with its errors, a lookup without a receipt is the not-found page), including
a half-logged-in session (password without TOTP): the TOTP prompt guards staff pages, not public ones.
The public API answers without login too: an empty submission is a 422, a lookup without receipt a 404.
"""

from types import SimpleNamespace

from xuncha.intake.actions.petitions import PetitionInput, submit_public_petition
from xuncha.tests.matrix import ALL, Row, rule

PUBLIC = ALL


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    w.public_code = w.announcement1.public_code
    w.web_petition, _ = submit_public_petition(
        w.announcement1, data=PetitionInput(content="网上反映违规发放津贴")
    )
    w.web_petition_about_inspectors, _ = submit_public_petition(
        w.announcement1, data=PetitionInput(content="巡察组成员接受宴请", about_inspectors=True)
    )


ROWS: list[Row] = [
    rule("/portal/{w.public_code}/", ok=PUBLIC),
    rule("/portal/{w.public_code}/", "POST", ok=PUBLIC, note="empty: the form again"),
    rule("/portal/{w.announcement2.public_code}/", ok=PUBLIC, note="draft: closed"),
    rule("/portal/lookup/", ok=PUBLIC),
    rule("/portal/lookup/", "POST", ok=PUBLIC, note="no receipt: not found"),
    rule("/api/v1/public/petitions", ok=PUBLIC, ok_status=405),
    rule("/api/v1/public/petitions", "POST", ok=PUBLIC, ok_status=422, note="empty body"),
    rule("/api/v1/public/petitions/lookup", ok=PUBLIC, ok_status=405),
    rule("/api/v1/public/petitions/lookup", "POST", ok=PUBLIC, ok_status=404, note="no receipt"),
]
