"""Transfers out: the actions, the letter, chasing, the archive check, and the done criterion end to end."""

import datetime
import io
from types import SimpleNamespace

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, User
from xuncha.core.permissions import NotAllowed
from xuncha.core.reminders import send_reminders
from xuncha.intake.actions.transfers import (
    letter_prefix,
    receive_transfer,
    report_transfer_result,
    transfer_deadlines,
    transfer_petition,
)
from xuncha.intake.actions.triage import triage_petition
from xuncha.intake.archive import open_petitions
from xuncha.intake.choices import Decision, Scope, ScopeReason, Status, TransferStatus
from xuncha.intake.models import Petition, Transfer
from xuncha.intake.transfer_letter import transfer_letter
from xuncha.orgs.actions import create_department, update_committee_settings
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Committee
from xuncha.rounds.archive import open_items

from .conftest import letter

REPORTER = "赵小明"
PHONE = "13800138000"
CLAIM = "市财政局国库支付中心拖欠本人工资三个月，多次讨要无果，请帮助解决。"
REASON = "反映个人劳动报酬诉求，不属于巡察受理范围。"
RESULT = "经核查，国库支付中心已于本月补发所欠工资，反映人表示满意。"


def decide_transfer(petition: Petition, *, by: User) -> Petition:
    """The triage decision 转交 (out of scope: a personal claim), confirmed through the triage action."""
    return triage_petition(
        petition,
        decision=Decision.TRANSFER,
        scope=Scope.OUT,
        scope_reason=ScopeReason.PERSONAL_CLAIM,
        by=by,
    )


def out_of_scope(world: SimpleNamespace, content: str = CLAIM, **fields) -> Petition:  # type: ignore[no-untyped-def]
    decider = world.users["office" if fields.get("about_inspectors") else "t1_member"]
    return decide_transfer(letter(world, content, **fields), by=decider)


def named(world: SimpleNamespace) -> Petition:
    """A named reporter who also signs the letter with their name and phone."""
    return out_of_scope(
        world,
        f"我是{REPORTER}，电话{PHONE}。{CLAIM}",
        anonymous=False,
        reporter_name=REPORTER,
        reporter_phone=PHONE,
        subject_post="国库支付中心",
    )


def send(world: SimpleNamespace, petition: Petition, by: str = "t1_leader", **receiver) -> Transfer:  # type: ignore[no-untyped-def]
    receiver = receiver or {"department": world.jiwei_dept}
    return transfer_petition(petition, reason=REASON, by=world.users[by], **receiver)


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# Transferring ---------------------------------------------------------------------------------------


def test_a_transfer_gets_a_letter_number_a_due_date_and_moves_the_petition(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    transfer = send(world, petition)
    year = timezone.localdate().year
    assert transfer.letter_number == f"江东巡转〔{year}〕1号"
    assert transfer.due_on == timezone.localdate() + datetime.timedelta(days=90)
    assert transfer.status == TransferStatus.SENT and transfer.sent_by == world.users["t1_leader"]
    assert Petition.objects.get(pk=petition.pk).status == Status.TRANSFERRED
    event = AuditEvent.objects.get(action="transfer.sent")
    assert event.role == "team_leader" and event.details["letter_number"] == transfer.letter_number
    moved = AuditEvent.objects.get(action="petition.transferred", object_id=str(petition.pk))
    assert moved.details["changes"]["status"] == ["new", "transferred"]
    # The free-text reason may name people: the event keeps its length only.
    assert REASON not in str(event.details) and event.details["reason_length"] == len(REASON)


def test_letter_numbers_run_per_committee_and_the_due_date_follows_its_settings(
    world: SimpleNamespace,
) -> None:
    send(world, out_of_scope(world))
    update_committee_settings(world.city.settings, transfer_report_back_days=30, by=world.users["office"])
    second = send(world, out_of_scope(world, "另一件个人诉求：单位未缴纳社保。"), by="office")
    assert second.letter_number.endswith("〕2号")
    assert second.due_on == timezone.localdate() + datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("name", "prefix"),
    [("江东市委", "江东"), ("江东市东安县委", "东安"), ("江州市委", "江州"), ("某省委", "某省")],
)
def test_letter_prefix_is_the_place_name(name: str, prefix: str) -> None:
    assert letter_prefix(Committee(name=name)) == prefix


def test_the_unit_itself_or_a_unit_under_it_may_receive(world: SimpleNamespace) -> None:
    assert send(world, out_of_scope(world), unit=world.unit1).receiver_name == "市财政局"
    child = send(world, out_of_scope(world, "又一件个人诉求。"), unit=world.unit1_child)
    assert child.receiver_name == "市财政局国库支付中心"


def test_only_the_team_leader_or_the_office_transfers(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    for persona in ("t1_member", "t2_member", "leader", "liaison1", "jiwei", "county_office", "custodian"):
        with pytest.raises(NotAllowed):
            send(world, petition, by=persona)
    assert send(world, petition, by="office").sent_by == world.users["office"]


def test_petitions_about_the_inspectors_are_transferred_by_the_office_alone(world: SimpleNamespace) -> None:
    petition = out_of_scope(world, "反映巡察组成员接受吃请。", about_inspectors=True)
    with pytest.raises(NotAllowed):
        send(world, petition, by="t1_leader")
    assert send(world, petition, by="office").status == TransferStatus.SENT


def test_refusals_leave_nothing_behind(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    county_dept = create_department(
        committee=world.county_a, name="东安县纪委监委", kind=DepartmentKind.JIWEI, by=None
    )
    leader = world.users["t1_leader"]
    cases = [
        ({"department": world.jiwei_dept, "reason": "  "}, "reason"),
        ({"department": world.jiwei_dept, "unit": world.unit1, "reason": REASON}, "unit"),
        ({"reason": REASON}, "department"),
        ({"department": county_dept, "reason": REASON}, "department"),  # another committee's
        ({"unit": world.unit2, "reason": REASON}, "unit"),  # not the inspected unit nor under it
        ({"department": world.jiwei_dept, "reason": "理" * 1001}, "reason"),
    ]
    for kwargs, field in cases:
        with pytest.raises(Refused) as refused:
            transfer_petition(petition, by=leader, **kwargs)
        assert refused.value.field == field, kwargs
    assert not Transfer.objects.exists()
    assert Petition.objects.get(pk=petition.pk).status == Status.NEW


def test_only_a_petition_triaged_for_transfer_and_not_settled_is_transferred(world: SimpleNamespace) -> None:
    undecided = letter(world, CLAIM)
    with pytest.raises(Refused, match="分拣意见"):
        send(world, undecided)
    petition = out_of_scope(world)
    send(world, petition)
    with pytest.raises(Refused, match="尚未报结果"):
        send(world, petition)  # the same receiver again while it is still open
    send(world, petition, unit=world.unit1)  # a second receiver is fine
    assert petition.transfers.count() == 2


# Receiving and reporting ----------------------------------------------------------------------------


def test_the_receiver_signs_and_reports_and_the_petition_is_concluded(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    transfer = send(world, petition)
    jiwei = world.users["jiwei"]
    with pytest.raises(Refused, match="先签收"):
        report_transfer_result(transfer, result=RESULT, by=jiwei)
    receive_transfer(transfer, by=jiwei)
    assert transfer.status == TransferStatus.RECEIVED and transfer.received_by == jiwei
    with pytest.raises(Refused, match="已于"):
        receive_transfer(transfer, by=jiwei)
    with pytest.raises(Refused) as refused:
        report_transfer_result(transfer, result=" \u200b ", by=jiwei)
    assert refused.value.field == "result"
    report_transfer_result(transfer, result=RESULT, by=jiwei)
    petition.refresh_from_db()
    assert petition.status == Status.CONCLUDED and petition.conclusion == RESULT
    assert petition.concluded_at is not None
    with pytest.raises(Refused, match="已于"):
        report_transfer_result(transfer, result=RESULT, by=jiwei)
    reported = AuditEvent.objects.get(action="transfer.reported")
    assert reported.role == "receiver" and reported.details["petition_concluded"] is True
    assert RESULT not in str(reported.details)
    assert AuditEvent.objects.filter(action="petition.concluded", object_id=str(petition.pk)).exists()


def test_only_the_receiver_signs_and_reports(world: SimpleNamespace) -> None:
    to_jiwei = send(world, out_of_scope(world))
    to_unit = send(world, out_of_scope(world, "另一件个人诉求。"), unit=world.unit1)
    for persona in ("office", "t1_leader", "t1_member", "zuzhibu", "liaison1"):
        with pytest.raises(NotAllowed):
            receive_transfer(to_jiwei, by=world.users[persona])
    for persona in ("office", "t1_leader", "jiwei"):
        with pytest.raises(NotAllowed):
            receive_transfer(to_unit, by=world.users[persona])
    receive_transfer(to_unit, by=world.users["liaison1"])
    with pytest.raises(NotAllowed):
        report_transfer_result(to_unit, result=RESULT, by=world.users["t1_leader"])
    assert report_transfer_result(to_unit, result=RESULT, by=world.users["liaison1"]).status == "reported"


def test_a_petition_with_two_receivers_is_concluded_when_both_have_reported(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    first, second = send(world, petition), send(world, petition, unit=world.unit1)
    receive_transfer(first, by=world.users["jiwei"])
    report_transfer_result(first, result="纪委：已转有关部门处理。", by=world.users["jiwei"])
    assert Petition.objects.get(pk=petition.pk).status == Status.TRANSFERRED
    receive_transfer(second, by=world.users["liaison1"])
    report_transfer_result(second, result="单位：已补发工资。", by=world.users["liaison1"])
    petition.refresh_from_db()
    assert petition.status == Status.CONCLUDED
    assert petition.conclusion == "市纪委监委：纪委：已转有关部门处理。\n市财政局：单位：已补发工资。"


# Scope ----------------------------------------------------------------------------------------------


def test_receivers_see_only_what_was_sent_to_them(world: SimpleNamespace) -> None:
    to_jiwei = send(world, out_of_scope(world))
    to_unit = send(world, out_of_scope(world, "另一件个人诉求。"), unit=world.unit1)
    to_child = send(world, out_of_scope(world, "第三件个人诉求。"), unit=world.unit1_child)

    def seen(persona: str) -> set[int]:
        return set(Transfer.objects.visible_to(world.users[persona]).values_list("pk", flat=True))

    everything = {to_jiwei.pk, to_unit.pk, to_child.pk}
    assert seen("office") == seen("t1_leader") == seen("t1_member") == everything
    assert seen("jiwei") == {to_jiwei.pk}
    assert seen("liaison1") == {to_unit.pk}
    for persona in ("zuzhibu", "t2_member", "county_office", "leader", "custodian", "auditor", "outsider"):
        assert seen(persona) == set(), persona


# The letter -----------------------------------------------------------------------------------------


def test_the_letter_says_what_and_to_whom_but_never_who_wrote_it(world: SimpleNamespace) -> None:
    transfer = send(world, named(world))
    text = _text(transfer_letter(transfer))
    assert transfer.letter_number in text
    assert "关于转交信访件的函" in text
    assert "市纪委监委：" in text
    assert "江东市委第一巡察组在对市财政局开展巡察期间" in text
    assert "分级负责、属地管理" in text
    assert CLAIM in text and REASON in text
    assert "被反映人：国库支付中心" in text
    assert "反映人信息依规保密" in text
    assert "于90日内" in text
    assert REPORTER not in text and PHONE not in text
    assert f"我是［反映人姓名］，电话［反映人电话］。{CLAIM}" in text  # masked when received
    lines = text.rstrip().splitlines()
    today = timezone.localdate()
    assert lines[-2:] == ["江东市委第一巡察组", f"{today.year}年{today.month}月{today.day}日"]


def test_a_letter_to_the_unit_addresses_it(world: SimpleNamespace) -> None:
    transfer = send(world, out_of_scope(world), unit=world.unit1_child)
    text = _text(transfer_letter(transfer))
    assert "市财政局国库支付中心：" in text and "现转交你单位办理" in text


# Chasing --------------------------------------------------------------------------------------------


def test_overdue_transfers_are_chased_once_per_due_date(world: SimpleNamespace) -> None:
    overdue = send(world, out_of_scope(world))
    reported = send(world, out_of_scope(world, "另一件个人诉求。"), unit=world.unit1)
    receive_transfer(reported, by=world.users["liaison1"])
    report_transfer_result(reported, result=RESULT, by=world.users["liaison1"])
    keys = {d.key for d in transfer_deadlines(overdue.due_on)}
    assert keys == {f"transfer:{overdue.pk}"}  # the reported one is done
    day = overdue.due_on + datetime.timedelta(days=1)
    assert {n.key.rsplit(":", 1)[1] for n in send_reminders(day)} == {"overdue", "escalation"}
    assert send_reminders(day) == []  # the same day again: nothing
    assert send_reminders(day + datetime.timedelta(days=1)) == []  # nor the next: same due date
    events = AuditEvent.objects.filter(
        action="reminder.sent", object_type="intake.transfer", object_id=str(overdue.pk)
    )
    assert events.count() == 2
    assert all(e.actor is None and e.role == "system" for e in events)
    overdue.refresh_from_db()
    assert overdue.last_chased_at is not None


def test_the_transfer_deadlines_cost_two_queries_however_many(world: SimpleNamespace) -> None:
    sent = [send(world, out_of_scope(world, f"第{n}件个人诉求。")) for n in range(4)]
    with CaptureQueriesContext(connection) as queries:
        found = transfer_deadlines(sent[0].due_on)
    assert len(found) == 4 and len(queries.captured_queries) == 2  # the horizon, the transfers


# Archive check --------------------------------------------------------------------------------------


def test_the_archive_check_lists_open_petitions(world: SimpleNamespace) -> None:
    new = letter(world, "反映局领导违规打牌。")
    transferred = out_of_scope(world)
    transfer = send(world, transferred)
    lines = open_petitions(world.inspection1)
    assert f"信访件 {new.number} 尚未分拣" in lines
    assert f"信访件 {transferred.number} 已转交市纪委监委，尚未报结果" in lines
    receive_transfer(transfer, by=world.users["jiwei"])
    report_transfer_result(transfer, result=RESULT, by=world.users["jiwei"])
    assert not [line for line in open_petitions(world.inspection1) if transferred.number in line]
    assert open_petitions(world.inspection2) == []
    # Registered with rounds: archiving asks it.
    assert f"信访件 {new.number} 尚未分拣" in open_items(world.inspection1)
