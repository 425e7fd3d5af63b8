"""Transfers out (转交): an out-of-scope petition goes, by 分级负责、属地管理, to a department of the
inspection's committee or to the inspected unit (or one of its sub-units); the receiver signs for it (签收)
and reports the result back; the reminder engine (core/reminders.py) reminds the receiver before and on
the due date and chases it, and the sending side, once it is overdue.

Who acts: the team leader or the office transfers (a member only proposes it, through triage); the receiving
department's receiver, or the receiving unit's liaison, signs and reports; chasing is the system's, once
per transfer and due date (``transfer_deadlines``).
Free text (the reason, the result) may name people: events keep only its length.
"""

import datetime
from functools import partial

from django.db.models import Model, Q, QuerySet
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
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.reminders import horizon

from ..choices import Decision, Status, TransferStatus
from ..models import Petition, Transfer

REASON_LIMIT = 1_000
RESULT_LIMIT = 5_000
_PETITION_TRACKED = ["status", "concluded_at"]
_TRANSFER_TRACKED = ["status", "received_at", "reported_at"]
# Petitions that are settled cannot be transferred any more.
_SETTLED = (Status.FILED, Status.CONCLUDED)

AUDIT_ACTIONS = {
    "transfer.sent": "发出转交函",
    "petition.transferred": "转交信访件",
    "transfer.received": "签收转交件",
    "transfer.reported": "报送转交件办理结果",
    # Past chases, from before the reminder engine (core/reminders.py) chased: their events keep a label.
    "transfer.chased": "催办逾期转交件",
    "transfer.letter_read": "下载转交函",
}
# Keys that are not field names of the event's object (those are named from the model).
AUDIT_DETAILS = {
    "petition_number": "信访件编号",
    "receiver": "接收方",
    "reason_length": "转交理由字数",
    "result_length": "办理结果字数",
    "petition_concluded": "信访件已办结",
    "days_overdue": "逾期天数",
    "transfers": "转交件数",
    "conclusion_length": "办结情况字数",
    "notified": "已通知",
}


def transfer_roles(petition: Petition) -> dict[str, int]:
    """Who may transfer a petition: the office of its committee, and its team's leader unless it is about
    the inspectors themselves (those are the office's alone)."""
    inspection = petition.inspection
    roles: dict[str, int] = {Role.OFFICE: inspection.round.committee_id}
    if not petition.about_inspectors:
        roles[Role.TEAM_LEADER] = inspection.team_id
    return roles


def receiver_roles(transfer: Transfer) -> dict[str, int]:
    """Who signs for a transfer and reports its result: the receiving department's receiver, or the
    receiving unit's liaison."""
    if transfer.department_id is not None:
        return {Role.RECEIVER: transfer.department_id}
    if transfer.unit_id is not None:
        return {Role.UNIT_LIAISON: transfer.unit_id}
    return {}  # never: the model's check constraint gives every transfer exactly one receiver


def may_transfer(user: User, petition: Petition) -> bool:
    return holds(user, transfer_roles(petition))


def may_receive(user: User, transfer: Transfer) -> bool:
    return holds(user, receiver_roles(transfer))


def target_departments(petition: Petition) -> QuerySet[Department]:
    """分级负责: the departments of the inspection's committee."""
    return Department.objects.filter(committee_id=petition.inspection.round.committee_id)


def target_units(petition: Petition) -> QuerySet[Unit]:
    """属地管理: the inspected unit itself and the units under it."""
    unit = petition.inspection.unit
    return Unit.objects.filter(pk__in={unit.pk} | unit.descendant_ids(), is_active=True)


def letter_prefix(committee: Committee) -> str:
    """The place name that heads the committee's letter numbers: 江东市委 → 江东, 江东市东安县委 → 东安."""
    name = committee.name.removesuffix("委")
    if name[-1:] in "省市县区州旗盟" and len(name) > 2:
        name = name[:-1]
    return name.rpartition("市")[2] or name


def _next_letter_number(committee: Committee) -> str:
    """``江东巡转〔2026〕3号``: numbered per committee and year; the committee row is locked so that two
    transfers made at once queue for their numbers."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    head = f"{letter_prefix(committee)}巡转〔{timezone.localdate().year}〕"
    taken = Transfer.objects.filter(
        petition__inspection__round__committee=committee, letter_number__startswith=head
    ).count()
    return f"{head}{taken + 1}号"


def _lock(obj: Model) -> None:
    """Lock the row and reload it, so that concurrent actions on it queue and each sees the other's result."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def _check_receiver(petition: Petition, department: Department | None, unit: Unit | None) -> None:
    if department is not None and unit is not None:
        raise Refused("接收部门和接收单位只能选择其一。", field="unit")
    if department is None and unit is None:
        raise Refused("请选择接收部门或接收单位。", field="department")
    if department is not None and not target_departments(petition).filter(pk=department.pk).exists():
        raise Refused("只能转交本级党委的部门（分级负责）。", field="department")
    if unit is not None and not target_units(petition).filter(pk=unit.pk).exists():
        raise Refused("只能转交被巡察单位本身或其下属单位（属地管理）。", field="unit")


@action
def transfer_petition(
    petition: Petition,
    *,
    department: Department | None = None,
    unit: Unit | None = None,
    reason: str,
    by: User,
) -> Transfer:
    """Transfer an out-of-scope petition to one receiver, with a letter number and a report-back date."""
    role = require(by, transfer_roles(petition), what="转交信访件")
    _lock(petition)
    inspection = petition.inspection
    if inspection.stage == Stage.ARCHIVED:
        raise Refused("该巡察已归档，不能再转交信访件。", field="petition")
    if petition.decision != Decision.TRANSFER:
        raise Refused("只有分拣意见为“转交”的信访件才能转交，请先分拣。", field="petition")
    if petition.status in _SETTLED:
        raise Refused(f"该信访件已{petition.get_status_display()}，不能再转交。", field="petition")
    _check_receiver(petition, department, unit)
    text = clean_text(reason, label="转交理由", field="reason", limit=REASON_LIMIT, multiline=True)
    pending = petition.transfers.exclude(status=TransferStatus.REPORTED)
    if pending.filter(department=department, unit=unit).exists():
        raise Refused(
            "该信访件已转交给这一接收方，尚未报结果。", field="department" if department else "unit"
        )
    committee = inspection.round.committee
    transfer = Transfer(
        petition=petition,
        department=department,
        unit=unit,
        letter_number=_next_letter_number(committee),
        reason=text,
        sent_by=by,
        due_on=timezone.localdate()
        + datetime.timedelta(days=settings_for(committee).transfer_report_back_days),
    )
    transfer.save()
    record(
        "transfer.sent",
        transfer,
        by=by,
        role=role,
        details={
            "petition_number": petition.number,
            "receiver": transfer.receiver_name,
            "letter_number": transfer.letter_number,
            "due_on": transfer.due_on.isoformat(),
            "reason_length": len(text),
        },
    )
    before = snapshot(petition, _PETITION_TRACKED)
    petition.status = Status.TRANSFERRED
    petition.save(update_fields=["status"])
    record(
        "petition.transferred",
        petition,
        by=by,
        role=role,
        details={
            "number": petition.number,
            "letter_number": transfer.letter_number,
            "changes": changes(before, snapshot(petition, _PETITION_TRACKED)),
        },
    )
    return transfer


@action
def receive_transfer(transfer: Transfer, *, by: User) -> Transfer:
    """The receiver signs for a transfer (签收)."""
    role = require(by, receiver_roles(transfer), what="签收转交件")
    _lock(transfer)
    if transfer.status != TransferStatus.SENT:
        raise Refused(f"该转交件已于 {_when(transfer.received_at)} 签收。", field="transfer")
    before = snapshot(transfer, _TRANSFER_TRACKED)
    transfer.status = TransferStatus.RECEIVED
    transfer.received_by = by
    transfer.received_at = timezone.now()
    transfer.save(update_fields=["status", "received_by", "received_at"])
    record(
        "transfer.received",
        transfer,
        by=by,
        role=role,
        details={
            "petition_number": transfer.petition.number,
            "changes": changes(before, snapshot(transfer, _TRANSFER_TRACKED)),
        },
    )
    return transfer


@action
def report_transfer_result(transfer: Transfer, *, result: str, by: User) -> Transfer:
    """The receiver reports how the transferred petition was handled; the petition is concluded, with the
    result as its conclusion, once every transfer of it has been reported back."""
    role = require(by, receiver_roles(transfer), what="报送转交件办理结果")
    # The petition first: two receivers reporting at once queue, and the second sees the first's result.
    _lock(transfer.petition)
    _lock(transfer)
    if transfer.status == TransferStatus.SENT:
        raise Refused("请先签收该转交件，再报送办理结果。", field="transfer")
    if transfer.status == TransferStatus.REPORTED:
        raise Refused(f"该转交件已于 {_when(transfer.reported_at)} 报送办理结果。", field="transfer")
    text = clean_text(result, label="办理结果", field="result", limit=RESULT_LIMIT, multiline=True)
    before = snapshot(transfer, _TRANSFER_TRACKED)
    transfer.status = TransferStatus.REPORTED
    transfer.result = text
    transfer.reported_by = by
    transfer.reported_at = timezone.now()
    transfer.save(update_fields=["status", "result", "reported_by", "reported_at"])
    mark_handled(transfer)  # its reminders ask nothing any more
    petition = transfer.petition
    concluded = _conclude_if_all_reported(petition, by=by, role=role)
    record(
        "transfer.reported",
        transfer,
        by=by,
        role=role,
        details={
            "petition_number": petition.number,
            "result_length": len(text),
            "petition_concluded": concluded,
            "changes": changes(before, snapshot(transfer, _TRANSFER_TRACKED)),
        },
    )
    return transfer


def _conclude_if_all_reported(petition: Petition, *, by: User, role: str) -> bool:
    transfers = list(petition.transfers.select_related("department", "unit").order_by("sent_at", "pk"))
    if petition.status != Status.TRANSFERRED or any(t.status != TransferStatus.REPORTED for t in transfers):
        return False
    before = snapshot(petition, _PETITION_TRACKED)
    if len(transfers) == 1:
        petition.conclusion = transfers[0].result
    else:
        petition.conclusion = "\n".join(f"{t.receiver_name}：{t.result}" for t in transfers)
    petition.status = Status.CONCLUDED
    petition.concluded_at = timezone.now()
    petition.save(update_fields=["conclusion", "status", "concluded_at"])
    record(
        "petition.concluded",
        petition,
        by=by,
        role=role,
        details={
            "number": petition.number,
            "transfers": len(transfers),
            "conclusion_length": len(petition.conclusion),
            "changes": changes(before, snapshot(petition, _PETITION_TRACKED)),
        },
    )
    return True


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "此前"


def overdue(today: datetime.date | None = None) -> Q:
    """Transfers whose result is not reported by their due date."""
    day = today or timezone.localdate()
    return Q(due_on__lt=day) & ~Q(status=TransferStatus.REPORTED)


def _mark_chased(transfer: Transfer, phase: str) -> None:
    """Shown on the transfer's page as 最近催办: when its receiver was told it is overdue."""
    if phase == OVERDUE:
        transfer.last_chased_at = timezone.now()
        transfer.save(update_fields=["last_chased_at"])


def transfer_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """The reminder engine's provider: transfers awaiting their result, due soon or overdue. The receiver
    must report; the sending side (the office, and the team's leader unless the petition is about the
    inspectors) is told when it is late. The transfers' own home panel lists them, so the engine's does not.
    The title gives the letter number only: never the petition."""
    mine = reach.q(
        {
            Role.RECEIVER: "department_id",
            Role.UNIT_LIAISON: "unit_id",
            Role.OFFICE: "petition__inspection__round__committee_id",
            Role.TEAM_LEADER: "petition__inspection__team_id",
        }
    )
    waiting = Transfer.objects.filter(mine, ~Q(status=TransferStatus.REPORTED), due_on__lte=horizon(today))
    deadlines = []
    for transfer in waiting.select_related("petition__inspection__round__committee__settings"):
        committee = transfer.petition.inspection.round.committee
        deadlines.append(
            Deadline(
                key=f"transfer:{transfer.pk}",
                due_on=transfer.due_on,
                title=f"转交函{transfer.letter_number}报送办理结果",
                link=reverse("intake:transfer-detail", args=[transfer.pk]),
                owners=receiver_roles(transfer),
                escalate_to=transfer_roles(transfer.petition),
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=transfer,
                on_sent=partial(_mark_chased, transfer),
            )
        )
    return deadlines
