"""Pages of an inspection's mobilisation meeting (动员会): the page (read, and for the team leader and the
office the form), and its notice and record as documents (Word or PDF, audited and watermarked).

The office, the leading group and the team see it; others who see the inspection (the unit's liaison) get
403, everyone else 404, as for a missing id.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.downloads import document_response
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require
from xuncha.core.scoping import perform

from . import mobilisation
from .access import sees_members
from .forms import MobilisationMeetingForm
from .models import Inspection, MobilisationMeeting

GET_POST = ["GET", "POST"]


def _inspection(user: User, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee", "team__round", "unit"), pk=pk
    )
    if not sees_members(user, inspection.team):
        raise NotAllowed("只有巡察办、领导小组和本巡察组可以查看巡察工作动员会。")
    return inspection


def _meeting(user: User, inspection: Inspection) -> MobilisationMeeting | None:
    return MobilisationMeeting.objects.visible_to(user).filter(inspection=inspection).first()


@login_required
@require_http_methods(GET_POST)
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    meeting = _meeting(user, inspection)
    posted = request.method == "POST"
    if posted:
        require(user, mobilisation.editor_roles(inspection), what="登记巡察工作动员会")
    initial = MobilisationMeetingForm.initial_for(inspection, meeting)
    form = MobilisationMeetingForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            perform(user, mobilisation.save_meeting, inspection, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已保存巡察工作动员会。")
            return redirect("rounds:mobilisation", pk=inspection.pk)
    context = {
        "inspection": inspection,
        "meeting": meeting,
        "form": form,
        "can_edit": holds(user, mobilisation.editor_roles(inspection)) and not inspection.is_read_only,
    }
    return render(request, "rounds/mobilisation.html", context)


def _download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    meeting = _meeting(user, inspection)
    if meeting is None:
        raise Http404
    role = require(user, mobilisation.reader_roles(inspection), what="下载动员会文书")
    if kind == "notice":
        data, title = mobilisation.notice_document(meeting), "关于召开巡察工作动员会的通知"
    else:
        data, title = mobilisation.record_document(meeting), "巡察工作动员会会议记录"
    record_read(
        f"mobilisation_meeting.{kind}_read",
        meeting,
        by=user,
        role=role,
        details={"unit": inspection.unit.name},
    )
    return document_response(request, data, mobilisation.document_filename(meeting, title))


@login_required
@require_GET
def notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    """关于召开巡察工作动员会的通知 (.docx, or PDF); audited."""
    return _download(request, pk, "notice")


@login_required
@require_GET
def record_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's record (.docx, or PDF); audited."""
    return _download(request, pk, "record")
