"""Authorisation matrix rows of the 书记专题会 (joined in src/xuncha/tests/matrix.py).

The reports area's world has both teams' reports final; here the city's 书记专题会 hears inspection1. The
office and leading group of a round's committee record and read its meetings; everyone else gets 404 (a
team reads the decision on its own inspection on its report's page, tested with the reports)."""

from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Row, empty_body, form, refused, rule

from ... import meeting
from ...choices import MeetingOutcome

OFFICE_LG = ("office", "leader")
POSTS_ONLY = tuple(p for p in ALL if p != NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    stage = w.inspection1.stage
    set_stage(w.inspection1, Stage.REPORTING)
    w.secretary_meeting = meeting.record_secretary_meeting(
        w.round,
        data=meeting.MeetingInput(
            held_on=timezone.localdate(),
            place="市委常委会议室",
            chair="市委书记",
            secretary_opinions="同意。",
            attendees=[w.users["leader"]],
        ),
        items=[meeting.MeetingItem(w.inspection1, MeetingOutcome.AGREED)],
        by=w.users["office"],
    )
    set_stage(w.inspection1, stage)


def _rows() -> list[Row]:
    m = "{w.secretary_meeting.pk}"
    body = {
        "held_on": "2026-01-05",
        "place": "会议室",
        "chair": "书记",
        "secretary_opinions": "同意。",
        "decisions": [{"inspection": 0, "outcome": "agreed"}],
    }
    rows = [
        *form("/reports/rounds/{w.round.pk}/secretary-meeting/", ok=OFFICE_LG),
        *form("/reports/rounds/{w.county_round.pk}/secretary-meeting/", ok=("county_office",)),
        rule(f"/reports/secretary-meetings/{m}/", ok=OFFICE_LG),
        rule(f"/reports/secretary-meetings/{m}/download/", ok=OFFICE_LG),
        rule("/api/v1/secretary-meetings/", ok=STAFF),
        rule(f"/api/v1/secretary-meetings/{m}", ok=OFFICE_LG),
    ]
    for round_, ok in (("round", OFFICE_LG), ("county_round", ("county_office",))):
        path = f"/api/v1/rounds/{{w.{round_}.pk}}/secretary-meetings"
        rows += [
            rule(path, ok=POSTS_ONLY, ok_status=405),
            empty_body(path),
            refused(path, body, ok=ok, forbidden=(), note="no such inspection"),
        ]
    return rows


ROWS: list[Row] = _rows()
