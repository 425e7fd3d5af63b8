"""Authorisation matrix rows of rectification's look-back (巡察“回头看”), joined in tests/matrix.py.

The world gets a look-back round of inspection1 and inspection2 with two look-back inspections: ``lb1`` of
unit1 by a team of t1_leader (leader) and t1_member, ``lb2`` of unit2 by a team of t2_member; so lb1 is read
by TEAM1's personas (the office and leading group, the look-back team and unit1's liaison) and lb2 by TEAM2's.
Each has a check (虚假整改) on an earlier item (``rect_item1``, ``rect_item2``); both are then put back in
准备, so the writes tried here are refused by the stage guard. The liaison reads but never acts (403); the
look-back page of an inspection that is no look-back is 404 for everyone, as is an item the look-back does
not re-examine.
"""

import datetime
from types import SimpleNamespace

from xuncha.findings.tests.support import set_stage
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
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

from ...actions import lookback
from ...choices import Verdict

POSTS_ONLY = but(ALL, NO_OTP)
LB1_TEAM = ("t1_leader", "t1_member")
LB2_TEAM = ("t2_member",)
LB1_READERS = but(TEAM1, *LB1_TEAM)  # office, leader, liaison1
LB2_READERS = but(TEAM2, *LB2_TEAM)  # office, leader


def add_world(w: SimpleNamespace) -> None:
    stages = (w.inspection1.stage, w.inspection2.stage)
    set_stage(w.inspection1, Stage.RECTIFYING)
    set_stage(w.inspection2, Stage.RECTIFYING)
    start = datetime.date(2027, 3, 1)
    w.lb_round = rounds.create_round(
        committee=w.city,
        number=90,
        name="市委第一轮巡察“回头看”",
        kind=RoundKind.LOOKBACK,
        planned_start=start,
        planned_end=start + datetime.timedelta(days=60),
        lookback_of=[w.inspection1, w.inspection2],
        by=None,
    )
    team1 = rounds.create_team(round=w.lb_round, name="回头看第一组", by=None)
    rounds.add_team_member(team=team1, inspector=w.inspector_t1_leader, role=TeamRole.LEADER, by=None)
    rounds.add_team_member(team=team1, inspector=w.inspector_t1_member, role=TeamRole.MEMBER, by=None)
    team2 = rounds.create_team(round=w.lb_round, name="回头看第二组", by=None)
    rounds.add_team_member(team=team2, inspector=w.inspector_t2_member, role=TeamRole.MEMBER, by=None)
    w.lb1 = rounds.create_inspection(round=w.lb_round, team=team1, unit=w.unit1, by=None)
    w.lb2 = rounds.create_inspection(round=w.lb_round, team=team2, unit=w.unit2, by=None)
    for inspection, item, name in ((w.lb1, w.rect_item1, "lb_check1"), (w.lb2, w.rect_item2, "lb_check2")):
        set_stage(inspection, Stage.FIELDWORK)
        check = lookback.record_check(inspection, item=item, verdict=Verdict.FALSE, note="补做凭证", by=None)
        setattr(w, name, check)
        set_stage(inspection, Stage.PREPARING)
    set_stage(w.inspection1, stages[0])
    set_stage(w.inspection2, stages[1])


def _page_rows() -> list[Row]:
    lb1, lb2 = "/rectification/inspections/{w.lb1.pk}", "/rectification/inspections/{w.lb2.pk}"
    c1, c2 = (
        "/rectification/lookback-checks/{w.lb_check1.pk}",
        "/rectification/lookback-checks/{w.lb_check2.pk}",
    )
    return [
        rule(f"{lb1}/lookback/", ok=TEAM1),
        rule(f"{lb2}/lookback/", ok=TEAM2),
        rule("/rectification/inspections/{w.inspection1.pk}/lookback/", note="no look-back inspection"),
        rule(f"{lb1}/lookback/ledger/", ok=TEAM1),
        rule(f"{lb2}/lookback/ledger/", ok=TEAM2),
        *form(f"{lb1}/lookback/items/{{w.rect_item1.pk}}/", ok=LB1_TEAM, forbidden=LB1_READERS),
        *form(f"{lb2}/lookback/items/{{w.rect_item2.pk}}/", ok=LB2_TEAM, forbidden=LB2_READERS),
        # unit2's item is not re-examined by lb1.
        *form(f"{lb1}/lookback/items/{{w.rect_item2.pk}}/", note="not an earlier item"),
        *form(f"{c1}/follow-up/", ok=LB1_TEAM, forbidden=LB1_READERS),
        *form(f"{c2}/follow-up/", ok=LB2_TEAM, forbidden=LB2_READERS),
    ]


def _api_rows() -> list[Row]:
    c1, c2 = "/api/v1/lookback-checks/{w.lb_check1.pk}", "/api/v1/lookback-checks/{w.lb_check2.pk}"
    body = {"verdict": "genuine", "note": "已整改"}
    return [
        rule("/api/v1/lookback-checks/", ok=STAFF),
        rule(c1, ok=TEAM1),
        rule(c2, ok=TEAM2),
        empty_body("/api/v1/lookback-checks/"),
        # An inspection the caller does not see is a 422 on that field, like a missing one.
        refused(
            "/api/v1/lookback-checks/",
            {"inspection": Pk("lb1"), "item": Pk("rect_item1"), **body},
            ok=LB1_TEAM,
            forbidden=LB1_READERS,
            other=422,
            note="lb1, stage",
        ),
        refused(
            "/api/v1/lookback-checks/",
            {"inspection": Pk("lb2"), "item": Pk("rect_item2"), **body},
            ok=LB2_TEAM,
            forbidden=LB2_READERS,
            other=422,
            note="lb2, stage",
        ),
        rule(f"{c1}/follow-up", ok=POSTS_ONLY, ok_status=405),
        rule(f"{c2}/follow-up", ok=POSTS_ONLY, ok_status=405),
        refused(f"{c1}/follow-up", {}, ok=LB1_TEAM, forbidden=LB1_READERS, note="stage"),
        refused(f"{c2}/follow-up", {}, ok=LB2_TEAM, forbidden=LB2_READERS, note="stage"),
    ]


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
