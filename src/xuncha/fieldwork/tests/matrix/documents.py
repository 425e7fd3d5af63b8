"""Authorisation matrix rows of document requests (joined in src/xuncha/tests/matrix.py).

The world holds, for each team's inspection, a draft request and an issued one; in team1's issued request
the first item is still owed and the second was answered by unit1's liaison with a file. The team's leader
and members make and review requests (the office and the leading group see them: 403); the liaison sees
only its unit's issued requests (a draft is 404 for it) and alone answers and withdraws its files (the
team: 403); everyone else, team2's member on team1's objects included, gets 404.
"""

from types import SimpleNamespace

from xuncha.core.files import Upload
from xuncha.fieldwork.actions.documents import (
    answer_document_item,
    issue_document_request,
    start_document_request,
)
from xuncha.tests.matrix import (
    ALL,
    NO_OTP,
    STAFF,
    TEAM1,
    TEAM2,
    Pk,
    Row,
    but,
    confirm,
    empty_body,
    form,
    refused,
    rule,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEES1 = ("office", "leader", "t1_leader", "t1_member")  # team1's drafts
ISSUED1 = (*SEES1, "liaison1")
WRITERS1 = ("t1_leader", "t1_member")
WRITERS2 = ("t2_member",)
POST_ONLY = but(ALL, NO_OTP)
WITHDRAW_API = (
    "/api/v1/document-requests/{w.doc_issued1.pk}/items/{w.doc_provided1.pk}/files/{w.doc_file1.pk}/withdraw"
)


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member1, member2 = w.users["t1_member"], w.users["t2_member"]
    w.doc_draft1 = start_document_request(w.inspection1, by=member1)
    w.doc_issued1 = issue_document_request(start_document_request(w.inspection1, by=member1), by=member1)
    w.doc_draft2 = start_document_request(w.inspection2, by=member2)
    w.doc_issued2 = issue_document_request(start_document_request(w.inspection2, by=member2), by=member2)
    w.doc_draft_item1 = w.doc_draft1.items.get(position=1)
    w.doc_draft_item2 = w.doc_draft2.items.get(position=1)
    w.doc_owed1 = w.doc_issued1.items.get(position=1)
    w.doc_owed2 = w.doc_issued2.items.get(position=1)
    w.doc_provided1 = answer_document_item(
        w.doc_issued1.items.get(position=2),
        files=[Upload(name="会议记录.pdf", data=PDF)],
        by=w.users["liaison1"],
    )
    w.doc_file1 = w.doc_provided1.files.get()


def _page_rows(
    draft: str,
    issued: str,
    owed: str,
    draft_item: str,
    sees: tuple[str, ...],
    liaison: tuple[str, ...],
    writers: tuple[str, ...],
) -> list[Row]:
    base = "/fieldwork/documents"
    issued_seen = (*sees, *liaison)
    return [
        rule(f"{base}/{{w.{draft}.pk}}/", ok=sees),
        rule(f"{base}/{{w.{issued}.pk}}/", ok=issued_seen),
        rule(f"{base}/{{w.{draft}.pk}}/notice/", ok=sees),
        rule(f"{base}/{{w.{issued}.pk}}/notice/", ok=issued_seen),
        # An empty form: shown again (200) for the team; seen but not theirs: 403.
        *form(f"{base}/{{w.{draft}.pk}}/edit/", ok=writers, forbidden=but(sees, *writers)),
        *confirm(f"{base}/{{w.{draft}.pk}}/issue/", ok=writers, forbidden=but(sees, *writers)),
        *form(f"{base}/{{w.{draft}.pk}}/items/new/", ok=writers, forbidden=but(sees, *writers)),
        *form(f"{base}/{{w.{issued}.pk}}/items/new/", ok=writers, forbidden=but(issued_seen, *writers)),
        *form(f"{base}/items/{{w.{draft_item}.pk}}/edit/", ok=writers, forbidden=but(sees, *writers)),
        *confirm(f"{base}/items/{{w.{draft_item}.pk}}/remove/", ok=writers, forbidden=but(sees, *writers)),
        # The liaison's answer, empty: refused on the form (200); the team sees the item but may not answer.
        *form(f"{base}/items/{{w.{owed}.pk}}/answer/", ok=liaison, forbidden=sees),
        *form(f"{base}/items/{{w.{owed}.pk}}/return/", ok=writers, forbidden=but(issued_seen, *writers)),
        # Batch pages: an empty POST shows the page again, nothing selected.
        *form(
            f"{base}/{{w.{issued}.pk}}/items/batch/accept/?ids={{w.{owed}.pk}}",
            ok=writers,
            forbidden=but(issued_seen, *writers),
        ),
        *form(
            f"{base}/{{w.{issued}.pk}}/items/batch/return/?ids={{w.{owed}.pk}}",
            ok=writers,
            forbidden=but(issued_seen, *writers),
        ),
        rule(f"{base}/items/{{w.{owed}.pk}}/accept/", ok=STAFF, ok_status=405),  # POST only
        # Not provided yet: the team's accept is refused with a message (302).
        rule(
            f"{base}/items/{{w.{owed}.pk}}/accept/",
            "POST",
            ok=writers,
            ok_status=302,
            forbidden=but(issued_seen, *writers),
        ),
    ]


def _api_rows(
    draft: str,
    issued: str,
    owed: str,
    draft_item: str,
    sees: tuple[str, ...],
    liaison: tuple[str, ...],
    writers: tuple[str, ...],
) -> list[Row]:
    api = "/api/v1/document-requests"
    issued_seen = (*sees, *liaison)
    item = f"{api}/{{w.{issued}.pk}}/items/{{w.{owed}.pk}}"
    in_draft = f"{api}/{{w.{draft}.pk}}/items/{{w.{draft_item}.pk}}"
    return [
        # A draft's item: an empty patch changes nothing (200), its removal is done (200, rolled back);
        # an issued request's item: both refused (422).
        rule(in_draft, ok=POST_ONLY, ok_status=405),  # PATCH only
        rule(in_draft, "PATCH", ok=writers, forbidden=but(sees, *writers)),
        rule(f"{in_draft}/remove", "POST", ok=writers, forbidden=but(sees, *writers)),
        rule(f"{in_draft}/remove", ok=POST_ONLY, ok_status=405),
        rule(item, "PATCH", ok=writers, ok_status=422, forbidden=but(issued_seen, *writers), note=owed),
        refused(f"{item}/remove", {}, ok=writers, forbidden=but(issued_seen, *writers), note=owed),
        rule(f"{api}/{{w.{issued}.pk}}/items/batch", ok=POST_ONLY, ok_status=405),
        empty_body(f"{api}/{{w.{issued}.pk}}/items/batch"),
        rule(f"{api}/{{w.{draft}.pk}}", ok=sees),
        rule(f"{api}/{{w.{issued}.pk}}", ok=issued_seen),
        rule(f"{api}/{{w.{issued}.pk}}/issue", ok=POST_ONLY, ok_status=405),
        # Issued already: refused (422) for the team.
        refused(
            f"{api}/{{w.{issued}.pk}}/issue",
            {},
            ok=writers,
            forbidden=but(issued_seen, *writers),
            note=issued,
        ),
        rule(f"{api}/{{w.{draft}.pk}}/items", ok=POST_ONLY, ok_status=405),
        empty_body(f"{api}/{{w.{draft}.pk}}/items"),
        refused(
            f"{api}/{{w.{draft}.pk}}/items",
            {"what": " "},
            ok=writers,
            forbidden=but(sees, *writers),
            note=draft,
        ),
        rule(f"{item}/answer", ok=POST_ONLY, ok_status=405),
        # Neither a file nor a text: refused (422) for the liaison.
        refused(f"{item}/answer", {}, ok=liaison, forbidden=sees, note=owed),
        rule(f"{item}/accept", ok=POST_ONLY, ok_status=405),
        refused(f"{item}/accept", {}, ok=writers, forbidden=but(issued_seen, *writers), note=owed),
        rule(f"{item}/return", ok=POST_ONLY, ok_status=405),
        empty_body(f"{item}/return"),
        refused(
            f"{item}/return",
            {"reason": "缺少凭证"},
            ok=writers,
            forbidden=but(issued_seen, *writers),
            note=owed,
        ),
    ]


ROWS: list[Row] = [
    rule("/fieldwork/documents/", ok=STAFF),
    rule("/fieldwork/documents/inspections/{w.inspection1.pk}/", ok=TEAM1),
    rule("/fieldwork/documents/inspections/{w.inspection2.pk}/", ok=TEAM2),
    # An empty POST (not even the form's keys): the form shown again (200).
    *form(
        "/fieldwork/documents/inspections/{w.inspection1.pk}/new/",
        ok=WRITERS1,
        forbidden=but(TEAM1, *WRITERS1),
    ),
    *form(
        "/fieldwork/documents/inspections/{w.inspection2.pk}/new/",
        ok=WRITERS2,
        forbidden=but(TEAM2, *WRITERS2),
    ),
    *_page_rows("doc_draft1", "doc_issued1", "doc_owed1", "doc_draft_item1", SEES1, ("liaison1",), WRITERS1),
    *_page_rows("doc_draft2", "doc_issued2", "doc_owed2", "doc_draft_item2", TEAM2, (), WRITERS2),
    rule("/fieldwork/documents/files/{w.doc_file1.pk}/", ok=ISSUED1),
    *confirm("/fieldwork/documents/files/{w.doc_file1.pk}/withdraw/", ok=("liaison1",), forbidden=SEES1),
    # A provided item: the team accepts it (302).
    rule(
        "/fieldwork/documents/items/{w.doc_provided1.pk}/accept/",
        "POST",
        ok=WRITERS1,
        ok_status=302,
        forbidden=but(ISSUED1, *WRITERS1),
        note="provided",
    ),
    rule("/api/v1/document-requests/", ok=STAFF),
    empty_body("/api/v1/document-requests/"),
    # A due date in the past: refused for the team; the role is checked before the date; an inspection out
    # of sight is a 422 on that field, like a missing one.
    refused(
        "/api/v1/document-requests/",
        {"inspection": Pk("inspection1"), "due_on": "2000-01-01"},
        ok=WRITERS1,
        forbidden=but(TEAM1, *WRITERS1),
        other=422,
        note="inspection1",
    ),
    *_api_rows("doc_draft1", "doc_issued1", "doc_owed1", "doc_draft_item1", SEES1, ("liaison1",), WRITERS1),
    *_api_rows("doc_draft2", "doc_issued2", "doc_owed2", "doc_draft_item2", TEAM2, (), WRITERS2),
    # The liaison withdraws its file (200, rolled back); the team sees it but may not (403).
    rule(WITHDRAW_API, "POST", ok=("liaison1",), forbidden=SEES1),
    rule(WITHDRAW_API, ok=POST_ONLY, ok_status=405),
]
