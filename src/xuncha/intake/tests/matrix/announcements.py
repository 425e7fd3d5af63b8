"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

inspection1 (team1, in fieldwork) has a published announcement, inspection2 (team2, in preparation) a
draft. Those who see a team's internals (office, leading group, the team) read the announcement, its
document and its QR code; the team leader and the office edit and publish (empty forms are shown again,
200; publishing answers with a redirect, refused or not). The unit's liaison sees the inspection but not
these: 403. Questions to a reporter are posted on team1's web petition (empty: refused with a message,
302) and on its petition about the inspectors (the office's alone).
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.intake.actions.announcements import publish_announcement, save_announcement
from xuncha.tests.matrix import STAFF, TEAM1, TEAM2, Row, but, confirm, rule

READERS1 = but(TEAM1, "liaison1")  # office, leader, t1_leader, t1_member
EDITORS1 = ("office", "t1_leader")
ASKERS1 = ("office", "t1_leader", "t1_member")


def _announce(inspection: object) -> object:
    now = timezone.now()
    return save_announcement(
        inspection,  # type: ignore[arg-type]
        window_starts_at=now - datetime.timedelta(days=1),
        window_ends_at=now + datetime.timedelta(days=40),
        phone="0791-88886666",
        duty_hours="每天 8:00—20:00",
        duty_starts=datetime.time(8),
        duty_ends=datetime.time(20),
        postal_box="江东市 A001 号信箱",
        email="xuncha@example.cn",
        box_locations="一楼大厅",
        visit_place="501 室",
        by=None,
    )


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    w.announcement1 = _announce(w.inspection1)
    if w.announcement1.published_at is None:
        publish_announcement(w.announcement1, by=None)
    w.announcement2 = _announce(w.inspection2)


def _pages(pk: str, readers: tuple[str, ...], editors: tuple[str, ...], team: tuple[str, ...]) -> list[Row]:
    base = f"/intake/inspections/{{w.{pk}.pk}}"
    sees = but(team, *readers)  # who sees the inspection but not the announcement pages
    return [
        rule(f"{base}/announcement/", ok=readers, forbidden=sees),
        rule(f"{base}/announcement/", "POST", ok=editors, forbidden=but(team, *editors)),
        *confirm(f"{base}/announcement/publish/", ok=editors, forbidden=but(team, *editors)),
        rule(f"{base}/announcement/document/", ok=readers, forbidden=sees),
        rule(f"{base}/qr/", ok=readers, forbidden=sees),
        rule(f"{base}/qr.svg", ok=readers, forbidden=sees),
        rule(f"{base}/qr.png", ok=readers, forbidden=sees),
    ]


ROWS: list[Row] = [
    *_pages("inspection1", READERS1, EDITORS1, TEAM1),
    *_pages("inspection2", TEAM2, ("office",), TEAM2),
    # POST only; the web petition and the one about the inspectors come from the portal area's world.
    rule("/intake/petitions/{w.web_petition.pk}/ask/", ok=STAFF, ok_status=405),
    rule("/intake/petitions/{w.web_petition.pk}/ask/", "POST", ok=ASKERS1, ok_status=302),
    rule(
        "/intake/petitions/{w.web_petition_about_inspectors.pk}/ask/", "POST", ok=("office",), ok_status=302
    ),
]
