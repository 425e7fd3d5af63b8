"""Helpers of rectification's tests: inspection1's feedback delivered (to the unit with two problems, to the
principal leader with one), the inspection in 整改, and plans and items taken through the actions."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.reports import actions as reports
from xuncha.reports.choices import Recipient
from xuncha.reports.tests.support import deliver, final, prepare, set_stage
from xuncha.rounds.choices import Stage

from ..actions import items, plans
from ..choices import ItemKind
from ..models import Item, Plan

PDF = Upload(name="整改佐证.pdf", data=b"%PDF-1.4 evidence")

__all__ = ["PDF", "set_stage"]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def delivered(w: SimpleNamespace) -> SimpleNamespace:
    """inspection1 in 整改 with its feedback delivered: ``w.problem_a``, ``w.problem_b`` (to the unit) and
    ``w.problem_p`` (to the principal leader)."""
    prepare(w)
    final(w)
    unit = reports.assemble_feedback(w.inspection1, recipient=Recipient.UNIT, by=w.users["t1_member"])
    reports.add_problem(
        unit,
        data=reports.ProblemInput(title="财务报销审核把关不严", description="多笔报销无审批。"),
        by=w.users["t1_member"],
    )
    principal = reports.assemble_feedback(
        w.inspection1, recipient=Recipient.PRINCIPAL, by=w.users["t1_member"]
    )
    set_stage(w.inspection1, Stage.FEEDBACK)
    deliver(w, unit)
    deliver(w, principal)
    set_stage(w.inspection1, Stage.RECTIFYING)
    w.problem_a, w.problem_b = unit.problems.order_by("sequence")
    w.problem_p = principal.problems.get()
    return w


def task(w: SimpleNamespace, problem: object, **overrides: object) -> plans.TaskInput:
    values: dict[str, object] = {
        "problem": problem,
        "measure": "严格执行公务接待制度，清退违规报销费用。",
        "kind": ItemKind.DEADLINE,
        "leader": "王建国（局长）",
        "department": "办公室",
        "due_on": days(30),
    }
    values.update(overrides)
    return plans.TaskInput(**values)  # type: ignore[arg-type]


def approved_plan(w: SimpleNamespace) -> Plan:
    """The liaison's plan with a task per problem of the unit, approved by the office: ``w.task_a``,
    ``w.task_b`` (long-term, two milestones)."""
    liaison = w.users["liaison1"]
    plan = plans.start_plan(w.inspection1, by=liaison)
    w.task_a = plans.add_task(plan, task(w, w.problem_a), by=liaison)
    milestones = [
        plans.MilestoneInput("建立报销审核制度", days(10)),
        plans.MilestoneInput("开展专项检查", days(90)),
    ]
    w.task_b = plans.add_task(
        plan, task(w, w.problem_b, kind=ItemKind.LONG_TERM, due_on=None, milestones=milestones), by=liaison
    )
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, note="同意", by=w.users["office"])
    plan.refresh_from_db()
    return plan


def with_evidence(w: SimpleNamespace, item: Item, **kwargs: object) -> Item:
    items.add_progress(item, text="已清退违规费用。", files=[PDF], by=w.users["liaison1"], **kwargs)  # type: ignore[arg-type]
    return item
