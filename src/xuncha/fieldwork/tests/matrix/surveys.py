"""Authorisation matrix rows of surveys (joined in src/xuncha/tests/matrix.py).

survey1 is team1's draft leadership evaluation of inspection1, survey2 team2's draft questionnaire of
inspection2 (no questions yet). The office and the leading group see both, each team its own; the unit's
liaison and everyone else get 404. The team drafts, makes tokens and enters paper forms (the office and
the leading group: 403); the team leader and the office open and close (a member and the leading group:
403); free text is read by the office and the team (the leading group: 403). Empty forms are shown again
(200); confirmation pages act on POST and redirect, refused or not.

The public pages and the public API answer everyone alike, without login or TOTP: an empty token is the
same "wrong token" page (200) or a 422.
"""

from types import SimpleNamespace

from xuncha.fieldwork.actions.surveys import create_survey
from xuncha.fieldwork.choices import SurveyKind
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, TEAM1, TEAM2, Row, but, confirm, empty_body, form, rule


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    w.survey1 = create_survey(w.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=w.users["t1_member"])
    w.survey1_question = w.survey1.questions.order_by("position").first()
    w.survey2 = create_survey(
        w.inspection2, kind=SurveyKind.CUSTOM, title="作风问卷", by=w.users["t2_member"]
    )


def _rows(
    survey: str, inspection: str, sees: tuple[str, ...], team: tuple[str, ...], leader: tuple[str, ...]
) -> list[Row]:
    """``sees``: the committee and the team; ``team``: its members; ``leader``: who opens and closes."""
    base = f"/fieldwork/surveys/{{w.{survey}.pk}}"
    api = f"/api/v1/surveys/{{w.{survey}.pk}}"
    not_team = but(sees, *team)
    not_leader = but(sees, *leader)
    readers = but(sees, "leader")
    return [
        rule(f"/fieldwork/surveys/inspections/{{w.{inspection}.pk}}/", ok=sees),
        rule(f"/fieldwork/surveys/inspections/{{w.{inspection}.pk}}/", "POST", ok=team, forbidden=not_team),
        rule(f"{base}/", ok=sees),
        *form(f"{base}/edit/", ok=team, forbidden=not_team),
        *form(f"{base}/questions/", ok=team, forbidden=not_team),
        *confirm(f"{base}/open/", ok=leader, forbidden=not_leader),
        *confirm(f"{base}/close/", ok=leader, forbidden=not_leader, note="a draft: refused"),
        *form(f"{base}/tokens/", ok=team, forbidden=not_team),
        *form(f"{base}/paper/", ok=team, forbidden=not_team, note="a draft: refused"),
        rule(f"{base}/results/", ok=sees),
        rule(f"{base}/texts/", ok=readers, forbidden=("leader",)),
        rule(f"{base}/export/", ok=sees),
        rule(api, ok=sees),
        rule(f"{api}/open", ok=but(ALL, NO_OTP), ok_status=405),
        rule(f"{api}/close", ok=but(ALL, NO_OTP), ok_status=405),
        rule(f"{api}/close", "POST", ok=leader, ok_status=422, forbidden=not_leader, note="a draft"),
        rule(f"{api}/tokens", ok=but(ALL, NO_OTP), ok_status=405),
        empty_body(f"{api}/tokens"),
        rule(f"{api}/paper", ok=but(ALL, NO_OTP), ok_status=405),
        empty_body(f"{api}/paper"),
    ]


ROWS: list[Row] = [
    *_rows(
        "survey1", "inspection1", but(TEAM1, "liaison1"), ("t1_leader", "t1_member"), ("office", "t1_leader")
    ),
    *_rows("survey2", "inspection2", TEAM2, ("t2_member",), ("office",)),
    # survey1 has questions: opened by the team leader or the office; survey2 has none: refused (422).
    rule(
        "/api/v1/surveys/{w.survey1.pk}/open",
        "POST",
        ok=("office", "t1_leader"),
        forbidden=("leader", "t1_member"),
    ),
    rule(
        "/api/v1/surveys/{w.survey2.pk}/open",
        "POST",
        ok=("office",),
        ok_status=422,
        forbidden=("leader", "t2_member"),
        note="no questions",
    ),
    *form(
        "/fieldwork/surveys/{w.survey1.pk}/questions/{w.survey1_question.pk}/",
        ok=("t1_leader", "t1_member"),
        forbidden=("office", "leader"),
    ),
    *confirm(
        "/fieldwork/surveys/{w.survey1.pk}/questions/{w.survey1_question.pk}/delete/",
        ok=("t1_leader", "t1_member"),
        forbidden=("office", "leader"),
    ),
    rule("/api/v1/surveys/", ok=STAFF),
    empty_body("/api/v1/surveys/"),
    # The public pages and API: no login, no TOTP.
    rule("/survey/", ok=ALL),
    rule("/survey/", "POST", ok=ALL, note="no token: the wrong-token page"),
    rule("/survey/answer/", ok=ALL, ok_status=405),
    rule("/survey/answer/", "POST", ok=ALL, note="no token: the wrong-token page"),
    rule("/survey/{w.survey1.public_code}/", ok=ALL, note="a draft: not open"),
    rule("/api/v1/public/surveys/form", ok=ALL, ok_status=405),
    rule("/api/v1/public/surveys/form", "POST", ok=ALL, ok_status=422, note="no token"),
    rule("/api/v1/public/surveys/respond", ok=ALL, ok_status=405),
    rule("/api/v1/public/surveys/respond", "POST", ok=ALL, ok_status=422, note="empty body"),
]
