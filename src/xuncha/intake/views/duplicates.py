"""Pages of duplicates: the petition page's section (suggested near-duplicates and the confirmed group),
the list of open suggestions a team works through, and the confirm, dismiss and leave actions.

A suggestion is shown only to who sees both of its petitions (``DuplicateCandidate.visible_to``); a
group's members only as far as the user sees them. Counts of matters go through ``distinct_matters``.
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import paginate, querystring_without_page

from ..actions import duplicates as actions
from ..actions.petitions import member_roles
from ..forms.duplicates import ConfirmForm, DuplicateFilterForm, GroupForm
from ..models import DuplicateCandidate, DuplicateCandidateQuerySet, Petition

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 20
_SIDE = ("inspection__round", "inspection__team", "inspection__unit")


def _open_candidates(user: User) -> DuplicateCandidateQuerySet:
    """Suggestions the user sees both sides of, neither dismissed nor already confirmed as one group."""
    return (
        DuplicateCandidate.objects.visible_to(user)
        .filter(dismissed_by__isnull=True)
        .exclude(
            petition__duplicate_group__isnull=False, petition__duplicate_group=F("other__duplicate_group")
        )
        .select_related(*(f"{side}__{rel}" for side in ("petition", "other") for rel in _SIDE))
    )


def _may_handle(user: User, petition: Petition) -> bool:
    return holds(user, member_roles(petition.inspection))


def _next_url(request: HttpRequest) -> str | None:
    """Where to go back to (the page the form was on), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _back(request: HttpRequest, petition: Petition) -> HttpResponse:
    return redirect(_next_url(request) or reverse("intake:petition-detail", args=[petition.pk]))


@dataclass
class Suggestion:
    """One suggested near-duplicate as seen from a petition's page."""

    candidate: DuplicateCandidate
    other: Petition
    elsewhere: bool  # in another inspection than the page's petition
    grouped: bool  # the other is already in a (different) group: confirming merges the groups


# The petition page's section ------------------------------------------------------------------------


def panel(request: HttpRequest, petition: Petition) -> str:
    """Suggested near-duplicates (both sides in the user's sight) with confirm and dismiss, and the
    confirmed group's members the user sees, with the way out of the group."""
    user = acting_user(request)
    pairs = _open_candidates(user).filter(Q(petition=petition) | Q(other=petition))[:PANEL_LIMIT]
    suggestions = []
    for candidate in pairs:
        other = candidate.other if candidate.petition_id == petition.pk else candidate.petition
        suggestions.append(
            Suggestion(
                candidate=candidate,
                other=other,
                elsewhere=other.inspection_id != petition.inspection_id,
                grouped=other.duplicate_group_id is not None,
            )
        )
    members: list[Petition] = []
    if petition.duplicate_group_id is not None:
        members = list(
            Petition.objects.visible_to(user)
            .filter(duplicate_group_id=petition.duplicate_group_id)
            .exclude(pk=petition.pk)
            .select_related(*_SIDE)
            .order_by("received_at")
        )
    context = {
        "petition": petition,
        "suggestions": suggestions,
        "members": members,
        "may_handle": _may_handle(user, petition),
        "next": request.get_full_path(),
    }
    return render_to_string("intake/duplicates/panel.html", context, request=request)


# Open suggestions of an inspection ------------------------------------------------------------------


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DuplicateFilterForm(request.GET or None, user=user)
    inspection = form.chosen()
    candidates = _open_candidates(user)
    petitions = Petition.objects.visible_to(user)
    if inspection is not None:
        candidates = candidates.filter(Q(petition__inspection=inspection) | Q(other__inspection=inspection))
        petitions = petitions.filter(inspection=inspection)
    page = paginate(request, candidates.order_by("-similarity", "-pk"))
    context = {
        "form": form,
        "inspection": inspection,
        "page_obj": page,
        "query": querystring_without_page(request),
        "received": petitions.count(),
        "matters": petitions.distinct_matters(),
        "next": request.get_full_path(),
    }
    return render(request, "intake/duplicates/list.html", context)


# Confirm, dismiss, leave ----------------------------------------------------------------------------


@login_required
@require_POST
def duplicate_confirm(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Confirm the page's petition and the chosen ones as one matter (a group, extended or merged)."""
    user = acting_user(request)
    petition = get_object_or_404(Petition.objects.visible_to(user).select_related(*_SIDE), pk=pk)
    require(user, member_roles(petition.inspection), what="确认重复件")
    form = ConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, petition)
    others = list(form.cleaned_data["others"])
    try:
        perform(user, actions.confirm_duplicates, petition, others=others, reason=form.cleaned_data["reason"])
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        numbers = "、".join(p.number for p in [petition, *others])
        messages.success(request, f"已确认 {numbers} 反映同一事项，统计时按一件计。")
    return _back(request, petition)


@login_required
@require_http_methods(GET_POST)
def duplicate_group(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """归为一组 by hand: the other petition by its number and why (a form), then a confirmation naming both
    petitions; a refusal (not found or out of sight alike, another committee, already one group) shows on
    the form."""
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related("duplicate_group", *_SIDE), pk=pk
    )
    require(user, member_roles(petition.inspection), what="确认重复件")
    form = GroupForm(request.POST or None, user=user, petition=petition)
    other = None
    if request.method == "POST" and form.is_valid():
        other = form.other
        if request.POST.get("confirmed"):
            try:
                perform(
                    user, actions.group_petitions, petition, other=other, reason=form.cleaned_data["reason"]
                )
            except Refused as refused:
                # The action names the others; this form, the other's number.
                field = "number" if refused.field == "others" else refused.field
                form.add_error(field if field in form.fields else None, refused.message)
                other = None
            except NotAllowed as refused:  # sees the other petition but may not handle it
                form.add_error("number", refused.message)
                other = None
            else:
                messages.success(
                    request, f"已将 {petition.number} 与 {other.number} 归为一组，统计时按一件计。"
                )
                return _back(request, petition)
    context = {
        "petition": petition,
        "other": other,
        "form": form,
        "next": _next_url(request) or "",
        "back": _next_url(request) or reverse("intake:petition-detail", args=[petition.pk]),
    }
    return render(request, "intake/duplicates/group.html", context)


@login_required
@require_http_methods(GET_POST)
def duplicate_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    candidate = get_object_or_404(
        DuplicateCandidate.objects.visible_to(user).select_related(
            *(f"{side}__{rel}" for side in ("petition", "other") for rel in _SIDE)
        ),
        pk=pk,
    )
    for petition in (candidate.petition, candidate.other):
        require(user, member_roles(petition.inspection), what="处理疑似重复件")
    if request.method == "POST":
        try:
            perform(user, actions.dismiss_candidate, candidate)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, f"已忽略 {candidate.petition.number} 与 {candidate.other.number} 的疑似重复提示。"
            )
        return _back(request, candidate.petition)
    context = {"candidate": candidate, "next": _next_url(request) or ""}
    return render(request, "intake/duplicates/dismiss.html", context)


@login_required
@require_http_methods(GET_POST)
def duplicate_leave(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related("duplicate_group", *_SIDE), pk=pk
    )
    require(user, member_roles(petition.inspection), what="调整重复件组")
    if request.method == "POST":
        try:
            perform(user, actions.leave_group, petition, reason=request.POST.get("reason", ""))
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"已将 {petition.number} 移出重复件组。")
        return _back(request, petition)
    members = (
        Petition.objects.visible_to(user)
        .filter(duplicate_group_id=petition.duplicate_group_id)
        .exclude(pk=petition.pk)
        .order_by("received_at")
        if petition.duplicate_group_id is not None
        else Petition.objects.none()
    )
    context = {"petition": petition, "members": members, "next": _next_url(request) or ""}
    return render(request, "intake/duplicates/leave.html", context)


urlpatterns: list[URLPattern] = [
    path("duplicates/", duplicate_list, name="duplicate-list"),
    path("duplicates/<int:pk>/dismiss/", duplicate_dismiss, name="duplicate-dismiss"),
    path("petitions/<uuid:pk>/duplicates/confirm/", duplicate_confirm, name="duplicate-confirm"),
    path("petitions/<uuid:pk>/duplicates/leave/", duplicate_leave, name="duplicate-leave"),
    path("petitions/<uuid:pk>/duplicates/group/", duplicate_group, name="duplicate-group"),
]
