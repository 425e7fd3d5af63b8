"""Authorisation matrix rows of rectification's publication (joined in src/xuncha/tests/matrix.py).

The world gets inspection1's publication, published by the office with team1's 边巡边改 item, and a draft
of inspection2's; the inspections are then put back in their stages, so that publishing is refused by the
stage guard. Staff pages: whoever reads the inspection's rectification sees its publication page; the
office drafts, publishes and withdraws; the office and the team leader mark an item 不予公开; who sees but
may not act gets 403, everyone else 404. The public pages and API need no login: every persona, the
anonymous visitor and a half-logged-in session get the published one, and the same 404 for a draft.
"""

from types import SimpleNamespace

from xuncha.findings.tests.support import set_stage
from xuncha.rounds.choices import Stage
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, TEAM1, TEAM2, Row, but, confirm, empty_body, form, rule

from ...actions import publication as actions

OFFICE = ("office",)
POSTS_ONLY = but(ALL, NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    office = w.users["office"]
    stages = (w.inspection1.stage, w.inspection2.stage)
    set_stage(w.inspection1, Stage.RECTIFYING)
    set_stage(w.inspection2, Stage.RECTIFYING)
    w.publication1 = actions.save_draft(
        w.inspection1,
        title="关于市财政局巡察整改情况的通报",
        summary="巡察反馈问题整改总体有序推进。",
        entries=[(w.rect_item1f, "食堂账目按月公开")],
        by=office,
    )
    actions.publish(w.publication1, by=office)
    w.publication2 = actions.save_draft(
        w.inspection2, title="整改情况通报（草稿）", summary="整改正在推进。", entries=[], by=office
    )
    set_stage(w.inspection1, stages[0])
    set_stage(w.inspection2, stages[1])


def _page_rows() -> list[Row]:
    i1 = "/rectification/inspections/{w.inspection1.pk}/publication"
    i2 = "/rectification/inspections/{w.inspection2.pk}/publication"
    p1, p2 = (
        "/rectification/publications/{w.publication1.pk}",
        "/rectification/publications/{w.publication2.pk}",
    )
    return [
        rule(f"{i1}/", ok=TEAM1),
        rule(f"{i2}/", ok=TEAM2),
        *form(f"{i1}/edit/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        *form(f"{i2}/edit/", ok=OFFICE, forbidden=but(TEAM2, "office")),
        # Out of stage: the office's POST is refused with a message on the publication page (302).
        *confirm(f"{p1}/publish/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        *confirm(f"{p2}/publish/", ok=OFFICE, forbidden=but(TEAM2, "office")),
        *form(f"{p1}/withdraw/", ok=OFFICE, forbidden=but(TEAM1, "office")),
        *form(f"{p2}/withdraw/", ok=OFFICE, forbidden=but(TEAM2, "office")),
        *form(
            "/rectification/items/{w.rect_item1f.pk}/confidential/",
            ok=("office", "t1_leader"),
            forbidden=but(TEAM1, "office", "t1_leader"),
        ),
        *form(
            "/rectification/items/{w.rect_item2.pk}/confidential/", ok=OFFICE, forbidden=but(TEAM2, "office")
        ),
        # The public pages.
        rule("/portal/gongkai/", ok=ALL),
        rule("/portal/gongkai/{w.publication1.public_id}/", ok=ALL),
        rule("/portal/gongkai/{w.publication2.public_id}/", ok=ALL, ok_status=404, note="draft"),
    ]


def _api_rows() -> list[Row]:
    p1 = "/api/v1/rectification-publications/{w.publication1.pk}"
    p2 = "/api/v1/rectification-publications/{w.publication2.pk}"
    rows = [
        rule("/api/v1/rectification-publications/", ok=STAFF),
        rule(p1, ok=TEAM1),
        rule(p2, ok=TEAM2),
        rule(f"{p1}/publish", "POST", ok=OFFICE, ok_status=422, forbidden=but(TEAM1, "office"), note="stage"),
        rule(f"{p2}/publish", "POST", ok=OFFICE, ok_status=422, forbidden=but(TEAM2, "office"), note="stage"),
        empty_body(f"{p1}/withdraw"),
        # Published: the office withdraws it (the case is rolled back); the draft is refused.
        rule(f"{p1}/withdraw", "POST", ok=OFFICE, forbidden=but(TEAM1, "office"), data={"reason": "有误"}),
        rule(
            f"{p2}/withdraw",
            "POST",
            ok=OFFICE,
            ok_status=422,
            forbidden=but(TEAM2, "office"),
            data={"reason": "有误"},
            note="draft",
        ),
        rule("/api/v1/public/rectification/", ok=ALL),
        rule("/api/v1/public/rectification/{w.publication1.public_id}", ok=ALL),
        rule("/api/v1/public/rectification/{w.publication2.public_id}", ok=ALL, ok_status=404, note="draft"),
    ]
    rows += [rule(f"{p1}/{verb}", ok=POSTS_ONLY, ok_status=405) for verb in ("publish", "withdraw")]
    return rows


ROWS: list[Row] = [*_page_rows(), *_api_rows()]
