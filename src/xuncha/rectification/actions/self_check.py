"""The unit's self-check problems (自查问题, 即知即改): the liaison registers what the unit found itself and
how it fixes it; the team leader accepts it, and it becomes a 边巡边改 item through ``issue_item`` (the same
path as an item the team finds), or declines it with a reason the liaison sees.

The liaison registers while the team is in the unit (进驻 and 了解); the leader decides during 了解, when
边巡边改 items are issued, once per problem.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import holders, mark_handled, notify, usernames
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..choices import ItemKind
from ..models import SelfCheckItem, SelfCheckStatus
from .common import (
    MEASURE_LIMIT,
    NOTE_LIMIT,
    SHORT_LIMIT,
    in_stage,
    liaison_roles,
    lock,
    team_leader_roles,
    tell,
)
from .items import ISSUE_LIMIT, issue_item

AUDIT_ACTIONS = {
    "self_check.reported": "登记自查问题",
    "self_check.accepted": "自查问题纳入边巡边改",
    "self_check.declined": "自查问题未予纳入",
}
AUDIT_DETAILS = {"item": "整改事项"}

REPORT_STAGES = (Stage.STATIONED, Stage.FIELDWORK)
# What the item's issue says of where the problem came from.
PREFIX = "（单位自查发现）"


@dataclass(frozen=True)
class SelfCheckInput:
    problem: str
    measure: str
    leader: str
    department: str
    due_on: datetime.date | None


def self_check_link(entry: SelfCheckItem) -> str:
    return reverse("rectification:self-check", args=[entry.pk])


def _pending(entry: SelfCheckItem) -> None:
    lock(entry)
    if not entry.is_pending:
        raise Refused(f"该自查问题已审核（{entry.get_status_display()}）。", field="self_check")


@action
def report_self_check(inspection: Inspection, *, data: SelfCheckInput, by: User | None) -> SelfCheckItem:
    role = require(by, liaison_roles(inspection), what="登记自查问题")
    in_stage(inspection, REPORT_STAGES, "登记自查问题")
    entry = SelfCheckItem(inspection=inspection, reported_by=by)
    entry.problem = clean_text(
        data.problem, label="自查发现的问题", field="problem", limit=ISSUE_LIMIT - len(PREFIX), multiline=True
    )
    entry.measure = clean_text(
        data.measure, label="整改措施", field="measure", limit=MEASURE_LIMIT, multiline=True
    )
    entry.leader = clean_text(data.leader, label="责任领导", field="leader", limit=SHORT_LIMIT)
    entry.department = clean_text(data.department, label="责任部门", field="department", limit=SHORT_LIMIT)
    if data.due_on is None:
        raise Refused("请填写拟完成时限。", field="due_on")
    if data.due_on < timezone.localdate():
        raise Refused("拟完成时限不能早于今天。", field="due_on")
    entry.due_on = data.due_on
    entry.save()
    sent = usernames(
        notify(
            holders(team_leader_roles(inspection)),
            key=f"self-check:{entry.pk}",
            title=f"{inspection.unit.name}登记了自查问题（{entry.code}），请审核",
            link=self_check_link(entry),
            subject=entry,
        )
    )
    record("self_check.reported", entry, by=by, role=role, details={"notified": sent})
    return entry


@action
def accept_self_check(
    entry: SelfCheckItem,
    *,
    kind: str = ItemKind.IMMEDIATE,
    due_on: datetime.date | None = None,
    by: User | None,
) -> SelfCheckItem:
    """The team leader accepts the problem: it becomes a 边巡边改 item (立行立改 or 限期整改) of the unit."""
    inspection = entry.inspection
    role = require(by, team_leader_roles(inspection), what="审核自查问题")
    _pending(entry)
    if kind not in (ItemKind.IMMEDIATE, ItemKind.DEADLINE):
        raise Refused("自查问题纳入边巡边改，应立行立改或限期整改。", field="kind")
    item = issue_item(
        inspection,
        issue=f"{PREFIX}{entry.problem}",
        measure=entry.measure,
        kind=kind,
        leader=entry.leader,
        department=entry.department,
        due_on=due_on or entry.due_on,
        by=by,
    )
    entry.item = item
    entry.status = SelfCheckStatus.ACCEPTED
    entry.decided_by, entry.decided_at = by, timezone.now()
    entry.save()
    mark_handled(entry)
    record("self_check.accepted", entry, by=by, role=role, details={"item": item.code, "kind": item.kind})
    return entry


@action
def decline_self_check(entry: SelfCheckItem, *, reason: str, by: User | None) -> SelfCheckItem:
    """The team leader declines, with a reason the liaison sees (e.g. not a problem, or already fixed)."""
    inspection = entry.inspection
    role = require(by, team_leader_roles(inspection), what="审核自查问题")
    _pending(entry)
    in_stage(inspection, REPORT_STAGES, "审核自查问题")
    entry.decline_reason = clean_text(reason, label="理由", field="reason", limit=NOTE_LIMIT, multiline=True)
    entry.status = SelfCheckStatus.DECLINED
    entry.decided_by, entry.decided_at = by, timezone.now()
    entry.save()
    mark_handled(entry)
    sent = tell(
        liaison_roles(inspection),
        key=f"self-check-declined:{entry.pk}",
        title=f"{inspection.team.name}未将自查问题（{entry.code}）纳入边巡边改",
        link=self_check_link(entry),
    )
    record("self_check.declined", entry, by=by, role=role, details={"notified": sent})
    return entry
