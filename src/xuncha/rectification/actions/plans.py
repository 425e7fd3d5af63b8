"""The rectification plan (整改方案) and its tasks (任务清单 with the 责任清单).

One plan per inspection covers the problem lists of both feedbacks. The unit's liaison starts it in 整改 once
the feedback to the unit is delivered, adds one or more tasks per problem of that list, and submits it; the
office approves it or returns it with its comments, and a returned plan is edited and submitted again. An
approved plan is frozen: only the office adds or edits tasks then (it also keeps the tasks on the problems
fed back to the principal leader, which the liaison never sees). Every problem of the feedback to the unit
needs a task before the plan is submitted.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.models import Person
from xuncha.reports.choices import Recipient
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection

from ..choices import ItemKind, ItemSource, PlanStatus
from ..deadlines import delivered_on
from ..models import Item, Milestone, Plan
from .common import (
    MEASURE_LIMIT,
    NOTE_LIMIT,
    PLAN_STAGES,
    SHORT_LIMIT,
    in_stage,
    liaison_roles,
    lock,
    office_roles,
    tell,
)

TITLE_LIMIT = 200
MAX_MILESTONES = 12
_PLAN_FIELDS = ["title", "summary"]
_ITEM_FIELDS = ["problem", "measure", "kind", "leader", "leader_person", "department", "due_on"]

AUDIT_ACTIONS = {
    "rectification_plan.started": "起草整改方案",
    "rectification_plan.updated": "修改整改方案",
    "rectification_plan.submitted": "报送整改方案",
    "rectification_plan.approved": "审核通过整改方案",
    "rectification_plan.returned": "退回整改方案",
    "rectification_plan.read": "下载整改方案",
    "rectification_item.added": "增加整改任务",
    "rectification_item.updated": "修改整改任务",
    "rectification_item.removed": "删除整改任务",
}
AUDIT_DETAILS = {
    "items": "任务数",
    "problem": "反馈问题",
    "milestones": "阶段目标数",
    "note_length": "意见字数",
    "reason_length": "理由字数",
    "kind": "类型",
    "due_on": "完成时限",
}


@dataclass
class MilestoneInput:
    goal: str
    due_on: datetime.date | None


@dataclass
class TaskInput:
    """A task of the plan: what it answers, the measure and who is responsible by when."""

    problem: FeedbackProblem | None
    measure: str
    kind: str
    leader: str = ""
    department: str = ""
    due_on: datetime.date | None = None
    leader_person: Person | None = None
    milestones: Sequence[MilestoneInput] = field(default_factory=list)


def editor_roles(plan: Plan) -> dict[str, int]:
    """Who edits the tasks: the liaison while the plan is a draft or returned, the office at any time but
    while it waits for review."""
    inspection = plan.inspection
    if plan.is_editable:
        return {**liaison_roles(inspection), **office_roles(inspection)}
    return office_roles(inspection)


def plan_link(plan: Plan) -> str:
    return reverse("rectification:inspection", args=[plan.inspection_id])


def _editable(plan: Plan, by: User | None) -> str:
    in_stage(plan.inspection, PLAN_STAGES, "编制整改方案")
    if plan.status == PlanStatus.SUBMITTED:
        raise Refused("整改方案已报送，待巡察办审核，不能修改。", field="plan")
    return require(
        by, editor_roles(plan), what="修改整改方案" if plan.is_editable else "修改已审核的整改方案"
    )


@action
def start_plan(inspection: Inspection, *, by: User | None) -> Plan:
    role = require(by, liaison_roles(inspection), what="起草整改方案")
    lock(inspection)
    in_stage(inspection, PLAN_STAGES, "起草整改方案")
    if delivered_on(inspection) is None:
        raise Refused("反馈意见尚未送达，不能起草整改方案。", field="inspection")
    if Plan.objects.filter(inspection=inspection).exists():
        raise Refused("该巡察已有整改方案。", field="inspection")
    title = f"关于{inspection.round.committee.name}{inspection.team.name}巡察反馈意见的整改方案"
    plan = Plan(inspection=inspection, title=title[:TITLE_LIMIT], created_by=by)
    plan.save()
    record("rectification_plan.started", plan, by=by, role=role, details={"inspection": str(inspection)})
    return plan


@action
def update_plan(plan: Plan, *, title: str, summary: str, by: User | None) -> Plan:
    role = require(by, liaison_roles(plan.inspection), what="修改整改方案")
    lock(plan)
    in_stage(plan.inspection, PLAN_STAGES, "修改整改方案")
    if not plan.is_editable:
        raise Refused("整改方案已报送或已审核，不能修改。", field="plan")
    before = snapshot(plan, _PLAN_FIELDS)
    plan.title = clean_text(title, label="标题", field="title", limit=TITLE_LIMIT)
    plan.summary = clean_text(
        summary, label="总体安排", field="summary", limit=NOTE_LIMIT * 5, required=False, multiline=True
    )
    plan.save()
    changed = sorted(changes(before, snapshot(plan, _PLAN_FIELDS)))
    record("rectification_plan.updated", plan, by=by, role=role, details={"fields": changed})
    return plan


def problems_for(plan: Plan, by: User | None) -> list[FeedbackProblem]:
    """The delivered problems of the plan's inspection that ``by`` may take a task on: the office (and the
    system) all of them, the liaison those of the feedback to the unit."""
    problems = FeedbackProblem.objects.all() if by is None else FeedbackProblem.objects.visible_to(by)
    found = problems.delivered().filter(feedback__inspection=plan.inspection)
    return list(found.select_related("feedback").order_by("feedback__recipient", "sequence"))


def _task_fields(item: Item, plan: Plan, task: TaskInput, by: User | None) -> None:
    if task.problem is None or task.problem not in problems_for(plan, by):
        raise Refused("请选择整改方案所针对的反馈问题。", field="problem")
    kept_due = item.due_on
    item.problem = task.problem
    fill_item(item, task, inspection=plan.inspection, kept_due=kept_due)


def fill_item(
    item: Item, task: TaskInput, *, inspection: Inspection, kept_due: datetime.date | None = None
) -> None:
    """The measure, kind and responsibility list of an item, checked (shared with 边巡边改 items); a
    deadline already past stays allowed when it is unchanged (``kept_due``)."""
    item.measure = clean_text(
        task.measure, label="整改措施", field="measure", limit=MEASURE_LIMIT, multiline=True
    )
    if task.kind not in ItemKind.values:
        raise Refused("请选择整改类型。", field="kind")
    item.kind = task.kind
    person = task.leader_person
    if person is not None and person.unit_id != inspection.unit_id:
        raise Refused("责任领导须是被巡察单位名册中的人员。", field="leader_person")
    item.leader_person = person
    leader = clean_text(
        task.leader, label="责任领导", field="leader", limit=SHORT_LIMIT, required=person is None
    )
    item.leader = leader or str(person)
    item.department = clean_text(task.department, label="责任部门", field="department", limit=SHORT_LIMIT)
    has_milestones = item.pk is not None and item.milestones.exists()
    if task.kind == ItemKind.LONG_TERM:
        if not task.milestones and not has_milestones:
            raise Refused("长期坚持的任务须至少有一个阶段目标。", field="milestones")
        item.due_on = task.due_on
    elif has_milestones:
        raise Refused("该任务已有阶段目标，只能是长期坚持的任务。", field="kind")
    elif task.due_on is None:
        raise Refused("请填写完成时限。", field="due_on")
    else:
        item.due_on = task.due_on
    if item.due_on is not None and item.due_on < timezone.localdate() and item.due_on != kept_due:
        raise Refused("完成时限不能早于今天。", field="due_on")


def add_milestones(item: Item, milestones: Sequence[MilestoneInput]) -> int:
    """Append milestones after the item's last one; they are checked before any is saved."""
    if len(milestones) > MAX_MILESTONES:
        raise Refused(f"阶段目标最多 {MAX_MILESTONES} 个。", field="milestones")
    if milestones and item.kind != ItemKind.LONG_TERM:
        raise Refused("只有长期坚持的任务设阶段目标。", field="milestones")
    today = timezone.localdate()
    rows = []
    start = item.milestones.aggregate(n=Max("sequence"))["n"] or 0
    for n, m in enumerate(milestones, start=start + 1):
        goal = clean_text(m.goal, label="阶段目标", field="milestones", limit=200)
        if m.due_on is None:
            raise Refused(f"请填写阶段目标“{goal}”的完成时限。", field="milestones")
        if m.due_on < today:
            raise Refused(f"阶段目标“{goal}”的完成时限不能早于今天。", field="milestones")
        rows.append(Milestone(item=item, sequence=n, goal=goal, due_on=m.due_on))
    for row in rows:
        row.save()
    return len(rows)


def next_number(inspection: Inspection) -> int:
    taken = Item.objects.filter(inspection=inspection).aggregate(n=Max("number"))["n"]
    return (taken or 0) + 1


@action
def add_task(plan: Plan, task: TaskInput, *, by: User | None) -> Item:
    lock(plan)
    role = _editable(plan, by)
    lock(plan.inspection)
    item = Item(inspection=plan.inspection, source=ItemSource.PLAN, added_by=by)
    _task_fields(item, plan, task, by)
    item.number = next_number(plan.inspection)
    item.save()
    count = add_milestones(item, task.milestones)
    record(
        "rectification_item.added",
        item,
        by=by,
        role=role,
        details={
            "problem": item.problem.number if item.problem else "",
            "kind": item.kind,
            "milestones": count,
        },
    )
    return item


def _plan_of(item: Item) -> Plan:
    if item.source != ItemSource.PLAN:
        raise Refused("边巡边改事项不在整改方案中修改。", field="item")
    return Plan.objects.get(inspection=item.inspection)


@action
def update_task(item: Item, task: TaskInput, *, by: User | None) -> Item:
    plan = _plan_of(item)
    lock(plan)
    role = _editable(plan, by)
    lock(item)
    if item.is_closed:
        raise Refused("该任务已销号，不能修改。", field="item")
    before = snapshot(item, _ITEM_FIELDS)
    _task_fields(item, plan, task, by)
    item.save()
    count = add_milestones(item, task.milestones)
    changed = changes(before, snapshot(item, _ITEM_FIELDS))
    changed.pop("measure", None)  # the text itself stays out of the audit
    record(
        "rectification_item.updated",
        item,
        by=by,
        role=role,
        details={
            "changes": changed,
            "measure_changed": before["measure"] != item.measure,
            "milestones": count,
        },
    )
    return item


@action
def remove_task(item: Item, *, by: User | None) -> Plan:
    plan = _plan_of(item)
    lock(plan)
    role = _editable(plan, by)
    if not plan.is_editable:
        raise Refused("整改方案已审核，不能删除任务。", field="item")
    if item.progress.exists():
        raise Refused("该任务已有整改进展，不能删除。", field="item")
    record("rectification_item.removed", item, by=by, role=role, details={"number": item.number})
    item.delete()
    return plan


def unanswered(plan: Plan) -> list[FeedbackProblem]:
    """The problems of the feedback to the unit without a task in the plan."""
    problems = FeedbackProblem.objects.delivered().filter(
        feedback__inspection=plan.inspection, feedback__recipient=Recipient.UNIT
    )
    return list(problems.exclude(rectification_items__source=ItemSource.PLAN).order_by("sequence"))


@action
def submit_plan(plan: Plan, *, by: User | None) -> Plan:
    role = require(by, liaison_roles(plan.inspection), what="报送整改方案")
    lock(plan)
    in_stage(plan.inspection, PLAN_STAGES, "报送整改方案")
    if not plan.is_editable:
        raise Refused("整改方案已报送或已审核。", field="plan")
    missing = unanswered(plan)
    if missing:
        names = "、".join(p.number for p in missing)
        raise Refused(f"以下反馈问题还没有整改任务：{names}。", field="plan")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_by = by
    plan.submitted_at = timezone.now()
    plan.save()
    title = f"{plan.inspection.unit.name}报送了整改方案，请审核"
    mark_handled(plan)  # a returned plan resubmitted: the return asks nothing any more
    sent = tell(
        office_roles(plan.inspection),
        key=f"rect-plan-submitted:{plan.pk}",
        title=title,
        link=plan_link(plan),
        subject=plan,
    )
    items = Item.objects.filter(inspection=plan.inspection, source=ItemSource.PLAN).count()
    record("rectification_plan.submitted", plan, by=by, role=role, details={"items": items, "notified": sent})
    return plan


def _reviewable(plan: Plan, by: User | None, what: str) -> str:
    role = require(by, office_roles(plan.inspection), what=what)
    lock(plan)
    in_stage(plan.inspection, PLAN_STAGES, what)
    if plan.status != PlanStatus.SUBMITTED:
        raise Refused("整改方案未报送，不能审核。", field="plan")
    return role


@action
def approve_plan(plan: Plan, *, note: str = "", by: User | None) -> Plan:
    role = _reviewable(plan, by, "审核整改方案")
    plan.review_note = clean_text(
        note, label="审核意见", field="note", limit=NOTE_LIMIT, required=False, multiline=True
    )
    plan.status = PlanStatus.APPROVED
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.save()
    title = "整改方案已审核通过，请抓好落实"
    mark_handled(plan)  # the office has reviewed it
    sent = tell(
        liaison_roles(plan.inspection),
        key=f"rect-plan-approved:{plan.pk}",
        title=title,
        link=plan_link(plan),
        subject=plan,
    )
    details = {"note_length": len(plan.review_note), "notified": sent}
    record("rectification_plan.approved", plan, by=by, role=role, details=details)
    return plan


@action
def return_plan(plan: Plan, *, reason: str, by: User | None) -> Plan:
    role = _reviewable(plan, by, "退回整改方案")
    plan.return_reason = clean_text(
        reason, label="退回意见", field="reason", limit=NOTE_LIMIT, multiline=True
    )
    plan.status = PlanStatus.RETURNED
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.save()
    title = "整改方案被巡察办退回，请按意见修改后重新报送"
    mark_handled(plan)  # the office has reviewed it
    sent = tell(
        liaison_roles(plan.inspection),
        key=f"rect-plan-returned:{plan.pk}",
        title=title,
        link=plan_link(plan),
        subject=plan,
    )
    details = {"reason_length": len(plan.return_reason), "notified": sent}
    record("rectification_plan.returned", plan, by=by, role=role, details=details)
    return plan
