"""Authorisation matrix rows of this area (joined in src/xuncha/tests/matrix.py).

The world holds a letter of team1 (its team and the office decide), a letter naming a team1 member (the
office's alone: team1 gets 404 although it exists in team1's inspection), and a rule of the city and one
of a county (each its own office's: the city's office reads the county, yet may not load its rules).
"""

from types import SimpleNamespace

from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.actions.triage import create_rule
from xuncha.intake.choices import MatchKind
from xuncha.taxonomy import defaults
from xuncha.tests.matrix import ALL, CITY, NO_OTP, OFFICES, Row, but, confirm, empty_body, form, refused, rule

HANDLERS1 = ("office", "t1_leader", "t1_member")  # who decides team1's petitions
# Well-formed, refused on its merits: an in-scope petition cannot be transferred.
BAD_DECISION = {"decision": "transfer", "scope": "in", "scope_reason": "leadership"}


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    defaults.install()
    member = w.users["t1_member"]
    w.triage_letter = register_petition(
        w.inspection1,
        data=PetitionInput(content="反映市财政局张局长公款吃喝", channel="letter"),
        by=member,
    )
    w.triage_office_only = register_petition(
        w.inspection1,
        data=PetitionInput(content="巡察组的周敏接受吃请", channel="letter"),
        by=member,
    )
    w.rule_city = create_rule(
        committee=w.city,
        name="个人诉求",
        field="scope",
        value="out:personal_claim",
        match=MatchKind.ANY,
        patterns="拖欠工资",
        by=w.users["office"],
    )
    w.rule_county = create_rule(
        committee=w.county_a,
        name="个人诉求",
        field="scope",
        value="out:personal_claim",
        match=MatchKind.ANY,
        patterns="拖欠工资",
        by=w.users["county_office"],
    )


ROWS: list[Row] = [
    # The decision page: an empty POST shows the form again with its errors (200).
    *form("/intake/petitions/{w.triage_letter.pk}/triage/", ok=HANDLERS1),
    *form("/intake/petitions/{w.triage_office_only.pk}/triage/", ok=("office",)),
    # Rules are the office's: other staff are refused (403); a rule of another committee is 404.
    rule("/intake/triage-rules/", ok=OFFICES, other=403),
    *form("/intake/triage-rules/new/", ok=OFFICES, other=403),
    *form("/intake/triage-rules/{w.rule_city.pk}/edit/", ok=("office",)),
    *form("/intake/triage-rules/{w.rule_county.pk}/edit/", ok=("county_office",)),
    *confirm("/intake/triage-rules/{w.rule_city.pk}/deactivate/", ok=("office",)),
    *confirm("/intake/triage-rules/{w.rule_county.pk}/deactivate/", ok=("county_office",)),
    # Activating an active rule is refused with a message (302).
    *confirm("/intake/triage-rules/{w.rule_city.pk}/activate/", ok=("office",)),
    *confirm("/intake/triage-rules/{w.rule_county.pk}/activate/", ok=("county_office",)),
    *confirm("/intake/triage-rules/defaults/{w.city.pk}/", ok=("office",), forbidden=but(CITY, "office")),
    *confirm("/intake/triage-rules/defaults/{w.county_a.pk}/", ok=("county_office",), forbidden=("office",)),
    # The API.
    rule("/api/v1/petitions/{w.triage_letter.pk}/suggestions", ok=HANDLERS1),
    rule("/api/v1/petitions/{w.triage_office_only.pk}/suggestions", ok=("office",)),
    rule("/api/v1/petitions/{w.triage_letter.pk}/triage", ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body("/api/v1/petitions/{w.triage_letter.pk}/triage"),
    refused(
        "/api/v1/petitions/{w.triage_letter.pk}/triage",
        BAD_DECISION,
        ok=HANDLERS1,
        forbidden=(),
        note="team1",
    ),
    refused(
        "/api/v1/petitions/{w.triage_office_only.pk}/triage",
        BAD_DECISION,
        ok=("office",),
        forbidden=(),
        note="about the inspectors",
    ),
    rule("/api/v1/petitions/{w.triage_letter.pk}/hand-to-office", ok=but(ALL, NO_OTP), ok_status=405),
    empty_body("/api/v1/petitions/{w.triage_letter.pk}/hand-to-office"),
    # A blank note is refused by the action for who may hand it over; the office's own petition cannot be
    # handed to the office again.
    refused(
        "/api/v1/petitions/{w.triage_letter.pk}/hand-to-office",
        {"note": " "},
        ok=HANDLERS1,
        forbidden=(),
        note="team1",
    ),
    refused(
        "/api/v1/petitions/{w.triage_office_only.pk}/hand-to-office",
        {"note": "反映巡察组成员"},
        ok=("office",),
        forbidden=(),
        note="about the inspectors",
    ),
]
