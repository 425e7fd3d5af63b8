"""Pages of face-to-face appointments (预约面谈).

Staff: an inspection's list of offered times, the team's form to offer one, an appointment's page (the
visitor's identity shown to the team only, each view an audit event), withdrawing a time nobody booked,
and recording whether the meeting was held. The team and the office of the committee read; the team
acts (the office gets 403); everyone else gets 404 as for a missing id.

Portal (``/portal/<public code>/appointments/``, no login): the times still open while the announcement
accepts petitions, and the booking form; the answer to the booking is the confirmation itself.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core import throttle
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate
from xuncha.rounds.models import Inspection

from .. import public
from ..actions import appointments as actions
from ..choices import RECEIVING_STAGES
from ..forms.appointments import BookForm, OfferForm, RecordForm
from ..models import Appointment, AppointmentStatus

GET_POST = ["GET", "POST"]


def _readable(user: User, pk: int) -> Inspection:
    """The inspection, for its team and the office of its committee; 404 for anyone else."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round", "team", "unit"), pk=pk
    )
    if not holds(user, actions.reader_roles(inspection)):
        raise Http404
    return inspection


def _appointment(user: User, pk: uuid.UUID) -> Appointment:
    return get_object_or_404(
        Appointment.objects.visible_to(user).select_related(
            "inspection__round", "inspection__team", "inspection__unit", "handled_by"
        ),
        pk=pk,
    )


def list_url(inspection: Inspection) -> str:
    return reverse("intake:appointment-list", args=[inspection.pk])


def detail_url(appointment: Appointment) -> str:
    return reverse("intake:appointment-detail", args=[appointment.pk])


@login_required
@require_GET
def appointment_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _readable(user, pk)
    rows = (
        Appointment.objects.visible_to(user)
        .filter(inspection=inspection)
        .defer("reporter_name", "reporter_phone", "topic")
        .order_by("-starts_at", "pk")
    )
    context = {
        "inspection": inspection,
        "page_obj": paginate(request, rows),
        "may_offer": holds(user, actions.team_roles(inspection)) and inspection.stage in RECEIVING_STAGES,
    }
    return render(request, "intake/appointments/list.html", context)


@login_required
@require_http_methods(GET_POST)
def appointment_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _readable(user, pk)
    form = OfferForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.offer_appointment, inspection, **form.cleaned_data),
        allowed=actions.team_roles(inspection),
        done="已发布预约面谈时间，群众可在码上巡察页面预约。",
        then=lambda _saved: list_url(inspection),
        title="发布预约面谈时间",
        back=list_url(inspection),
    )


@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    appointment = _appointment(user, pk)
    inspection = appointment.inspection
    team = holds(user, actions.team_roles(inspection))
    context = {
        "appointment": appointment,
        "inspection": inspection,
        "shows_identity": actions.identity_read(appointment, by=user),
        "may_withdraw": team and appointment.status == AppointmentStatus.OPEN,
        "may_record": team and appointment.status == AppointmentStatus.BOOKED,
    }
    return render(request, "intake/appointments/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def appointment_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    appointment = _appointment(user, pk)
    require(user, actions.team_roles(appointment.inspection), what="撤回预约面谈时间")
    return confirm_page(
        request,
        lambda: perform(user, actions.withdraw_appointment, appointment),
        question=f"撤回{appointment}（{appointment.place}）？撤回后群众将不能再预约这个时间。",
        done="已撤回该面谈时间。",
        back=detail_url(appointment),
    )


@login_required
@require_http_methods(GET_POST)
def appointment_record(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    appointment = _appointment(user, pk)
    form = RecordForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.record_appointment, appointment, **form.cleaned_data),
        allowed=actions.team_roles(appointment.inspection),
        done="已登记面谈情况。",
        then=detail_url,
        title=f"登记面谈情况：{appointment}",
        back=detail_url(appointment),
    )


def open_times(inspection: Inspection) -> list[Appointment]:
    """The times a member of the public may still book, soonest first."""
    return list(
        Appointment.objects.filter(
            inspection=inspection, status=AppointmentStatus.OPEN, starts_at__gt=timezone.now()
        )
        .only("id", "starts_at", "place")
        .order_by("starts_at")
    )


@sensitive_post_parameters("name", "phone", "topic")
@never_cache
@require_http_methods(GET_POST)
def portal_appointments(request: HttpRequest, code: str) -> HttpResponse:
    announcement = public.announcements().filter(public_code=code).first()
    if announcement is None:
        return render(request, "intake/portal/not_found.html", status=404)
    inspection = announcement.inspection
    context: dict[str, object] = {"announcement": announcement, "inspection": inspection}
    if not announcement.accepting():
        context["closed"] = public.closed_message(announcement)
        return render(request, "intake/portal/appointments.html", context)
    posted = request.method == "POST"
    if posted and not throttle.allow(request, throttle.SUBMIT):
        response = render(request, "intake/portal/throttled.html", {"message": throttle.MESSAGE}, status=429)
        response["Retry-After"] = str(throttle.seconds_left())
        return response
    form = BookForm(request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        chosen = Appointment.objects.filter(pk=data["appointment"], inspection=inspection).first()
        try:
            if chosen is None:
                raise Refused("请选择本次巡察发布的面谈时间。", field="appointment")
            booked = actions.book_appointment(
                announcement, chosen, name=data["name"], phone=data["phone"], topic=data["topic"]
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            return render(request, "intake/portal/appointment_booked.html", {**context, "booked": booked})
    context |= {"form": form, "times": open_times(inspection), "chosen": request.POST.get("appointment", "")}
    return render(request, "intake/portal/appointments.html", context)


urlpatterns: list[URLPattern] = [
    path("appointments/inspections/<int:pk>/", appointment_list, name="appointment-list"),
    path("appointments/inspections/<int:pk>/new/", appointment_new, name="appointment-new"),
    path("appointments/<uuid:pk>/", appointment_detail, name="appointment-detail"),
    path("appointments/<uuid:pk>/withdraw/", appointment_withdraw, name="appointment-withdraw"),
    path("appointments/<uuid:pk>/record/", appointment_record, name="appointment-record"),
]

portal_urlpatterns: list[URLPattern] = [
    path("<slug:code>/appointments/", portal_appointments, name="appointments"),
]
