"""Pages of activities (the other working methods): an inspection's list with filters, recording, editing
and deleting (with confirmation) an activity, its page (the confidential parts read there are audited) and
its attachments' audited downloads.

Only the inspection's team and the office of its committee see them; anyone else, the unit's liaison and
the leading group included, gets 404 as for a missing id. The office reads; the team writes.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.errors import Refused
from xuncha.core.forms import uploads
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page, paginate, querystring_without_page
from xuncha.rounds.models import Inspection

from ..actions import activities as actions
from ..forms.activities import ActivityFilterForm, ActivityForm
from ..models import Activity, ActivityAttachment
from .checks import inspection_for

GET_POST = ["GET", "POST"]


def _inspection(user: User, pk: int) -> Inspection:
    return inspection_for(user, pk, actions.reader_roles)


def _activity(user: User, pk: uuid.UUID) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related(
            "inspection__round", "inspection__team", "inspection__unit", "department", "created_by"
        ),
        pk=pk,
    )


def _may_write(user: User, inspection: Inspection) -> bool:
    return holds(user, actions.writer_roles(inspection)) and not inspection.is_read_only


@login_required
@require_GET
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    form = ActivityFilterForm(request.GET or None)
    activities = form.filter(
        Activity.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("department")
        .defer("notes", "other_participants")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-starts_at", "pk")  # Meta.ordering does not apply to an aggregating query
    )
    context = {
        "inspection": inspection,
        "form": form,
        "page_obj": paginate(request, activities),
        "query": querystring_without_page(request),
        "may_write": _may_write(user, inspection),
    }
    return render(request, "fieldwork/activities/list.html", context)


@login_required
@require_http_methods(GET_POST)
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, inspection=inspection)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = ActivityForm(initial={"starts_at": now}, inspection=inspection)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.create_activity,
            inspection,
            data=form.activity_input(),
            uploads=uploads(form.cleaned_data["attachments"]),
        ),
        allowed=actions.writer_roles(inspection),
        title="登记工作记录",
        done=lambda activity: f"已登记：{activity}。",
        then=lambda activity: reverse("fieldwork:activity-detail", args=[activity.pk]),
        template="fieldwork/activities/form.html",
        inspection=inspection,
    )


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    activity = _activity(user, pk)
    actions.notes_read(activity, by=user)
    context = {
        "activity": activity,
        "inspection": activity.inspection,
        "members": activity.members.select_related("inspector"),
        "attachments": ActivityAttachment.objects.visible_to(user)
        .filter(activity=activity)
        .defer("filename"),
        "may_write": _may_write(user, activity.inspection),
    }
    return render(request, "fieldwork/activities/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def activity_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    activity = _activity(user, pk)
    inspection = activity.inspection
    require(user, actions.writer_roles(inspection), what="修改工作记录")
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, inspection=inspection)
    else:
        actions.notes_read(activity, by=user)  # the form shows the notes
        form = ActivityForm(initial=ActivityForm.initial_for(activity), inspection=inspection)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            actions.update_activity,
            activity,
            data=form.activity_input(),
            uploads=uploads(form.cleaned_data["attachments"]),
        ),
        allowed=None,  # required above: the form shows the notes, a read to audit only for who may edit
        title="修改工作记录",
        done="已保存修改。",
        then=reverse("fieldwork:activity-detail", args=[activity.pk]),
        template="fieldwork/activities/form.html",
        inspection=inspection,
        activity=activity,
    )


@login_required
@require_http_methods(GET_POST)
def activity_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    activity = _activity(user, pk)
    inspection = activity.inspection
    require(user, actions.writer_roles(inspection), what="删除工作记录")
    if request.method == "POST":
        try:
            actions.delete_activity(activity, by=user)
        except Refused as refused:
            messages.error(request, refused.message)
            return redirect("fieldwork:activity-detail", pk=activity.pk)
        messages.success(request, "已删除该工作记录及其附件。")
        return redirect("fieldwork:activity-list", pk=inspection.pk)
    return render(
        request, "fieldwork/activities/delete.html", {"activity": activity, "inspection": inspection}
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    attachment = get_object_or_404(
        ActivityAttachment.objects.visible_to(user).select_related("activity__inspection__round"), pk=pk
    )
    response = HttpResponse(actions.downloaded(attachment, by=user), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The activities' block of the inspection's fieldwork page (two queries), or "" for who may not
    see it."""
    user = acting_user(request)
    if not holds(user, actions.reader_roles(inspection)):
        return ""
    now = timezone.now()
    counts = Activity.objects.filter(inspection=inspection).aggregate(
        done=Count("pk", filter=Q(starts_at__lte=now)),
        upcoming=Count("pk", filter=Q(starts_at__gt=now)),
    )
    upcoming = (
        Activity.objects.filter(inspection=inspection, starts_at__gt=now)
        .only("id", "kind", "title", "starts_at", "place")
        .order_by("starts_at")[:3]
    )
    context = {"inspection": inspection, "counts": counts, "upcoming": upcoming}
    return render_to_string("fieldwork/activities/_section.html", context, request=request)


urlpatterns: list[URLPattern] = [
    path("activities/inspections/<int:pk>/", activity_list, name="activity-list"),
    path("activities/inspections/<int:pk>/new/", activity_new, name="activity-new"),
    path("activities/<uuid:pk>/", activity_detail, name="activity-detail"),
    path("activities/<uuid:pk>/edit/", activity_edit, name="activity-edit"),
    path("activities/<uuid:pk>/delete/", activity_delete, name="activity-delete"),
    path("activities/attachments/<uuid:pk>/", attachment_download, name="activity-attachment"),
]
