"""Pages of information requests: the list (a department's inbox, the team's and office's letters), the
team's preparation page of an inspection, one request with its slots and answers, and the forms of the
actions (send, answer, ask again, close, draw a lead); answer files are downloaded here, each read audited.

Scope: a request is found through ``visible_to`` (out of scope → 404). A receiver sees the requests addressed
to its department and only its own slot; the unit's liaison sees the inspection but not its preparation
(403); everyone else 404.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal, uploads
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, held_role, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page, paginate, querystring_without_page
from xuncha.rounds.models import Inspection

from . import actions
from .choices import STATE_BADGES
from .forms import AnswerForm, AskAgainForm, CloseForm, LeadForm, RequestForm, default_due
from .models import InformationAnswer, InformationAnswerFile, InformationRequest, Lead, Recipient

GET_POST = ["GET", "POST"]


def _inspection(user: User, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee", "team", "unit"), pk=pk
    )
    if not holds(user, actions.reader_roles(inspection)):
        raise NotAllowed("只有巡察办、领导小组和本巡察组可以查看巡前了解情况。")
    return inspection


def _request(user: User, pk: int) -> InformationRequest:
    return get_object_or_404(
        InformationRequest.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__team", "inspection__unit", "created_by"
        ),
        pk=pk,
    )


def _slot(user: User, pk: uuid.UUID) -> Recipient:
    return get_object_or_404(
        Recipient.objects.visible_to(user).select_related(
            "department",
            "request__inspection__round__committee",
            "request__inspection__team",
            "request__inspection__unit",
        ),
        pk=pk,
    )


def _slots(user: User, requests: list[InformationRequest]) -> list[Recipient]:
    """The slots of ``requests`` the user sees, with their answers and files (a fixed number of queries)."""
    answers = InformationAnswer.objects.select_related("answered_by").prefetch_related("files", "leads")
    return list(
        Recipient.objects.visible_to(user)
        .filter(request__in=requests)
        .select_related("department")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("request_id", "department_id")
    )


def _with_slots(user: User, requests: list[InformationRequest]) -> int:
    """Attach ``shown_slots`` to each request; returns how many answers are shown."""
    by_request: dict[int, list[Recipient]] = {r.pk: [] for r in requests}
    shown = 0
    for slot in _slots(user, requests):
        slot.badge = STATE_BADGES[slot.state()]  # type: ignore[attr-defined]
        by_request[slot.request_id].append(slot)
        shown += len(slot.answers.all())
    for request in requests:
        request.shown_slots = by_request[request.pk]  # type: ignore[attr-defined]
    return shown


def audit_answers(
    user: User, obj: Inspection | InformationRequest, roles: dict[str, int], shown: int
) -> None:
    """Answer text may name people: a page that shows answers records the read."""
    if shown:
        record_read(
            "information_request.answers_read",
            obj,
            by=user,
            role=held_role(user, roles),
            details={"answers": shown},
        )


def _posted(request: HttpRequest) -> Any:
    """The posted data, bound even when empty (so an empty post shows the form's errors)."""
    return request.POST if request.method == "POST" else None


def _detail_url(item: InformationRequest) -> str:
    return reverse("preparation:request-detail", args=[item.pk])


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request the user sees: for a receiver, those addressed to its department (its slot only)."""
    user = acting_user(request)
    page = paginate(
        request,
        InformationRequest.objects.visible_to(user)
        .select_related("inspection__team", "inspection__unit", "inspection__round")
        .order_by("-created_at", "-pk"),
    )
    requests: list[InformationRequest] = list(page.object_list)
    slots = (
        Recipient.objects.visible_to(user)
        .filter(request__in=requests)
        .select_related("department")
        .order_by("department_id")
    )
    by_request: dict[int, list[Recipient]] = {r.pk: [] for r in requests}
    for slot in slots:
        slot.badge = STATE_BADGES[slot.state()]  # type: ignore[attr-defined]
        by_request[slot.request_id].append(slot)
    for item in requests:
        item.shown_slots = by_request[item.pk]  # type: ignore[attr-defined]
    context = {"requests": requests, "page_obj": page, "query": querystring_without_page(request)}
    return render(request, "preparation/request_list.html", context)


@login_required
@require_GET
def inspection_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's preparation page: every request of the inspection, each department's answers and files,
    and the leads drawn from them."""
    user = acting_user(request)
    inspection = _inspection(user, pk)
    requests = list(
        InformationRequest.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    for item in requests:
        item.inspection = inspection
    shown = _with_slots(user, requests)
    leads = list(
        Lead.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("answer__recipient__department")
    )
    audit_answers(user, inspection, actions.reader_roles(inspection), shown)
    context = {
        "inspection": inspection,
        "requests": requests,
        "leads": leads,
        "may_request": actions.may_request(user, inspection),
        "may_lead": holds(user, actions.lead_roles(inspection)) and not inspection.is_read_only,
    }
    return render(request, "preparation/inspection.html", context)


@login_required
@require_http_methods(GET_POST)
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    kinds = actions.kinds_now(inspection)
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        departments=actions.target_departments(inspection),
        initial={"kind": kinds[0] if kinds else "", "due_on": default_due()},
    )
    return form_page(
        request,
        form,
        lambda: perform(user, actions.send_request, inspection, **form.cleaned_data),
        allowed=actions.requester_roles(inspection),
        title="发出了解情况函",
        done=lambda created: f"已发出{created}。",
        then=lambda created: reverse("preparation:request-detail", args=[created.pk]),
        template="preparation/request_form.html",
        inspection=inspection,
        kinds=kinds,
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = _request(user, pk)
    inspection = item.inspection
    shown = _with_slots(user, [item])
    team_side = holds(user, actions.reader_roles(inspection))
    roles = {**actions.reader_roles(inspection)}
    for slot in item.shown_slots:  # type: ignore[attr-defined]
        roles |= actions.receiver_roles(slot)
        slot.may_answer = actions.may_answer(user, slot)
    audit_answers(user, item, roles, shown)
    writable = item.is_open and not inspection.is_read_only
    context = {
        "item": item,
        "inspection": inspection,
        "team_side": team_side,
        "may_manage": writable and holds(user, actions.requester_roles(inspection)),
        "may_lead": team_side and holds(user, actions.lead_roles(inspection)) and not inspection.is_read_only,
        "today": timezone.localdate(),
    }
    return render(request, "preparation/request_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def answer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The department's receiver answers its slot (text and files)."""
    user = acting_user(request)
    slot = _slot(user, pk)
    posted = request.method == "POST"
    form = AnswerForm(_posted(request), request.FILES if posted else None)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.answer_request,
            slot,
            text=form.cleaned_data["text"],
            files=uploads(form.cleaned_data["attachments"]),
        ),
        allowed=actions.receiver_roles(slot),
        done="已答复。",
        then=lambda _answer: _detail_url(slot.request),
        title="答复了解情况函",
        back=_detail_url(slot.request),
        template="preparation/answer_form.html",
        slot=slot,
        item=slot.request,
        may_answer=actions.may_answer(user, slot),
    )


@login_required
@require_http_methods(GET_POST)
def ask_again(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    slot = _slot(user, pk)
    form = AskAgainForm(_posted(request), initial={"due_on": default_due()})
    return form_page(
        request,
        form,
        lambda: perform(user, actions.ask_again, slot, **form.cleaned_data),
        allowed=actions.requester_roles(slot.request.inspection),
        done=f"已再次提请{slot.department.name}答复。",
        then=lambda _slot: _detail_url(slot.request),
        title="再次提请答复",
        back=_detail_url(slot.request),
        template="preparation/ask_again_form.html",
        slot=slot,
        item=slot.request,
    )


@login_required
@require_http_methods(GET_POST)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = _request(user, pk)
    form = CloseForm(_posted(request))
    return form_page(
        request,
        form,
        lambda: perform(user, actions.close_request, item, **form.cleaned_data),
        allowed=actions.requester_roles(item.inspection),
        done=f"已关闭{item}。",
        then=lambda _closed: _detail_url(item),
        title="关闭了解情况函",
        back=_detail_url(item),
        template="preparation/close_form.html",
        item=item,
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A file sent with an answer; every download is an audit event."""
    user = acting_user(request)
    file = get_object_or_404(
        InformationAnswerFile.objects.visible_to(user).select_related(
            "answer__recipient__department", "answer__recipient__request__inspection__round"
        ),
        pk=pk,
    )
    return file_response(user, file)


def file_response(user: User, file: InformationAnswerFile) -> HttpResponse:
    """The file's bytes, after the audit event of the read (the page's and the API's download)."""
    data = file.read()
    slot = file.answer.recipient
    record_read(
        "information_answer_file.downloaded",
        file,
        by=user,
        role=held_role(user, actions.reader_roles(slot.request.inspection) | actions.receiver_roles(slot)),
        details={
            "department": slot.department.name,
            "content_type": file.content_type,
            "size": file.size,
        },
    )
    response = HttpResponse(data, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _answer(user: User, pk: uuid.UUID) -> InformationAnswer:
    return get_object_or_404(
        InformationAnswer.objects.visible_to(user).select_related(
            "recipient__department",
            "recipient__request__inspection__round__committee",
            "recipient__request__inspection__team",
        ),
        pk=pk,
    )


@login_required
@require_http_methods(GET_POST)
def lead_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The team records an answer (or a passage of it) as a lead; the form starts from the whole answer."""
    user = acting_user(request)
    found = _answer(user, pk)
    inspection = found.recipient.request.inspection
    role = require(user, actions.lead_roles(inspection), what="由答复形成线索")
    posted = request.method == "POST"
    form = LeadForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            lead = perform(user, actions.record_lead, found, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"已登记{lead.number}。")
            return redirect("preparation:inspection", pk=inspection.pk)
    if not posted:
        record_read(
            "information_request.answers_read",
            found.recipient.request,
            by=user,
            role=role,
            details={"answers": 1},
        )
        form = LeadForm(initial={"passage": found.text})
    context = {"answer": found, "item": found.recipient.request, "inspection": inspection, "form": form}
    return render(request, "preparation/lead_form.html", context)


@login_required
@require_GET
def lead_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One lead, as findings' evidence links show it; reading its text is audited."""
    user = acting_user(request)
    lead = get_object_or_404(
        Lead.objects.visible_to(user).select_related(
            "inspection__round",
            "inspection__team",
            "inspection__unit",
            "answer__recipient__department",
            "answer__recipient__request",
            "created_by",
        ),
        pk=pk,
    )
    record_read(
        "preparation_lead.read",
        lead,
        by=user,
        role=held_role(user, actions.lead_roles(lead.inspection) | actions.reader_roles(lead.inspection)),
        details={"number": lead.number},
    )
    return render(request, "preparation/lead_detail.html", {"lead": lead, "inspection": lead.inspection})
