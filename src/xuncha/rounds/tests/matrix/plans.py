"""Authorisation matrix rows of the work plan, the round's 动员部署会 and the inspectors' readiness (joined in
src/xuncha/tests/matrix.py).

The city's round has an approved plan (the world's), a deployment meeting and a training session; the
county's round a draft plan, a meeting and a session. The round's insiders (its committee's office and
leading group, the members of its teams) read; the office edits, the leading group decides, both record
the 审定. The unit's liaison sees the round but not these pages: 403 there, 404 in the API (its lists are
scoped); everyone else 404. Empty or refused bodies change nothing: a form shown again (200), a message
and a redirect (302), or a 422 from the API.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.rounds import plans, readiness, round_meeting
from xuncha.rounds.models import Round
from xuncha.tests.matrix import ALL, NO_OTP, ROUND, STAFF, Row, but, empty_body, rule

INSIDERS = but(ROUND, "liaison1")  # office, leader, t1_leader, t1_member, t2_member
LIAISON = ("liaison1",)
NOT_OFFICE = but(INSIDERS, "office")


def _meeting(round_: Round) -> object:
    return round_meeting.save_round_meeting(
        round_,
        held_at=timezone.now() - datetime.timedelta(days=1),
        place="常委会议室",
        chair="书记",
        by=None,
        **{name: text or "（暂无）" for name, text in round_meeting.defaults(round_).items()},
    )


def add_world(w: SimpleNamespace) -> None:
    """The city round's meeting and session; the county round's draft plan, meeting and session."""
    w.city_plan = w.round.work_plan
    w.city_meeting = _meeting(w.round)
    w.city_training = readiness.record_training(
        w.round, held_on=timezone.localdate(), topic="巡前培训", attendees=(), by=None
    )
    cr = w.county_round
    w.county_plan = plans.save_plan(cr, stationing_on=cr.planned_start, withdrawal_on=cr.planned_end, by=None)
    w.county_meeting = _meeting(cr)
    w.county_training = readiness.record_training(
        cr, held_on=timezone.localdate(), topic="巡前培训", attendees=(), by=None
    )


def _pages(
    rnd: str, *, insiders: tuple[str, ...], sees: tuple[str, ...], leader: tuple[str, ...]
) -> list[Row]:
    """The pages of a round: ``insiders`` read, ``sees`` see the round only, ``leader`` decides."""
    office = insiders[:1]
    base = f"/rounds/{{w.{rnd}.pk}}"
    others = but(insiders, *office)
    not_leader = but(insiders, *leader)
    ratifiers = (*office, *leader)
    return [
        # The plan page: an empty draft is refused on the form (200); the others may not draft.
        rule(f"{base}/plan/", ok=insiders, forbidden=sees),
        rule(f"{base}/plan/", "POST", ok=office, forbidden=(*others, *sees)),
        *[
            rule(f"{base}/plan/{step}/", ok=STAFF, ok_status=405)
            for step in ("submit", "approve", "return", "ratify")
        ],
        # Each step is refused with a message on the plan page (302) for who may take it.
        rule(f"{base}/plan/submit/", "POST", ok=office, ok_status=302, forbidden=(*others, *sees)),
        rule(f"{base}/plan/approve/", "POST", ok=leader, ok_status=302, forbidden=(*not_leader, *sees)),
        rule(f"{base}/plan/return/", "POST", ok=leader, ok_status=302, forbidden=(*not_leader, *sees)),
        rule(
            f"{base}/plan/ratify/",
            "POST",
            ok=ratifiers,
            ok_status=302,
            forbidden=(*but(insiders, *ratifiers), *sees),
        ),
        rule(f"{base}/plan/document/", ok=insiders, forbidden=sees),
        rule(f"{base}/deployment-meeting/", ok=insiders, forbidden=sees),
        rule(f"{base}/deployment-meeting/", "POST", ok=office, forbidden=(*others, *sees)),
        rule(f"{base}/deployment-meeting/document/", ok=insiders, forbidden=sees),
        rule(f"{base}/readiness/", ok=insiders, forbidden=sees),
        rule(f"{base}/readiness/sign/", ok=STAFF, ok_status=405),
        # Signing without a valid kind (or as no member) is refused with a message (302).
        rule(f"{base}/readiness/sign/", "POST", ok=insiders, ok_status=302, forbidden=sees),
        rule(f"{base}/readiness/paper/", ok=STAFF, ok_status=405),
        rule(f"{base}/readiness/paper/", "POST", ok=office, ok_status=302, forbidden=(*others, *sees)),
        rule(f"{base}/readiness/trainings/new/", ok=office, forbidden=(*others, *sees)),
        rule(f"{base}/readiness/trainings/new/", "POST", ok=office, forbidden=(*others, *sees)),
    ]


def _training(name: str, *, office: tuple[str, ...], others: tuple[str, ...]) -> list[Row]:
    # The session is scoped like the plan: the liaison does not see it at all (404). An empty POST shows
    # the form again (200).
    path = f"/rounds/trainings/{{w.{name}.pk}}/"
    return [
        rule(path, ok=office, forbidden=others),
        rule(path, "POST", ok=office, forbidden=others),
    ]


def _api(
    plan: str, rnd: str, team: str | None, *, insiders: tuple[str, ...], leader: tuple[str, ...]
) -> list[Row]:
    office = insiders[:1]
    base = f"/api/v1/round-plans/{{w.{plan}.pk}}"
    others = but(insiders, *office)
    rows = [
        rule(base, ok=insiders),
        rule(base, "PUT", other=422, note="empty body"),
        rule(f"{base}/submit", "POST", ok=office, ok_status=422, forbidden=others, note="refused"),
        rule(
            f"{base}/approve",
            "POST",
            ok=leader,
            ok_status=422,
            forbidden=but(insiders, *leader),
            note="refused",
        ),
        rule(
            f"{base}/return",
            "POST",
            ok=leader,
            ok_status=422,
            forbidden=but(insiders, *leader),
            note="refused",
        ),
        empty_body(f"{base}/ratify"),
        *[rule(f"{base}/{verb}", ok=but(ALL, NO_OTP), ok_status=405) for verb in VERBS],  # POST only
        rule(f"{base}/versions", ok=insiders),
        rule(f"{base}/document", ok=insiders),
        rule(f"/api/v1/rounds/{{w.{rnd}.pk}}/deployment-meeting", ok=insiders),
        rule(f"/api/v1/rounds/{{w.{rnd}.pk}}/deployment-meeting", "PUT", other=422, note="empty body"),
        rule(f"/api/v1/rounds/{{w.{rnd}.pk}}/deployment-meeting/document", ok=insiders),
        rule(f"/api/v1/rounds/{{w.{rnd}.pk}}/readiness", ok=insiders),
    ]
    if team:
        rows.append(rule(f"{base}/teams/{{w.{team}.pk}}/authorisation", ok=insiders))
    return rows


COUNTY = ("county_office",)
VERBS = ("submit", "approve", "return", "ratify")

ROWS: list[Row] = [
    *_pages("round", insiders=INSIDERS, sees=LIAISON, leader=("leader",)),
    *_pages("county_round", insiders=COUNTY, sees=(), leader=()),
    rule("/rounds/{w.round.pk}/plan/teams/{w.team1.pk}/authorisation/", ok=INSIDERS, forbidden=LIAISON),
    rule("/rounds/{w.round.pk}/plan/teams/{w.team2.pk}/authorisation/", ok=INSIDERS, forbidden=LIAISON),
    # A team of another round, under this round's plan: 404 for everyone.
    rule("/rounds/{w.county_round.pk}/plan/teams/{w.team1.pk}/authorisation/"),
    *_training("city_training", office=("office",), others=NOT_OFFICE),
    *_training("county_training", office=COUNTY, others=()),
    rule("/api/v1/round-plans/", ok=STAFF),
    empty_body("/api/v1/round-plans/"),
    *_api("city_plan", "round", "team1", insiders=INSIDERS, leader=("leader",)),
    *_api("county_plan", "county_round", None, insiders=COUNTY, leader=()),
    rule("/api/v1/training-sessions/", ok=STAFF),
    empty_body("/api/v1/training-sessions/"),
    rule("/api/v1/training-sessions/{w.city_training.pk}", ok=INSIDERS),
    rule("/api/v1/training-sessions/{w.county_training.pk}", ok=COUNTY),
    empty_body("/api/v1/training-sessions/{w.city_training.pk}/attendance"),
    rule("/api/v1/training-sessions/{w.city_training.pk}/attendance", ok=but(ALL, NO_OTP), ok_status=405),
    rule("/api/v1/commitments/", ok=STAFF),
    empty_body("/api/v1/commitments/"),
]
