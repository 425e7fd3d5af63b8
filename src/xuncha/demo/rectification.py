"""Rectification in the demo, as in the real flow: the unit's liaison drafts and carries out, the office
approves and verifies.

Last year's first team inspected the development and reform commission (市发展和改革委员会), whose feedback
was delivered (demo/reports.py). ``liaison1``, the commission's liaison, drafts its plan from the feedback
to the unit: four tasks on the problem fed back to the unit, and submits it; ``office`` approves it, then
adds a task on the problem fed back to the principal leader (which the liaison never sees). ``liaison1``
reports progress with evidence and asks for closure: ``office`` closes one task after checking its
evidence, returns another with its reason, which ``liaison1`` sees on the item, and closes the first
milestone of the long-term one; a fourth task is overdue.

``liaison1`` is also the liaison of the finance bureau, which this year's first team is inspecting (了解): its
leader ``t1_leader`` issues two 边巡边改 items; ``liaison1`` reports progress with an evidence file and asks
for closure; ``office`` closes one after verification and returns the other with the reason.

The actions rightly refuse a deadline in the past, so the overdue task is made through them and then moved
back in time (``_moved_back``), as demo/fieldwork/documents.py does with its overdue request.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.rectification.actions import items, plans
from xuncha.rectification.choices import ItemKind
from xuncha.rectification.models import Item
from xuncha.reports.choices import Recipient
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection

from .data import CITY

if TYPE_CHECKING:
    from .build import World


def _evidence(name: str, text: str) -> list[Upload]:
    return [Upload(name=name, data=text.encode())]


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _moved_back(item: Item, *, days: int) -> None:
    """The demo's one step outside the actions: an item made today now falls due ``days`` ago."""
    Item.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=days))


def _plan(inspection: Inspection, liaison: User, office: User) -> None:
    problems = FeedbackProblem.objects.delivered().filter(feedback__inspection=inspection)
    unit_problem = problems.filter(feedback__recipient=Recipient.UNIT).order_by("sequence").first()
    principal_problem = problems.filter(feedback__recipient=Recipient.PRINCIPAL).first()
    plan = plans.start_plan(inspection, by=liaison)
    plans.update_plan(
        plan,
        title=plan.title,
        summary="党组书记为第一责任人，班子成员分工负责，建立问题、任务、责任三张清单，逐项销号。",
        by=liaison,
    )

    def add(measure: str, kind: str, leader: str, department: str, due: int | None, **extra: object) -> Item:
        task = plans.TaskInput(
            problem=unit_problem,
            measure=measure,
            kind=kind,
            leader=leader,
            department=department,
            due_on=_days(due) if due is not None else None,
            **extra,  # type: ignore[arg-type]
        )
        return plans.add_task(plan, task, by=liaison)

    closed = add("对5个未批先建项目逐一补办手续，依法依规处理。", ItemKind.DEADLINE, "主任", "投资处", 30)
    returned = add("对未批先建项目的审批责任人严肃问责。", ItemKind.DEADLINE, "分管副主任", "人事处", 45)
    overdue = add("立即修订《固定资产投资项目审批管理办法》。", ItemKind.IMMEDIATE, "主任", "法规处", 1)
    milestones = [
        plans.MilestoneInput("建成项目审批全流程电子监管平台", _days(20)),
        plans.MilestoneInput("开展项目审批专项检查并通报结果", _days(120)),
    ]
    long_term = add(
        "建立项目审批全流程监管长效机制。", ItemKind.LONG_TERM, "主任", "投资处", None, milestones=milestones
    )
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, note="同意，请按时限逐项落实。", by=office)
    if principal_problem is not None:
        task = plans.TaskInput(
            problem=principal_problem,
            measure="主要负责人约谈分管副主任，督促其作出书面检查。",
            kind=ItemKind.DEADLINE,
            leader="主任",
            department="办公室",
            due_on=_days(20),
        )
        plans.add_task(plan, task, by=office)

    items.add_progress(
        closed,
        text="5个项目均已补办可研批复，对2个项目单位下达整改通知。",
        files=_evidence("补办手续情况说明.txt", "5个未批先建项目补办手续情况：均已取得可研批复。"),
        by=liaison,
    )
    items.submit_item(closed, by=liaison)
    items.close_item(closed, note="经核对批复文件，情况属实，同意销号。", by=office)
    items.add_progress(
        returned,
        text="已对相关责任人进行提醒谈话。",
        files=_evidence("谈话记录.txt", "提醒谈话记录（摘要）。"),
        by=liaison,
    )
    items.submit_item(returned, by=liaison)
    items.return_item(
        returned, reason="提醒谈话不足以体现严肃问责，请按规定程序提出处理意见后再申请销号。", by=office
    )
    first = long_term.milestones.order_by("sequence").first()
    items.add_progress(
        long_term,
        milestone=first,
        text="监管平台已上线试运行。",
        files=_evidence("平台上线通知.txt", "关于项目审批全流程电子监管平台上线运行的通知。"),
        by=liaison,
    )
    items.submit_item(long_term, milestone=first, by=liaison)
    items.close_item(long_term, milestone=first, note="平台已上线，同意该阶段目标销号。", by=office)
    _moved_back(overdue, days=5)


def _fieldwork_items(inspection: Inspection, w: "World") -> None:
    leader, liaison, office = w.users["t1_leader"], w.users["liaison1"], w.users["office"]
    allowance = items.issue_item(
        inspection,
        issue="2025年违规发放加班补贴12.6万元。",
        measure="立即停止发放，追缴已发放的违规补贴。",
        kind=ItemKind.IMMEDIATE,
        leader="局长",
        department="人事科",
        due_on=_days(7),
        by=leader,
    )
    cars = items.issue_item(
        inspection,
        issue="公务用车使用登记不全，部分出车无审批。",
        measure="完善公务用车使用登记和审批制度。",
        kind=ItemKind.DEADLINE,
        leader="副局长",
        department="办公室",
        due_on=_days(30),
        by=leader,
    )
    items.add_progress(
        allowance,
        text="已停止发放，追缴12.6万元并上缴财政。",
        files=_evidence("追缴凭证说明.txt", "违规补贴追缴情况：已全额追缴。"),
        by=liaison,
    )
    items.submit_item(allowance, by=liaison)
    items.close_item(allowance, note="已核对缴款凭证，同意销号。", by=office)
    items.add_progress(
        cars,
        text="已印发公务用车管理制度。",
        files=_evidence("公务用车管理制度.txt", "公务用车管理制度（草案）。"),
        by=liaison,
    )
    items.submit_item(cars, by=liaison)
    items.return_item(cars, reason="制度尚为草案，请正式印发并附近一个月的用车登记后再申请销号。", by=office)


def build_rectification(w: "World") -> None:
    # Read afresh: demo/reports.py moved last year's inspections on through copies of their own.
    city = Inspection.objects.filter(round__committee=w.committees[CITY], team__name="第一巡察组")
    _plan(city.get(round__number=1), w.users["liaison1"], w.users["office"])
    _fieldwork_items(city.get(round__number=2), w)
