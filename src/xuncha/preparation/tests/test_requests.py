"""Information requests: sending (roles, stage per kind, the committee's departments), a department's
answer with an encrypted file, scoping (a department sees only its own slot; other teams and the unit's
liaison do not see the team's requests), asking again and closing, leads as findings' evidence, reminders
and escalation, home panels, the archived inspection read-only, and audit events."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.core.reminders import send_reminders
from xuncha.findings.evidence import registered
from xuncha.findings.tests.support import draft, set_stage
from xuncha.findings.tests.support import setup as finding_setup
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Department
from xuncha.rounds.choices import Stage

from .. import actions
from ..choices import AnswerState, AnswerStatus, RequestKind, RequestStatus
from ..models import InformationAnswer, InformationAnswerFile, InformationRequest, Lead, Recipient
from .support import PDF, SECRET, answer, send, slot

pytestmark = pytest.mark.django_db


def _events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code).order_by("seq"))


# Sending -------------------------------------------------------------------------------------------


def test_team_leader_sends_one_slot_per_department_and_notifies_the_receivers(world) -> None:
    w = world
    request = send(w)
    assert request.number == 1 and request.status == RequestStatus.OPEN
    slots = list(request.recipients.order_by("department_id"))
    assert [s.department for s in slots] == [w.jiwei_dept, w.zuzhibu_dept]
    assert all(s.status == AnswerStatus.PENDING and s.due_on == request.due_on for s in slots)
    told = set(
        Notification.objects.filter(key__startswith="information-request:").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"jiwei", "zuzhibu"}
    event = _events("information_request.sent")[-1]
    assert event.details["departments"] == ["市纪委监委", "市委组织部"]
    assert "questions" not in event.details and event.details["questions_length"] > 0
    assert send(w, persona="office").number == 2


def test_a_member_cannot_send_and_other_departments_are_refused(world) -> None:
    w = world
    with pytest.raises(NotAllowed):
        send(w, persona="t1_member")
    with pytest.raises(NotAllowed):
        send(w, persona="t2_member")
    with action_scope("test.setup"):
        county_dept = Department(committee=w.county_a, name="县纪委监委", kind=DepartmentKind.JIWEI)
        county_dept.save()
        record("test.setup", county_dept, by=None)
    with pytest.raises(Refused, match="本级党委的部门"):
        send(w, departments=[county_dept])
    with pytest.raises(Refused, match="至少选择一个部门"):
        send(w, departments=[])
    with pytest.raises(Refused, match="答复期限不能早于今天"):
        send(w, due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert not InformationRequest.objects.exists()


def test_each_kind_has_its_stages(world) -> None:
    w = world
    # inspection1 is in 了解: 巡前了解 is over, 提请协助 is the channel now.
    with pytest.raises(Refused, match="巡前了解只能在“准备”、“进驻”阶段发出"):
        send(w, kind=RequestKind.PREPARATION)
    # inspection2 is preparing: 巡前了解, not yet 提请协助.
    early = send(w, inspection=w.inspection2, persona="office", kind=RequestKind.PREPARATION)
    assert early.letter == "了解情况函"
    with pytest.raises(Refused, match="提请协助只能在"):
        send(w, inspection=w.inspection2, persona="office")
    assert actions.kinds_now(w.inspection1) == [RequestKind.ASSISTANCE]
    assert actions.kinds_now(w.inspection2) == [RequestKind.PREPARATION]


def test_the_form_offers_the_kinds_of_the_stage_and_none_after_reporting(world, client_for) -> None:
    w = world
    form = client_for("t1_leader").get(f"/preparation/inspections/{w.inspection1.pk}/new/").content.decode()
    assert 'value="assistance"' in form and 'value="preparation"' not in form
    set_stage(w.inspection1, Stage.FEEDBACK)
    page = client_for("t1_leader").get(f"/preparation/inspections/{w.inspection1.pk}/").content.decode()
    assert "/new/" not in page  # no 发函 button
    form = client_for("t1_leader").get(f"/preparation/inspections/{w.inspection1.pk}/new/").content.decode()
    assert "不能再发函" in form and '<form method="post" class="col-12' not in form


# Answers, files and scoping ------------------------------------------------------------------------


def test_answer_with_a_file_encrypted_at_rest_and_the_team_is_told(world) -> None:
    w = world
    request = send(w)
    found = answer(w, request)
    jiwei_slot = slot(request, w.jiwei_dept)
    assert jiwei_slot.status == AnswerStatus.ANSWERED and jiwei_slot.state() == AnswerState.ANSWERED
    assert slot(request, w.zuzhibu_dept).state() == AnswerState.PENDING
    # The answer's text and the file are encrypted in the database and on disk.
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM preparation_informationanswer WHERE id = %s", [found.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores the uuid as such
        with connection.cursor() as cursor:
            cursor.execute("SELECT text FROM preparation_informationanswer WHERE id = %s", [str(found.pk)])
            row = cursor.fetchone()
    assert row[0].startswith("x1:") and "张某某" not in row[0]
    file = InformationAnswerFile.objects.get(answer=found)
    with file.blob.open("rb") as handle:
        assert PDF not in handle.read()
    assert file.read() == PDF and file.filename == "线索材料.pdf"
    told = Notification.objects.filter(key=f"information-answer:{found.pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"t1_leader", "t1_member"}
    event = _events("information_request.answered")[-1]
    assert event.details["files"] == 1 and "张某某" not in str(event.details)
    with pytest.raises(Refused, match="本部门已答复"):
        answer(w, request)


def test_only_the_addressed_departments_receiver_answers(world) -> None:
    w = world
    request = send(w, departments=[w.jiwei_dept])
    with pytest.raises(NotAllowed):
        actions.answer_request(slot(request, w.jiwei_dept), text="答复", files=[], by=w.users["zuzhibu"])
    with pytest.raises(NotAllowed):
        actions.answer_request(slot(request, w.jiwei_dept), text="答复", files=[], by=w.users["t1_leader"])
    with pytest.raises(Refused, match="请填写答复内容"):
        actions.answer_request(slot(request, w.jiwei_dept), text=" ", files=[], by=w.users["jiwei"])
    with pytest.raises(Refused, match="文件类型不允许"):
        actions.answer_request(
            slot(request, w.jiwei_dept),
            text="答复",
            files=[Upload("x.exe", b"MZ\x00\x01")],
            by=w.users["jiwei"],
        )
    assert not InformationAnswer.objects.exists()


def test_a_department_sees_only_what_is_addressed_to_it(world) -> None:
    w = world
    both = send(w)
    answer(w, both)
    actions.answer_request(
        slot(both, w.zuzhibu_dept), text="组织部答复：无。", files=[], by=w.users["zuzhibu"]
    )
    only_zuzhibu = send(w, departments=[w.zuzhibu_dept])
    jiwei, zuzhibu = w.users["jiwei"], w.users["zuzhibu"]
    assert list(InformationRequest.objects.visible_to(jiwei)) == [both]
    assert set(InformationRequest.objects.visible_to(zuzhibu)) == {both, only_zuzhibu}
    assert [s.department for s in Recipient.objects.visible_to(jiwei)] == [w.jiwei_dept]
    assert [a.recipient.department for a in InformationAnswer.objects.visible_to(zuzhibu)] == [w.zuzhibu_dept]
    assert not InformationAnswerFile.objects.visible_to(zuzhibu).exists()
    for persona in ("liaison1", "t2_member", "county_office", "custodian", "auditor", "sysadmin"):
        assert not InformationRequest.objects.visible_to(w.users[persona]).exists(), persona
        assert not InformationAnswer.objects.visible_to(w.users[persona]).exists(), persona
    assert InformationRequest.objects.visible_to(w.users["leader"]).count() == 2


def test_pages_scope_and_the_team_sees_the_answer_on_its_preparation_page(world, client_for) -> None:
    w = world
    request = send(w)
    found = answer(w, request)
    file = found.files.get()
    page = f"/preparation/inspections/{w.inspection1.pk}/"
    response = client_for("t1_leader").get(page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "张某某" in text and "线索材料.pdf" in text and "市委组织部" in text
    read = _events("information_request.answers_read")[-1]
    assert read.actor.username == "t1_leader" and read.details == {"answers": 1}
    assert client_for("liaison1").get(page).status_code == 403
    assert client_for("t2_member").get(page).status_code == 404
    assert client_for("jiwei").get(page).status_code == 404
    detail = f"/preparation/requests/{request.pk}/"
    jiwei_page = client_for("jiwei").get(detail).content.decode()
    assert "张某某" in jiwei_page and "市委组织部" not in jiwei_page
    zuzhibu_page = client_for("zuzhibu").get(detail)
    assert zuzhibu_page.status_code == 200 and "张某某" not in zuzhibu_page.content.decode()
    assert client_for("t2_member").get(detail).status_code == 404
    listed = client_for("jiwei").get("/preparation/").content.decode()
    assert "提请协助函第1号" in listed and "共 1 条" in listed
    assert "共 0 条" in client_for("t2_member").get("/preparation/").content.decode()
    assert client_for("liaison1").get(detail).status_code == 404
    download = f"/preparation/files/{file.pk}/"
    assert client_for("zuzhibu").get(download).status_code == 404
    got = client_for("t1_member").get(download)
    assert got.status_code == 200 and got.content == PDF and got["Cache-Control"] == "private, no-store"
    event = _events("information_answer_file.downloaded")[-1]
    assert event.actor.username == "t1_member" and event.object_id == str(file.pk)
    # The inspection page links to the preparation page for the team, not for the liaison.
    inspection_page = f"/rounds/inspections/{w.inspection1.pk}/"
    assert (
        f"/preparation/inspections/{w.inspection1.pk}/"
        in client_for("t1_member").get(inspection_page).content.decode()
    )
    assert "/preparation/inspections/" not in client_for("liaison1").get(inspection_page).content.decode()


def test_answer_page_posts_text_and_files(world, client_for) -> None:
    w = world
    request = send(w)
    jiwei_slot = slot(request, w.jiwei_dept)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/preparation/slots/{jiwei_slot.pk}/answer/"
    assert client_for("zuzhibu").get(url).status_code == 404
    assert client_for("t1_leader").get(url).status_code == 403
    upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
    response = client_for("jiwei").post(url, {"text": "已查，有线索一件。", "attachments": [upload]})
    assert response.status_code == 302
    assert InformationAnswerFile.objects.filter(answer__recipient=jiwei_slot).count() == 1
    # Answered: the page says so instead of offering the form; a post is refused on the form.
    page = client_for("jiwei").get(url).content.decode()
    assert "本部门已答复" in page and "提交答复" not in page
    again = client_for("jiwei").post(url, {"text": "再答一次"})
    assert again.status_code == 200 and "本部门已答复" in again.content.decode()
    assert InformationAnswer.objects.filter(recipient=jiwei_slot).count() == 1


# Ask again, close, leads ------------------------------------------------------------------------------


def test_ask_again_reopens_the_slot_and_close_ends_the_request(world) -> None:
    w = world
    request = send(w)
    answer(w, request, with_file=False)
    new_due = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(NotAllowed):
        actions.ask_again(slot(request, w.jiwei_dept), note="请补充", due_on=new_due, by=w.users["t1_member"])
    again = actions.ask_again(
        slot(request, w.jiwei_dept), note="请补充处置结果", due_on=new_due, by=w.users["t1_leader"]
    )
    assert again.status == AnswerStatus.PENDING and again.due_on == new_due and again.asked_again == 1
    assert Notification.objects.filter(recipient=w.users["jiwei"], key__endswith=":again1").exists()
    second = actions.answer_request(again, text="补充：已初核。", files=[], by=w.users["jiwei"])
    assert InformationAnswer.objects.filter(recipient=again).count() == 2 and second.recipient_id == again.pk
    closed = actions.close_request(request, note="已了解清楚", by=w.users["office"])
    assert closed.status == RequestStatus.CLOSED and closed.closed_by == w.users["office"]
    with pytest.raises(Refused, match="该函已关闭"):
        actions.answer_request(
            slot(request, w.zuzhibu_dept), text="迟到的答复", files=[], by=w.users["zuzhibu"]
        )
    with pytest.raises(Refused, match="该函已关闭"):
        actions.close_request(request, by=w.users["office"])
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(again.pk)).order_by("seq")] == [
        "information_request.answered",
        "information_request.asked_again",
        "information_request.answered",
    ]


def test_a_lead_from_an_answer_is_evidence_for_findings_and_hidden_from_departments(
    world, client_for
) -> None:
    w = world
    request = send(w)
    found = answer(w, request)
    lead = actions.record_lead(found, passage="张某某收受礼金线索", by=w.users["t1_member"])
    assert lead.number == "了解线索01" and lead.inspection == w.inspection1
    event = _events("preparation_lead.created")[-1]
    assert event.details["passage_length"] == len("张某某收受礼金线索") and "张某某" not in str(event.details)
    with pytest.raises(NotAllowed):
        actions.record_lead(found, passage="x", by=w.users["jiwei"])
    kind = registered("preparation_lead")
    assert kind is not None
    assert list(kind.objects(w.users["t1_leader"], w.inspection1)) == [lead]
    assert not kind.objects(w.users["jiwei"], w.inspection1).exists()
    assert not kind.objects(w.users["t2_member"], w.inspection1).exists()
    assert client_for("t1_leader").get(f"/preparation/leads/{lead.pk}/").status_code == 200
    assert _events("preparation_lead.read")[-1].actor.username == "t1_leader"
    assert client_for("jiwei").get(f"/preparation/leads/{lead.pk}/").status_code == 404
    response = client_for("t1_member").post(f"/preparation/answers/{found.pk}/lead/", {"passage": "另一段"})
    assert response.status_code == 302 and Lead.objects.count() == 2


def test_a_finding_cites_the_lead_as_evidence(world, client_for) -> None:
    w = finding_setup(world)
    lead = actions.record_lead(answer(w, send(w)), passage="张某某收受礼金线索", by=w.users["t1_member"])
    finding = draft(w, evidence=[w.petition1, lead])
    assert {(link.kind, link.object_id) for link in finding.evidence.all()} == {
        ("petition", str(w.petition1.pk)),
        ("preparation_lead", str(lead.pk)),
    }
    page = client_for("t1_leader").get(f"/findings/{finding.pk}/").content.decode()
    assert f"/preparation/leads/{lead.pk}/" in page and lead.number in page
    # A lead of another inspection is refused as evidence.
    other = actions.record_lead(
        answer(w, send(w, inspection=w.inspection2, persona="office", kind=RequestKind.ASSISTANCE)),
        passage="另一巡察的线索",
        by=w.users["office"],
    )
    with pytest.raises(Refused, match="证据应为本巡察中您可以查看的巡前了解线索"):
        draft(w, evidence=[other])


def test_archived_inspection_is_read_only(world, client_for) -> None:
    w = world
    request = send(w)
    found = answer(w, request, with_file=False)
    set_stage(w.inspection1, Stage.ARCHIVED)
    w.inspection1.refresh_from_db()
    request.refresh_from_db()
    with pytest.raises(Refused, match="已归档"):
        actions.answer_request(slot(request, w.zuzhibu_dept), text="答复", files=[], by=w.users["zuzhibu"])
    with pytest.raises(Refused, match="已归档"):
        actions.close_request(request, by=w.users["office"])
    with pytest.raises(Refused, match="已归档"):
        actions.record_lead(found, passage="线索", by=w.users["t1_leader"])
    with pytest.raises(Refused, match="已归档"):
        actions.ask_again(
            slot(request, w.jiwei_dept), note="再问", due_on=timezone.localdate(), by=w.users["office"]
        )
    page = client_for("t1_leader").get(f"/preparation/inspections/{w.inspection1.pk}/").content.decode()
    assert "只能查看" in page and "形成线索" not in page and "再次提请" not in page
    # No reminder and no home-page to-do for an archived inspection.
    assert actions.request_deadlines(request.due_on + datetime.timedelta(days=1)) == []
    assert "待答复的了解情况函" not in client_for("zuzhibu").get("/").content.decode()


# Reminders and home panels -----------------------------------------------------------------------------


def test_reminders_before_and_after_the_due_date_escalate_to_the_office(world) -> None:
    w = world
    request = send(w)
    answer(w, request, with_file=False)  # jiwei is done: only zuzhibu is reminded
    zuzhibu_slot = slot(request, w.zuzhibu_dept)

    def ours(sent: list[Notification]) -> list[Notification]:
        # Other apps' deadlines of the world (the round's plan …) are reminded by the same run.
        return [n for n in sent if n.key.startswith(f"information-request:{zuzhibu_slot.pk}:")]

    before = ours(send_reminders(request.due_on - datetime.timedelta(days=1)))
    assert {n.recipient.username for n in before} == {"zuzhibu"}
    late = ours(send_reminders(request.due_on + datetime.timedelta(days=1)))
    assert {n.recipient.username for n in late} == {"zuzhibu", "office", "t1_leader"}
    assert all("市委组织部答复第一巡察组提请协助函第1号" in n.title for n in late)
    assert SECRET not in str([n.title for n in late])
    assert ours(send_reminders(request.due_on + datetime.timedelta(days=1))) == []
    reminded = AuditEvent.objects.filter(action="reminder.sent", object_id=str(zuzhibu_slot.pk))
    assert reminded.count() == 3  # before, overdue, escalation
    actions.close_request(request, by=w.users["t1_leader"])
    assert actions.request_deadlines(request.due_on + datetime.timedelta(days=2)) == []


def test_home_panels(world, client_for) -> None:
    w = world
    request = send(w)
    jiwei_home = client_for("jiwei").get("/").content.decode()
    assert "待答复的了解情况函" in jiwei_home and "提请协助函第1号" in jiwei_home
    answer(w, request, with_file=False)
    assert "待答复的了解情况函" not in client_for("jiwei").get("/").content.decode()
    assert "待答复的了解情况函" in client_for("zuzhibu").get("/").content.decode()
    team_home = client_for("t1_member").get("/").content.decode()
    assert "有关部门的新答复" in team_home and "市纪委监委答复了" in team_home
    assert "有关部门的新答复" not in client_for("t2_member").get("/").content.decode()
    assert SECRET not in team_home


# Query counts ------------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_pages_issue_a_constant_number_of_queries(world, client_for) -> None:
    w = world
    answer(w, send(w))
    paths = {
        "t1_leader": [
            f"/preparation/inspections/{w.inspection1.pk}/",
            "/preparation/",
            "/api/v1/information-requests/",
        ],
        "jiwei": ["/preparation/", "/api/v1/information-requests/"],
    }
    clients = {persona: client_for(persona) for persona in paths}
    before = {(p, path): _queries(clients[p], path) for p, found in paths.items() for path in found}
    for _ in range(2):
        request = send(w)
        answer(w, request)
        actions.answer_request(
            slot(request, w.zuzhibu_dept),
            text="组织部答复",
            files=[Upload("a.pdf", PDF), Upload("b.pdf", PDF)],
            by=w.users["zuzhibu"],
        )
    after = {(p, path): _queries(clients[p], path) for p, found in paths.items() for path in found}
    assert after == before
    assert max(after.values()) <= 20
