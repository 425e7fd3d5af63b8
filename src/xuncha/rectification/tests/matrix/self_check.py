"""Authorisation matrix rows of the unit's self-check problems (自查问题), joined in tests/matrix.py.

inspection1 (fieldwork) gets a problem registered by unit1's liaison; inspection2 (put in 进驻 for the
registration, then back in 准备) one registered by the system. Whoever reads the inspection's rectification
reads them (TEAM1 / TEAM2: the office and leading group, the team, unit1's liaison); everyone else gets 404.
The liaison registers (others who see it get 403); only the team leader accepts or declines (others who see
it get 403; team2 has no leader among the personas). Empty forms are shown again (200); the API's verbs
with a well-formed body are refused on their merits (422) for who may act.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import (
    ALL,
    NO_OTP,
    STAFF,
    TEAM1,
    TEAM2,
    Pk,
    Row,
    but,
    empty_body,
    form,
    refused,
    rule,
)

from ...actions.self_check import SelfCheckInput, report_self_check

LEADER1 = ("t1_leader",)
POSTS_ONLY = but(ALL, NO_OTP)


def _data(problem: str) -> SelfCheckInput:
    due = timezone.localdate() + datetime.timedelta(days=10)
    return SelfCheckInput(
        problem=problem, measure="立即整改", leader="李文华", department="办公室", due_on=due
    )


def add_world(w: SimpleNamespace) -> None:
    w.self_check1 = report_self_check(w.inspection1, data=_data("公务用车登记不全"), by=w.users["liaison1"])
    stage = w.inspection2.stage
    set_stage(w.inspection2, Stage.STATIONED)
    w.self_check2 = report_self_check(w.inspection2, data=_data("会议费超标准列支"), by=None)
    set_stage(w.inspection2, stage)


def _page_rows() -> list[Row]:
    i1 = "/rectification/self-check/inspections/{w.inspection1.pk}"
    i2 = "/rectification/self-check/inspections/{w.inspection2.pk}"
    e1, e2 = "/rectification/self-check/{w.self_check1.pk}", "/rectification/self-check/{w.self_check2.pk}"
    return [
        rule(f"{i1}/", ok=TEAM1),
        rule(f"{i2}/", ok=TEAM2),
        *form(f"{i1}/new/", ok=("liaison1",), forbidden=but(TEAM1, "liaison1")),
        *form(f"{i2}/new/", forbidden=TEAM2),  # unit2 has no liaison among the personas
        rule(f"{e1}/", ok=TEAM1),
        rule(f"{e2}/", ok=TEAM2),
        *form(f"{e1}/accept/", ok=LEADER1, forbidden=but(TEAM1, *LEADER1)),
        *form(f"{e2}/accept/", forbidden=TEAM2),
        *form(f"{e1}/decline/", ok=LEADER1, forbidden=but(TEAM1, *LEADER1)),
        *form(f"{e2}/decline/", forbidden=TEAM2),
    ]


def _api_rows() -> list[Row]:
    e1, e2 = "/api/v1/self-check-items/{w.self_check1.pk}", "/api/v1/self-check-items/{w.self_check2.pk}"
    body = {
        "problem": " ",
        "measure": "整改",
        "leader": "李文华",
        "department": "办公室",
        "due_on": "2099-01-01",
    }
    rows = [
        rule("/api/v1/self-check-items/", ok=STAFF),
        empty_body("/api/v1/self-check-items/"),
        refused(
            "/api/v1/self-check-items/",
            {"inspection": Pk("inspection1"), **body},
            ok=("liaison1",),
            forbidden=but(TEAM1, "liaison1"),
            other=422,
            note="inspection1",
        ),
        refused(
            "/api/v1/self-check-items/",
            {"inspection": Pk("inspection2"), **body},
            ok=(),
            forbidden=TEAM2,
            other=422,
            note="inspection2",
        ),
        rule(e1, ok=TEAM1),
        rule(e2, ok=TEAM2),
        # 长期整改 is not for a self-check problem: refused for the leader.
        refused(
            f"{e1}/accept", {"kind": "long_term"}, ok=LEADER1, forbidden=but(TEAM1, *LEADER1), note="kind"
        ),
        refused(f"{e2}/accept", {"kind": "long_term"}, ok=(), forbidden=TEAM2, note="kind"),
        empty_body(f"{e1}/decline"),
        refused(
            f"{e1}/decline", {"reason": " "}, ok=LEADER1, forbidden=but(TEAM1, *LEADER1), note="no reason"
        ),
        refused(f"{e2}/decline", {"reason": " "}, ok=(), forbidden=TEAM2, note="no reason"),
    ]
    rows += [rule(f"{e1}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("accept", "decline")]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
