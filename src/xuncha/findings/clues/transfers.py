"""Transfer (移交) of an approved clue and what its receiver does with it, mirroring intake's transfers of
petitions: a numbered 移交函 with a report-back date from the committee's settings; the receiver (the
department's ``receiver``, or the unit's liaison) signs for it (签收), records the disposal (谈话函询 /
初步核实 / 暂存待查 / 予以了结) and reports back (报果) the outcome along the 四种形态; the reminder engine
(core/reminders.py) reminds the receiver and chases overdue transfers once per due date. The result is
encrypted; events keep its length only.
"""

import datetime
from functools import partial

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.core.permissions import holds, require
from xuncha.core.reminders import EVERYONE, OVERDUE, Deadline, Reach
from xuncha.core.text import clean_text
from xuncha.intake.actions.transfers import letter_prefix
from xuncha.orgs.models import Committee
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.reminders import horizon

from ..choices import ClueStatus, ClueTransferStatus, Disposal, Outcome
from ..models import Clue, ClueTransfer
from .actions import ensure_writable, locked_clue

RESULT_LIMIT = 5_000
_TRACKED = ["status", "disposal", "outcome", "received_at", "disposed_at", "reported_at"]

AUDIT_ACTIONS = {
    "clue.transferred": "移交问题线索",
    "clue_transfer.received": "签收移交的问题线索",
    "clue_transfer.disposed": "记录问题线索处置方式",
    "clue_transfer.reported": "报告问题线索处置结果",
    # Past chases, from before the reminder engine (core/reminders.py) chased: their events keep a label.
    "clue_transfer.chased": "催办逾期的问题线索",
    "clue_transfer.letter_read": "下载问题线索移交函",
    "clue_transfer.content_read": "查看移交的问题线索内容",
}
AUDIT_DETAILS = {
    "result_length": "办理情况字数",
    "days_overdue": "逾期天数",
    "notified": "已通知",
}


def sender_roles(clue: Clue) -> dict[str, int]:
    """Who transfers an approved clue: the office of the committee or a team leader."""
    inspection = clue.inspection
    return {Role.OFFICE: inspection.round.committee_id, Role.TEAM_LEADER: inspection.team_id}


def receiver_roles(transfer: ClueTransfer) -> dict[str, int]:
    """Who signs for a transfer, disposes of it and reports back: the receiving department's receiver, or
    the receiving unit's liaison."""
    if transfer.department_id is not None:
        return {Role.RECEIVER: transfer.department_id}
    if transfer.unit_id is not None:
        return {Role.UNIT_LIAISON: transfer.unit_id}
    return {}  # never: the check constraint gives every transfer exactly one receiver


def may_receive(user: User, transfer: ClueTransfer) -> bool:
    return holds(user, receiver_roles(transfer))


def _next_letter_number(committee: Committee) -> str:
    """``江东巡移〔2026〕3号``, per committee and year; the committee row is locked so that two transfers
    made at once queue for their numbers."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    head = f"{letter_prefix(committee)}巡移〔{timezone.localdate().year}〕"
    taken = ClueTransfer.objects.filter(
        clue__inspection__round__committee=committee, letter_number__startswith=head
    ).count()
    return f"{head}{taken + 1}号"


def default_due_on(clue: Clue) -> datetime.date:
    days = settings_for(clue.inspection.round.committee).transfer_report_back_days
    return timezone.localdate() + datetime.timedelta(days=days)


@action
def transfer_clue(clue: Clue, *, by: User, due_on: datetime.date | None = None) -> ClueTransfer:
    """Send an approved clue to its receiver with a numbered letter; the report-back date defaults to the
    committee's period (90 days)."""
    role = require(by, sender_roles(clue), what="移交问题线索")
    ensure_writable(clue.inspection)
    locked_clue(clue)
    if clue.status != ClueStatus.APPROVED:
        raise Refused("问题线索须经组长和巡察办两方审批后才能移交。", field="status")
    if due_on is not None and due_on <= timezone.localdate():
        raise Refused("报告结果期限应晚于今天。", field="due_on")
    committee = clue.inspection.round.committee
    transfer = ClueTransfer(
        clue=clue,
        department=clue.department,
        unit=clue.unit,
        letter_number=_next_letter_number(committee),
        sent_by=by,
        due_on=due_on or default_due_on(clue),
    )
    transfer.save()
    before = snapshot(clue, ["status"])
    clue.status = ClueStatus.TRANSFERRED
    clue.save(update_fields=["status"])
    record(
        "clue.transferred",
        clue,
        by=by,
        role=role,
        details={
            "clue_number": clue.number,
            "receiver": transfer.receiver_name,
            "letter_number": transfer.letter_number,
            "due_on": transfer.due_on.isoformat(),
            "changes": changes(before, snapshot(clue, ["status"])),
        },
    )
    return transfer


def _locked_transfer(transfer: ClueTransfer) -> ClueTransfer:
    ClueTransfer.objects.select_for_update().filter(pk=transfer.pk).first()
    transfer.refresh_from_db()
    return transfer


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "此前"


def _record(
    name: str, transfer: ClueTransfer, before: dict[str, object], by: User, role: str, **more: object
) -> None:
    record(
        name,
        transfer,
        by=by,
        role=role,
        details={
            "clue_number": transfer.clue.number,
            "changes": changes(before, snapshot(transfer, _TRACKED)),
            **more,
        },
    )


@action
def receive_clue_transfer(transfer: ClueTransfer, *, by: User) -> ClueTransfer:
    """签收."""
    role = require(by, receiver_roles(transfer), what="签收移交的问题线索")
    _locked_transfer(transfer)
    if transfer.status != ClueTransferStatus.SENT:
        raise Refused(f"该线索已于 {_when(transfer.received_at)} 签收。", field="status")
    before = snapshot(transfer, _TRACKED)
    transfer.status = ClueTransferStatus.RECEIVED
    transfer.received_by, transfer.received_at = by, timezone.now()
    transfer.save()
    _record("clue_transfer.received", transfer, before, by, role)
    return transfer


@action
def dispose_clue_transfer(transfer: ClueTransfer, *, disposal: str, by: User) -> ClueTransfer:
    """The disposal method (may be changed until the result is reported, e.g. 谈话函询 → 初步核实)."""
    role = require(by, receiver_roles(transfer), what="记录问题线索处置方式")
    _locked_transfer(transfer)
    if transfer.status == ClueTransferStatus.SENT:
        raise Refused("请先签收该线索，再记录处置方式。", field="status")
    if transfer.status == ClueTransferStatus.REPORTED:
        raise Refused(f"该线索已于 {_when(transfer.reported_at)} 报告处置结果。", field="status")
    if disposal not in Disposal.values:
        raise Refused("请选择处置方式（谈话函询、初步核实、暂存待查或予以了结）。", field="disposal")
    if disposal == transfer.disposal:
        raise Refused(f"处置方式已是“{transfer.get_disposal_display()}”。", field="disposal")
    before = snapshot(transfer, _TRACKED)
    transfer.status = ClueTransferStatus.DISPOSED
    transfer.disposal, transfer.disposed_by, transfer.disposed_at = disposal, by, timezone.now()
    transfer.save()
    _record("clue_transfer.disposed", transfer, before, by, role)
    return transfer


@action
def report_clue_transfer(transfer: ClueTransfer, *, outcome: str, result: str, by: User) -> ClueTransfer:
    """报果: the outcome and how it was handled, once the disposal is recorded."""
    role = require(by, receiver_roles(transfer), what="报告问题线索处置结果")
    _locked_transfer(transfer)
    if transfer.status == ClueTransferStatus.REPORTED:
        raise Refused(f"该线索已于 {_when(transfer.reported_at)} 报告处置结果。", field="status")
    if transfer.status != ClueTransferStatus.DISPOSED:
        raise Refused("请先签收并记录处置方式，再报告处置结果。", field="status")
    if outcome not in Outcome.values:
        raise Refused("请选择处理结果。", field="outcome")
    text = clean_text(result, label="办理情况", field="result", limit=RESULT_LIMIT, multiline=True)
    before = snapshot(transfer, _TRACKED)
    transfer.status = ClueTransferStatus.REPORTED
    transfer.outcome, transfer.result = outcome, text
    transfer.reported_by, transfer.reported_at = by, timezone.now()
    transfer.save()
    mark_handled(transfer)  # its reminders ask nothing any more
    _record("clue_transfer.reported", transfer, before, by, role, result_length=len(text))
    return transfer


def overdue(day: datetime.date | None = None) -> Q:
    """Transfers whose result is not reported by their due date."""
    return Q(due_on__lt=day or timezone.localdate()) & ~Q(status=ClueTransferStatus.REPORTED)


def _mark_chased(transfer: ClueTransfer, phase: str) -> None:
    """Shown on the transfer's page as 最近催办: when its receiver was told it is overdue."""
    if phase == OVERDUE:
        transfer.last_chased_at = timezone.now()
        transfer.save(update_fields=["last_chased_at"])


def clue_transfer_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """The reminder engine's provider: transfers awaiting their result, due soon or overdue. The receiver
    must report; the senders (the office and the team's leader) are told when it is late. The transfers'
    own home panel lists them, so the engine's does not. The title gives the letter number only."""
    mine = reach.q(
        {
            Role.RECEIVER: "department_id",
            Role.UNIT_LIAISON: "unit_id",
            Role.OFFICE: "clue__inspection__round__committee_id",
            Role.TEAM_LEADER: "clue__inspection__team_id",
        }
    )
    waiting = ClueTransfer.objects.filter(
        mine, ~Q(status=ClueTransferStatus.REPORTED), due_on__lte=horizon(today)
    )
    deadlines = []
    for transfer in waiting.select_related("clue__inspection__round__committee__settings"):
        committee = transfer.clue.inspection.round.committee
        deadlines.append(
            Deadline(
                key=f"clue-transfer:{transfer.pk}",
                due_on=transfer.due_on,
                title=f"问题线索移交函{transfer.letter_number}报告处置结果",
                link=reverse("findings:clue-transfer-detail", args=[transfer.pk]),
                owners=receiver_roles(transfer),
                escalate_to=sender_roles(transfer.clue),
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=transfer,
                on_sent=partial(_mark_chased, transfer),
            )
        )
    return deadlines
