"""The public portal (码上巡察), mounted at /portal/: no login, its own plain pages, no user data.

``/portal/<public code>/`` shows an inspection's announcement and takes petitions while it accepts them;
the receipt is shown once, on the answer to the POST itself (never in a URL, never cached).
``/portal/lookup/`` takes a receipt typed into a form and shows the minimal status and the team's
questions, and takes the reporter's answers; the receipt travels only in POST bodies. A wrong receipt
gets the same page as a missing one. Submissions and lookups are throttled per client address without
keeping the address (throttle.py).

``panel`` is the staff side: the thread of questions and answers on the petition page, with the form
that asks the reporter a question.
"""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xuncha.core import throttle
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.permissions import acting_user

from .. import public
from ..actions.announcements import ABOUT_INSPECTORS, ACCEPTED, NOT_ACCEPTED
from ..actions.messages import reply_as_reporter
from ..actions.petitions import submit_public_petition
from ..forms.announcements import QuestionForm
from ..forms.portal import LookupForm, PublicPetitionForm, ReplyForm
from ..models import Petition, PetitionMessage
from . import appointments, hide_identity

app_name = "portal"
NOT_FOUND = "查询码不正确或不存在。请核对后重新输入（查询码不区分大小写）。"
GET_POST = ["GET", "POST"]


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "intake/portal/throttled.html", {"message": throttle.MESSAGE}, status=429)
    response["Retry-After"] = str(throttle.seconds_left())
    return response


@hide_identity
@never_cache
@require_http_methods(GET_POST)
def announcement_page(request: HttpRequest, code: str) -> HttpResponse:
    # The public code is the key here: there is no user whose scope would apply.
    announcement = public.announcements().filter(public_code=code).first()
    if announcement is None:
        return render(request, "intake/portal/not_found.html", status=404)
    context: dict[str, Any] = {
        "announcement": announcement,
        "inspection": announcement.inspection,
        # The same words as the 巡察公告 document, so the page and the paper never differ.
        "accepted": ACCEPTED,
        "not_accepted": NOT_ACCEPTED,
        "about_inspectors": ABOUT_INSPECTORS,
    }
    if not announcement.accepting():
        context["closed"] = public.closed_message(announcement)
        return render(request, "intake/portal/announcement.html", context)
    posted = request.method == "POST"
    if posted and not throttle.allow(request, throttle.SUBMIT):
        return _too_many(request)
    form = PublicPetitionForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            petition, receipt = submit_public_petition(announcement, data=form.petition_input())
        except Refused as refused:
            show_refusal(form, refused)
        else:
            # Shown on the answer to the POST itself: no redirect would carry it, no cache keeps it.
            context |= {
                "receipt_groups": receipt.split("-"),
                "status_label": public.status_of(petition).label,
            }
            return render(request, "intake/portal/receipt.html", context)
    context["form"] = form
    return render(request, "intake/portal/announcement.html", context)


@hide_identity
@never_cache
@require_http_methods(GET_POST)
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "intake/portal/lookup.html", {"form": LookupForm()})
    if not throttle.allow(request, throttle.LOOKUP):
        return _too_many(request)
    receipt = request.POST.get("receipt", "")
    petition = public.find_by_receipt(receipt)
    if petition is None:
        # The same page for a wrong, malformed or missing receipt; what was typed is not shown again.
        return render(request, "intake/portal/lookup.html", {"form": LookupForm(), "error": NOT_FOUND})
    reply_form = ReplyForm()
    replied = False
    if "reply" in request.POST:
        reply_form = ReplyForm(request.POST, request.FILES)
        if reply_form.is_valid():
            try:
                reply_as_reporter(petition, text=reply_form.cleaned_data["text"], files=reply_form.uploads())
            except Refused as refused:
                show_refusal(reply_form, refused)
            else:
                reply_form, replied = ReplyForm(), True
    context = {
        "status_label": public.status_of(petition).label,
        "thread": public.reporter_thread(petition),
        "receipt": receipt,
        "reply_form": reply_form,
        "replied": replied,
        "open": not petition.inspection.is_read_only,
    }
    return render(request, "intake/portal/status.html", context)


urlpatterns: list[URLPattern] = [
    path("lookup/", lookup, name="lookup"),
    *appointments.portal_urlpatterns,
    path("<slug:code>/", announcement_page, name="announcement"),
]


def panel(request: HttpRequest, petition: Petition) -> str:
    """The petition page's thread with the reporter: questions and answers (no attachment names: only
    how many came), and the form to ask a question when the reporter can be reached (a receipt)."""
    user = acting_user(request)
    thread = (
        PetitionMessage.objects.visible_to(user)
        .filter(petition=petition)
        .select_related("by")
        .annotate(files=Count("attachments"))
        .order_by("at")
    )
    context = {
        "petition": petition,
        "thread": thread,
        "reachable": bool(petition.receipt_key) and not petition.inspection.is_read_only,
        "form": QuestionForm(),
    }
    return render_to_string("intake/portal/panel.html", context, request=request)
