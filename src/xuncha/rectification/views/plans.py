"""An inspection's rectification page (deadlines, the plan with its tasks by problem, 边巡边改 items, the
unit's reports) and the plan's pages: start, edit, submit, approve, return, and its tasks' forms."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.permissions import acting_user, holds
from xuncha.core.scoping import perform

from ..actions import plans as actions
from ..actions.common import PLAN_STAGES, liaison_roles, office_roles, team_leader_roles
from ..choices import ItemSource, ReportKind
from ..deadlines import plan_due_on, reports_due_on
from ..forms import NoteForm, PlanForm, ReasonForm, TaskForm
from ..listing import light_of
from ..models import Item, Plan, UnitReport
from .common import GET_POST, confirm, form_page, inspection_for, inspection_url, item_for, item_url, plan_for


def _plan_of(item: Item) -> Plan:
    """The plan of a task; a 边巡边改 item is no task of a plan (404 on the task pages)."""
    if item.source != ItemSource.PLAN:
        raise Http404
    return get_object_or_404(Plan, inspection_id=item.inspection_id)


@login_required
@require_GET
def inspection_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    plan = Plan.objects.filter(inspection=inspection).first()
    items = list(
        Item.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("problem__feedback", "inspection__round__committee__settings")
        .prefetch_related("milestones")
    )
    rows = [(item, light_of(item)) for item in items]
    reports = UnitReport.objects.visible_to(user).filter(inspection=inspection).select_related("uploaded_by")
    liaison = holds(user, liaison_roles(inspection))
    office = holds(user, office_roles(inspection))
    context = {
        "inspection": inspection,
        "plan": plan,
        "plan_rows": [r for r in rows if r[0].source == ItemSource.PLAN],
        "fieldwork_rows": [r for r in rows if r[0].source == ItemSource.FIELDWORK],
        "plan_due_on": plan_due_on(inspection),
        "reports_due_on": reports_due_on(inspection),
        "reports": reports,
        "report_kinds": ReportKind.choices,
        "liaison": liaison,
        "office": office,
        "team_leader": holds(user, team_leader_roles(inspection)),
        "may_start": liaison and plan is None and inspection.stage in PLAN_STAGES,
        "may_edit": plan is not None
        and inspection.stage in PLAN_STAGES
        and ((plan.is_editable and (liaison or office)) or (plan.is_approved and office)),
        "unanswered": actions.unanswered(plan) if plan is not None and liaison and plan.is_editable else [],
    }
    return render(request, "rectification/inspection.html", context)


@login_required
@require_http_methods(GET_POST)
def plan_start(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    return confirm(
        request,
        lambda: perform(user, actions.start_plan, inspection),
        allowed=liaison_roles(inspection),
        what="起草整改方案",
        question="起草整改方案？起草后按反馈问题逐项添加整改任务。",
        done="已起草整改方案。",
        back=inspection_url(inspection.pk),
    )


@login_required
@require_http_methods(GET_POST)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = plan_for(user, pk)
    form = PlanForm(request.POST or None, initial={"title": plan.title, "summary": plan.summary})
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_plan, plan, **form.cleaned_data),
        allowed=liaison_roles(plan.inspection),
        done="已保存整改方案。",
        then=lambda p: inspection_url(p.inspection_id),
        title="修改整改方案",
        back=inspection_url(plan.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = plan_for(user, pk)
    return confirm(
        request,
        lambda: perform(user, actions.submit_plan, plan),
        allowed=liaison_roles(plan.inspection),
        what="报送整改方案",
        question="报送整改方案？报送后由巡察办审核，审核期间不能修改。",
        done="已报送整改方案。",
        back=inspection_url(plan.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = plan_for(user, pk)
    form = NoteForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.approve_plan, plan, note=form.cleaned_data["note"]),
        allowed=office_roles(plan.inspection),
        done="整改方案已审核通过。",
        then=lambda p: inspection_url(p.inspection_id),
        title="审核通过整改方案",
        back=inspection_url(plan.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = plan_for(user, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.return_plan, plan, reason=form.cleaned_data["reason"]),
        allowed=office_roles(plan.inspection),
        done="已退回整改方案。",
        then=lambda p: inspection_url(p.inspection_id),
        title="退回整改方案",
        back=inspection_url(plan.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = plan_for(user, pk)
    problems = actions.problems_for(plan, user)
    form = TaskForm(request.POST or None, problems=problems, inspection=plan.inspection)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.add_task, plan, form.task_input()),
        allowed=actions.editor_roles(plan),
        done="已增加整改任务。",
        then=lambda item: inspection_url(item.inspection_id),
        title="增加整改任务",
        back=inspection_url(plan.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    plan = _plan_of(item)
    form = TaskForm(
        request.POST or None, problems=actions.problems_for(plan, user), inspection=item.inspection, item=item
    )
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_task, item, form.task_input()),
        allowed=actions.editor_roles(plan),
        done="已修改整改任务。",
        then=item_url,
        title=f"修改整改任务（{item.code}）",
        back=item_url(item),
    )


@login_required
@require_http_methods(GET_POST)
def task_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    plan = _plan_of(item)
    back = inspection_url(item.inspection_id)
    return confirm(
        request,
        lambda: perform(user, actions.remove_task, item),
        allowed=actions.editor_roles(plan),
        what="删除整改任务",
        question=f"删除整改任务“{item}”？",
        done="已删除整改任务。",
        back=back,
    )
