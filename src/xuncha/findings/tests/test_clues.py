"""Clues through the actions: draft → 待审批 → two approvals → 移交 → 签收 → 处置 → 报果, the guards of each
step, who sees what (高度保密, receivers), chasing overdue transfers, the archive check and the summary."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from xuncha.core.audit_labels import action_label
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.core.tests.pdf import read_back
from xuncha.rounds.archive import open_items

from ..choices import ClueStatus, ClueTransferStatus
from ..clues import actions, letter, summary, transfers
from ..clues.archive import open_clues
from ..models import Clue, ClueTransfer
from .clue_support import CONTENT, approved_clue, clue_input, draft_clue, grant, transferred_clue
from .support import draft, petition, setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def test_a_clue_from_a_finding_is_approved_twice_transferred_and_reported_back(w: SimpleNamespace) -> None:
    finding = draft(w)
    clue = draft_clue(w, finding=finding, petition=w.petition1)
    assert (clue.number, clue.status, clue.department, clue.receiver_reason) == (
        "线索001",
        ClueStatus.DRAFT,
        w.jiwei_dept,
        "",
    )
    stored = Clue.objects.filter(pk=clue.pk).values_list("content", flat=True).get()
    assert stored.startswith("x1:") and "张建国" not in stored  # encrypted at rest
    assert Clue.objects.get(pk=clue.pk).content == CONTENT
    actions.submit_clue(clue, by=w.users["t1_member"])
    actions.approve_clue(clue, by=w.users["t1_leader"])
    assert clue.status == ClueStatus.SUBMITTED
    with pytest.raises(Refused, match="两方审批"):
        transfers.transfer_clue(clue, by=w.users["office"])
    actions.approve_clue(clue, by=w.users["office"])
    assert clue.status == ClueStatus.APPROVED

    transfer = transfers.transfer_clue(clue, by=w.users["office"])
    days = (transfer.due_on - timezone.localdate()).days
    assert (transfer.letter_number, transfer.department, days) == (
        f"江东巡移〔{timezone.localdate().year}〕1号",
        w.jiwei_dept,
        90,
    )
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.TRANSFERRED
    jiwei = w.users["jiwei"]
    with pytest.raises(Refused, match="先签收"):
        transfers.dispose_clue_transfer(transfer, disposal="talk", by=jiwei)
    transfers.receive_clue_transfer(transfer, by=jiwei)
    with pytest.raises(Refused, match="记录处置方式"):
        transfers.report_clue_transfer(transfer, outcome="form_1", result="谈话提醒。", by=jiwei)
    transfers.dispose_clue_transfer(transfer, disposal="talk", by=jiwei)
    transfers.dispose_clue_transfer(transfer, disposal="verify", by=jiwei)  # changed before reporting
    transfers.report_clue_transfer(
        transfer, outcome="form_2", result="经初步核实，给予党内警告处分。", by=jiwei
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.disposal, transfer.outcome) == ("reported", "verify", "form_2")
    with pytest.raises(Refused, match="已于"):
        transfers.report_clue_transfer(transfer, outcome="form_1", result="再报。", by=jiwei)

    [line] = summary(w.inspection1)
    assert (line.number, line.receiver, line.disposal, line.reported) == (
        "线索001",
        "市纪委监委",
        "初步核实",
        True,
    )
    assert line.outcome.startswith("第二种形态")
    actions_recorded = list(
        AuditEvent.objects.filter(object_id__in=[str(clue.pk), str(transfer.pk)])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_recorded == [
        "clue.drafted",
        "clue.submitted",
        "clue.approved",
        "clue.approved",
        "clue.transferred",
        "clue_transfer.received",
        "clue_transfer.disposed",
        "clue_transfer.disposed",
        "clue_transfer.reported",
    ]
    event = AuditEvent.objects.get(action="clue_transfer.reported")
    assert "警告" not in str(event.details) and "张建国" not in str(event.details)
    assert all(action_label(code) != code for code in actions_recorded)  # each named in Chinese


def test_the_office_may_approve_first_and_a_user_gives_one_approval_only(w: SimpleNamespace) -> None:
    clue = draft_clue(w)
    actions.submit_clue(clue, by=w.users["t1_member"])
    actions.approve_clue(clue, by=w.users["office"])
    with pytest.raises(Refused, match="已审批过"):
        actions.approve_clue(clue, by=w.users["office"])
    # A team leader who also holds the office role cannot give the second approval.
    office = w.users["office"]
    grant(office, Role.TEAM_LEADER, w.team1.pk)
    with pytest.raises(Refused, match="不同的人"):
        actions.approve_clue(clue, by=office)
    actions.approve_clue(clue, by=w.users["t1_leader"])
    assert clue.status == ClueStatus.APPROVED


def test_who_drafted_or_submitted_a_clue_does_not_approve_it(w: SimpleNamespace) -> None:
    clue = draft_clue(w, "t1_leader")
    actions.submit_clue(clue, by=w.users["t1_leader"])
    with pytest.raises(Refused, match="起草或提交"):
        actions.approve_clue(clue, by=w.users["t1_leader"])
    with pytest.raises(NotAllowed):
        actions.approve_clue(clue, by=w.users["t1_member"])
    with pytest.raises(NotAllowed):
        actions.approve_clue(clue, by=w.users["leader"])


def test_a_draft_is_not_approved_and_a_return_clears_the_approvals(w: SimpleNamespace) -> None:
    clue = draft_clue(w)
    with pytest.raises(Refused, match="不在待审批"):
        actions.approve_clue(clue, by=w.users["t1_leader"])
    actions.submit_clue(clue, by=w.users["t1_member"])
    actions.approve_clue(clue, by=w.users["t1_leader"])
    with pytest.raises(Refused, match="退回理由"):
        actions.return_clue(clue, reason=" ", by=w.users["office"])
    actions.return_clue(clue, reason="请补充收受礼金的时间和地点。", by=w.users["office"])
    clue.refresh_from_db()
    assert (clue.status, clue.leader_approved_by, clue.submitted_by) == (ClueStatus.DRAFT, None, None)
    actions.update_clue(clue, data=clue_input(w, title="张建国春节收受礼金"), by=w.users["t1_member"])
    event = AuditEvent.objects.filter(action="clue.updated").get()
    assert event.details["fields"] == ["线索标题"]


def test_a_submitted_clue_is_not_edited_and_a_withdrawn_one_is_not_open(w: SimpleNamespace) -> None:
    clue = draft_clue(w)
    actions.submit_clue(clue, by=w.users["t1_member"])
    with pytest.raises(Refused, match="不能修改"):
        actions.update_clue(clue, data=clue_input(w), by=w.users["t1_member"])
    assert open_clues(w.inspection1) == ["问题线索 线索001 待审批，尚未移交"]
    assert "问题线索 线索001 待审批，尚未移交" in open_items(w.inspection1)  # registered with rounds
    with pytest.raises(NotAllowed):
        actions.withdraw_clue(clue, reason="重复", by=w.users["t1_member"])
    actions.withdraw_clue(clue, reason="与线索002反映同一问题，合并处理。", by=w.users["t1_leader"])
    assert open_clues(w.inspection1) == []
    assert summary(w.inspection1) == []


def test_the_receiver_follows_the_rule_unless_changed_with_a_reason(w: SimpleNamespace) -> None:
    assert draft_clue(w, kind="selection").department == w.zuzhibu_dept
    general = draft_clue(w, kind="general")
    assert (general.unit, general.receiver_name) == (w.unit1, "市财政局党组织")
    leadership = draft_clue(w, kind="leadership")
    assert leadership.receiver_name == "市财政局主要负责人"
    with pytest.raises(Refused, match="其他问题") as refused:
        draft_clue(w, kind="other")
    assert refused.value.field == "department"
    with pytest.raises(Refused, match="调整接收方的理由") as refused:
        draft_clue(w, kind="discipline", department=w.zuzhibu_dept)
    assert refused.value.field == "receiver_reason"
    changed = draft_clue(w, department=w.zuzhibu_dept, receiver_reason="主要涉及干部任用程序问题。")
    assert changed.department == w.zuzhibu_dept
    event = AuditEvent.objects.filter(action="clue.drafted", object_id=str(changed.pk)).get()
    assert event.details["by_rule"] is False and event.details["receiver"] == "市委组织部"
    assert "干部任用" not in str(event.details)
    # The other kinds go to a chosen department without a reason.
    assert draft_clue(w, kind="other", department=w.zuzhibu_dept).receiver_reason == ""


def test_bad_input_is_refused_on_its_field(w: SimpleNamespace) -> None:
    cases = [
        ({"title": ""}, "title"),
        ({"content": "  "}, "content"),
        ({"kind": "rumour"}, "kind"),
        ({"persons": []}, "persons"),
        ({"persons": [w.principal2]}, "persons"),  # another unit's roster
        ({"petition": w.petition2}, "petition"),  # another inspection's petition
        ({"unit": w.unit2}, "unit"),
        ({"department": w.jiwei_dept, "unit": w.unit1}, "unit"),
        ({"confidential": True}, "confidential"),  # a member may not hide a clue
    ]
    for overrides, field in cases:
        with pytest.raises(Refused) as refused:
            draft_clue(w, **overrides)
        assert refused.value.field == field, overrides
    assert not Clue.objects.exists()


def test_a_high_confidentiality_clue_is_seen_by_the_team_leader_and_office_only(w: SimpleNamespace) -> None:
    secret = draft_clue(w, "t1_leader", confidential=True)
    plain = draft_clue(w)
    for persona, sees in {
        "t1_leader": {secret, plain},
        "office": {secret, plain},
        "t1_member": {plain},
        "leader": {plain},
        "t2_member": set(),
        "jiwei": set(),
        "liaison1": set(),
    }.items():
        assert set(Clue.objects.visible_to(w.users[persona])) == sees, persona
    assert [line.title for line in summary(w.inspection1)] == ["（高度保密线索）", "张建国收受礼金"]


def test_a_receiver_sees_only_what_was_transferred_to_it(w: SimpleNamespace) -> None:
    to_jiwei = transferred_clue(w)
    to_zuzhibu = transferred_clue(w, kind="selection", title="违规提拔")
    secret = transferred_clue(w, persona="t1_leader", confidential=True, title="高度保密")
    assert to_zuzhibu.letter_number.endswith("2号")
    visible = {p: set(ClueTransfer.objects.visible_to(w.users[p])) for p in ("jiwei", "zuzhibu", "t1_member")}
    assert visible == {
        "jiwei": {to_jiwei, secret},
        "zuzhibu": {to_zuzhibu},
        "t1_member": {to_jiwei, to_zuzhibu},
    }
    assert not Clue.objects.visible_to(w.users["jiwei"]).exists()
    with pytest.raises(NotAllowed):
        transfers.receive_clue_transfer(to_jiwei, by=w.users["zuzhibu"])
    with pytest.raises(NotAllowed):
        transfers.receive_clue_transfer(to_jiwei, by=w.users["office"])


def test_a_clue_to_the_unit_is_signed_for_by_its_liaison(w: SimpleNamespace) -> None:
    transfer = transferred_clue(w, kind="general", title="会议费管理不规范")
    assert set(ClueTransfer.objects.visible_to(w.users["liaison1"])) == {transfer}
    transfers.receive_clue_transfer(transfer, by=w.users["liaison1"])
    assert transfer.status == ClueTransferStatus.RECEIVED


def test_the_transfer_letter_opens_and_names_the_number_and_receiver(w: SimpleNamespace) -> None:
    transfer = transferred_clue(w)
    data = letter.clue_letter(transfer)
    assert layout_problems(data) == []  # GB/T 9704: page, fonts, page numbers
    assert elements(data) == [
        "份号",
        "密级和保密期限",
        "发文机关标志",
        "发文字号",
        "标题",
        "抄送",
        "印发机关和印发日期",
    ]
    read_back({"线索移交函": (data, ["秘密", transfer.letter_number, "关于移交问题线索的函"])})
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert transfer.letter_number in text
    assert "市纪委监委：" in text
    assert "关于移交问题线索的函" in text
    assert "张建国（市财政局党组书记、局长）" in text
    assert CONTENT in text
    assert "90日内" in text


def test_the_due_date_may_be_set_but_not_in_the_past(w: SimpleNamespace) -> None:
    clue = approved_clue(w)
    with pytest.raises(Refused) as refused:
        transfers.transfer_clue(clue, by=w.users["office"], due_on=timezone.localdate())
    assert refused.value.field == "due_on"
    with pytest.raises(NotAllowed):
        transfers.transfer_clue(clue, by=w.users["t1_member"])
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert transfers.transfer_clue(clue, by=w.users["t1_leader"], due_on=due).due_on == due


def test_overdue_transfers_are_chased_once_per_due_date(
    w: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    transfer = transferred_clue(w)
    assert [d.key for d in transfers.clue_transfer_deadlines(transfer.due_on)] == [
        f"clue-transfer:{transfer.pk}"
    ]
    after_due = transfer.due_on + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after_due)
    call_command("daily", stdout=io.StringIO())
    call_command("daily", stdout=io.StringIO())
    chased = AuditEvent.objects.filter(action="reminder.sent", object_id=str(transfer.pk))
    assert {e.details["phase"]: e.details["notified"] for e in chased} == {
        "overdue": ["jiwei"],
        "escalation": ["office", "t1_leader"],
    }
    notes = Notification.objects.filter(link=f"/findings/clue-transfers/{transfer.pk}/")
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["jiwei", "office", "t1_leader"]
    assert CONTENT not in notes.first().title  # type: ignore[union-attr]
    transfer.refresh_from_db()
    assert transfer.last_chased_at is not None  # 最近催办 on its page
    # The next day: the same due date, nobody is told again.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after_due + datetime.timedelta(days=1))
    call_command("daily", stdout=io.StringIO())
    assert chased.count() == 2 and notes.count() == 3


def test_the_archive_check_names_every_clue_without_a_result(w: SimpleNamespace) -> None:
    transfer = transferred_clue(w)
    draft_clue(w, kind="selection")
    assert open_clues(w.inspection1) == [
        "问题线索 线索001 已移交市纪委监委，尚未报告处置结果",
        "问题线索 线索002 草稿，尚未移交",
    ]
    jiwei = w.users["jiwei"]
    transfers.receive_clue_transfer(transfer, by=jiwei)
    transfers.dispose_clue_transfer(transfer, disposal="close", by=jiwei)
    transfers.report_clue_transfer(
        transfer, outcome="closed", result="经了解，反映问题不实，予以了结。", by=jiwei
    )
    assert open_clues(w.inspection1) == ["问题线索 线索002 草稿，尚未移交"]


def test_a_petition_of_the_inspection_may_be_the_source(w: SimpleNamespace) -> None:
    source = petition(w, w.inspection1, "t1_member", "反映市财政局副局长李文华违规提拔亲属。")
    clue = draft_clue(w, kind="selection", petition=source, persons=[w.deputy1])
    assert clue.petition == source and list(clue.persons.all()) == [w.deputy1]
