"""Authorisation matrix rows of rectification's supervision (joined in src/xuncha/tests/matrix.py).

The world gets ``notice1`` (inspection1, led by unit1, whose liaison reported the result with a file) and
``notice2`` (inspection2, led by unit2 with unit1 cooperating: 三位一体, so liaison1 sees it and may report
how unit1 took part), an assessment and a visit of each inspection. The inspections are then put back in
their stages, so the writes tried here are refused by the stage guards.

A notice is read by the readers of its inspection and the liaisons of its lead and cooperating units;
everyone else gets 404. Who sees but may not act gets 403.
"""

from types import SimpleNamespace

from xuncha.core.files import Upload
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

from ...actions import supervision as sv
from ...tests.support import days

PDF = Upload(name="办理结果.pdf", data=b"%PDF-1.4 result")
POSTS_ONLY = but(ALL, NO_OTP)
SEES = ("office", "leader", "t1_leader", "t1_member", "t2_member", "liaison1", "county_office")
NOTICE2 = (*TEAM2, "liaison1")  # team2's inspection, and liaison1 whose unit cooperates
OFFICE = ("office",)
LIAISON1 = ("liaison1",)


def add_world(w: SimpleNamespace) -> None:
    u = w.users
    stages = (w.inspection1.stage, w.inspection2.stage)
    set_stage(w.inspection1, Stage.RECTIFYING)
    set_stage(w.inspection2, Stage.RECTIFYING)
    common = {"requirements": "请按期办结。", "due_on": days(10), "by": u["office"]}
    w.notice1 = sv.issue_notice(w.inspection1, subject="清退违规费用", **common)  # type: ignore[arg-type]
    w.notice2 = sv.issue_notice(
        w.inspection2,
        subject="规范公务用车",
        cooperating_units=[w.unit1],
        **common,  # type: ignore[arg-type]
    )
    response = sv.respond(w.notice1, unit=w.unit1, text="已清退。", files=[PDF], by=u["liaison1"])
    w.notice_file1 = response.files.get()
    for n, inspection in ((1, w.inspection1), (2, w.inspection2)):
        setattr(w, f"assessment{n}", sv.assess(inspection, score=80, comments="基本到位", by=u["office"]))
        visit = sv.record_visit(
            inspection, visited_on=days(0), visitors="巡察办", method="座谈", findings="良好", by=u["office"]
        )
        setattr(w, f"visit{n}", visit)
    set_stage(w.inspection1, stages[0])
    set_stage(w.inspection2, stages[1])


def _page_rows() -> list[Row]:
    n1, n2 = "/rectification/supervision/{w.notice1.pk}", "/rectification/supervision/{w.notice2.pk}"
    rows = [
        rule("/rectification/supervision/", ok=SEES, other=403),
        rule("/rectification/supervision/?status=answered&overdue=on", ok=SEES, other=403, note="filters"),
        rule("/rectification/supervision/files/{w.notice_file1.pk}/", ok=TEAM1),
    ]
    for notice, seen in ((n1, TEAM1), (n2, NOTICE2)):
        rows += [
            rule(f"{notice}/", ok=seen),
            rule(f"{notice}/document/", ok=seen),
            *form(f"{notice}/respond/", ok=LIAISON1, forbidden=but(seen, "liaison1")),
            *form(f"{notice}/close/", ok=OFFICE, forbidden=but(seen, "office")),
            *form(f"{notice}/return/", ok=OFFICE, forbidden=but(seen, "office")),
        ]
    i1, i2 = "/rectification/inspections/{w.inspection1.pk}", "/rectification/inspections/{w.inspection2.pk}"
    for inspection, seen, leader in ((i1, TEAM1, ("t1_leader",)), (i2, TEAM2, ())):
        rows += [
            *form(f"{inspection}/supervision/new/", ok=OFFICE, forbidden=but(seen, "office")),
            *form(f"{inspection}/assessments/new/", ok=OFFICE, forbidden=but(seen, "office")),
            *form(f"{inspection}/visits/new/", ok=(*OFFICE, *leader), forbidden=but(seen, "office", *leader)),
        ]
    return rows


def _api_rows() -> list[Row]:
    n1, n2 = "/api/v1/supervision-notices/{w.notice1.pk}", "/api/v1/supervision-notices/{w.notice2.pk}"
    body = {
        "inspection": Pk("inspection1"),
        "subject": "督办",
        "requirements": "要求",
        "due_on": "2020-01-01",
    }
    rows = [
        rule("/api/v1/supervision-notices/", ok=STAFF),
        rule("/api/v1/supervision-notices/?status=answered&unit=0", ok=STAFF, note="filters"),
        empty_body("/api/v1/supervision-notices/"),
        # The office is refused the past date; who sees inspection1 may not issue; for the rest the
        # inspection named in the body is out of reach (422 on that field, as for a missing one).
        refused(
            "/api/v1/supervision-notices/",
            body,
            ok=OFFICE,
            forbidden=but(TEAM1, "office"),
            other=422,
            note="past date",
        ),
        rule("/api/v1/rectification-assessments/", ok=STAFF),
        rule("/api/v1/rectification-assessments/{w.assessment1.pk}", ok=TEAM1),
        rule("/api/v1/rectification-assessments/{w.assessment2.pk}", ok=TEAM2),
        rule("/api/v1/rectification-visits/", ok=STAFF),
        rule("/api/v1/rectification-visits/{w.visit1.pk}", ok=TEAM1),
        rule("/api/v1/rectification-visits/{w.visit2.pk}", ok=TEAM2),
    ]
    for notice, seen in ((n1, TEAM1), (n2, NOTICE2)):
        rows += [
            rule(notice, ok=seen),
            *(
                rule(f"{notice}/{verb}", ok=POSTS_ONLY, ok_status=405)
                for verb in ("respond", "close", "return")
            ),
            empty_body(f"{notice}/respond"),
            empty_body(f"{notice}/return"),
            refused(
                f"{notice}/respond",
                {"text": "已办理"},
                ok=LIAISON1,
                forbidden=but(seen, "liaison1"),
                note="stage",
            ),
            refused(f"{notice}/close", {}, ok=OFFICE, forbidden=but(seen, "office"), note="stage"),
            refused(
                f"{notice}/return",
                {"reason": "不到位"},
                ok=OFFICE,
                forbidden=but(seen, "office"),
                note="stage",
            ),
        ]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
