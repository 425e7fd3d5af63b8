"""Rectification through the actions: the plan drafted from the delivered problem list, submitted, returned
with comments and approved; 边巡边改 items; progress with evidence; closure only with evidence and after
submission, returns with a reason, long-term items milestone by milestone; the stage guards; who sees what;
the archive check."""

from types import SimpleNamespace

import pytest

from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.officialdoc import layout_problems
from xuncha.core.permissions import NotAllowed
from xuncha.rounds.archive import open_items
from xuncha.rounds.choices import Stage

from .. import archive, archive_documents
from ..actions import items, plans, reports
from ..choices import ItemKind, ItemSource, ItemStatus, PlanStatus, ReportKind
from ..models import Evidence, Item, Plan
from .support import PDF, approved_plan, days, delivered, set_stage, task, with_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return delivered(world)


def test_the_liaison_starts_the_plan_in_rectification_once_the_feedback_is_delivered(
    w: SimpleNamespace,
) -> None:
    liaison = w.users["liaison1"]
    set_stage(w.inspection1, Stage.FEEDBACK)
    with pytest.raises(Refused) as refused:
        plans.start_plan(w.inspection1, by=liaison)
    assert refused.value.message == "巡察处于“反馈”阶段，只能在“整改”阶段起草整改方案。"
    set_stage(w.inspection1, Stage.RECTIFYING)
    for persona in ("office", "t1_leader", "jiwei"):
        with pytest.raises(NotAllowed):
            plans.start_plan(w.inspection1, by=w.users[persona])
    plan = plans.start_plan(w.inspection1, by=liaison)
    assert plan.status == PlanStatus.DRAFT and "第一巡察组" in plan.title
    assert AuditEvent.objects.filter(action="rectification_plan.started", object_id=str(plan.pk)).exists()
    with pytest.raises(Refused, match="已有整改方案"):
        plans.start_plan(w.inspection1, by=liaison)


def test_no_plan_without_delivered_feedback(world: SimpleNamespace) -> None:
    set_stage(world.inspection1, Stage.RECTIFYING)
    with pytest.raises(Refused, match="反馈意见尚未送达"):
        plans.start_plan(world.inspection1, by=world.users["liaison1"])


def test_the_liaison_takes_tasks_only_on_the_unit_s_problems(w: SimpleNamespace) -> None:
    liaison = w.users["liaison1"]
    plan = plans.start_plan(w.inspection1, by=liaison)
    assert plans.problems_for(plan, liaison) == [w.problem_a, w.problem_b]
    assert w.problem_p in plans.problems_for(plan, w.users["office"])
    with pytest.raises(Refused) as refused:
        plans.add_task(plan, task(w, w.problem_p), by=liaison)
    assert refused.value.field == "problem"


def test_a_task_needs_its_responsibility_list(w: SimpleNamespace) -> None:
    liaison = w.users["liaison1"]
    plan = plans.start_plan(w.inspection1, by=liaison)
    cases = [
        ({"measure": " "}, "measure"),
        ({"department": ""}, "department"),
        ({"leader": ""}, "leader"),
        ({"due_on": None}, "due_on"),
        ({"due_on": days(-1)}, "due_on"),
        ({"kind": ItemKind.LONG_TERM, "due_on": None}, "milestones"),
        ({"kind": "forever"}, "kind"),
    ]
    for overrides, field in cases:
        with pytest.raises(Refused) as refused:
            plans.add_task(plan, task(w, w.problem_a, **overrides), by=liaison)
        assert refused.value.field == field, overrides
    past = [plans.MilestoneInput("建章立制", days(-3))]
    with pytest.raises(Refused, match="不能早于今天"):
        plans.add_task(plan, task(w, w.problem_a, kind=ItemKind.LONG_TERM, milestones=past), by=liaison)
    assert not Item.objects.exists()  # nothing half-saved
    milestones = [plans.MilestoneInput("建章立制", days(3))]
    item = plans.add_task(
        plan, task(w, w.problem_a, kind=ItemKind.LONG_TERM, milestones=milestones), by=liaison
    )
    with pytest.raises(Refused) as refused:
        plans.update_task(item, task(w, w.problem_a), by=liaison)
    assert refused.value.field == "kind"


def test_submit_return_with_comments_resubmit_approve(w: SimpleNamespace) -> None:
    liaison, office = w.users["liaison1"], w.users["office"]
    plan = plans.start_plan(w.inspection1, by=liaison)
    plans.add_task(plan, task(w, w.problem_a), by=liaison)
    with pytest.raises(Refused) as refused:
        plans.submit_plan(plan, by=liaison)
    assert refused.value.message == "以下反馈问题还没有整改任务：问题02。"
    item_b = plans.add_task(plan, task(w, w.problem_b), by=liaison)
    plans.submit_plan(plan, by=liaison)
    assert plan.status == PlanStatus.SUBMITTED
    assert Notification.objects.filter(recipient=office, title__contains="整改方案").exists()
    with pytest.raises(Refused, match="待巡察办审核"):
        plans.add_task(plan, task(w, w.problem_b), by=liaison)
    with pytest.raises(NotAllowed):
        plans.approve_plan(plan, by=liaison)
    with pytest.raises(Refused) as refused:
        plans.return_plan(plan, reason="  ", by=office)
    assert refused.value.field == "reason"
    plans.return_plan(plan, reason="整改时限过长，请压缩。", by=office)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "整改时限过长，请压缩。"
    assert Notification.objects.filter(recipient=liaison, title__contains="退回").exists()
    plans.update_task(item_b, task(w, w.problem_b, due_on=days(10)), by=liaison)
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, note="同意", by=office)
    assert plan.status == PlanStatus.APPROVED
    # Frozen: only the office adds or edits tasks now.
    with pytest.raises(NotAllowed):
        plans.add_task(plan, task(w, w.problem_a), by=liaison)
    with pytest.raises(NotAllowed):
        plans.update_task(item_b, task(w, w.problem_b), by=liaison)
    with pytest.raises(Refused, match="已审核"):
        plans.remove_task(item_b, by=office)
    office_task = plans.add_task(plan, task(w, w.problem_p, measure="主要负责人带头整改"), by=office)
    actions = list(
        AuditEvent.objects.filter(object_type="rectification.plan").values_list("action", flat=True)
    )
    assert actions.count("rectification_plan.submitted") == 2 and "rectification_plan.returned" in actions
    # The task on the principal leader's problem stays out of the liaison's sight.
    assert not Item.objects.visible_to(liaison).filter(pk=office_task.pk).exists()
    assert Item.objects.visible_to(w.users["t1_member"]).filter(pk=office_task.pk).exists()


def test_closure_needs_evidence_submission_and_the_office(w: SimpleNamespace) -> None:
    liaison, office = w.users["liaison1"], w.users["office"]
    plans.start_plan(w.inspection1, by=liaison)
    plan = Plan.objects.get()
    item = plans.add_task(plan, task(w, w.problem_a), by=liaison)
    plans.add_task(plan, task(w, w.problem_b), by=liaison)
    with pytest.raises(Refused, match="尚未审核通过"):
        items.add_progress(item, text="已整改", by=liaison)
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, by=office)
    items.add_progress(item, text="正在整改", by=liaison)  # without a file
    with pytest.raises(Refused, match="佐证材料"):
        items.submit_item(item, by=liaison)
    with pytest.raises(Refused, match="尚未申请销号"):
        items.close_item(item, by=office)
    with pytest.raises(Refused) as bad_file:
        items.add_progress(
            item, text="附件", files=[PDF.__class__(name="a.exe", data=b"MZ\x00\x01")], by=liaison
        )
    assert bad_file.value.field == "attachments"
    with_evidence(w, item)
    assert Evidence.objects.get().filename == "整改佐证.pdf"
    items.submit_item(item, by=liaison)
    with pytest.raises(NotAllowed):
        items.close_item(item, by=w.users["leader"])
    items.return_item(item, reason="佐证材料不能证明费用已清退。", by=office)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED and item.return_reason == "佐证材料不能证明费用已清退。"
    assert Notification.objects.filter(recipient=liaison, title__contains="被退回").exists()
    with_evidence(w, item)  # new evidence after the return (resubmission without it: tested below)
    items.submit_item(item, by=liaison)
    items.close_item(item, note="已核实", by=office)
    item.refresh_from_db()
    assert item.is_closed and item.closed_by == office and item.return_reason == ""
    with pytest.raises(Refused, match="已销号"):
        items.add_progress(item, text="再报", by=liaison)
    event = AuditEvent.objects.get(action="rectification_item.closed")
    assert event.details["evidence"] == 2


def test_a_returned_item_is_submitted_again_only_with_progress_after_the_return(w: SimpleNamespace) -> None:
    approved_plan(w)
    liaison, office = w.users["liaison1"], w.users["office"]
    item = with_evidence(w, w.task_a)
    items.submit_item(item, by=liaison)
    with pytest.raises(Refused, match="待巡察办核实") as frozen:  # what the office verifies stays as it is
        items.add_progress(item, text="补充一份材料", files=[PDF], by=liaison)
    assert frozen.value.field == "item"
    items.return_item(item, reason="佐证材料不能证明费用已清退。", by=office)
    with pytest.raises(Refused) as refused:
        items.submit_item(item, by=liaison)
    assert refused.value.field == "item" and refused.value.message == (
        "销号申请已被退回：请按退回理由报告新的整改进展或补充佐证材料后，再申请销号。"
    )
    assert Item.objects.get(pk=item.pk).status == ItemStatus.RETURNED
    with_evidence(w, item)
    items.submit_item(item, by=liaison)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="rectification_item.submitted").count() == 2


def test_closing_refuses_an_item_without_evidence_even_when_submitted(w: SimpleNamespace) -> None:
    plan = approved_plan(w)
    with action_scope("test.force"):  # a submission without evidence cannot happen through the actions
        Item.objects.filter(pk=w.task_a.pk).update(status=ItemStatus.SUBMITTED)
        record("test.force", plan, by=None)
    with pytest.raises(Refused, match="没有佐证材料，不能销号"):
        items.close_item(Item.objects.get(pk=w.task_a.pk), by=w.users["office"])


def test_a_long_term_item_closes_milestone_by_milestone(w: SimpleNamespace) -> None:
    approved_plan(w)
    liaison, office = w.users["liaison1"], w.users["office"]
    item = w.task_b
    first, second = item.milestones.order_by("sequence")
    with_evidence(w, item, milestone=first)
    with pytest.raises(Refused, match="逐个阶段目标销号"):
        items.submit_item(item, by=liaison)
    with pytest.raises(Refused, match="佐证材料"):
        items.submit_item(item, milestone=second, by=liaison)
    items.submit_item(item, milestone=first, by=liaison)
    items.close_item(item, milestone=first, by=office)
    first.refresh_from_db()
    assert first.is_closed and not Item.objects.get(pk=item.pk).is_closed
    assert archive.open_items(w.inspection1).count("整改事项任务02尚未销号") == 0  # nothing else due yet
    with_evidence(w, item, milestone=second)
    items.submit_item(item, milestone=second, by=liaison)
    items.return_item(item, milestone=second, reason="请补充检查报告。", by=office)
    second.refresh_from_db()
    assert second.status == ItemStatus.RETURNED and second.return_reason == "请补充检查报告。"
    items.add_progress(item, text="全年检查已完成。", by=liaison)  # on the item, not on this milestone
    with pytest.raises(Refused, match="销号申请已被退回"):
        items.submit_item(item, milestone=second, by=liaison)
    items.add_progress(item, milestone=second, text="已补充检查报告。", by=liaison)  # text alone is progress
    items.submit_item(item, milestone=second, by=liaison)
    items.close_item(item, milestone=second, by=office)
    items.submit_item(item, by=liaison)
    items.close_item(item, by=office)
    assert Item.objects.get(pk=item.pk).is_closed


def test_the_team_leader_issues_items_during_fieldwork(world: SimpleNamespace) -> None:
    w = world
    issue = {
        "issue": "食堂账目不公开",
        "measure": "立即公开",
        "leader": "李局长",
        "department": "机关服务中心",
    }
    with pytest.raises(NotAllowed):
        items.issue_item(
            w.inspection1, kind=ItemKind.IMMEDIATE, due_on=days(3), by=w.users["t1_member"], **issue
        )
    with pytest.raises(Refused, match="边巡边改事项应立行立改或限期整改"):
        items.issue_item(
            w.inspection1, kind=ItemKind.LONG_TERM, due_on=days(3), by=w.users["t1_leader"], **issue
        )
    item = items.issue_item(
        w.inspection1, kind=ItemKind.IMMEDIATE, due_on=days(3), by=w.users["t1_leader"], **issue
    )
    assert item.source == ItemSource.FIELDWORK and item.problem is None and item.code == "任务01"
    assert Notification.objects.filter(recipient=w.users["liaison1"], title__contains="边巡边改").exists()
    with_evidence(w, item)  # in fieldwork already
    items.submit_item(item, by=w.users["liaison1"])
    items.close_item(item, by=w.users["office"])
    set_stage(w.inspection2, Stage.PREPARING)
    with pytest.raises(Refused, match="只能在“了解”阶段下发边巡边改事项"):
        items.issue_item(w.inspection2, kind=ItemKind.IMMEDIATE, due_on=days(3), by=None, **issue)


def test_items_are_worked_on_in_rectification_and_review_only(w: SimpleNamespace) -> None:
    approved_plan(w)
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="只能在“整改、评估回访”阶段报告整改进展"):
        with_evidence(w, w.task_a)


def test_who_sees_rectification(w: SimpleNamespace) -> None:
    approved_plan(w)
    seen = {"office", "leader", "t1_leader", "t1_member", "liaison1"}
    for persona, user in w.users.items():
        visible = Item.objects.visible_to(user).filter(pk=w.task_a.pk).exists()
        assert visible == (persona in seen), persona
        assert Plan.objects.visible_to(user).exists() == (persona in seen), persona


def test_nothing_is_open_without_feedback_or_items(world: SimpleNamespace) -> None:
    assert archive.open_items(world.inspection2) == []


def test_the_archive_check_lists_what_is_open(w: SimpleNamespace) -> None:
    assert open_items(w.inspection1)  # reports' and ours
    assert archive.open_items(w.inspection1) == [
        "整改方案尚未报送",
        "尚未收到整改报告",
        "尚未收到书记履行第一责任人职责情况报告",
    ]
    approved_plan(w)
    liaison, office = w.users["liaison1"], w.users["office"]
    assert archive.open_items(w.inspection1)[:1] == ["整改事项任务01尚未销号"]
    with_evidence(w, w.task_a)
    items.submit_item(w.task_a, by=liaison)
    items.close_item(w.task_a, by=office)
    for kind in (ReportKind.RECTIFICATION, ReportKind.SECRETARY):
        reports.upload_report(w.inspection1, kind=kind, file=PDF, by=liaison)
    # The long-term task has no milestone due yet: it counts as long-term with milestones.
    assert archive.open_items(w.inspection1) == []


def test_reports_are_uploaded_by_the_liaison_as_checked_files(w: SimpleNamespace) -> None:
    with pytest.raises(NotAllowed):
        reports.upload_report(w.inspection1, kind=ReportKind.RECTIFICATION, file=PDF, by=w.users["office"])
    with pytest.raises(Refused) as refused:
        reports.upload_report(w.inspection1, kind=ReportKind.RECTIFICATION, file=None, by=w.users["liaison1"])
    assert refused.value.field == "attachments"
    report = reports.upload_report(w.inspection1, kind=ReportKind.SECRETARY, file=PDF, by=w.users["liaison1"])
    assert report.read() == PDF.data and report.filename == "整改佐证.pdf"
    told = Notification.objects.get(recipient=w.users["office"], title__contains="书记履行")
    # About the inspection: handled when the office moves it on (notifications.mark_handled).
    assert (told.subject_type, told.subject_id) == ("rounds.inspection", str(w.inspection1.pk))


def test_the_archive_package_holds_the_plan_the_ledger_and_the_uploaded_reports(w: SimpleNamespace) -> None:
    approved_plan(w)
    reports.upload_report(w.inspection1, kind=ReportKind.SECRETARY, file=PDF, by=w.users["liaison1"])
    files = {f.path: f.data for f in archive_documents.documents(w.inspection1, w.users["office"])}
    assert files["整改/整改方案.docx"].startswith(b"PK") and files["整改/整改台账.xlsx"].startswith(b"PK")
    assert layout_problems(files["整改/整改方案.docx"]) == []
    (report,) = (name for name in files if name.startswith("整改/报告/"))
    assert report.endswith("整改佐证.pdf") and files[report] == PDF.data
