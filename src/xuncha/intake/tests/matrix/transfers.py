"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The world holds a petition of team1 triaged for transfer and not yet transferred, and two transfers: one to
the city's 纪委监委 (its receiver ``jiwei``), one to unit1 (its liaison). Transferring is for team1's
leader and the office (a member sees the petition but may not: 403); signing and reporting are for the
receiver alone (the sending side sees the transfer: 403); everyone else gets 404, the other department's
receiver (``zuzhibu``) and team2 included.
"""

from types import SimpleNamespace

from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.actions.transfers import transfer_petition
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, empty_body, form, refused, rule

from ..test_transfers import decide_transfer

SENDERS = ("office", "t1_leader", "t1_member")  # who sees team1's petitions and their transfers
TRANSFERRERS = ("office", "t1_leader")
TO_JIWEI = (*SENDERS, "jiwei")
TO_UNIT1 = (*SENDERS, "liaison1")
REASON = "反映个人诉求，不属于巡察受理范围。"


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member, leader = w.users["t1_member"], w.users["t1_leader"]

    def out_of_scope(content: str) -> object:
        data = PetitionInput(content=content, channel="letter")
        return decide_transfer(register_petition(w.inspection1, data=data, by=member), by=member)

    w.to_transfer = out_of_scope("反映本人工伤待遇未落实，请求协调解决。")
    w.transfer_jiwei = transfer_petition(
        out_of_scope("反映单位拖欠本人工资。"), department=w.jiwei_dept, reason=REASON, by=leader
    )
    w.transfer_unit = transfer_petition(
        out_of_scope("反映本人职称评审结果不公。"), unit=w.unit1, reason=REASON, by=leader
    )


def _transfer_rows(name: str, seen_by: tuple[str, ...], receiver: str) -> list[Row]:
    base = f"/intake/transfers/{{w.{name}.pk}}/"
    api = f"/api/v1/petition-transfers/{{w.{name}.pk}}"
    senders = but(seen_by, receiver)
    return [
        rule(base, ok=seen_by),
        rule(f"{base}letter/", ok=seen_by),
        rule(f"{base}receive/", ok=STAFF, ok_status=405),  # POST only
        rule(f"{base}receive/", "POST", ok=(receiver,), ok_status=302, forbidden=senders),
        # An empty result: the form again (200) for the receiver.
        *form(f"{base}report/", ok=(receiver,), forbidden=senders),
        rule(api, ok=seen_by),
        rule(f"{api}/receive", ok=but(ALL, NO_OTP), ok_status=405),  # POST only
        rule(f"{api}/receive", "POST", ok=(receiver,), forbidden=senders),
        rule(f"{api}/report", ok=but(ALL, NO_OTP), ok_status=405),
        empty_body(f"{api}/report"),
        # Not yet signed for: the receiver's result is refused (422).
        refused(f"{api}/report", {"result": "已办结。"}, ok=(receiver,), forbidden=senders, note=name),
    ]


ROWS: list[Row] = [
    rule("/intake/transfers/", ok=STAFF),
    *form("/intake/petitions/{w.to_transfer.pk}/transfer/", ok=TRANSFERRERS, forbidden=("t1_member",)),
    *_transfer_rows("transfer_jiwei", TO_JIWEI, "jiwei"),
    *_transfer_rows("transfer_unit", TO_UNIT1, "liaison1"),
    rule("/api/v1/petition-transfers/", ok=STAFF),
    rule("/api/v1/petitions/{w.to_transfer.pk}/transfer", ok=but(ALL, NO_OTP), ok_status=405),
    empty_body("/api/v1/petitions/{w.to_transfer.pk}/transfer"),
    # Both a department and a unit: refused for who may transfer; the role is checked first.
    refused(
        "/api/v1/petitions/{w.to_transfer.pk}/transfer",
        {"department": Pk("jiwei_dept"), "unit": Pk("unit1"), "reason": REASON},
        ok=TRANSFERRERS,
        forbidden=("t1_member",),
        note="both receivers",
    ),
]
