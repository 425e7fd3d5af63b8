"""Authorisation matrix rows of information requests (巡前了解、提请协助), joined in xuncha/tests/matrix.py.

The world holds team1's 提请协助函 (inspection1, in 了解) to both city departments: 纪委监委 answered with a
file and the team drew a lead from it, 组织部's slot is still owed; and the office's 了解情况函 of inspection2
(准备) to 组织部 alone. The office and the team's leader send, ask again and close; the leading group and the
team's members read (403 on those); a department's receiver reads the requests addressed to it and alone
answers its own slot (another department's slot is 404 for it); the unit's liaison sees the inspection but
not its preparation (403 on the inspection's page, 404 on the requests); everyone else gets 404.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.preparation.actions import answer_request, record_lead, send_request
from xuncha.preparation.choices import RequestKind
from xuncha.preparation.models import Recipient
from xuncha.tests.matrix import (
    ALL,
    NO_OTP,
    STAFF,
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
POST_ONLY = but(ALL, NO_OTP)
READERS1 = ("office", "leader", "t1_leader", "t1_member")  # team1's requests, slots, answers and leads
REQUESTERS1 = ("office", "t1_leader")
LEADS1 = ("office", "t1_leader", "t1_member")
REQUESTERS2 = ("office",)  # team2 has no leader
DUE = "2099-01-01"  # well-formed; refused by the action (more than 180 days ahead) if it got that far


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    due = timezone.localdate() + datetime.timedelta(days=10)
    w.info1 = send_request(
        w.inspection1,
        kind=RequestKind.ASSISTANCE,
        subject="提请提供被巡察单位有关问题线索",
        questions="请提供近三年反映该单位领导班子成员的问题线索及处置情况。",
        due_on=due,
        departments=[w.jiwei_dept, w.zuzhibu_dept],
        by=w.users["t1_leader"],
    )
    w.info_answer1 = answer_request(
        Recipient.objects.get(request=w.info1, department=w.jiwei_dept),
        text="经查，有反映该局会计科问题线索一件。",
        files=[Upload(name="线索材料.pdf", data=PDF)],
        by=w.users["jiwei"],
    )
    w.info_file1 = w.info_answer1.files.get()
    w.info_lead1 = record_lead(w.info_answer1, passage="会计科问题线索一件", by=w.users["t1_member"])
    w.info_owed1 = Recipient.objects.get(request=w.info1, department=w.zuzhibu_dept)
    w.info2 = send_request(
        w.inspection2,
        kind=RequestKind.PREPARATION,
        subject="巡前了解被巡察单位领导班子情况",
        questions="请提供该单位领导班子及其成员的选人用人情况。",
        due_on=due,
        departments=[w.zuzhibu_dept],
        by=w.users["office"],
    )
    w.info_owed2 = w.info2.recipients.get()


def _pages() -> list[Row]:
    insp1, insp2 = (
        "/preparation/inspections/{w.inspection1.pk}",
        "/preparation/inspections/{w.inspection2.pk}",
    )
    request1, request2 = "/preparation/requests/{w.info1.pk}", "/preparation/requests/{w.info2.pk}"
    seen1 = (*READERS1, "jiwei", "zuzhibu")
    seen2 = (*TEAM2, "zuzhibu")
    return [
        rule("/preparation/", ok=STAFF),  # each sees its own letters; the list may be empty
        # The inspection's preparation page: its liaison sees the inspection, not this (403).
        rule(f"{insp1}/", ok=READERS1, forbidden=("liaison1",)),
        rule(f"{insp2}/", ok=TEAM2),
        *form(f"{insp1}/new/", ok=REQUESTERS1, forbidden=("leader", "t1_member", "liaison1")),
        *form(f"{insp2}/new/", ok=REQUESTERS2, forbidden=but(TEAM2, *REQUESTERS2)),
        rule(f"{request1}/", ok=seen1),
        rule(f"{request2}/", ok=seen2),
        # Closing: a confirmation whose POST (empty note) closes the request and redirects.
        *confirm(f"{request1}/close/", ok=REQUESTERS1, forbidden=but(seen1, *REQUESTERS1)),
        *confirm(f"{request2}/close/", ok=REQUESTERS2, forbidden=but(seen2, *REQUESTERS2)),
        # 组织部's own slot: it alone answers (an empty form is shown again); 纪委监委 does not see it.
        *form("/preparation/slots/{w.info_owed1.pk}/answer/", ok=("zuzhibu",), forbidden=READERS1),
        *form("/preparation/slots/{w.info_owed2.pk}/answer/", ok=("zuzhibu",), forbidden=TEAM2),
        *form(
            "/preparation/slots/{w.info_owed1.pk}/ask-again/",
            ok=REQUESTERS1,
            forbidden=but((*READERS1, "zuzhibu"), *REQUESTERS1),
        ),
        *form(
            "/preparation/slots/{w.info_owed2.pk}/ask-again/",
            ok=REQUESTERS2,
            forbidden=but(seen2, *REQUESTERS2),
        ),
        rule("/preparation/files/{w.info_file1.pk}/", ok=(*READERS1, "jiwei")),
        *form("/preparation/answers/{w.info_answer1.pk}/lead/", ok=LEADS1, forbidden=("leader", "jiwei")),
        rule("/preparation/leads/{w.info_lead1.pk}/", ok=READERS1),
    ]


def _api() -> list[Row]:
    api = "/api/v1/information-requests"
    one, two = f"{api}/{{w.info1.pk}}", f"{api}/{{w.info2.pk}}"
    owed1 = f"{one}/recipients/{{w.info_owed1.pk}}"
    owed2 = f"{two}/recipients/{{w.info_owed2.pk}}"
    answer1 = f"{one}/answers/{{w.info_answer1.pk}}"
    seen1 = (*READERS1, "jiwei", "zuzhibu")
    seen2 = (*TEAM2, "zuzhibu")
    blank = {"kind": "assistance", "subject": " ", "questions": "x", "due_on": DUE, "departments": []}
    return [
        rule(f"{api}/", ok=STAFF),
        empty_body(f"{api}/"),
        # A blank subject: refused (422) for who may send; an inspection out of reach is the same 422.
        refused(
            f"{api}/",
            {**blank, "inspection": Pk("inspection1")},
            ok=REQUESTERS1,
            forbidden=("leader", "t1_member", "liaison1"),
            other=422,
            note="inspection1",
        ),
        refused(
            f"{api}/",
            {**blank, "kind": "preparation", "inspection": Pk("inspection2")},
            ok=REQUESTERS2,
            forbidden=but(TEAM2, *REQUESTERS2),
            other=422,
            note="inspection2",
        ),
        rule(one, ok=seen1),
        rule(two, ok=seen2),
        # A department's answer (multipart); no text: refused for its receiver.
        rule(f"{owed1}/answer", ok=POST_ONLY, ok_status=405),
        refused(f"{owed1}/answer", {}, ok=("zuzhibu",), forbidden=READERS1, note="team1"),
        refused(f"{owed2}/answer", {}, ok=("zuzhibu",), forbidden=TEAM2, note="team2"),
        rule(f"{owed1}/ask-again", ok=POST_ONLY, ok_status=405),
        empty_body(f"{owed1}/ask-again"),
        refused(
            f"{owed1}/ask-again",
            {"note": " ", "due_on": DUE},
            ok=REQUESTERS1,
            forbidden=but((*READERS1, "zuzhibu"), *REQUESTERS1),
            note="team1",
        ),
        refused(
            f"{owed2}/ask-again",
            {"note": " ", "due_on": DUE},
            ok=REQUESTERS2,
            forbidden=but(seen2, *REQUESTERS2),
            note="team2",
        ),
        # Closing with a note over the limit: refused (an empty body would close the request).
        rule(f"{one}/close", ok=POST_ONLY, ok_status=405),
        refused(
            f"{one}/close",
            {"note": "长" * 1001},
            ok=REQUESTERS1,
            forbidden=but(seen1, *REQUESTERS1),
            note="team1",
        ),
        refused(
            f"{two}/close",
            {"note": "长" * 1001},
            ok=REQUESTERS2,
            forbidden=but(seen2, *REQUESTERS2),
            note="team2",
        ),
        rule(f"{answer1}/leads", ok=POST_ONLY, ok_status=405),
        empty_body(f"{answer1}/leads"),
        refused(f"{answer1}/leads", {"passage": " "}, ok=LEADS1, forbidden=("leader", "jiwei"), note="team1"),
        rule(f"{one}/files/{{w.info_file1.pk}}", ok=(*READERS1, "jiwei")),
    ]


ROWS: list[Row] = [*_pages(), *_api()]
