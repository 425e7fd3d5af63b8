"""Authorisation matrix rows of clues and their transfers (joined in src/xuncha/tests/matrix.py).

The world holds clues of team1's inspection — a draft and a submitted one (drafted by ``t1_member``), a
高度保密 draft (by ``t1_leader``), and two transferred ones, to the city's 纪委监委 (``jiwei``) and 组织部
(``zuzhibu``), not yet signed for — a draft of team2's, and a problem raised in team1's interview (the team
drafts a finding or a clue from it; the office reads it but does not draft: 403). A clue is read by the
office and the team's leader, and unless 高度保密 by the leading group and the team's members; drafting and
editing are the team's, approval, return and withdrawal a team leader's or the office's, transfer too. A
transfer is read by the sending side and its receiver; signing, disposal and report-back are the
receiver's (the sending side: 403). Everyone else gets 404, the other department's receiver included.
"""

from types import SimpleNamespace

from xuncha.fieldwork.actions.interviews import add_problem
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Row, but, confirm, empty_body, form, refused, rule

from ...clues import actions, transfers
from ...models import Clue

SEES1 = ("office", "leader", "t1_leader", "t1_member")  # team1's clues, unless 高度保密
SECRET1 = ("office", "t1_leader")
SEES2 = ("office", "leader", "t2_member")
TEAM1 = ("t1_leader", "t1_member")
APPROVERS1 = ("office", "t1_leader")
POSTS_ONLY = but(ALL, NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    member, leader, office = w.users["t1_member"], w.users["t1_leader"], w.users["office"]

    def clue(
        title: str, by: str = "t1_member", *, kind: str = "discipline", confidential: bool = False
    ) -> Clue:
        inspection, person = (
            (w.inspection2, w.principal2) if by == "t2_member" else (w.inspection1, w.principal1)
        )
        data = actions.ClueInput(
            title=title,
            content="反映张建国收受下属单位负责人礼金。",
            kind=kind,
            persons=[person],
            confidential=confidential,
        )
        return actions.draft_clue(inspection, data=data, by=w.users[by])

    def approved(title: str, kind: str = "discipline") -> Clue:
        found = clue(title, kind=kind)
        actions.submit_clue(found, by=member)
        actions.approve_clue(found, by=leader)
        return actions.approve_clue(found, by=office)

    w.clue_draft = clue("收受礼金")
    w.clue_submitted = actions.submit_clue(clue("违规兼职"), by=member)
    w.clue_secret = clue("高度保密线索", by="t1_leader", confidential=True)
    w.clue_t2 = clue("工程招标打招呼", by="t2_member")
    w.clue_transfer_jiwei = transfers.transfer_clue(approved("公款吃喝"), by=office)
    w.clue_transfer_zuzhibu = transfers.transfer_clue(approved("违规提拔", kind="selection"), by=office)
    # A problem raised in fieldwork's held interview of team1: the team drafts from it, the office reads it.
    w.clue_problem = add_problem(w.interview1_done, kind="clue", text="反映局长亲属承揽工程。", by=member)
    w.clue_petition = register_petition(
        w.inspection1, data=PetitionInput(content="反映局长收受礼金。", channel="letter"), by=member
    )


def _page_rows() -> list[Row]:
    inspection1 = "/findings/clues/inspections/{w.inspection1.pk}"
    draft = "/findings/clues/{w.clue_draft.pk}"
    submitted = "/findings/clues/{w.clue_submitted.pk}"
    secret = "/findings/clues/{w.clue_secret.pk}"
    team2 = "/findings/clues/{w.clue_t2.pk}"
    return [
        rule(f"{inspection1}/", ok=SEES1),
        rule("/findings/clues/inspections/{w.inspection2.pk}/", ok=SEES2),
        *form(f"{inspection1}/new/", ok=TEAM1, forbidden=("office", "leader")),
        *form("/findings/{w.finding_draft.pk}/clue/", ok=TEAM1, forbidden=("office", "leader")),
        *form("/findings/{w.finding_t2.pk}/clue/", ok=("t2_member",), forbidden=("office", "leader")),
        *form("/findings/clues/from-petition/{w.clue_petition.pk}/", ok=TEAM1, forbidden=("office",)),
        *form("/findings/clues/from-problem/{w.clue_problem.pk}/", ok=TEAM1, forbidden=("office",)),
        *form("/findings/from-problem/{w.clue_problem.pk}/", ok=TEAM1, forbidden=("office",)),
        rule(f"{draft}/", ok=SEES1),
        rule(f"{secret}/", ok=SECRET1),
        rule(f"{team2}/", ok=SEES2),
        *form(f"{draft}/edit/", ok=TEAM1, forbidden=("office", "leader")),
        *form(f"{secret}/edit/", ok=("t1_leader",), forbidden=("office",)),
        *form(f"{team2}/edit/", ok=("t2_member",), forbidden=("office", "leader")),
        *confirm(f"{draft}/submit/", ok=TEAM1, forbidden=("office", "leader")),
        *confirm(f"{team2}/submit/", ok=("t2_member",), forbidden=("office", "leader")),
        *confirm(f"{submitted}/approve/", ok=APPROVERS1, forbidden=("leader", "t1_member")),
        *confirm(f"{team2}/approve/", ok=("office",), forbidden=("leader", "t2_member")),  # a draft: refused
        *form(f"{submitted}/return/", ok=APPROVERS1, forbidden=("leader", "t1_member")),
        *form(f"{draft}/withdraw/", ok=APPROVERS1, forbidden=("leader", "t1_member")),
        *form(f"{team2}/withdraw/", ok=("office",), forbidden=("leader", "t2_member")),
        # Not approved yet: the transfer form is shown again with the refusal.
        *form(f"{submitted}/transfer/", ok=APPROVERS1, forbidden=("leader", "t1_member")),
        *form(f"{team2}/transfer/", ok=("office",), forbidden=("leader", "t2_member")),
    ]


def _transfer_rows(name: str, receiver: str) -> list[Row]:
    base = f"/findings/clue-transfers/{{w.{name}.pk}}"
    api = f"/api/v1/transfers/{{w.{name}.pk}}"
    return [
        rule(f"{base}/", ok=(*SEES1, receiver)),
        rule(f"{base}/letter/", ok=(*SEES1, receiver)),
        *confirm(f"{base}/receive/", ok=(receiver,), forbidden=SEES1),
        *form(f"{base}/dispose/", ok=(receiver,), forbidden=SEES1),
        *form(f"{base}/report/", ok=(receiver,), forbidden=SEES1),
        rule(api, ok=(*SEES1, receiver)),
        rule(f"{api}/receive", ok=POSTS_ONLY, ok_status=405),
        rule(f"{api}/receive", "POST", ok=(receiver,), forbidden=SEES1),
        rule(f"{api}/dispose", ok=POSTS_ONLY, ok_status=405),
        empty_body(f"{api}/dispose"),
        # Not yet signed for: refused (422) for the receiver.
        refused(f"{api}/dispose", {"disposal": "talk"}, ok=(receiver,), forbidden=SEES1, note=name),
        rule(f"{api}/report-back", ok=POSTS_ONLY, ok_status=405),
        empty_body(f"{api}/report-back"),
        refused(
            f"{api}/report-back",
            {"outcome": "form_1", "result": "谈话提醒。"},
            ok=(receiver,),
            forbidden=SEES1,
            note=name,
        ),
    ]


def _api_rows() -> list[Row]:
    draft = "/api/v1/clues/{w.clue_draft.pk}"
    submitted = "/api/v1/clues/{w.clue_submitted.pk}"
    create = "/api/v1/inspections/{w.inspection1.pk}/clues"
    transferred = "/api/v1/clues/{w.clue_transfer_jiwei.clue.pk}"
    body = {"title": "", "content": "反映问题。", "kind": "discipline", "persons": []}
    return [
        rule("/api/v1/clues/", ok=STAFF),
        rule(draft, ok=SEES1),
        rule("/api/v1/clues/{w.clue_secret.pk}", ok=SECRET1),
        rule("/api/v1/clues/{w.clue_t2.pk}", ok=SEES2),
        rule(create, ok=POSTS_ONLY, ok_status=405),
        empty_body(create),
        refused(create, body, ok=TEAM1, forbidden=("office", "leader"), note="no title"),
        # An empty PATCH changes nothing (the team's 200); the status is never in the body.
        rule(draft, "PATCH", ok=TEAM1, forbidden=("office", "leader"), note="no change"),
        rule("/api/v1/clues/{w.clue_secret.pk}", "PATCH", ok=("t1_leader",), forbidden=("office",)),
        rule("/api/v1/clues/{w.clue_t2.pk}", "PATCH", ok=("t2_member",), forbidden=("office", "leader")),
        rule(f"{transferred}/withdraw", ok=POSTS_ONLY, ok_status=405),
        empty_body(f"{transferred}/withdraw"),
        refused(
            f"{transferred}/withdraw",
            {"reason": "重复"},
            ok=APPROVERS1,
            forbidden=("leader", "t1_member"),
            note="transferred",
        ),
        rule(f"{submitted}/submit", ok=POSTS_ONLY, ok_status=405),
        refused(
            f"{submitted}/submit", {}, ok=TEAM1, forbidden=("office", "leader"), note="submitted already"
        ),
        rule(f"{draft}/approve", ok=POSTS_ONLY, ok_status=405),
        refused(f"{draft}/approve", {}, ok=APPROVERS1, forbidden=("leader", "t1_member"), note="a draft"),
        rule(f"{draft}/return", ok=POSTS_ONLY, ok_status=405),
        empty_body(f"{draft}/return"),
        refused(
            f"{draft}/return",
            {"reason": "补充"},
            ok=APPROVERS1,
            forbidden=("leader", "t1_member"),
            note="a draft",
        ),
        rule(f"{draft}/transfer", ok=POSTS_ONLY, ok_status=405),
        refused(
            f"{draft}/transfer", {}, ok=APPROVERS1, forbidden=("leader", "t1_member"), note="not approved"
        ),
        rule("/api/v1/transfers/", ok=STAFF),
    ]


ROWS: list[Row] = [
    *_page_rows(),
    rule("/findings/clue-transfers/", ok=STAFF),
    *_transfer_rows("clue_transfer_jiwei", "jiwei"),
    *_transfer_rows("clue_transfer_zuzhibu", "zuzhibu"),
    *_api_rows(),
]
