"""The look-back page of a look-back inspection (巡察“回头看”): the earlier inspections' problems and items
with their status, evidence and closing note, the team's verdict on each (a plain form per item), counts per
verdict and progress; a draft finding to follow a check that found an item not really fixed; the
回头看核查台账 (Excel, watermarked, audited). The unit's liaison reads the verdicts (they are fed back) and
changes nothing. Another inspection has no look-back page (404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import action_scope, record
from xuncha.core.permissions import acting_user, holds
from xuncha.core.scoping import perform
from xuncha.findings.actions import categories
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind

from .. import lookback
from ..actions import lookback as actions
from ..forms import CheckForm, FollowUpForm
from ..models import Item, LookbackCheck
from .common import GET_POST, form_page, inspection_for, reader_role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lookback_inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    inspection = inspection_for(acting_user(request), inspection_id)
    if not lookback.is_lookback(inspection):
        raise Http404
    return inspection


def page_url(inspection_id: int) -> str:
    return reverse("rectification:lookback", args=[inspection_id])


def _item(request: HttpRequest, inspection: Inspection, item_id: int) -> Item:
    """An earlier item of the look-back the user may read (404 otherwise)."""
    items = lookback.earlier_items(inspection)
    if lookback.liaison_only(acting_user(request), inspection):
        items = items.exclude(lookback.PRINCIPAL_PROBLEM)
    return get_object_or_404(items.select_related("problem", "inspection"), pk=item_id)


@login_required
@require_GET
def lookback_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _lookback_inspection(request, inspection_id)
    team = holds(user, actions.team_roles(inspection))
    context = {
        "inspection": inspection,
        "checklist": lookback.checklist(inspection, user),
        "may_check": team and inspection.stage in actions.CHECK_STAGES,
        "internal": not lookback.liaison_only(user, inspection),
        "follow_up_verdicts": [v.value for v in actions.FOLLOW_UP_VERDICTS],
        "verdicts": CheckForm.base_fields["verdict"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "rectification/lookback_page.html", context)


@login_required
@require_http_methods(GET_POST)
def check_record(request: HttpRequest, inspection_id: int, item_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _lookback_inspection(request, inspection_id)
    item = _item(request, inspection, item_id)
    existing = LookbackCheck.objects.filter(inspection=inspection, item=item).first()
    initial = {"verdict": existing.verdict, "note": existing.note} if existing else None
    form = CheckForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.record_check, inspection, item=item, **form.cleaned_data),
        allowed=actions.team_roles(inspection),
        done=f"已记录{item.code}的核查结论。",
        then=lambda check: page_url(check.inspection_id),
        title=f"回头看核查（{item.inspection.unit.name} {item.code}）",
        back=page_url(inspection.pk),
    )


@login_required
@require_http_methods(GET_POST)
def check_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    check = get_object_or_404(
        LookbackCheck.objects.visible_to(user).select_related(
            "inspection__round", "inspection__unit", "item__problem", "item__inspection"
        ),
        pk=pk,
    )
    problem = check.item.problem
    initial = {"focus": problem.category_id} if problem is not None and problem.category_id else None
    form = FollowUpForm(request.POST or None, initial=initial, focuses=categories(SchemeKind.FOCUS))
    return form_page(
        request,
        form,
        lambda: perform(user, actions.follow_up, check, focus=form.cleaned_data["focus"]),
        allowed=actions.team_roles(check.inspection),
        done="已形成问题底稿（草稿），请在问题底稿中补充完善。",
        then=lambda saved: reverse("findings:finding-detail", args=[saved.finding_id]),
        title=f"形成问题底稿（{check.item.code} {check.get_verdict_display()}）",
        back=page_url(check.inspection_id),
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest, inspection_id: int) -> HttpResponseBase:
    """The 回头看核查台账; the export is an audit event naming the row count."""
    user = acting_user(request)
    inspection = _lookback_inspection(request, inspection_id)
    at = timezone.now()
    handle, rows = lookback.write_ledger(inspection, user=user, at=at)
    with action_scope("lookback.ledger_exported"):
        record(
            "lookback.ledger_exported",
            inspection,
            by=user,
            role=reader_role(user, inspection),
            details={"rows": rows},
        )
    filename = f"回头看核查台账-{inspection.unit.name}-{timezone.localtime(at):%Y%m%d%H%M}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response
