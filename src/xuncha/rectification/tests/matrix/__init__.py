"""Authorisation matrix rows of rectification (joined in src/xuncha/tests/matrix.py).

The world (after reports' rows have delivered team1's feedback to the unit) gets a 边巡边改 item of each
inspection (``item2`` of team2's), and for inspection1 liaison1's plan with a task on the delivered problem,
approved by the office, progress with an evidence file and an uploaded rectification report. The
inspections are then put back in their stages, so the writes tried here are refused by the stage guards.

Rectification is read by the office and leading group of the committee, the inspection's team and the
unit's liaison (never a receiver); everyone else gets 404. Who sees but may not act gets 403.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.findings.tests.support import set_stage
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import (
    ALL,
    NO_OTP,
    STAFF,
    TEAM1,
    TEAM2,
    Row,
    but,
    confirm,
    empty_body,
    form,
    refused,
    rule,
)

from ...actions import items, plans, reports
from ...choices import ItemKind, ReportKind

PDF = Upload(name="佐证.pdf", data=b"%PDF-1.4 evidence")
POSTS_ONLY = but(ALL, NO_OTP)
SEES = ("office", "leader", "t1_leader", "t1_member", "t2_member", "liaison1", "county_office")


def add_world(w: SimpleNamespace) -> None:
    u = w.users
    stages = (w.inspection1.stage, w.inspection2.stage)
    set_stage(w.inspection1, Stage.FIELDWORK)
    set_stage(w.inspection2, Stage.FIELDWORK)
    due = timezone.localdate() + datetime.timedelta(days=30)
    issue = {
        "issue": "食堂账目不公开",
        "measure": "立即公开",
        "leader": "李局长",
        "department": "机关服务中心",
    }
    w.rect_item1f = items.issue_item(
        w.inspection1, kind=ItemKind.IMMEDIATE, due_on=due, by=u["t1_leader"], **issue
    )
    w.rect_item2 = items.issue_item(w.inspection2, kind=ItemKind.IMMEDIATE, due_on=due, by=None, **issue)
    set_stage(w.inspection1, Stage.RECTIFYING)
    problem = FeedbackProblem.objects.delivered().filter(feedback__inspection=w.inspection1).first()
    w.rect_plan1 = plans.start_plan(w.inspection1, by=u["liaison1"])
    task = plans.TaskInput(
        problem=problem,
        measure="清退费用",
        kind=ItemKind.DEADLINE,
        leader="局长",
        department="办公室",
        due_on=due,
    )
    w.rect_item1 = plans.add_task(w.rect_plan1, task, by=u["liaison1"])
    plans.submit_plan(w.rect_plan1, by=u["liaison1"])
    plans.approve_plan(w.rect_plan1, by=u["office"])
    progress = items.add_progress(w.rect_item1, text="已清退", files=[PDF], by=u["liaison1"])
    w.rect_evidence1 = progress.evidence.get()
    w.rect_report1 = reports.upload_report(
        w.inspection1, kind=ReportKind.RECTIFICATION, file=PDF, by=u["liaison1"]
    )
    set_stage(w.inspection1, stages[0])
    set_stage(w.inspection2, stages[1])


LIAISON1 = ("liaison1",)
OFFICE = ("office",)


def _page_rows() -> list[Row]:
    i1, i2 = "/rectification/inspections/{w.inspection1.pk}", "/rectification/inspections/{w.inspection2.pk}"
    p1 = "/rectification/plans/{w.rect_plan1.pk}"
    it1, itf, it2 = (
        "/rectification/items/{w.rect_item1.pk}",
        "/rectification/items/{w.rect_item1f.pk}",
        "/rectification/items/{w.rect_item2.pk}",
    )
    rows = [
        rule("/rectification/", ok=SEES, other=403),
        rule("/rectification/ledger/", ok=SEES, other=403),
        # Batch pages, the offices' only: an empty POST shows the page again, nothing selected.
        *form(
            "/rectification/items/batch/close/?ids={w.rect_item1.pk}",
            ok=("office", "county_office"),
            other=403,
        ),
        *form(
            "/rectification/items/batch/return/?ids={w.rect_item1.pk}",
            ok=("office", "county_office"),
            other=403,
        ),
        rule(f"{i1}/", ok=TEAM1),
        rule(f"{i2}/", ok=TEAM2),
        *confirm(f"{i1}/plan/", ok=LIAISON1, forbidden=but(TEAM1, "liaison1")),
        *confirm(f"{i2}/plan/", ok=(), forbidden=TEAM2),
        *form(f"{i1}/issue/", ok=("t1_leader",), forbidden=but(TEAM1, "t1_leader")),
        *form(f"{i2}/issue/", ok=(), forbidden=TEAM2),
        *form(f"{i1}/reports/upload/", ok=LIAISON1, forbidden=but(TEAM1, "liaison1")),
        *form(f"{i2}/reports/upload/", ok=(), forbidden=TEAM2),
        rule(f"{i1}/skeleton/", ok=TEAM1),
        rule(f"{i2}/skeleton/", ok=TEAM2),
        rule(f"{p1}/document/", ok=TEAM1),
        *form(f"{p1}/edit/", ok=LIAISON1, forbidden=but(TEAM1, "liaison1")),
        *confirm(f"{p1}/submit/", ok=LIAISON1, forbidden=but(TEAM1, "liaison1")),
        *form(f"{p1}/approve/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        *form(f"{p1}/return/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        # The plan is approved: only the office adds or edits its tasks.
        *form(f"{p1}/tasks/add/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        rule(f"{it1}/", ok=TEAM1),
        rule(f"{itf}/", ok=TEAM1),
        rule(f"{it2}/", ok=TEAM2),
        *form(f"{it1}/edit/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        *confirm(f"{it1}/remove/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        # A 边巡边改 item is no task of a plan.
        *form(f"{itf}/edit/"),
        *confirm(f"{itf}/remove/", ok=()),
        *form(f"{it2}/edit/"),
        *confirm(f"{it2}/remove/", ok=()),
    ]
    for item, seen in ((it1, TEAM1), (it2, TEAM2)):
        liaison = LIAISON1 if seen == TEAM1 else ()
        rows += [
            *form(f"{item}/progress/", ok=liaison, forbidden=but(seen, *liaison)),
            *confirm(f"{item}/submit/", ok=liaison, forbidden=but(seen, *liaison)),
            *form(f"{item}/close/", ok=OFFICE, forbidden=but(seen, "office")),
            *form(f"{item}/return/", ok=OFFICE, forbidden=but(seen, "office")),
        ]
    rows += [
        rule(f"{it1}/submit/?milestone=999999", note="no such milestone"),
        rule("/rectification/evidence/{w.rect_evidence1.pk}/", ok=TEAM1),
        rule("/rectification/reports/{w.rect_report1.pk}/", ok=TEAM1),
    ]
    return rows


def _api_rows() -> list[Row]:
    it1, it2 = (
        "/api/v1/rectification-items/{w.rect_item1.pk}",
        "/api/v1/rectification-items/{w.rect_item2.pk}",
    )
    p1 = "/api/v1/rectification-plans/{w.rect_plan1.pk}"
    rows = [
        rule("/api/v1/rectification-items/", ok=STAFF),
        rule("/api/v1/rectification-items/batch", ok=POSTS_ONLY, ok_status=405),
        empty_body("/api/v1/rectification-items/batch"),
        rule(it1, ok=TEAM1),
        rule(it2, ok=TEAM2),
        rule("/api/v1/rectification-plans/", ok=STAFF),
        rule(p1, ok=TEAM1),
        rule("/api/v1/rectification-reports/", ok=STAFF),
        rule("/api/v1/rectification-reports/{w.rect_report1.pk}", ok=TEAM1),
        refused(f"{p1}/submit", {}, ok=LIAISON1, forbidden=but(TEAM1, "liaison1"), note="stage"),
        refused(f"{p1}/approve", {}, ok=OFFICE, forbidden=but(TEAM1, "office"), note="stage"),
        *(rule(f"{p1}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("submit", "approve", "return")),
        empty_body(f"{p1}/return"),
        refused(
            f"{p1}/return", {"reason": "不具体"}, ok=OFFICE, forbidden=but(TEAM1, "office"), note="stage"
        ),
    ]
    for item, seen in ((it1, TEAM1), (it2, TEAM2)):
        liaison = LIAISON1 if seen == TEAM1 else ()
        rows += [
            refused(f"{item}/submit", {}, ok=liaison, forbidden=but(seen, *liaison), note="stage"),
            refused(f"{item}/close", {}, ok=OFFICE, forbidden=but(seen, "office"), note="stage"),
            *(rule(f"{item}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("submit", "close", "return")),
            empty_body(f"{item}/return"),
            refused(
                f"{item}/return",
                {"reason": "佐证不足"},
                ok=OFFICE,
                forbidden=but(seen, "office"),
                note="stage",
            ),
        ]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
