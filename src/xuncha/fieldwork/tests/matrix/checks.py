"""Authorisation matrix rows of personal-matters checks.

inspection1 (team1) and inspection2 (team2) each have a drawn check of one person. The team and the
office of the committee see them; the team writes (the office gets 403 on writes); everyone else, the
unit's liaison and the leading group included, gets 404. Empty forms are shown again (200); drawing a
check already drawn is refused with a message and a redirect (302), and by the API with a 422. The
API's verbs answer POST only (405 to GET).
"""

from types import SimpleNamespace

from xuncha.fieldwork.actions.checks import create_check, draw
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, confirm, empty_body, form, refused, rule

READERS1 = ("office", "t1_leader", "t1_member")
WRITERS1 = ("t1_leader", "t1_member")
READERS2 = ("office", "t2_member")
WRITERS2 = ("t2_member",)
OFFICE = ("office",)


def add_world(w: SimpleNamespace) -> None:
    """A drawn check of one person for each team's inspection."""
    for name, inspection in (("1", w.inspection1), ("2", w.inspection2)):
        check = draw(create_check(inspection, title="个人有关事项抽查", sample_size=1, by=None), by=None)
        setattr(w, f"check{name}", check)
        setattr(w, f"checked{name}", check.persons.get())


def _rows(n: str, readers: tuple[str, ...], writers: tuple[str, ...]) -> list[Row]:
    check, inspection = f"{{w.check{n}.pk}}", f"{{w.inspection{n}.pk}}"
    api = f"/api/v1/personal-matters-checks/{check}"
    return [
        rule(f"/fieldwork/checks/inspections/{inspection}/", ok=readers),
        *form(f"/fieldwork/checks/inspections/{inspection}/new/", ok=writers, forbidden=OFFICE),
        rule(f"/fieldwork/checks/{check}/", ok=readers),
        *confirm(f"/fieldwork/checks/{check}/draw/", ok=writers, forbidden=OFFICE),
        rule(f"/fieldwork/checks/{check}/verify/", ok=readers),
        rule(f"/fieldwork/checks/results/{{w.checked{n}.pk}}/", ok=readers),
        rule(f"/fieldwork/checks/results/{{w.checked{n}.pk}}/", "POST", ok=writers, forbidden=OFFICE),
        rule(api, ok=readers),
        *[
            rule(f"{api}/{verb}", ok=but(ALL, NO_OTP), ok_status=405)
            for verb in ("draw", "results", "verify")
        ],
        refused(f"{api}/draw", {}, ok=writers, forbidden=OFFICE, note="drawn already"),
        empty_body(f"{api}/results"),
        refused(
            f"{api}/results",
            {"person": Pk("principal2" if n == "1" else "principal1"), "result": "consistent"},
            ok=writers,
            forbidden=OFFICE,
            note="not in the sample",
        ),
        rule(f"{api}/verify", "POST", ok=readers),
    ]


ROWS: list[Row] = [
    *_rows("1", READERS1, WRITERS1),
    *_rows("2", READERS2, WRITERS2),
    rule("/api/v1/personal-matters-checks/", ok=STAFF),
    empty_body("/api/v1/personal-matters-checks/"),
]
