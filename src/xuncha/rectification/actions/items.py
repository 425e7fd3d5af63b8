"""Working on the items: the team's 边巡边改 items, the unit's progress with evidence, and closure (销号).

A team leader issues an item to the unit during fieldwork (立行立改 or by a date), outside any plan. The
liaison reports progress on an item of an approved plan or a 边巡边改 item, with evidence files (checked and
sealed), and submits the item — or one milestone of a long-term item — for closure; the office verifies and
closes it, never without evidence, or returns it with a reason the liaison sees. Nothing is reported on what
waits for the office; a returned item is submitted again only with progress reported after the return. A
long-term item closes milestone by milestone; the item itself closes once every milestone is closed.
"""

import datetime
from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.errors import Refused
from xuncha.core.files import Upload, check
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.models import Inspection

from ..choices import ItemKind, ItemSource, ItemStatus, PlanStatus
from ..models import Evidence, Item, Milestone, Plan, Progress
from .common import (
    FIELDWORK_ITEM_STAGES,
    ISSUE_STAGES,
    ITEM_STAGES,
    NOTE_LIMIT,
    in_stage,
    liaison_roles,
    lock,
    office_roles,
    team_leader_roles,
    tell,
)
from .plans import TaskInput, fill_item, next_number

ISSUE_LIMIT = 2_000
PROGRESS_LIMIT = 5_000

AUDIT_ACTIONS = {
    "rectification_item.issued": "下发边巡边改事项",
    "rectification_item.progressed": "报告整改进展",
    "rectification_item.submitted": "申请销号",
    "rectification_item.closed": "核实销号",
    "rectification_item.returned": "退回销号申请",
    "rectification_evidence.downloaded": "下载佐证材料",
}
AUDIT_DETAILS = {
    "milestone": "阶段目标",
    "files": "文件数",
    "text_length": "进展字数",
    "evidence": "佐证材料数",
}


def item_link(item: Item) -> str:
    return reverse("rectification:item", args=[item.pk])


def _target(item: Item, milestone: Milestone | None) -> Item | Milestone:
    if milestone is None:
        return item
    if milestone.item_id != item.pk:
        raise Refused("阶段目标不属于该任务。", field="milestone")
    return milestone


def _label(item: Item, milestone: Milestone | None) -> str:
    return item.code if milestone is None else f"{item.code}阶段{milestone.sequence}"


def _workable(item: Item, what: str) -> None:
    """The item is in force and still open, in a stage where items are worked on."""
    stages = FIELDWORK_ITEM_STAGES if item.source == ItemSource.FIELDWORK else ITEM_STAGES
    in_stage(item.inspection, stages, what)
    if item.source == ItemSource.PLAN:
        plan = Plan.objects.filter(inspection=item.inspection).first()
        if plan is None or plan.status != PlanStatus.APPROVED:
            raise Refused("整改方案尚未审核通过。", field="item")
    if item.is_closed:
        raise Refused("该任务已销号。", field="item")


def _progress(item: Item, milestone: Milestone | None) -> QuerySet[Progress]:
    """The progress reported on the item (all of it), or on one of its milestones."""
    found = Progress.objects.filter(item=item)
    return found if milestone is None else found.filter(milestone=milestone)


def evidence_count(item: Item, milestone: Milestone | None = None) -> int:
    return Evidence.objects.filter(progress__in=_progress(item, milestone)).count()


@action
def issue_item(
    inspection: Inspection,
    *,
    issue: str,
    measure: str,
    kind: str,
    leader: str,
    department: str,
    due_on: datetime.date | None,
    by: User | None,
) -> Item:
    """A 边巡边改 item the team leader hands the unit during fieldwork (立行立改 or 限期整改)."""
    role = require(by, team_leader_roles(inspection), what="下发边巡边改事项")
    lock(inspection)
    in_stage(inspection, ISSUE_STAGES, "下发边巡边改事项")
    if kind == ItemKind.LONG_TERM:
        raise Refused("边巡边改事项应立行立改或限期整改。", field="kind")
    item = Item(inspection=inspection, source=ItemSource.FIELDWORK, added_by=by)
    item.issue = clean_text(issue, label="问题", field="issue", limit=ISSUE_LIMIT, multiline=True)
    task = TaskInput(
        problem=None, measure=measure, kind=kind, leader=leader, department=department, due_on=due_on
    )
    fill_item(item, task, inspection=inspection)
    item.number = next_number(inspection)
    item.save()
    title = f"{inspection.team.name}下发了边巡边改事项（{item.code}），请立行立改"
    sent = tell(
        liaison_roles(inspection),
        key=f"rect-item-issued:{item.pk}",
        title=title,
        link=item_link(item),
        subject=item,
    )
    record("rectification_item.issued", item, by=by, role=role, details={"kind": item.kind, "notified": sent})
    return item


@action
def add_progress(
    item: Item,
    *,
    text: str,
    files: Sequence[Upload] = (),
    milestone: Milestone | None = None,
    by: User | None,
) -> Progress:
    role = require(by, liaison_roles(item.inspection), what="报告整改进展")
    lock(item)
    _workable(item, "报告整改进展")
    target = _target(item, milestone)
    if milestone is not None and target.status == ItemStatus.CLOSED:
        raise Refused("该阶段目标已销号。", field="milestone")
    # What the office verifies does not change under it (and so submit_item can tell progress after a
    # return from the submission's time).
    if target.status == ItemStatus.SUBMITTED:
        raise Refused("已申请销号，待巡察办核实；如需补充，请待核实或退回后再报告进展。", field="item")
    body = clean_text(text, label="进展情况", field="text", limit=PROGRESS_LIMIT, multiline=True)
    checked = check(files)
    progress = Progress(item=item, milestone=milestone, text=body, by=by)
    progress.save()
    for file in checked:
        Evidence(progress=progress, uploaded_by=by).seal(file)
    details = {
        "milestone": milestone.sequence if milestone else None,
        "files": len(checked),
        "text_length": len(body),
    }
    record("rectification_item.progressed", item, by=by, role=role, details=details)
    return progress


@action
def submit_item(item: Item, *, milestone: Milestone | None = None, by: User | None) -> Item:
    role = require(by, liaison_roles(item.inspection), what="申请销号")
    lock(item)
    _workable(item, "申请销号")
    target = _target(item, milestone)
    if target.status not in (ItemStatus.OPEN, ItemStatus.RETURNED):
        raise Refused(
            "已申请销号，待巡察办核实。" if target.status == ItemStatus.SUBMITTED else "已销号。",
            field="item",
        )
    if milestone is None and item.is_long_term and item.milestones.exclude(status=ItemStatus.CLOSED).exists():
        raise Refused("长期坚持的任务须逐个阶段目标销号，全部销号后才能申请任务销号。", field="milestone")
    if not evidence_count(item, milestone):
        raise Refused("请先报告整改进展并上传佐证材料，再申请销号。", field="item")
    # No progress is taken while the office verifies (add_progress), so progress after the returned
    # submission is progress after the return.
    since = target.submitted_at
    if target.status == ItemStatus.RETURNED and not _progress(item, milestone).filter(at__gt=since).exists():
        raise Refused(
            "销号申请已被退回：请按退回理由报告新的整改进展或补充佐证材料后，再申请销号。", field="item"
        )
    target.status = ItemStatus.SUBMITTED
    target.submitted_by = by
    target.submitted_at = timezone.now()
    target.save()
    what = _label(item, milestone)
    title = f"{item.inspection.unit.name}申请{what}销号，请核实"
    mark_handled(item)  # the unit has acted on what it was told about the item
    sent = tell(
        office_roles(item.inspection),
        key=f"rect-item-submitted:{item.pk}",
        title=title,
        link=item_link(item),
        subject=item,
    )
    details = {"milestone": milestone.sequence if milestone else None, "notified": sent}
    record("rectification_item.submitted", item, by=by, role=role, details=details)
    return item


def _verifiable(
    item: Item, milestone: Milestone | None, by: User | None, what: str
) -> tuple[str, Item | Milestone]:
    role = require(by, office_roles(item.inspection), what=what)
    lock(item)
    _workable(item, what)
    target = _target(item, milestone)
    if target.status != ItemStatus.SUBMITTED:
        raise Refused("尚未申请销号。", field="item")
    return role, target


@action
def close_item(item: Item, *, milestone: Milestone | None = None, note: str = "", by: User | None) -> Item:
    """销号: the office has verified the evidence."""
    role, target = _verifiable(item, milestone, by, "核实销号")
    evidence = evidence_count(item, milestone)
    if not evidence:
        raise Refused("没有佐证材料，不能销号。", field="item")
    target.closing_note = clean_text(
        note, label="核实意见", field="note", limit=NOTE_LIMIT, required=False, multiline=True
    )
    target.status = ItemStatus.CLOSED
    target.closed_by = by
    target.closed_at = timezone.now()
    target.return_reason = ""
    target.save()
    title = f"{_label(item, milestone)}已核实销号"
    mark_handled(item)  # the office has verified the closure request
    sent = tell(
        liaison_roles(item.inspection),
        key=f"rect-item-closed:{item.pk}",
        title=title,
        link=item_link(item),
        subject=item,
    )
    details = {"milestone": milestone.sequence if milestone else None, "evidence": evidence, "notified": sent}
    record("rectification_item.closed", item, by=by, role=role, details=details)
    return item


@action
def return_item(item: Item, *, milestone: Milestone | None = None, reason: str, by: User | None) -> Item:
    role, target = _verifiable(item, milestone, by, "退回销号申请")
    target.return_reason = clean_text(
        reason, label="退回理由", field="reason", limit=NOTE_LIMIT, multiline=True
    )
    target.status = ItemStatus.RETURNED
    target.save()
    title = f"{_label(item, milestone)}的销号申请被退回，请查看理由"
    mark_handled(item)  # the office has decided on the closure request
    sent = tell(
        liaison_roles(item.inspection),
        key=f"rect-item-returned:{item.pk}",
        title=title,
        link=item_link(item),
        subject=item,
    )
    details = {
        "milestone": milestone.sequence if milestone else None,
        "reason_length": len(target.return_reason),
        "notified": sent,
    }
    record("rectification_item.returned", item, by=by, role=role, details=details)
    return item
