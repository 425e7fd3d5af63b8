"""Authorisation matrix rows of the mobilisation meeting (joined in src/xuncha/tests/matrix.py).

Both inspections have a meeting. Those who see a team's internals (office, leading group, the team) read
the page and download its notice and record; the team leader and the office save it (an empty form is
shown again, 200). The unit's liaison sees the inspection but not these: 403; everyone else 404.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.rounds.mobilisation import DEFAULT_AGENDA, save_meeting
from xuncha.tests.matrix import TEAM1, TEAM2, Row, but, rule

READERS1 = but(TEAM1, "liaison1")  # office, leader, t1_leader, t1_member


def _plan(inspection: object) -> object:
    return save_meeting(
        inspection,  # type: ignore[arg-type]
        held_at=timezone.now() + datetime.timedelta(days=3),
        place="三楼会议室",
        chair="党组书记",
        attendees="领导班子成员",
        agenda="\n".join(DEFAULT_AGENDA),
        notes="",
        by=None,
    )


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    w.meeting1 = _plan(w.inspection1)
    w.meeting2 = _plan(w.inspection2)


def _rows(pk: str, readers: tuple[str, ...], editors: tuple[str, ...], team: tuple[str, ...]) -> list[Row]:
    base = f"/rounds/inspections/{{w.{pk}.pk}}/mobilisation"
    sees = but(team, *readers)  # who sees the inspection but not the meeting
    return [
        rule(f"{base}/", ok=readers, forbidden=sees),
        rule(f"{base}/", "POST", ok=editors, forbidden=but(team, *editors)),
        rule(f"{base}/notice/", ok=readers, forbidden=sees),
        rule(f"{base}/record/", ok=readers, forbidden=sees),
    ]


ROWS: list[Row] = [
    *_rows("inspection1", READERS1, ("office", "t1_leader"), TEAM1),
    *_rows("inspection2", TEAM2, ("office",), TEAM2),
]
