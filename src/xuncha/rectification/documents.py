"""The rectification plan and the skeleton of the rectification report as .docx, in the GB/T 9704 layout of
``core.officialdoc``: per problem its tasks, who is responsible by when (and, in the report, where each
stands), then the 边巡边改 items; the unit writes its own account around the report's skeleton."""

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.orgs.choices import DepartmentKind, PostCategory
from xuncha.orgs.models import Department, Person
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds.models import Inspection

from .choices import ItemSource
from .models import Item, Plan


def _task_line(item: Item) -> str:
    due = f"，完成时限{official_date(item.due_on)}" if item.due_on else ""
    return (
        f"{item.code}（{item.get_kind_display()}）：{item.measure}"
        f"（责任领导：{item.leader}；责任部门：{item.department}{due}；目前状态：{item.get_status_display()}）"
    )


def _milestone_lines(item: Item) -> str:
    return "\n".join(
        f"阶段{m.sequence}：{m.goal}（{official_date(m.due_on)}前，{m.get_status_display()}）"
        for m in item.milestones.all()
    )


def _by_problem(items: list[Item]) -> dict[FeedbackProblem, list[Item]]:
    grouped: dict[FeedbackProblem, list[Item]] = {}
    for item in items:
        if item.problem is not None:
            grouped.setdefault(item.problem, []).append(item)
    return grouped


def _copied_to(inspection: Inspection) -> list[str]:
    """The plan goes to the leading group, with copies to the committee's 纪委监委 and 组织部."""
    departments = Department.objects.filter(
        committee_id=inspection.round.committee_id, kind__in=(DepartmentKind.JIWEI, DepartmentKind.ZUZHIBU)
    )
    return [d.name for d in departments.order_by("kind")]


def plan_docx(plan: Plan, items: list[Item]) -> bytes:
    """The plan with its three lists over ``items`` (the reader's visible tasks of the plan)."""
    inspection = plan.inspection
    signed = inspection.unit.party_organisation
    doc = OfficialDocument()
    doc.letterhead(signed)
    doc.title(plan.title)
    doc.addressee(f"{inspection.round.committee.name}巡察工作领导小组")
    if plan.summary.strip():
        doc.heading(1, "总体安排")
        doc.paragraph(plan.summary)
    doc.heading(1, "问题清单、任务清单和责任清单")
    for problem, tasks in _by_problem(items).items():
        doc.heading(2, f"{problem.number} {problem.title}")
        for item in tasks:
            due = f"，{official_date(item.due_on)}前完成" if item.due_on else ""
            doc.paragraph(
                f"{item.code}（{item.get_kind_display()}）：{item.measure}"
                f"（责任领导：{item.leader}；责任部门：{item.department}{due}）"
            )
            doc.paragraph(_milestone_lines(item))
    day = timezone.localtime(plan.submitted_at or plan.created_at).date()
    doc.signature(signed, day)
    doc.record(
        copied_to=_copied_to(inspection), printed_by=f"{inspection.unit.full_name}办公室", printed_on=day
    )
    return doc.save()


def report_skeleton(inspection: Inspection, items: list[Item]) -> bytes:
    """The skeleton of the 整改报告 over ``items`` (the reader's visible items of the inspection): an upward
    document, signed off (签发人) by the unit's principal."""
    signed = inspection.unit.party_organisation
    principal = Person.objects.filter(
        unit=inspection.unit, category=PostCategory.PRINCIPAL, is_active=True
    ).first()
    doc = OfficialDocument()
    doc.letterhead(signed, signers=[principal.name] if principal else [])
    doc.title(f"{inspection.unit.name}关于巡察整改情况的报告")
    doc.addressee(f"{inspection.round.committee.name}巡察工作领导小组")
    doc.paragraph(
        f"根据{inspection.round.committee.name}{inspection.team.name}反馈意见，现将整改落实情况报告如下。"
    )
    doc.heading(1, "反馈问题整改情况")
    for problem, tasks in _by_problem(items).items():
        doc.heading(2, f"{problem.number} {problem.title}")
        for item in tasks:
            doc.paragraph(_task_line(item))
            doc.paragraph(_milestone_lines(item))
    fieldwork = [i for i in items if i.source == ItemSource.FIELDWORK]
    if fieldwork:
        doc.heading(1, "边巡边改事项落实情况")
        for item in fieldwork:
            doc.paragraph(f"{item.issue}")
            doc.paragraph(_task_line(item))
    doc.heading(1, "下一步工作打算")
    doc.paragraph("（请填写。）")
    doc.signature(signed, timezone.localdate())
    return doc.save()
