"""Authorisation matrix rows of the key-person radar (重点人) and the unit portrait (政治生态画像), joined in
src/xuncha/tests/matrix.py.

The world adds one letter of team1's inspection naming ``principal1``, accepted: the radar reflects him.
The radar is read by the committee's office and by the leaders of its teams (``t1_leader``: only what
team1's inspections hold); its settings are the office's alone. A person nothing in the reader's scope
reflects is 404, as a missing id (``principal2``: nothing names him). The portrait is read by the office
and the leading group of the unit's committee; its 研判报告 is the office's (the leading group 403); the
city's office does not read a county unit's portrait (names of its leaders), the county's office does.
Everyone else gets 404.
"""

from types import SimpleNamespace

from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.actions.triage import triage_petition
from xuncha.taxonomy import defaults
from xuncha.tests.matrix import Row, form, rule

RADAR = ("office", "t1_leader")  # the city's office, and team1's leader
PORTRAIT = ("office", "leader")
SETTINGS = {
    "min_score": 4,
    "matter_weight": 2,
    "channel_weight": 1,
    "round_weight": 1,
    "interview_weight": 1,
    "finding_weight": 2,
    "clue_weight": 3,
}


def add_world(w: SimpleNamespace) -> None:
    """A letter of team1 naming principal1, accepted by t1_member, through the actions."""
    defaults.install()
    letter = register_petition(
        w.inspection1,
        data=PetitionInput(content="反映市财政局一把手在滨江酒店公款宴请。", channel="letter"),
        by=w.users["t1_member"],
    )
    triage_petition(
        letter,
        decision="accept",
        scope="in",
        scope_reason="leadership",
        persons=[w.principal1],
        by=w.users["t1_member"],
    )


ROWS: list[Row] = [
    # The radar: the reader's own committee by default, or the one asked for.
    rule("/analytics/key-persons/", ok=(*RADAR, "county_office")),
    rule("/analytics/key-persons/?committee={w.city.pk}", ok=RADAR),
    rule("/analytics/key-persons/?committee={w.county_a.pk}", ok=("county_office",)),
    rule("/analytics/key-persons/{w.principal1.pk}/?committee={w.city.pk}", ok=RADAR),
    rule("/analytics/key-persons/{w.principal2.pk}/?committee={w.city.pk}", note="nothing reflects him"),
    *form("/analytics/key-persons/settings/{w.city.pk}/", ok=("office",)),
    *form("/analytics/key-persons/settings/{w.county_a.pk}/", ok=("county_office",)),
    rule("/api/v1/key-persons/", ok=(*RADAR, "county_office")),
    rule("/api/v1/key-persons/?committee={w.city.pk}", ok=RADAR),
    rule("/api/v1/key-persons/?committee={w.county_a.pk}", ok=("county_office",)),
    rule("/api/v1/key-persons/{w.principal1.pk}?committee={w.city.pk}", ok=RADAR),
    rule("/api/v1/key-persons/{w.principal2.pk}?committee={w.city.pk}", note="nothing reflects him"),
    rule("/api/v1/radar-settings/{w.city.pk}", ok=("office",)),
    rule("/api/v1/radar-settings/{w.county_a.pk}", ok=("county_office",)),
    rule("/api/v1/radar-settings/{w.city.pk}", "PUT", ok=("office",), data=SETTINGS),
    rule("/api/v1/radar-settings/{w.county_a.pk}", "PUT", ok=("county_office",), data=SETTINGS),
    # The unit portrait and its report.
    rule("/analytics/units/{w.unit1.pk}/portrait/", ok=PORTRAIT),
    rule("/analytics/units/{w.county_unit.pk}/portrait/", ok=("county_office",)),
    rule("/analytics/units/{w.unit1.pk}/portrait/report/", ok=("office",), forbidden=("leader",)),
    rule("/analytics/units/{w.county_unit.pk}/portrait/report/", ok=("county_office",)),
    rule("/api/v1/units/{w.unit1.pk}/portrait", ok=PORTRAIT),
    rule("/api/v1/units/{w.county_unit.pk}/portrait", ok=("county_office",)),
    rule("/api/v1/units/{w.unit1.pk}/portrait/report", ok=("office",), forbidden=("leader",)),
    rule("/api/v1/units/{w.county_unit.pk}/portrait/report", ok=("county_office",)),
]
