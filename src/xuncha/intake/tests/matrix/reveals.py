"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The world holds a named petition of team1 and t1_member's pending request to see its reporter. Asking is
for who handles the petition (the office and team1's members); deciding is for the city's custodian, and
the requester sees the decision page but may not use it (403); everyone else gets 404 on both.
"""

from types import SimpleNamespace

from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.actions.reveals import request_reveal
from xuncha.tests.matrix import STAFF, Row, form, rule

HANDLERS1 = ("office", "t1_leader", "t1_member")  # who handles team1's petitions


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member = w.users["t1_member"]
    w.named_petition = register_petition(
        w.inspection1,
        data=PetitionInput(
            content="反映市财政局违规发放津贴", channel="letter", anonymous=False, reporter_name="矩阵测试人"
        ),
        by=member,
    )
    w.reveal = request_reveal(w.named_petition, reason="需要当面核实所反映津贴发放的具体情况", by=member)


ROWS: list[Row] = [
    rule("/intake/reveals/", ok=STAFF),
    # t1_member's pending request: the form is shown again with the refusal (200) like an empty POST.
    *form("/intake/petitions/{w.named_petition.pk}/reveal/", ok=HANDLERS1),
    *form("/intake/reveals/{w.reveal.pk}/decide/", ok=("custodian",), forbidden=("t1_member",)),
]
