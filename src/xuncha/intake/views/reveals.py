"""Pages of identity reveals: the petition page's section, the request, the custodian's list and decision.

The identity is shown in one place only, the petition page's section, to the requester alone during an
approved window; each showing is an audit event (``actions.reveals.identity_for``). The custodian's pages
show the petition's number and inspection, never its content nor the identity.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.home import Panel
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform
from xuncha.core.todos import Todo
from xuncha.core.ui import form_page, paginate, querystring_without_page
from xuncha.rounds.choices import Stage

from ..actions import reveals as actions
from ..choices import RevealStatus
from ..forms.reveals import APPROVE, RevealDecisionForm, RevealRequestForm
from ..models import IdentityReveal, IdentityRevealQuerySet, Petition

GET_POST = ["GET", "POST"]
ALL = "all"
PANEL_LIMIT = 10


def _reveals(user: User) -> IdentityRevealQuerySet:
    return IdentityReveal.objects.visible_to(user).select_related(
        "petition__inspection__round",
        "petition__inspection__team",
        "petition__inspection__unit",
        "requested_by",
        "decided_by",
    )


def _next_url(request: HttpRequest) -> str | None:
    """Where to go back to after a request (the petition page the form was on), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# The petition page's section ------------------------------------------------------------------------


def panel(request: HttpRequest, petition: Petition) -> str:
    """Anonymous or named; for a named reporter, the user's own request and its state: the form, waiting,
    the identity during an approved window (an audited read), or the refusal with the custodian's note."""
    user = acting_user(request)
    context: dict[str, object] = {"petition": petition}
    if not petition.anonymous:
        latest = _reveals(user).filter(petition=petition, requested_by=user).first()
        identity = actions.identity_for(user, petition)
        pending = latest is not None and latest.status == RevealStatus.PENDING
        may_ask = identity is None and not pending and actions.may_request(user, petition)
        context.update(
            latest=latest,
            identity=identity,
            pending=pending,
            # Own ids: the page holds the other areas' forms too.
            form=RevealRequestForm(auto_id="reveal_%s") if may_ask else None,
            next=request.get_full_path(),
        )
    return render_to_string("intake/reveals/panel.html", context, request=request)


# Requests -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def reveal_request(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    petition = get_object_or_404(
        Petition.objects.visible_to(user).select_related("inspection__round", "inspection__team"), pk=pk
    )
    form = RevealRequestForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.request_reveal, petition, reason=form.cleaned_data["reason"]),
        allowed=actions.requester_roles(petition),
        title="申请查看反映人身份信息",
        done=f"已提交 {petition.number} 的身份信息查看申请，等待保管人审批。",
        then=_next_url(request) or reverse("intake:petition-detail", args=[petition.pk]),
        template="intake/reveals/request_form.html",
        petition=petition,
        next=_next_url(request) or "",
    )


@login_required
@require_GET
def reveal_list(request: HttpRequest) -> HttpResponse:
    """The custodian's requests to decide (their committees') and everyone's own requests."""
    user = acting_user(request)
    custodian_of = user.scopes.ids(Role.CUSTODIAN)
    status = request.GET.get("status", "")
    if status not in (*RevealStatus.values, ALL):
        status = RevealStatus.PENDING if custodian_of else ALL
    reveals = _reveals(user)
    if status != ALL:
        reveals = reveals.filter(status=status)
    page_obj = paginate(request, reveals)
    shown = [reveal.petition_id for reveal in page_obj]
    # Links to the petition only for who may open it (the requester; never the custodian).
    openable = set(Petition.objects.visible_to(user).filter(pk__in=shown).values_list("pk", flat=True))
    decidable = {
        reveal.pk
        for reveal in page_obj
        if reveal.status == RevealStatus.PENDING
        and reveal.requested_by_id != user.pk
        and reveal.petition.inspection.round.committee_id in custodian_of
    }
    context = {
        "page_obj": page_obj,
        "query": querystring_without_page(request),
        "decidable": decidable,
        "openable": openable,
        "status": status,
        "tabs": [*RevealStatus.choices, (ALL, "全部")],
        "is_custodian": bool(custodian_of),
    }
    return render(request, "intake/reveals/reveal_list.html", context)


@login_required
@require_http_methods(GET_POST)
def reveal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    reveal = get_object_or_404(_reveals(user), pk=pk)
    form = RevealDecisionForm(request.POST or None)

    def decide() -> IdentityReveal:
        approve = form.cleaned_data["decision"] == APPROVE
        run = actions.approve_reveal if approve else actions.refuse_reveal
        return perform(user, run, reveal, note=form.cleaned_data["note"])

    return form_page(
        request,
        form,
        decide,
        allowed={Role.CUSTODIAN: reveal.petition.inspection.round.committee_id},
        title="审批身份信息查看申请",
        done=lambda decided: (
            f"已{'批准' if decided.status == RevealStatus.APPROVED else '不予批准'} "
            f"{reveal.petition.number} 的身份信息查看申请。"
        ),
        then=reverse("intake:reveal-list"),
        template="intake/reveals/decide.html",
        reveal=reveal,
        own=reveal.requested_by_id == user.pk,
        pending=reveal.status == RevealStatus.PENDING,
    )


# Home page ------------------------------------------------------------------------------------------


def _waiting(user: User, committee_ids: set[int]) -> IdentityRevealQuerySet:
    """The requests waiting for a custodian (not their own, which another custodian decides)."""
    return (
        _reveals(user)
        .filter(status=RevealStatus.PENDING, petition__inspection__round__committee_id__in=committee_ids)
        .exclude(petition__inspection__stage=Stage.ARCHIVED)
        .exclude(requested_by=user)
        .order_by("requested_at")
    )


def todos(user: User) -> list[Todo]:
    committee_ids = user.scopes.ids(Role.CUSTODIAN)
    if not committee_ids:
        return []
    return [
        Todo(
            group="待审批的身份信息查看申请",
            title=f"信访件{reveal.petition.number}的身份信息查看申请",
            link=reverse("intake:reveal-decide", args=[reveal.pk]),
        )
        for reveal in _waiting(user, committee_ids)
    ]


def home_panels(user: User) -> list[Panel]:
    """For custodians: the requests waiting for them."""
    committee_ids = user.scopes.ids(Role.CUSTODIAN)
    if not committee_ids:
        return []
    waiting = _waiting(user, committee_ids)
    context = {"reveals": waiting[:PANEL_LIMIT], "count": waiting.count(), "badges": BADGE_COLOURS}
    return [Panel("待审批的身份信息查看申请", "intake/reveals/home_panel.html", context, order=15)]


urlpatterns: list[URLPattern] = [
    path("petitions/<uuid:pk>/reveal/", reveal_request, name="reveal-request"),
    path("reveals/", reveal_list, name="reveal-list"),
    path("reveals/<int:pk>/decide/", reveal_decide, name="reveal-decide"),
]
