"""Authorisation matrix rows of the 书记专题会 and of feedback copies (joined in src/xuncha/tests/matrix.py).

The reports area's world has both teams' reports final; here the city's 书记专题会 hears inspection1. The
office and leading group of a round's committee record and read its meetings; everyone else gets 404 (a
team reads the decision on its own inspection on its report's page, tested with the reports).

The delivered feedback1 is copied to the leader (分管联系领导) and 通报 to jiwei's department: the office
sends copies (of a delivered feedback only); the office, leading group and team1 read the copies, jiwei its
department's, and each receiving side alone signs for its own; everyone else gets 404."""

from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Row, but, confirm, empty_body, form, refused, rule

from ... import copies, meeting
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
    copies.send_copies(
        w.feedback1, leaders=[w.users["leader"]], departments=[w.jiwei_dept], by=w.users["office"]
    )
    w.copy_leader = w.feedback1.copies.get(leader=w.users["leader"])
    w.copy_jiwei = w.feedback1.copies.get(department=w.jiwei_dept)


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


READERS1 = ("office", "leader", "t1_leader", "t1_member")


def _copy_rows() -> list[Row]:
    cl, cj = "{w.copy_leader.pk}", "{w.copy_jiwei.pk}"
    rows = [
        *form(
            "/reports/feedbacks/{w.feedback1.pk}/copies/new/",
            ok=("office",),
            forbidden=(*READERS1[1:], "liaison1"),
        ),
        *form(
            "/reports/feedbacks/{w.feedback2.pk}/copies/new/",
            ok=("office",),
            forbidden=("leader", "t2_member"),
        ),
        rule("/reports/feedback-copies/", ok=STAFF),
        rule(f"/reports/feedback-copies/{cl}/", ok=READERS1),
        rule(f"/reports/feedback-copies/{cj}/", ok=(*READERS1, "jiwei")),
        rule(f"/reports/feedback-copies/{cl}/download/", ok=READERS1),
        rule(f"/reports/feedback-copies/{cj}/download/", ok=(*READERS1, "jiwei")),
        *confirm(
            f"/reports/feedback-copies/{cl}/acknowledge/", ok=("leader",), forbidden=but(READERS1, "leader")
        ),
        *confirm(f"/reports/feedback-copies/{cj}/acknowledge/", ok=("jiwei",), forbidden=READERS1),
        rule("/api/v1/feedback-copies/", ok=STAFF),
        rule(f"/api/v1/feedback-copies/{cl}", ok=READERS1),
        rule(f"/api/v1/feedback-copies/{cj}", ok=(*READERS1, "jiwei")),
        rule(f"/api/v1/feedback-copies/{cj}/acknowledge", ok=POSTS_ONLY, ok_status=405),
        rule(f"/api/v1/feedback-copies/{cj}/acknowledge", "POST", ok=("jiwei",), forbidden=READERS1),
    ]
    for feedback, ok, forbidden in (
        ("feedback1", ("office",), ("leader", "t1_leader", "t1_member", "liaison1")),
        ("feedback2", ("office",), ("leader", "t2_member")),
    ):
        path = f"/api/v1/feedbacks/{{w.{feedback}.pk}}/copies"
        rows += [
            rule(path, ok=POSTS_ONLY, ok_status=405),
            refused(path, {"leaders": [0]}, ok=ok, forbidden=forbidden, note="no such leader"),
        ]
    return rows


ROWS: list[Row] = [*_rows(), *_copy_rows()]
