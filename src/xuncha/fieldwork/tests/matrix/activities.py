"""Authorisation matrix rows of activities (the other working methods).

inspection1 (team1) and inspection2 (team2) each have an activity with an attachment. The team and the
office of the committee see them; the team writes (the office gets 403 on writes); everyone else, the
unit's liaison and the leading group included, gets 404. Empty forms are shown again (200); the delete
confirmation's POST deletes (302, rolled back), as does the API's DELETE (204).
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.fieldwork.actions.activities import ActivityInput, create_activity
from xuncha.fieldwork.choices import ActivityKind
from xuncha.tests.matrix import STAFF, Row, confirm, empty_body, form, rule

READERS1 = ("office", "t1_leader", "t1_member")
WRITERS1 = ("t1_leader", "t1_member")
READERS2 = ("office", "t2_member")
WRITERS2 = ("t2_member",)
OFFICE = ("office",)
PDF = b"%PDF-1.4\n%%EOF\n"


def add_world(w: SimpleNamespace) -> None:
    """An activity with one attachment for each team's inspection."""
    for name, inspection in (("1", w.inspection1), ("2", w.inspection2)):
        activity = create_activity(
            inspection,
            data=ActivityInput(
                kind=ActivityKind.BRIEFING,
                title="听取工作汇报",
                starts_at=timezone.now() - datetime.timedelta(days=1),
                place="会议室",
                notes="汇报要点",
            ),
            uploads=[Upload(name="汇报材料.pdf", data=PDF)],
            by=None,
        )
        setattr(w, f"activity{name}", activity)
        setattr(w, f"activity_attachment{name}", activity.attachments.get())


def _rows(n: str, readers: tuple[str, ...], writers: tuple[str, ...]) -> list[Row]:
    activity, inspection = f"{{w.activity{n}.pk}}", f"{{w.inspection{n}.pk}}"
    api = f"/api/v1/activities/{activity}"
    return [
        rule(f"/fieldwork/activities/inspections/{inspection}/", ok=readers),
        *form(f"/fieldwork/activities/inspections/{inspection}/new/", ok=writers, forbidden=OFFICE),
        rule(f"/fieldwork/activities/{activity}/", ok=readers),
        *form(f"/fieldwork/activities/{activity}/edit/", ok=writers, forbidden=OFFICE),
        *confirm(f"/fieldwork/activities/{activity}/delete/", ok=writers, forbidden=OFFICE),
        rule(f"/fieldwork/activities/attachments/{{w.activity_attachment{n}.pk}}/", ok=readers),
        rule(api, ok=readers),
        rule(api, "PUT", other=422, note="empty body"),
        rule(api, "DELETE", ok=writers, ok_status=204, forbidden=OFFICE),
    ]


ROWS: list[Row] = [
    *_rows("1", READERS1, WRITERS1),
    *_rows("2", READERS2, WRITERS2),
    rule("/api/v1/activities/", ok=STAFF),
    empty_body("/api/v1/activities/"),
]
