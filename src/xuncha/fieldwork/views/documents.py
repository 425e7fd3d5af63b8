"""Pages of document requests (调阅、复制资料): the lists (all requests one sees; one inspection's), one
request with its items (the team reviews, the unit's liaison answers), the forms that edit a draft, the
notice as .docx and the audited file downloads; the fieldwork page's ``section`` and the home-page panels.

Requests are found through ``visible_to`` (out of scope → 404, as for a missing id); a liaison sees only
the issued requests of its own unit.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.audit import record_read
from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.downloads import document_response
from xuncha.core.forms import uploads
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, id_param, paginate, querystring_without_page
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..actions import documents as actions
from ..choices import OUTSTANDING_ITEM_STATUSES, ItemStatus, RequestStatus
from ..forms.documents import (
    NO,
    YES,
    AnswerForm,
    ItemForm,
    RequestFilterForm,
    RequestForm,
    ReturnForm,
    StartRequestForm,
)
from ..models import DocumentFile, DocumentItem, DocumentRequest
from ..models.documents import DocumentRequestQuerySet, overdue_items

GET_POST = ["GET", "POST"]
PANEL_LIMIT = 10
SECTION_LIMIT = 5
# An item's due date: its own, or its request's.
DUE = Coalesce("due_on", "request__due_on")


def _requests(user: User) -> DocumentRequestQuerySet:
    return DocumentRequest.objects.visible_to(user).select_related(
        "inspection__round__committee", "inspection__team", "inspection__unit"
    )


def _items(user: User) -> QuerySet[DocumentItem]:
    return DocumentItem.objects.visible_to(user).select_related(
        "request__inspection__round__committee", "request__inspection__team", "request__inspection__unit"
    )


def _team_may(user: User, inspection: Inspection) -> bool:
    return holds(user, actions.team_roles(inspection))


def _reader_role(user: User, inspection: Inspection) -> str:
    candidates = {
        **actions.team_roles(inspection),
        **actions.liaison_roles(inspection),
        Role.OFFICE: inspection.round.committee_id,
        Role.LEADING_GROUP: inspection.round.committee_id,
    }
    return next((role for role, scope in candidates.items() if user.scopes.has(role, scope)), "")


# Lists ----------------------------------------------------------------------------------------------


def _list(request: HttpRequest, inspection: Inspection | None) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    form = RequestFilterForm(request.GET or None)
    requests = _requests(user).with_counts(today).order_by("-created_at", "-pk")
    if inspection is not None:
        requests = requests.filter(inspection=inspection)
    elif (inspection_id := id_param(request.GET.get("inspection", ""))) is not None:
        requests = requests.filter(inspection_id=inspection_id)
    if form.is_valid():
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["overdue"] == YES:
            requests = requests.filter(Q(overdue__gt=0))
        elif form.cleaned_data["overdue"] == NO:
            requests = requests.filter(Q(overdue=0))
    context = {
        "form": form,
        "inspection": inspection,
        "page_obj": paginate(request, requests),
        "query": querystring_without_page(request),
        "may_start": inspection is not None and not inspection.is_read_only and _team_may(user, inspection),
        "badges": BADGE_COLOURS,
    }
    return render(request, "fieldwork/documents/request_list.html", context)


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request the user sees; for a unit's liaison, what its unit has been asked for and owes."""
    return _list(request, None)


def _inspection(user: User, pk: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee", "team", "unit"), pk=pk
    )


@login_required
@require_GET
def inspection_requests(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _list(request, _inspection(acting_user(request), inspection_id))


@login_required
@require_http_methods(GET_POST)
def request_start(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    form = StartRequestForm(request.POST or None)
    start = inspection.round.planned_start
    lines = [(line, actions.period_text(line.years, start)) for line in actions.template_items(inspection)]
    return form_page(
        request,
        form,
        lambda: perform(user, actions.start_document_request, inspection, **form.cleaned_data),
        allowed=actions.team_roles(inspection),
        title="创建调阅资料清单",
        done=f"已按{inspection.round.get_kind_display()}模板创建清单，请核对事项后下发。",
        then=_request_url,
        template="fieldwork/documents/request_start.html",
        inspection=inspection,
        lines=lines,
    )


# One request ----------------------------------------------------------------------------------------


def _request(user: User, pk: int) -> DocumentRequest:
    return get_object_or_404(_requests(user).select_related("created_by", "issued_by"), pk=pk)


def _request_url(doc_request: DocumentRequest) -> str:
    return reverse("fieldwork:document-request", args=[doc_request.pk])


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    doc_request = _request(user, pk)
    inspection = doc_request.inspection
    items = list(
        doc_request.items.select_related("answered_by", "reviewed_by")
        .prefetch_related("files")
        .order_by("position")
    )
    for item in items:
        item.request = doc_request  # the request is loaded already: no query per item for its due date
    team = _team_may(user, inspection) and not inspection.is_read_only
    liaison = holds(user, actions.liaison_roles(inspection)) and not inspection.is_read_only
    today = timezone.localdate()
    context = {
        "doc_request": doc_request,
        "inspection": inspection,
        "items": items,
        "overdue_count": sum(item.is_overdue(today) for item in items),
        "outstanding_count": sum(item.is_outstanding for item in items),
        "team": team,
        "liaison": liaison,
        "badges": BADGE_COLOURS,
    }
    return render(request, "fieldwork/documents/request_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    doc_request = _request(user, pk)
    initial = {
        "title": doc_request.title,
        "instructions": doc_request.instructions,
        "due_on": doc_request.due_on,
    }
    form = RequestForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_document_request, doc_request, **form.cleaned_data),
        allowed=actions.team_roles(doc_request.inspection),
        title="修改调阅资料清单",
        done="清单已保存。",
        then=_request_url(doc_request),
        template="fieldwork/documents/form.html",
        doc_request=doc_request,
        heading="修改清单",
        locked=not doc_request.is_draft,
    )


@login_required
@require_http_methods(GET_POST)
def request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST issues the request to the unit."""
    user = acting_user(request)
    doc_request = _request(user, pk)
    require(user, actions.team_roles(doc_request.inspection), what="下发调阅资料清单")
    return confirm_page(
        request,
        lambda: perform(user, actions.issue_document_request, doc_request),
        done=f"已下发{doc_request.inspection.unit.name}，联络人可逐项答复。",
        back=_request_url(doc_request),
        template="fieldwork/documents/request_issue.html",
        doc_request=doc_request,
        count=lambda: doc_request.items.count(),
    )


# The notice (关于调阅有关资料的通知) ------------------------------------------------------------------


def notice_number(doc_request: DocumentRequest) -> str:
    day = timezone.localdate(doc_request.issued_at or doc_request.created_at)
    return f"{doc_request.inspection.team.name}调阅〔{day.year}〕{doc_request.number}号"


def notice(doc_request: DocumentRequest, items: list[DocumentItem]) -> bytes:
    """The request as a notice to the unit, its items numbered with their periods, ways and due dates."""
    inspection = doc_request.inspection
    team = inspection.team_signature
    due = official_date(doc_request.due_on)
    doc = OfficialDocument()
    doc.letterhead(team, number=notice_number(doc_request))
    doc.title("关于调阅有关资料的通知")
    doc.addressee(inspection.unit.name)
    doc.paragraph(
        f"根据{inspection.round.committee.name}巡察工作统一部署，{team}正在对你单位开展{inspection.round.get_kind_display()}。"
        f"按照巡察工作有关规定，现需调阅、复制以下资料，请于{due}前提供给巡察组（另有期限的按所列期限）。"
    )
    doc.heading(1, "资料清单")
    for item in items:
        parts = [f"{item.period}" if item.period else "", item.get_mode_display()]
        if item.due_on and item.due_on != doc_request.due_on:
            parts.append(f"{official_date(item.due_on)}前提供")
        line = f"{item.position}. {item.what}（{'；'.join(p for p in parts if p)}）"
        doc.paragraph(f"{line}。{item.notes}" if item.notes else f"{line}。")
    doc.heading(1, "有关要求")
    if doc_request.instructions:
        doc.paragraph(doc_request.instructions)
    doc.paragraph(
        "请指定专人负责资料的收集、整理和报送，确保资料真实、完整；无此类资料的，请逐项书面说明。"
        "资料可通过巡察工作平台逐项上传，也可送至巡察组驻地。"
    )
    doc.signature(team, timezone.localdate(doc_request.issued_at or timezone.now()))
    return doc.save()


@login_required
@require_GET
def request_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice (.docx) for whoever sees the request; every download is an audit event."""
    user = acting_user(request)
    doc_request = _request(user, pk)
    items = list(doc_request.items.order_by("position"))
    data = notice(doc_request, items)
    record_read(
        "document_request.notice_read",
        doc_request,
        by=user,
        role=_reader_role(user, doc_request.inspection),
        details={"number": doc_request.number, "items": len(items)},
    )
    filename = f"关于调阅有关资料的通知（{notice_number(doc_request)}）.docx"
    return document_response(request, data, filename)


# Items ----------------------------------------------------------------------------------------------


def _item(user: User, pk: int) -> DocumentItem:
    return get_object_or_404(_items(user), pk=pk)


def _item_url(item: DocumentItem) -> str:
    return reverse("fieldwork:document-request", args=[item.request_id])


@login_required
@require_http_methods(GET_POST)
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    doc_request = _request(user, pk)
    form = ItemForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.add_document_item, doc_request, **form.cleaned_data),
        allowed=actions.team_roles(doc_request.inspection),
        title="增加调阅资料事项",
        done=lambda item: f"已增加第 {item.position} 项。",
        then=_item_url,
        template="fieldwork/documents/form.html",
        doc_request=doc_request,
        heading="增加事项" if doc_request.is_draft else "补充调阅事项（下发后增加）",
    )


@login_required
@require_http_methods(GET_POST)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = _item(user, pk)
    fields = ("what", "period", "mode", "due_on", "notes")
    form = ItemForm(request.POST or None, initial={name: getattr(item, name) for name in fields})
    # Editing an issued request's items is refused by the action: ``locked`` says so before the user types.
    return form_page(
        request,
        form,
        lambda: perform(user, actions.update_document_item, item, **form.cleaned_data),
        allowed=actions.team_roles(item.request.inspection),
        title="修改调阅资料事项",
        done=f"第 {item.position} 项已保存。",
        then=_item_url(item),
        template="fieldwork/documents/form.html",
        doc_request=item.request,
        heading=f"修改第 {item.position} 项",
        locked=not item.request.is_draft,
    )


@login_required
@require_http_methods(GET_POST)
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST removes the item from the draft."""
    user = acting_user(request)
    item = _item(user, pk)
    require(user, actions.team_roles(item.request.inspection), what="删除调阅资料事项")
    return confirm_page(
        request,
        lambda: perform(user, actions.remove_document_item, item),
        done=f"已删除“{item.what}”。",
        back=_item_url(item),
        template="fieldwork/documents/item_remove.html",
        item=item,
    )


@login_required
@require_http_methods(GET_POST)
def item_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison's answer to one item: files and/or a text."""
    user = acting_user(request)
    item = _item(user, pk)
    posted = request.method == "POST"
    form = AnswerForm(request.POST if posted else None, request.FILES if posted else None)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.answer_document_item,
            item,
            answer=form.cleaned_data["answer"],
            files=uploads(form.cleaned_data["attachments"]),
        ),
        allowed=actions.liaison_roles(item.request.inspection),
        title="答复调阅资料事项",
        done=f"第 {item.position} 项已答复，等待巡察组确认。",
        then=_item_url(item),
        template="fieldwork/documents/item_answer.html",
        item=item,
        files=item.files.all(),
    )


@login_required
@require_POST
def item_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = _item(user, pk)
    require(user, actions.team_roles(item.request.inspection), what="接收调阅资料")
    return confirm_page(
        request,
        lambda: perform(user, actions.accept_document_item, item),
        done=f"已接收第 {item.position} 项。",
        back=_item_url(item),
    )


@login_required
@require_http_methods(GET_POST)
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = _item(user, pk)
    form = ReturnForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.return_document_item, item, reason=form.cleaned_data["reason"]),
        allowed=actions.team_roles(item.request.inspection),
        title="退回调阅资料",
        done=f"已退回第 {item.position} 项，单位须重新提供。",
        then=_item_url(item),
        template="fieldwork/documents/item_return.html",
        item=item,
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A file the unit provided; every download is an audit event."""
    user = acting_user(request)
    file = get_object_or_404(
        DocumentFile.objects.visible_to(user).select_related("item__request__inspection__round"), pk=pk
    )
    item = file.item
    data = file.read()
    record_read(
        "document_file.downloaded",
        file,
        by=user,
        role=_reader_role(user, item.request.inspection),
        details={
            "request": str(item.request),
            "position": item.position,
            "content_type": file.content_type,
            "size": file.size,
        },
    )
    response = HttpResponse(data, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(GET_POST)
def file_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A confirmation page; the POST withdraws the liaison's file from an item not yet accepted."""
    user = acting_user(request)
    file = get_object_or_404(
        DocumentFile.objects.visible_to(user).select_related(
            "item__request__inspection__round", "item__request__inspection__unit"
        ),
        pk=pk,
    )
    item = file.item
    require(user, actions.liaison_roles(item.request.inspection), what="撤回调阅资料文件")
    filename = file.filename  # decrypted with the row's id, gone once the row is
    return confirm_page(
        request,
        lambda: perform(user, actions.withdraw_document_file, file),
        done=f"已撤回“{filename}”。",
        back=_item_url(item),
        template="fieldwork/documents/file_withdraw.html",
        file=file,
        item=item,
    )


# The fieldwork page's section and the home page ----------------------------------------------------


def _sees(user: User, inspection: Inspection) -> bool:
    committee = inspection.round.committee_id
    return (
        user.scopes.has(Role.OFFICE, committee)
        or user.scopes.has(Role.LEADING_GROUP, committee)
        or _team_may(user, inspection)
        or holds(user, actions.liaison_roles(inspection))
    )


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The inspection's document requests in numbers (items received, outstanding, overdue) and the overdue
    items themselves; two queries."""
    user = acting_user(request)
    if not _sees(user, inspection):
        return ""
    today = timezone.localdate()
    items = DocumentItem.objects.visible_to(user).filter(request__inspection=inspection)
    counts: dict[str, Any] = items.aggregate(
        requests=Count("request", distinct=True),
        drafts=Count("request", filter=Q(request__status=RequestStatus.DRAFT), distinct=True),
        total=Count("pk", filter=Q(request__status=RequestStatus.ISSUED)),
        received=Count("pk", filter=Q(status__in=(ItemStatus.PROVIDED, ItemStatus.ACCEPTED))),
        outstanding=Count(
            "pk", filter=Q(status__in=OUTSTANDING_ITEM_STATUSES, request__status=RequestStatus.ISSUED)
        ),
        overdue=Count("pk", filter=overdue_items(today)),
    )
    overdue = (
        items.filter(overdue_items(today)).select_related("request").order_by(DUE, "request_id", "position")
    )
    context = {
        "inspection": inspection,
        "counts": counts,
        "overdue": overdue[:SECTION_LIMIT],
        "team": _team_may(user, inspection) and not inspection.is_read_only,
        "badges": BADGE_COLOURS,
    }
    return render_to_string("fieldwork/documents/section.html", context, request=request)


def home_panels(user: User) -> list[Panel]:
    """The team: items overdue in its inspections. The liaison: what its unit owes, soonest first."""
    scopes = user.scopes
    panels: list[Panel] = []
    today = timezone.localdate()
    teams = scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    if teams:
        overdue = _items(user).filter(overdue_items(today), request__inspection__team_id__in=teams)
        overdue = overdue.exclude(request__inspection__stage=Stage.ARCHIVED)  # archived: none of its work
        rows, count = head(overdue.order_by(DUE, "request_id", "position"), PANEL_LIMIT)
        context: dict[str, Any] = {"items": rows, "count": count, "badges": BADGE_COLOURS}
        panels.append(Panel("逾期未提供的调阅资料", "fieldwork/documents/home_team.html", context, order=26))
    units = scopes.ids(Role.UNIT_LIAISON)
    if units:
        owed = (
            _items(user)
            .filter(
                request__inspection__unit_id__in=units,
                request__status=RequestStatus.ISSUED,
                status__in=OUTSTANDING_ITEM_STATUSES,
            )
            .exclude(request__inspection__stage=Stage.ARCHIVED)
        )
        rows, count = head(owed.order_by(DUE, "request_id", "position"), PANEL_LIMIT)
        context = {
            "items": rows,
            "count": count,
            "overdue": owed.filter(overdue_items(today)).count(),
            "badges": BADGE_COLOURS,
        }
        panels.append(Panel("待提供的调阅资料", "fieldwork/documents/home_liaison.html", context, order=16))
    return panels


urlpatterns: list[URLPattern] = [
    path("documents/", request_list, name="document-request-list"),
    path("documents/inspections/<int:inspection_id>/", inspection_requests, name="document-inspection"),
    path("documents/inspections/<int:inspection_id>/new/", request_start, name="document-request-start"),
    path("documents/<int:pk>/", request_detail, name="document-request"),
    path("documents/<int:pk>/edit/", request_edit, name="document-request-edit"),
    path("documents/<int:pk>/issue/", request_issue, name="document-request-issue"),
    path("documents/<int:pk>/notice/", request_notice, name="document-request-notice"),
    path("documents/<int:pk>/items/new/", item_add, name="document-item-add"),
    path("documents/items/<int:pk>/edit/", item_edit, name="document-item-edit"),
    path("documents/items/<int:pk>/remove/", item_remove, name="document-item-remove"),
    path("documents/items/<int:pk>/answer/", item_answer, name="document-item-answer"),
    path("documents/items/<int:pk>/accept/", item_accept, name="document-item-accept"),
    path("documents/items/<int:pk>/return/", item_return, name="document-item-return"),
    path("documents/files/<uuid:pk>/", file_download, name="document-file"),
    path("documents/files/<uuid:pk>/withdraw/", file_withdraw, name="document-file-withdraw"),
]
