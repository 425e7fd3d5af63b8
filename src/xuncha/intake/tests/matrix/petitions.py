"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The world holds a named letter of team1 with an attachment, a letter about the inspectors (the office's
alone: it exists in team1's inspection, yet team1 gets 404), and a box opening of team1. team2's
inspection is still in preparation: its team may open the entry forms, which then refuse (200 / 422).
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.intake.actions.petitions import PetitionInput, open_box, register_petition
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, empty_body, form, refused, rule

HANDLERS1 = ("office", "t1_leader", "t1_member")  # who handles team1's petitions
# Who works on some petitions: the batch pages' selection keeps only the rows in each one's scope.
PETITION_WORKERS = ("office", "t1_leader", "t1_member", "t2_member", "county_office")
HANDLERS2 = ("office", "t2_member")
EXPORTERS = ("office", "t1_leader", "t1_member", "t2_member", "county_office")  # a petition role somewhere


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member = w.users["t1_member"]
    w.petition_letter = register_petition(
        w.inspection1,
        data=PetitionInput(
            content="反映市财政局张局长违规报销招待费",
            channel="letter",
            anonymous=False,
            reporter_name="矩阵来信人",
            files=[Upload("材料.txt", "报销单据说明".encode())],
        ),
        by=member,
    )
    w.petition_attachment = w.petition_letter.attachments.get()
    w.petition_office_only = register_petition(
        w.inspection1,
        data=PetitionInput(content="反映巡察组成员接受吃请", channel="letter", about_inspectors=True),
        by=member,
    )
    w.box_opening = open_box(
        w.inspection1,
        opened_at=timezone.now() - datetime.timedelta(hours=1),
        place="市财政局一楼大厅",
        witness_1="见证人甲",
        witness_2="见证人乙",
        by=member,
    )


ROWS: list[Row] = [
    # Lists are filtered by scope (empty outside it); a bad date is a message on the page, never a 500.
    rule("/intake/petitions/", ok=STAFF),
    rule("/intake/petitions/?received_from=2026-13-45&received_to=9999-01-01", ok=STAFF, note="bad dates"),
    rule("/intake/petitions/export/", ok=EXPORTERS, other=403),
    rule("/intake/petitions/{w.petition_letter.pk}/", ok=HANDLERS1),
    rule("/intake/petitions/{w.petition_office_only.pk}/", ok=("office",)),
    # The letter is not yet accepted: who may conclude sees the form, which refuses (200).
    *form(
        "/intake/petitions/{w.petition_letter.pk}/conclude/",
        ok=("office", "t1_leader"),
        forbidden=("t1_member",),
    ),
    *form("/intake/petitions/{w.petition_office_only.pk}/conclude/", ok=("office",)),
    # Batch pages: an empty POST shows the page again (nothing selected); the actions decide per row.
    *form("/intake/petitions/batch/conclude/?ids={w.petition_letter.pk}", ok=PETITION_WORKERS, other=403),
    *form("/intake/petitions/batch/file/?ids={w.petition_letter.pk}", ok=PETITION_WORKERS, other=403),
    rule("/api/v1/petitions/batch", ok=but(ALL, NO_OTP), ok_status=405),
    empty_body("/api/v1/petitions/batch"),
    rule("/intake/attachments/{w.petition_attachment.pk}/", ok=HANDLERS1),
    # Staff entry: the inspection's liaison and the leading group see the inspection but may not enter.
    *form(
        "/intake/inspections/{w.inspection1.pk}/petitions/new/",
        ok=HANDLERS1,
        forbidden=("leader", "liaison1"),
    ),
    *form("/intake/inspections/{w.inspection2.pk}/petitions/new/", ok=HANDLERS2, forbidden=("leader",)),
    *form(
        "/intake/inspections/{w.inspection1.pk}/box-openings/new/",
        ok=HANDLERS1,
        forbidden=("leader", "liaison1"),
    ),
    *form("/intake/inspections/{w.inspection2.pk}/box-openings/new/", ok=HANDLERS2, forbidden=("leader",)),
    *form("/intake/box-openings/{w.box_opening.pk}/", ok=HANDLERS1),
    # The API.
    rule("/api/v1/petitions/", ok=STAFF),
    rule("/api/v1/petitions/?received_from=2026-13-45", ok=(), other=422, note="bad date"),
    empty_body("/api/v1/petitions/"),
    # Well-formed bodies refused on their merits: no content (inspection1), not yet receiving (inspection2).
    refused(
        "/api/v1/petitions/",
        {"inspection": Pk("inspection1"), "channel": "letter", "content": ""},
        ok=HANDLERS1,
        forbidden=("leader", "liaison1"),
        other=422,
        note="inspection1",
    ),
    refused(
        "/api/v1/petitions/",
        {"inspection": Pk("inspection2"), "channel": "letter", "content": "反映问题"},
        ok=HANDLERS2,
        forbidden=("leader",),
        other=422,
        note="inspection2",
    ),
    rule("/api/v1/petitions/{w.petition_letter.pk}", ok=HANDLERS1),
    rule("/api/v1/petitions/{w.petition_office_only.pk}", ok=("office",)),
]
