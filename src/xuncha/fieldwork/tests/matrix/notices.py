"""Authorisation matrix rows of the unit's reports to the team (被巡察单位报告事项).

inspection1 (fieldwork) gets a meeting reported by unit1's liaison; inspection2 (put in 进驻 for the
report, then back in 准备) a public-opinion incident reported by the system. The unit's liaison, the team
and the office of the committee read them; the leading group and everyone else get 404. The liaison reports
(the team and the office get 403); the team attends or notes (the liaison and the office get 403).

Empty forms are shown again (200). The API: an empty report body is a 422 for everyone; a well-formed one
with an empty subject is the liaison's 422, a 403 for who sees the inspection, and a 422 on ``inspection``
for the rest (as for a missing id). An empty attendance body is valid: the meeting is attended (200).
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, empty_body, form, refused, rule

from ...actions.notices import NoticeInput, report_notice
from ...models import NoticeKind

READERS1 = ("office", "t1_leader", "t1_member", "liaison1")
TEAM1 = ("t1_leader", "t1_member")
READERS2 = ("office", "t2_member")
TEAM2 = ("t2_member",)
POSTS_ONLY = but(ALL, NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    starts = timezone.now() + datetime.timedelta(days=2)
    w.unit_notice1 = report_notice(
        w.inspection1,
        data=NoticeInput(
            kind=NoticeKind.MEETING, subject="党组会议", starts_at=starts, place="会议室", details="议题"
        ),
        by=w.users["liaison1"],
    )
    stage = w.inspection2.stage
    set_stage(w.inspection2, Stage.STATIONED)
    w.unit_notice2 = report_notice(
        w.inspection2,
        data=NoticeInput(kind=NoticeKind.OPINION, subject="网络舆情", details="论坛帖子"),
        by=None,
    )
    set_stage(w.inspection2, stage)


def _page_rows() -> list[Row]:
    n1, n2 = "/fieldwork/notices/{w.unit_notice1.pk}", "/fieldwork/notices/{w.unit_notice2.pk}"
    i1 = "/fieldwork/notices/inspections/{w.inspection1.pk}"
    i2 = "/fieldwork/notices/inspections/{w.inspection2.pk}"
    return [
        rule(f"{i1}/", ok=READERS1),
        rule(f"{i2}/", ok=READERS2),
        *form(f"{i1}/new/", ok=("liaison1",), forbidden=but(READERS1, "liaison1")),
        *form(f"{i2}/new/", forbidden=READERS2),  # unit2 has no liaison among the personas
        rule(f"{n1}/", ok=READERS1),
        rule(f"{n2}/", ok=READERS2),
        *form(f"{n1}/attend/", ok=TEAM1, forbidden=("office", "liaison1")),
        *form(f"{n2}/attend/", ok=TEAM2, forbidden=("office",)),
        *form(f"{n1}/note/", ok=TEAM1, forbidden=("office", "liaison1")),
        *form(f"{n2}/note/", ok=TEAM2, forbidden=("office",)),
    ]


def _api_rows() -> list[Row]:
    n1, n2 = "/api/v1/unit-notices/{w.unit_notice1.pk}", "/api/v1/unit-notices/{w.unit_notice2.pk}"
    body = {"kind": "opinion", "subject": " ", "details": "帖子"}
    rows = [
        rule("/api/v1/unit-notices/", ok=STAFF),
        empty_body("/api/v1/unit-notices/"),
        refused(
            "/api/v1/unit-notices/",
            {"inspection": Pk("inspection1"), **body},
            ok=("liaison1",),
            forbidden=but(READERS1, "liaison1"),
            other=422,
            note="inspection1",
        ),
        refused(
            "/api/v1/unit-notices/",
            {"inspection": Pk("inspection2"), **body},
            ok=(),
            forbidden=READERS2,
            other=422,
            note="inspection2",
        ),
        rule(n1, ok=READERS1),
        rule(n2, ok=READERS2),
        # An empty body is a valid attendance (no members, no remark): the meeting is attended (200), the
        # incident refused (422).
        rule(f"{n1}/attend", "POST", ok=TEAM1, forbidden=("office", "liaison1")),
        refused(f"{n2}/attend", {}, ok=TEAM2, forbidden=("office",), note="not attendable"),
        empty_body(f"{n1}/note"),
        refused(f"{n1}/note", {"remark": " "}, ok=TEAM1, forbidden=("office", "liaison1"), note="no remark"),
        refused(f"{n2}/note", {"remark": " "}, ok=TEAM2, forbidden=("office",), note="no remark"),
    ]
    rows += [rule(f"{n1}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("attend", "note")]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
