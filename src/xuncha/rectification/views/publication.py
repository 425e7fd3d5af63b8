"""Publication (双公开) pages.

Staff side (under /rectification/): the inspection's publication page — what is or will be public, and for
the committee's side (office, leading group, team) every item in force with the reason an exempt one may
not be published; the office's draft editor, publish and withdraw; the office or the team leader marks an
item 不予公开. The block on the inspection's rectification page is publication_section.html.

Public side (under /portal/gongkai/, no login, the portal's own frame): the list of published
rectification reports and one report by its ``public_id`` — title, summary, counts and the entries with
their published state, nothing else (no ids, no staff, no internal text). A draft, a withdrawn publication
or a missing one is the same 404. Shared caches may keep them for a minute (a withdrawal is gone within
the minute), never an answer to a request with a session.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import paginate
from xuncha.rounds.models import Inspection

from .. import publication as rules
from ..actions import publication as actions
from ..actions.common import office_roles
from ..choices import PublicationStatus
from ..forms import ConfidentialForm, PublicationForm, ReasonForm
from ..models import Item, Publication, PublishedItem
from .common import GET_POST, confirm, form_page, inspection_for, item_for

PUBLIC_MAX_AGE = 60


def _page_url(inspection_id: int) -> str:
    return reverse("rectification:publication", args=[inspection_id])


def _committee_side(user: User, inspection: Inspection) -> bool:
    """Office, leading group or team: who may read why an item is exempt (the liaison never: a clue is
    the inspectors' secret)."""
    return holds(
        user,
        {
            Role.OFFICE: inspection.round.committee_id,
            Role.LEADING_GROUP: inspection.round.committee_id,
            Role.TEAM_LEADER: inspection.team_id,
            Role.TEAM_MEMBER: inspection.team_id,
        },
    )


def _active_items(user: User, inspection: Inspection) -> list[Item]:
    return list(
        Item.objects.visible_to(user)
        .active()
        .filter(inspection=inspection)
        .select_related("problem__feedback")
        .order_by("number")
    )


def _entries(publication: Publication | None) -> list[PublishedItem]:
    if publication is None:
        return []
    return list(publication.entries.select_related("item").order_by("item__number"))


@login_required
@require_GET
def publication_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    publication = Publication.objects.filter(inspection=inspection).first()
    entries = _entries(publication)
    committee_side = _committee_side(user, inspection)
    items = _active_items(user, inspection) if committee_side else []
    context = {
        "inspection": inspection,
        "publication": publication,
        "entries": [(e, rules.public_state(e)) for e in entries],
        "counts": rules.counts(entries),
        "committee_side": committee_side,
        "rows": _exempt_rows(items),
        "office": holds(user, office_roles(inspection)),
        "may_mark": holds(user, actions.confidentiality_roles(inspection)) and not inspection.is_read_only,
        "writable": inspection.stage in actions.PUBLICATION_STAGES and not inspection.is_read_only,
    }
    return render(request, "rectification/publication_page.html", context)


def _exempt_rows(items: list[Item]) -> list[tuple[Item, str]]:
    reasons = rules.exemptions(items)
    return [(item, reasons.get(item.pk, "")) for item in items]


@login_required
@require_http_methods(GET_POST)
def publication_edit(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    publication = Publication.objects.filter(inspection=inspection).first()
    items = _active_items(user, inspection)
    current = {e.item_id: e.public_text for e in _entries(publication)}
    initial = (
        {"title": publication.title, "summary": publication.summary}
        if publication
        else {"title": f"关于{inspection.unit.name}巡察整改情况的通报"}
    )
    form = PublicationForm(
        request.POST or None, initial=initial, items=items, exempt=rules.exemptions(items), current=current
    )
    require(user, office_roles(inspection), what="起草整改情况公开稿")
    if request.method == "POST" and form.is_valid():
        try:
            perform(
                user,
                actions.save_draft,
                inspection,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                entries=form.entries(),
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已保存公开稿（尚未公开，公开前请预览）。")
            return redirect(_page_url(inspection.pk))
    context = {
        "inspection": inspection,
        "form": form,
        "published": publication is not None and publication.status == PublicationStatus.PUBLISHED,
    }
    return render(request, "rectification/publication_edit.html", context)


def _publication_for(user: User, pk: int) -> Publication:
    return get_object_or_404(
        Publication.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__unit", "inspection__team"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(GET_POST)
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    publication = _publication_for(user, pk)
    again = publication.status == PublicationStatus.PUBLISHED
    return confirm(
        request,
        lambda: perform(user, actions.publish, publication),
        allowed=office_roles(publication.inspection),
        what="公开整改情况",
        question=(
            "重新公开？公开页面将显示各事项当前的整改状态。"
            if again
            else "向社会公开整改情况？公开前将再次核对不予公开的事项和正在审查调查人员的姓名。"
        ),
        done="已公开整改情况。",
        back=_page_url(publication.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    publication = _publication_for(user, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.withdraw, publication, reason=form.cleaned_data["reason"]),
        allowed=office_roles(publication.inspection),
        done="已撤回，公开页面不再显示。",
        then=lambda saved: _page_url(saved.inspection_id),
        title="撤回公开的整改情况",
        back=_page_url(publication.inspection_id),
    )


@login_required
@require_http_methods(GET_POST)
def item_confidential(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = item_for(user, pk)
    form = ConfidentialForm(request.POST or None, initial={"confidential": not item.confidential})
    return form_page(
        request,
        form,
        lambda: perform(user, actions.mark_confidential, item, **form.cleaned_data),
        allowed=actions.confidentiality_roles(item.inspection),
        done="已保存。",
        then=lambda saved: _page_url(saved.inspection_id),
        title=f"标记{item.code}是否公开",
        back=_page_url(item.inspection_id),
    )


# The public side: no login, no user data.


def _published() -> QuerySet[Publication]:
    return Publication.objects.public().select_related("inspection__round__committee", "inspection__unit")


def _cached(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Shared caches may keep a public page briefly, unless the request carries a session: its answer
    may set the session cookie (a staff member's), which no shared cache must keep."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _published().order_by("-published_at", "-pk"))
    return _cached(request, render(request, "rectification/publication_public_list.html", {"page": page}))


@require_GET
def public_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    publication = _published().filter(public_id=public_id).first()
    if publication is None:
        return _cached(request, render(request, "rectification/publication_public_missing.html", status=404))
    entries = rules.public_entries(publication)
    context = {
        "publication": publication,
        "entries": [(e, rules.public_state(e)) for e in entries],
        "counts": rules.counts(entries),
    }
    return _cached(request, render(request, "rectification/publication_public_detail.html", context))


public_urlpatterns: list[URLPattern] = [
    path("", public_list, name="list"),
    path("<uuid:public_id>/", public_detail, name="detail"),
]
