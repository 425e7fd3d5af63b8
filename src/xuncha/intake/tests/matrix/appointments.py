"""Authorisation matrix rows of face-to-face appointments (预约面谈), joined in src/xuncha/tests/matrix.py.

inspection1 gets a time offered by t1_member; inspection2 (put in 进驻 for it, then back in 准备) one
offered by the system. The team and the office of the committee read them; the team offers, withdraws and
records (the office gets 403); everyone else gets 404. Empty forms are shown again (200); withdrawing an
open time is the confirmation's POST (302, rolled back), the API's too (200). The portal page and the
public API need no login: every persona, the anonymous visitor and a half-logged-in session alike.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, confirm, empty_body, form, refused, rule

from ...actions.appointments import offer_appointment

READERS1 = ("office", "t1_leader", "t1_member")
TEAM1 = ("t1_leader", "t1_member")
READERS2 = ("office", "t2_member")
TEAM2 = ("t2_member",)
OFFICE = ("office",)
POSTS_ONLY = but(ALL, NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    starts = timezone.now() + datetime.timedelta(days=3)
    w.appointment1 = offer_appointment(
        w.inspection1, starts_at=starts, place="驻点办公室", by=w.users["t1_member"]
    )
    stage = w.inspection2.stage
    set_stage(w.inspection2, Stage.STATIONED)
    w.appointment2 = offer_appointment(w.inspection2, starts_at=starts, place="驻点办公室", by=None)
    set_stage(w.inspection2, stage)


def _page_rows() -> list[Row]:
    i1 = "/intake/appointments/inspections/{w.inspection1.pk}"
    i2 = "/intake/appointments/inspections/{w.inspection2.pk}"
    a1, a2 = "/intake/appointments/{w.appointment1.pk}", "/intake/appointments/{w.appointment2.pk}"
    return [
        rule(f"{i1}/", ok=READERS1),
        rule(f"{i2}/", ok=READERS2),
        *form(f"{i1}/new/", ok=TEAM1, forbidden=OFFICE),
        *form(f"{i2}/new/", ok=TEAM2, forbidden=OFFICE),
        rule(f"{a1}/", ok=READERS1),
        rule(f"{a2}/", ok=READERS2),
        *confirm(f"{a1}/withdraw/", ok=TEAM1, forbidden=OFFICE),
        *confirm(f"{a2}/withdraw/", ok=TEAM2, forbidden=OFFICE),
        *form(f"{a1}/record/", ok=TEAM1, forbidden=OFFICE),
        *form(f"{a2}/record/", ok=TEAM2, forbidden=OFFICE),
        # The portal.
        rule("/portal/{w.public_code}/appointments/", ok=ALL),
        rule("/portal/{w.public_code}/appointments/", "POST", ok=ALL, note="empty: the form again"),
        rule("/portal/{w.announcement2.public_code}/appointments/", ok=ALL, note="draft: closed"),
    ]


def _api_rows() -> list[Row]:
    a1 = "/api/v1/visit-appointments/{w.appointment1.pk}"
    a2 = "/api/v1/visit-appointments/{w.appointment2.pk}"
    past = {"starts_at": "2020-01-01T09:00:00", "place": "驻点办公室"}
    rows = [
        rule("/api/v1/visit-appointments/", ok=STAFF),
        empty_body("/api/v1/visit-appointments/"),
        refused(
            "/api/v1/visit-appointments/",
            {"inspection": Pk("inspection1"), **past},
            ok=TEAM1,
            forbidden=("office", "leader", "liaison1"),
            other=422,
            note="inspection1",
        ),
        refused(
            "/api/v1/visit-appointments/",
            {"inspection": Pk("inspection2"), **past},
            ok=TEAM2,
            forbidden=("office", "leader"),
            other=422,
            note="inspection2",
        ),
        rule(a1, ok=READERS1),
        rule(a2, ok=READERS2),
        rule(f"{a1}/withdraw", "POST", ok=TEAM1, forbidden=OFFICE),
        rule(f"{a2}/withdraw", "POST", ok=TEAM2, forbidden=OFFICE),
        empty_body(f"{a1}/record"),
        # Nothing booked yet: nothing to record.
        refused(f"{a1}/record", {"held": False}, ok=TEAM1, forbidden=OFFICE, note="not booked"),
        refused(f"{a2}/record", {"held": False}, ok=TEAM2, forbidden=OFFICE, note="not booked"),
        # The public API.
        rule("/api/v1/public/visit-appointments?public_code={w.public_code}", ok=ALL),
        rule("/api/v1/public/visit-appointments", "POST", ok=ALL, ok_status=422, note="empty body"),
    ]
    rows += [rule(f"{a1}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("withdraw", "record")]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
