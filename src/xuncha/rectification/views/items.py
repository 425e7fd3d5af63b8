"""An item's page (its measure, responsibility list, milestones, progress with evidence, closure), the
边巡边改 form, progress, submission for closure (of the item or one milestone), the office's close and
return, and the audited evidence download."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.forms import uploads
from xuncha.core.permissions import acting_user, holds
from xuncha.core.scoping import perform

from ..actions import items as actions
from ..actions.common import liaison_roles, office_roles, team_leader_roles
from ..choices import ItemSource
from ..forms import IssueForm, NoteForm, ProgressForm, ReasonForm
from ..listing import light_of
from ..models import Evidence, Item, Milestone, Plan
from .common import (
    GET_POST,
    confirm,
    form_page,
    inspection_for,
    inspection_url,
    item_for,
    item_url,
    reader_role,
)


def _milestone(request: HttpRequest, item: Item) -> Milestone | None:
    """The milestone named by ``?milestone=`` (of this item; else 404), or None for the whole item."""
    raw = request.GET.get("milestone") or request.POST.get("milestone_id") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Milestone.objects.filter(item=item), pk=int(raw))


def _what(item: Item, milestone: Milestone | None) -> str:
    return item.code if milestone is None else f"{item.code}的阶段目标{milestone.sequence}"


@login_required
@require_GET
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    inspection = item.inspection
    plan = Plan.objects.filter(inspection=inspection).first()
    progress = item.progress.select_related("milestone", "by").prefetch_related("evidence")
    context = {
        "item": item,
        "inspection": inspection,
        "light": light_of(item),
        "milestones": item.milestones.all(),
        "progress": progress,
        "liaison": holds(user, liaison_roles(inspection)),
        "office": holds(user, office_roles(inspection)),
        "editable_task": item.source == ItemSource.PLAN
        and plan is not None
        and not item.is_closed
        and ((plan.is_editable) or (plan.is_approved and holds(user, office_roles(inspection)))),
        "removable": item.source == ItemSource.PLAN and plan is not None and plan.is_editable,
    }
    return render(request, "rectification/item.html", context)


@login_required
@require_http_methods(GET_POST)
def item_issue(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    form = IssueForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.issue_item, inspection, **form.cleaned_data),
        allowed=team_leader_roles(inspection),
        done="已下发边巡边改事项。",
        then=item_url,
        title="下发边巡边改事项",
        back=inspection_url(inspection.pk),
    )


@login_required
@require_http_methods(GET_POST)
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    form = ProgressForm(request.POST or None, request.FILES or None, item=item)
    return form_page(
        request,
        form,
        lambda: (
            perform(
                user,
                actions.add_progress,
                item,
                text=form.cleaned_data["text"],
                files=uploads(form.cleaned_data["attachments"]),
                milestone=form.cleaned_data.get("milestone"),
            ).item
        ),
        allowed=liaison_roles(item.inspection),
        done="已报告整改进展。",
        then=item_url,
        title=f"报告整改进展（{item.code}）",
        back=item_url(item),
        multipart=True,
    )


@login_required
@require_http_methods(GET_POST)
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    milestone = _milestone(request, item)
    return confirm(
        request,
        lambda: perform(user, actions.submit_item, item, milestone=milestone),
        allowed=liaison_roles(item.inspection),
        what="申请销号",
        question=f"申请{_what(item, milestone)}销号？巡察办核实佐证材料后销号。",
        done="已申请销号。",
        back=item_url(item),
    )


@login_required
@require_http_methods(GET_POST)
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    milestone = _milestone(request, item)
    form = NoteForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.close_item, item, milestone=milestone, note=form.cleaned_data["note"]),
        allowed=office_roles(item.inspection),
        done="已核实销号。",
        then=item_url,
        title=f"核实销号（{_what(item, milestone)}）",
        back=item_url(item),
        milestone=milestone,
    )


@login_required
@require_http_methods(GET_POST)
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    milestone = _milestone(request, item)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(
            user, actions.return_item, item, milestone=milestone, reason=form.cleaned_data["reason"]
        ),
        allowed=office_roles(item.inspection),
        done="已退回销号申请。",
        then=item_url,
        title=f"退回销号申请（{_what(item, milestone)}）",
        back=item_url(item),
        milestone=milestone,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A file proving progress; every download is an audit event."""
    user = acting_user(request)
    file = get_object_or_404(
        Evidence.objects.visible_to(user).select_related("progress__item__inspection__round"), pk=pk
    )
    item = file.progress.item
    data = file.read()
    record_read(
        "rectification_evidence.downloaded",
        file,
        by=user,
        role=reader_role(user, item.inspection),
        details={"item": item.code, "content_type": file.content_type, "size": file.size},
    )
    return file_response(data, file.content_type, file.filename)


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
