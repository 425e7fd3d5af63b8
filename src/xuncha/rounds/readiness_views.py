"""Pages of the inspectors' readiness for a round (巡前准备): who has attended a 巡前培训 and signed the
保密承诺 and 行为规范 commitment, team by team; the office records sessions and attendance and the paper
commitments of inspectors without an account; each inspector signs their own commitments here.

The round's office, leading group and teams see it; the unit's liaison 403; everyone else 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page

from . import readiness
from .forms import AttendanceForm, PaperCommitmentForm, TrainingSessionForm
from .models import Commitment, Round, TeamMember, TrainingSession
from .plan_choices import CommitmentKind
from .plan_views import round_for

GET_POST = ["GET", "POST"]


def _readiness_url(round_: Round) -> str:
    return reverse("rounds:readiness", args=[round_.pk])


@login_required
@require_http_methods(["GET"])
def readiness_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    members = list(
        TeamMember.objects.filter(team__round=round_)
        .select_related("team", "inspector")
        .order_by("team_id", "id")
    )
    missing = readiness.missing_by_inspector(round_.pk, [m.inspector for m in members])
    sessions = TrainingSession.objects.visible_to(user).filter(round=round_).prefetch_related("attendees")
    own = readiness.own_membership(round_, user)
    signed = (
        set(Commitment.objects.filter(round=round_, inspector=own.inspector).values_list("kind", flat=True))
        if own
        else set()
    )
    is_office = holds(user, readiness.office_roles(round_))
    inspectors = readiness.round_inspectors(round_)
    context = {
        "round": round_,
        "rows": [(m, missing[m.inspector_id]) for m in members],
        "sessions": sessions,
        "own": own,
        "to_sign": [
            (kind, readiness.COMMITMENT_TEXTS[kind]) for kind in CommitmentKind if kind.value not in signed
        ],
        "is_office": is_office,
        "paper_form": PaperCommitmentForm(inspectors=inspectors) if is_office else None,
    }
    return render(request, "rounds/readiness.html", context)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector signs one of their own commitments (the button under its text)."""
    user = acting_user(request)
    round_ = round_for(user, pk)
    return confirm_page(
        request,
        lambda: perform(user, readiness.sign_commitment, round_, kind=request.POST.get("kind", "")),
        done="已签署承诺。",
        back=_readiness_url(round_),
    )


@login_required
@require_POST
def paper_commitment(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records the signed paper commitment of an inspector without an account."""
    user = acting_user(request)
    round_ = round_for(user, pk)
    require(user, readiness.office_roles(round_), what="登记纸质承诺书")
    form = PaperCommitmentForm(request.POST, inspectors=readiness.round_inspectors(round_))
    if not form.is_valid() or form.cleaned_data["inspector"] is None:
        messages.error(request, "请选择巡察干部和承诺事项。")
        return redirect(_readiness_url(round_))
    return confirm_page(
        request,
        lambda: perform(user, readiness.sign_commitment, round_, **form.cleaned_data),
        done="已登记纸质承诺书。",
        back=_readiness_url(round_),
    )


@login_required
@require_http_methods(GET_POST)
def training_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    form = TrainingSessionForm(request.POST or None, inspectors=readiness.round_inspectors(round_))
    return form_page(
        request,
        form,
        lambda: perform(user, readiness.record_training, round_, **form.cleaned_data),
        allowed=readiness.office_roles(round_),
        title="登记巡前培训",
        done="已登记巡前培训。",
        then=_readiness_url(round_),
        template="rounds/readiness_training.html",
        round=round_,
        session=None,
    )


@login_required
@require_http_methods(GET_POST)
def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = get_object_or_404(
        TrainingSession.objects.visible_to(user).select_related("round__committee"), pk=pk
    )
    round_ = round_for(user, session.round_id)
    initial = {"attendees": list(session.attendees.all())}
    form = AttendanceForm(
        request.POST or None, inspectors=readiness.round_inspectors(round_), initial=initial
    )
    return form_page(
        request,
        form,
        lambda: perform(user, readiness.set_attendance, session, attendees=form.cleaned_data["attendees"]),
        allowed=readiness.office_roles(round_),
        title="登记巡前培训参训人员",
        done="已更新参训人员。",
        then=_readiness_url(round_),
        template="rounds/readiness_training.html",
        round=round_,
        session=session,
    )
