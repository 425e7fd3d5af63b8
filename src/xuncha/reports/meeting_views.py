"""Pages of the 书记专题会: recording one for a round (the office or the leading group), reading it, and
its record (书记专题会议纪要) as .docx (an audit event; watermarked, PDF on request).

The meeting is read by the office and the leading group of the round's committee (everyone else: the 404
of a missing id); a team reads the decision on its own inspection on its report's page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.downloads import document_response
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, held_role
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page

from . import meeting
from .actions import hearing_roles
from .meeting_forms import SecretaryMeetingForm
from .models import SecretaryMeeting
from .views import office_round


def _meeting(user: User, pk: int) -> SecretaryMeeting:
    return get_object_or_404(
        SecretaryMeeting.objects.visible_to(user).select_related("round__committee", "recorded_by"), pk=pk
    )


def _meeting_url(obj: SecretaryMeeting) -> str:
    return reverse("reports:secretary-meeting-detail", args=[obj.pk])


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, round_id: int) -> HttpResponse:
    user = acting_user(request)
    round_ = office_round(user, round_id)
    inspections = list(meeting.hearable(round_))
    form = SecretaryMeetingForm(
        request.POST or None, attendees=meeting.candidate_attendees(round_), inspections=inspections
    )
    return form_page(
        request,
        form,
        lambda: perform(
            user, meeting.record_secretary_meeting, round_, data=form.meeting_input(), items=form.items()
        ),
        allowed=hearing_roles(round_),
        done="已记录书记专题会。",
        then=_meeting_url,
        title=f"记录书记专题会：{round_.name}",
        back=reverse("rounds:round-detail", args=[round_.pk]),
        template="reports/form.html",
        empty="" if inspections else "本轮暂无巡察报告已定稿、尚未进入整改的巡察。",
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    obj = _meeting(user, pk)
    context = {
        "meeting": obj,
        "attendees": obj.attendees.order_by("full_name", "username"),
        "decisions": obj.decisions.select_related("inspection__unit", "inspection__team"),
    }
    return render(request, "reports/secretary_meeting_detail.html", context)


@login_required
@require_GET
def meeting_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    obj = _meeting(user, pk)
    data = meeting.meeting_docx(obj)
    role = held_role(user, hearing_roles(obj.round))
    record_read("secretary_meeting.read", obj, by=user, role=role, details={"met_on": obj.held_on})
    return document_response(request, data, meeting.meeting_filename(obj))


urlpatterns: list[URLPattern] = [
    path("rounds/<int:round_id>/secretary-meeting/", meeting_create, name="secretary-meeting-new"),
    path("secretary-meetings/<int:pk>/", meeting_detail, name="secretary-meeting-detail"),
    path("secretary-meetings/<int:pk>/download/", meeting_download, name="secretary-meeting-download"),
]
