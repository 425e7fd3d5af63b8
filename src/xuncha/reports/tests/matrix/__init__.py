"""Authorisation matrix rows of reports and feedback (joined in src/xuncha/tests/matrix.py).

The world gets signed-off findings of both teams' inspections, each team's report heard and made final
(one hearing), the round's comprehensive report as the office's draft, team1's feedback to the unit
delivered (its liaison sees it) and to the principal leader as a draft, and team2's feedback to the unit
as a draft. The inspections are then put back in their stages, so other areas' rows see the world they
expect (and the writes tried here are refused by the stage guards where they reach them).

Reports are read by the office and leading group of the committee and by the inspection's team; the
comprehensive report and hearings by the office and leading group only; feedback also by the unit's
liaison once delivered to the unit. Everyone else gets 404.
"""

from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from xuncha.findings import actions as findings
from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy
from xuncha.taxonomy.choices import SchemeKind
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Row, confirm, empty_body, form, refused, rule

from ... import actions
from ...choices import Decision, Recipient

READERS1 = ("office", "leader", "t1_leader", "t1_member")
READERS2 = ("office", "leader", "t2_member")
OFFICE_LG = ("office", "leader")
TEAM1 = ("t1_leader", "t1_member")
TEAM2 = ("t2_member",)
POSTS_ONLY = tuple(p for p in ALL if p != NO_OTP)
NO_LEADERS: dict[str, list[int]] = {"leaders": []}


def _signed(
    w: SimpleNamespace, inspection: Inspection, drafter: str, leader: str | None, **extra: Any
) -> None:
    data = findings.FindingInput(
        description="在滨江酒店公款宴请，以会议费名义报销。",
        focus=taxonomy.category(SchemeKind.FOCUS, "2.4"),
        basis_note="违反中央八项规定精神。",
        unit_responsible=True,
        nature=taxonomy.category(SchemeKind.NATURE, "3"),
        root_cause="responsibility",
        **{"title": "违规公款宴请", **extra},
    )
    finding = findings.draft_finding(inspection, data=data, by=w.users[drafter])
    by = w.users[leader] if leader else None
    findings.discuss_finding(finding, meeting_on=timezone.localdate(), opinion="同意", by=by)
    findings.sign_off_finding(finding, by=by)


def add_world(w: SimpleNamespace) -> None:
    """Objects the reports routes need, made through the actions, added to the matrix world."""
    u = w.users
    stages = (w.inspection1.stage, w.inspection2.stage)
    _signed(w, w.inspection1, "t1_member", "t1_leader")
    _signed(w, w.inspection1, "t1_member", "t1_leader", title="破格提拔", persons=[w.deputy1])
    _signed(w, w.inspection2, "t2_member", None)
    set_stage(w.inspection1, Stage.REPORTING)
    set_stage(w.inspection2, Stage.REPORTING)
    w.report1 = actions.assemble_report(w.inspection1, by=u["t1_member"])
    actions.submit_report(w.report1, by=u["t1_leader"])
    w.report2 = actions.assemble_report(w.inspection2, by=u["t2_member"])
    actions.submit_report(w.report2, by=None)
    w.hearing = actions.record_hearing(
        w.round,
        held_on=timezone.localdate(),
        attendees="领导小组成员",
        items=[actions.HearingItem(r, Decision.APPROVED) for r in (w.report1, w.report2)],
        by=u["leader"],
    )
    w.comprehensive = actions.assemble_comprehensive(w.round, by=u["office"])
    w.feedback1 = actions.assemble_feedback(w.inspection1, recipient=Recipient.UNIT, by=u["t1_member"])
    w.feedback1p = actions.assemble_feedback(w.inspection1, recipient=Recipient.PRINCIPAL, by=u["t1_member"])
    w.problem1 = w.feedback1p.problems.get()
    w.feedback2 = actions.assemble_feedback(w.inspection2, recipient=Recipient.UNIT, by=u["t2_member"])
    w.problem2 = w.feedback2.problems.get()
    set_stage(w.inspection1, Stage.FEEDBACK)
    actions.deliver_feedback(
        w.feedback1,
        meeting_on=timezone.localdate(),
        place="会议室",
        attendees="班子成员",
        delivered_by="组长",
        by=u["office"],
    )
    set_stage(w.inspection1, stages[0])
    set_stage(w.inspection2, stages[1])


def _report_rows() -> list[Row]:
    r1, r2, rc = "/reports/{w.report1.pk}", "/reports/{w.report2.pk}", "/reports/{w.comprehensive.pk}"
    rows = [
        rule("/reports/", ok=STAFF),
        *confirm("/reports/inspections/{w.inspection1.pk}/assemble/", ok=TEAM1, forbidden=OFFICE_LG),
        *confirm("/reports/inspections/{w.inspection2.pk}/assemble/", ok=TEAM2, forbidden=OFFICE_LG),
        rule(f"{r1}/", ok=READERS1),
        rule(f"{r2}/", ok=READERS2),
        rule(f"{rc}/", ok=OFFICE_LG),
        *form(f"{rc}/edit/", ok=("office",), forbidden=("leader",)),
        *confirm(f"{rc}/reassemble/", ok=("office",), forbidden=("leader",)),
        *confirm(f"{rc}/submit/", ok=("office",), forbidden=("leader",)),
        *confirm(f"{r1}/reassemble/", ok=TEAM1, forbidden=OFFICE_LG),
        *confirm(f"{r2}/reassemble/", ok=TEAM2, forbidden=OFFICE_LG),
        *confirm(f"{r1}/submit/", ok=("t1_leader",), forbidden=("office", "leader", "t1_member")),
        *confirm(f"{r2}/submit/", ok=(), forbidden=READERS2),  # team2 has no leader among the personas
        rule(f"{r1}/download/", ok=READERS1),
        rule(f"{r2}/download/", ok=READERS2),
        rule(f"{rc}/download/", ok=OFFICE_LG),
        *confirm("/reports/rounds/{w.round.pk}/comprehensive/", ok=("office",), forbidden=("leader",)),
        *confirm("/reports/rounds/{w.county_round.pk}/comprehensive/", ok=("county_office",)),
        *form("/reports/rounds/{w.round.pk}/hearing/", ok=OFFICE_LG),
        *form("/reports/rounds/{w.county_round.pk}/hearing/", ok=("county_office",)),
        rule("/reports/hearings/{w.hearing.pk}/", ok=OFFICE_LG),
    ]
    rows += [rule(f"{rc}/leaders/", method, note="comprehensive: no leaders") for method in ("GET", "POST")]
    # A final report is no longer edited: its team is sent back to it, who only reads it gets 403.
    for path, team in (
        (f"{r1}/edit/", TEAM1),
        (f"{r2}/edit/", TEAM2),
        (f"{r1}/leaders/", TEAM1),
        (f"{r2}/leaders/", TEAM2),
    ):
        rows += [
            rule(path, method, ok=team, ok_status=302, forbidden=OFFICE_LG, note="final")
            for method in ("GET", "POST")
        ]
    return rows


def _feedback_rows() -> list[Row]:
    f1, f1p, f2 = (
        "/reports/feedbacks/{w.feedback1.pk}",
        "/reports/feedbacks/{w.feedback1p.pk}",
        "/reports/feedbacks/{w.feedback2.pk}",
    )
    p1, p2 = "/reports/feedbacks/problems/{w.problem1.pk}", "/reports/feedbacks/problems/{w.problem2.pk}"
    seen1 = (*READERS1, "liaison1")  # the delivered feedback to the unit
    rows = [
        rule("/reports/feedbacks/", ok=STAFF),
        *confirm(
            "/reports/feedbacks/inspections/{w.inspection1.pk}/unit/assemble/", ok=TEAM1, forbidden=OFFICE_LG
        ),
        *confirm(
            "/reports/feedbacks/inspections/{w.inspection2.pk}/principal/assemble/",
            ok=TEAM2,
            forbidden=OFFICE_LG,
        ),
        rule(f"{f1}/", ok=seen1),
        rule(f"{f1p}/", ok=READERS1),
        rule(f"{f2}/", ok=READERS2),
        rule(f"{f1}/download/", ok=seen1),
        rule(f"{f1p}/download/", ok=READERS1),
        rule(f"{f2}/download/", ok=READERS2),
        *form(f"{f1p}/edit/", ok=TEAM1, forbidden=OFFICE_LG),
        *form(f"{f2}/edit/", ok=TEAM2, forbidden=OFFICE_LG),
        *form(f"{f1p}/problems/new/", ok=TEAM1, forbidden=OFFICE_LG),
        *form(f"{f2}/problems/new/", ok=TEAM2, forbidden=OFFICE_LG),
        *form(f"{p1}/edit/", ok=TEAM1, forbidden=OFFICE_LG),
        *form(f"{p2}/edit/", ok=TEAM2, forbidden=OFFICE_LG),
        *confirm(f"{p1}/remove/", ok=TEAM1, forbidden=OFFICE_LG),
        *confirm(f"{p2}/remove/", ok=TEAM2, forbidden=OFFICE_LG),
        *form(f"{f1p}/deliver/", ok=("office", "t1_leader"), forbidden=("leader", "t1_member")),
        *form(f"{f2}/deliver/", ok=("office",), forbidden=("leader", "t2_member")),
    ]
    # Delivered: frozen. The team and who delivers are sent back to it; the liaison reads it, nothing more.
    for path, ok, forbidden in (
        (f"{f1}/edit/", TEAM1, (*OFFICE_LG, "liaison1")),
        (f"{f1}/problems/new/", TEAM1, (*OFFICE_LG, "liaison1")),
        (f"{f1}/deliver/", ("office", "t1_leader"), ("leader", "t1_member", "liaison1")),
    ):
        rows += [
            rule(path, method, ok=ok, ok_status=302, forbidden=forbidden, note="delivered")
            for method in ("GET", "POST")
        ]
    return rows


def _api_rows() -> list[Row]:
    r1, rc = "/api/v1/reports/{w.report1.pk}", "/api/v1/reports/{w.comprehensive.pk}"
    hearing = {
        "held_on": "2026-01-05",
        "attendees": "领导小组成员",
        "decisions": [{"report": 0, "decision": "approved"}],
    }
    deliver = {"meeting_on": "2026-01-05", "place": "会议室", "attendees": "班子成员", "delivered_by": "组长"}
    rows = [
        rule("/api/v1/reports/", ok=STAFF),
        rule(r1, ok=READERS1),
        rule("/api/v1/reports/{w.report2.pk}", ok=READERS2),
        rule(rc, ok=OFFICE_LG),
        rule(r1, "PATCH", ok=TEAM1, ok_status=422, forbidden=OFFICE_LG, note="final"),
        rule(rc, "PATCH", ok=("office",), forbidden=("leader",), note="no change"),
        rule(f"{r1}/submit", ok=POSTS_ONLY, ok_status=405),
        refused(
            f"{r1}/submit", {}, ok=("t1_leader",), forbidden=("office", "leader", "t1_member"), note="final"
        ),
        rule(f"{rc}/submit", "POST", ok=("office",), forbidden=("leader",), note="comprehensive"),
        rule(f"{r1}/leaders", ok=POSTS_ONLY, ok_status=405),
        rule(f"{r1}/leaders", "PUT", other=422, note="empty body"),
        rule(f"{r1}/leaders", "PUT", ok=TEAM1, ok_status=422, forbidden=OFFICE_LG, data=NO_LEADERS),
        rule(f"{rc}/leaders", "PUT", ok=("office",), ok_status=422, forbidden=("leader",), data=NO_LEADERS),
    ]
    for inspection, team in (("inspection1", TEAM1), ("inspection2", TEAM2)):
        path = f"/api/v1/inspections/{{w.{inspection}.pk}}/report"
        rows += [
            rule(path, ok=POSTS_ONLY, ok_status=405),
            refused(path, {}, ok=team, forbidden=OFFICE_LG, note="not in 报告"),
        ]
    for round_, ok in (("round", OFFICE_LG), ("county_round", ("county_office",))):
        path = f"/api/v1/rounds/{{w.{round_}.pk}}/hearings"
        rows += [
            rule(path, ok=POSTS_ONLY, ok_status=405),
            empty_body(path),
            refused(path, hearing, ok=ok, forbidden=(), note="no such report"),
        ]
    rows += [
        rule("/api/v1/feedbacks/", ok=STAFF),
        rule("/api/v1/feedbacks/{w.feedback1.pk}", ok=(*READERS1, "liaison1")),
        rule("/api/v1/feedbacks/{w.feedback1p.pk}", ok=READERS1),
        rule("/api/v1/feedbacks/{w.feedback2.pk}", ok=READERS2),
    ]
    for feedback, ok, forbidden in (
        ("feedback1", ("office", "t1_leader"), ("leader", "t1_member", "liaison1")),
        ("feedback1p", ("office", "t1_leader"), ("leader", "t1_member")),
        ("feedback2", ("office",), ("leader", "t2_member")),
    ):
        path = f"/api/v1/feedbacks/{{w.{feedback}.pk}}/deliver"
        rows += [
            rule(path, ok=POSTS_ONLY, ok_status=405),
            empty_body(path),
            refused(path, deliver, ok=ok, forbidden=forbidden, note="delivered or not in 反馈"),
        ]
    return rows


ROWS: list[Row] = [*_report_rows(), *_feedback_rows(), *_api_rows()]
