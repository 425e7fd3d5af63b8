"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The world holds team1's letter and phone note of one complaint (a suggested pair), the same complaint
once more about the inspectors (the office's alone: its suggestions are 404 for team1, who sees only one
side), and two box letters of team1 confirmed as one group by the office.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.intake.actions.duplicates import confirm_duplicates
from xuncha.intake.actions.petitions import PetitionInput, open_box, register_box_item, register_petition
from xuncha.intake.models import DuplicateCandidate
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, confirm, empty_body, refused, rule

HANDLERS1 = ("office", "t1_leader", "t1_member")  # who handles team1's petitions

COMPLAINT = (
    "反映市财政局局长张建国2025年把办公楼装修工程交给他小舅子的公司承揽，没有公开招标，工程款比市场价"
    "高出一百多万元，还收受施工方好处费二十万元。"
)
PHONE_NOTE = (
    "来电反映：市财政局局长张建国2025年把局办公楼装修工程交给小舅子的公司承揽，没有公开招标，工程款比"
    "市场价高出100多万元，收受施工方好处费20万元。"
)
BOX_LETTER = "市财政局会计科科长王海燕长期迟到早退，对来办事的群众态度恶劣。"


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member = w.users["t1_member"]
    w.dup_letter = register_petition(
        w.inspection1, data=PetitionInput(content=COMPLAINT, channel="letter"), by=member
    )
    w.dup_phone = register_petition(
        w.inspection1,
        data=PetitionInput(content=PHONE_NOTE, channel="phone", in_duty_hours=True),
        by=member,
    )
    w.dup_candidate = DuplicateCandidate.objects.get(petition=w.dup_phone, other=w.dup_letter)
    about_inspectors = register_petition(
        w.inspection1,
        data=PetitionInput(content=COMPLAINT, channel="email", about_inspectors=True),
        by=member,
    )
    w.dup_candidate_office = DuplicateCandidate.objects.get(petition=about_inspectors, other=w.dup_letter)
    opening = open_box(
        w.inspection1,
        opened_at=timezone.now() - datetime.timedelta(hours=2),
        place="市财政局二楼",
        witness_1="见证人丙",
        witness_2="见证人丁",
        by=member,
    )
    w.dup_box1 = register_box_item(opening, data=PetitionInput(content=BOX_LETTER), by=member)
    box2 = register_box_item(opening, data=PetitionInput(content=BOX_LETTER), by=member)
    confirm_duplicates(w.dup_box1, others=[box2], by=w.users["office"])


MERGE = "/api/v1/petitions/{w.dup_letter.pk}/merge"
GROUP = "/api/v1/petitions/{w.dup_phone.pk}/group"
UNGROUP = "/api/v1/petitions/{w.dup_box1.pk}/ungroup"

ROWS: list[Row] = [
    # The list is filtered by scope (empty outside it); an inspection out of sight is a form error.
    rule("/intake/duplicates/", ok=STAFF),
    rule("/intake/duplicates/?inspection={w.inspection1.pk}", ok=STAFF, note="inspection1"),
    # Confirming is a POST from the petition's page; an empty form is a message on that page (302).
    rule("/intake/petitions/{w.dup_letter.pk}/duplicates/confirm/", ok=STAFF, ok_status=405),
    rule("/intake/petitions/{w.dup_letter.pk}/duplicates/confirm/", "POST", ok=HANDLERS1, ok_status=302),
    *confirm("/intake/duplicates/{w.dup_candidate.pk}/dismiss/", ok=HANDLERS1),
    # One side is about the inspectors: only the office sees both, team1 gets 404 as for a missing pair.
    *confirm("/intake/duplicates/{w.dup_candidate_office.pk}/dismiss/", ok=("office",)),
    *confirm("/intake/petitions/{w.dup_box1.pk}/duplicates/leave/", ok=HANDLERS1),
    # 归为一组 by number: a form (GET), its POST shows the form again with an error when the body is empty.
    rule("/intake/petitions/{w.dup_letter.pk}/duplicates/group/", ok=HANDLERS1),
    rule("/intake/petitions/{w.dup_letter.pk}/duplicates/group/", "POST", ok=HANDLERS1),
    rule(MERGE, ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body(MERGE),
    refused(MERGE, {"others": []}, ok=HANDLERS1, forbidden=(), note="no others"),
    rule("/api/v1/petitions/{w.dup_letter.pk}/duplicates", ok=HANDLERS1),
    rule(GROUP, ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body(GROUP),
    refused(GROUP, {"other": Pk("dup_letter"), "reason": " "}, ok=HANDLERS1, forbidden=(), note="no reason"),
    rule(UNGROUP, ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body(UNGROUP),
    refused(UNGROUP, {"reason": ""}, ok=HANDLERS1, forbidden=(), note="no reason"),
]
