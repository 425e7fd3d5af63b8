"""Pages of rounds: terms and coverage, rounds, teams and members, inspections and their stages.

Objects are found through ``visible_to`` (out of scope → 404, as for a missing id); a visible object the
user may not change answers 403. Writes go through ``scoping.perform``; a refusal is shown in Chinese on
the form or as a message. Team internals (members, 回避) are shown only to those who form or are the team.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.choices import BADGE_COLOURS, Role
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require, require_office_somewhere
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page

from . import actions, archive_views, plan_views
from .access import sees_conflicts, sees_members
from .archive_package import reader_roles
from .checks import open_lines
from .choices import STAGE_ORDER, RoundKind, Stage
from .conflicts import busy_elsewhere, conflicts_for_team
from .coverage import coverage_percent, term_coverage
from .forms import (
    FieldworkEndForm,
    InspectionFilterForm,
    InspectionForm,
    RoundForm,
    TeamForm,
    TeamMemberForm,
    TermForm,
    TransitionForm,
)
from .models import ArchivePackage, Inspection, Round, Team, TeamMember, Term, WorkPlan
from .plan_choices import PLAN_BADGES, PlanStatus
from .stages import label, may_transition, move_refusal, next_stage

M = TypeVar("M", bound=models.Model)
GET_POST = ["GET", "POST"]


def _inspection_url(inspection: Inspection) -> str:
    return reverse("rounds:inspection-detail", args=[inspection.pk])


def _visible(model: type[M], user: User, pk: int, *related: str) -> M:
    queryset = model.objects.visible_to(user).select_related(*related)  # type: ignore[attr-defined]
    return get_object_or_404(queryset, pk=pk)


def _members() -> Prefetch[Any]:
    return Prefetch("members", queryset=TeamMember.objects.select_related("inspector", "overridden_by"))


@dataclass
class Step:
    label: str
    css: str


def _steps(stage: str) -> list[Step]:
    here = STAGE_ORDER.index(stage)
    return [
        Step(label(s), "done" if i < here else "current" if i == here else "")
        for i, s in enumerate(STAGE_ORDER)
    ]


# Inspections ------------------------------------------------------------------------------------------


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = InspectionFilterForm(request.GET or None, user=user)
    inspections = form.filter(
        Inspection.objects.visible_to(user).select_related("round__committee__settings", "team", "unit")
    )
    context = {
        "form": form,
        "page_obj": paginate(request, inspections),
        "query": querystring_without_page(request),
        "badges": BADGE_COLOURS,
    }
    return render(request, "rounds/inspection_list.html", context)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _visible(Inspection, user, pk, "round__committee__settings", "team__round", "unit")
    committee_id = inspection.round.committee_id
    nxt = next_stage(inspection.stage)
    can_move = nxt is not None and may_transition(inspection, user)
    internals = sees_members(user, inspection.team)
    context = {
        "inspection": inspection,
        "steps": _steps(inspection.stage),
        "next_stage": label(nxt) if nxt else "",
        "form": TransitionForm(initial={"to": nxt}) if can_move else None,
        "history": inspection.stage_changes.select_related("by"),
        "members": inspection.team.members.select_related("inspector") if internals else None,
        "sees_internals": internals,
        "sees_conflicts": sees_conflicts(user, committee_id),
        "is_office": user.scopes.has(Role.OFFICE, committee_id),
        "badges": BADGE_COLOURS,
        "open_lines": open_lines(inspection, nxt) if can_move and nxt else [],
        "archive_package": ArchivePackage.objects.filter(inspection=inspection).first(),
        "may_download_package": holds(user, reader_roles(inspection)),
    }
    return render(request, "rounds/inspection_detail.html", context)


@login_required
@require_GET
def archive_package_download(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _visible(Inspection, acting_user(request), pk, "round", "team", "unit")
    return archive_views.package_response(request, inspection)


@login_required
@require_POST
def inspection_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _visible(Inspection, user, pk, "round__committee", "team", "unit")
    nxt = next_stage(inspection.stage)
    if nxt is not None and not may_transition(inspection, user):
        raise NotAllowed(f"您无权将该巡察推进到“{label(nxt)}”阶段。")
    form = TransitionForm(request.POST)
    if nxt is None:
        messages.error(request, move_refusal(inspection.stage, inspection.stage) or "")
    elif not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        to = form.cleaned_data["to"]
        try:
            perform(user, actions.transition_inspection, inspection, to=to, note=form.cleaned_data["note"])
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"已进入“{label(to)}”阶段。")
    return redirect("rounds:inspection-detail", pk=inspection.pk)


@login_required
@require_http_methods(GET_POST)
def fieldwork_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _visible(Inspection, user, pk, "round__committee", "team", "unit")
    form = FieldworkEndForm(request.POST or None, initial={"ends_on": inspection.fieldwork_ends_on})
    return form_page(
        request,
        form,
        lambda: perform(user, actions.set_fieldwork_end, inspection, **form.cleaned_data),
        allowed={Role.OFFICE: inspection.round.committee_id},
        title="调整了解阶段结束日期",
        done="已调整了解阶段结束日期。",
        then=_inspection_url(inspection),
        template="rounds/fieldwork_end_form.html",
        inspection=inspection,
    )


@login_required
@require_http_methods(GET_POST)
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = _visible(Round, user, pk, "committee")
    form = InspectionForm(request.POST or None, round=round_)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.create_inspection, round=round_, **form.cleaned_data),
        allowed={Role.OFFICE: round_.committee_id},
        title="安排巡察",
        done=lambda inspection: f"已安排{inspection}。",
        then=_inspection_url,
        template="rounds/inspection_form.html",
        round=round_,
    )


# Rounds -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rounds = Round.objects.visible_to(user).select_related("committee")
    kind = request.GET.get("kind", "")
    if kind in RoundKind.values:
        rounds = rounds.filter(kind=kind)
    context = {
        "page_obj": paginate(request, rounds),
        "query": querystring_without_page(request),
        "kinds": RoundKind.choices,
        "kind": kind,
        "can_create": bool(user.scopes.ids(Role.OFFICE)),
    }
    return render(request, "rounds/round_list.html", context)


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = _visible(Round, user, pk, "committee", "term")
    teams = (
        Team.objects.visible_to(user)
        .filter(round=round_)
        .select_related("round")
        .prefetch_related(_members())
    )
    plan = WorkPlan.objects.visible_to(user).filter(round=round_).select_related("approved_by").first()
    context = {
        "round": round_,
        "teams": [(team, team.members.all() if sees_members(user, team) else None) for team in teams],
        "inspections": Inspection.objects.visible_to(user)
        .filter(round=round_)
        .select_related("round__committee__settings", "team", "unit"),
        "lookback_of": Inspection.objects.visible_to(user)
        .filter(lookbacks=round_)
        .select_related("team", "unit", "round"),
        "is_office": user.scopes.has(Role.OFFICE, round_.committee_id),
        "sees_conflicts": sees_conflicts(user, round_.committee_id),
        "badges": BADGE_COLOURS,
        # The work plan and the preparation pages, for the round's insiders (plan_views.py).
        "plan_insider": plan_views.insider(user, round_),
        "plan": plan,
        "plan_badge": PLAN_BADGES.get(PlanStatus(plan.status), "secondary") if plan else "",
    }
    return render(request, "rounds/round_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def round_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "安排巡察轮次")
    form = RoundForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = perform(user, actions.create_round, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"已安排{round_}。")
            return redirect("rounds:round-detail", pk=round_.pk)
    return render(request, "rounds/round_form.html", {"form": form})


# Teams ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = _visible(Round, user, pk, "committee")
    form = TeamForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.create_team, round=round_, **form.cleaned_data),
        allowed={Role.OFFICE: round_.committee_id},
        title="组建巡察组",
        done=lambda team: f"已组建{team.name}。",
        then=lambda team: reverse("rounds:team-detail", args=[team.pk]),
        template="rounds/team_form.html",
        round=round_,
    )


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    team = _visible(Team, user, pk, "round__committee")
    committee_id = team.round.committee_id
    inspections = list(
        Inspection.objects.visible_to(user)
        .filter(team=team)
        .select_related("round__committee__settings", "team", "unit")
    )
    is_office = user.scopes.has(Role.OFFICE, committee_id)
    all_preparing = not team.inspections.exclude(stage=Stage.PREPARING).exists()
    context = {
        "team": team,
        "members": team.members.select_related("inspector", "overridden_by")
        if sees_members(user, team)
        else None,
        "inspections": inspections,
        "sees_conflicts": sees_conflicts(user, committee_id),
        "can_add": is_office and not team.inspections.filter(stage=Stage.ARCHIVED).exists(),
        "can_remove": is_office and all_preparing,
        "badges": BADGE_COLOURS,
    }
    return render(request, "rounds/team_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    team = _visible(Team, user, pk, "round__committee")
    require(user, {Role.OFFICE: team.round.committee_id}, what="调整巡察组成员")
    form = TeamMemberForm(request.POST or None, team=team, user=user)
    conflicts: list[str] = []
    override_for: int | None = None
    if request.method == "POST" and form.is_valid():
        inspector = form.cleaned_data["inspector"]
        conflicts = conflicts_for_team(team, inspector)
        override_reason = form.override_reason_for(inspector).strip()
        if conflicts and not override_reason:
            form.add_error("override_reason", "该干部存在回避情形。确需不予回避的，须填写理由。")
        else:
            try:
                perform(
                    user,
                    actions.add_team_member,
                    team=team,
                    inspector=inspector,
                    role=form.cleaned_data["role"],
                    override_reason=override_reason,
                )
            except Refused as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, f"已将{inspector.name}加入{team.name}。")
                for warning in busy_elsewhere(team, inspector):
                    messages.warning(request, warning)
                return redirect("rounds:team-detail", pk=team.pk)
        if conflicts:
            override_for = inspector.pk  # the reason typed next applies to this inspector only
            form.fields["override_reason"].required = True
    context = {"form": form, "team": team, "conflicts": conflicts, "override_for": override_for}
    return render(request, "rounds/team_member_form.html", context)


@login_required
@require_http_methods(GET_POST)
def team_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    member = _visible(TeamMember, user, pk, "team__round__committee", "inspector")
    require(user, {Role.OFFICE: member.team.round.committee_id}, what="调整巡察组成员")
    return confirm_page(
        request,
        lambda: perform(user, actions.remove_team_member, member),
        done=f"已将{member.inspector.name}移出{member.team.name}。",
        back=reverse("rounds:team-detail", args=[member.team.pk]),
        template="rounds/team_member_remove.html",
        member=member,
    )


# Terms ------------------------------------------------------------------------------------------------


@dataclass
class TermRow:
    term: Term
    covered: int
    expected: int

    @property
    def percent(self) -> int:
        return coverage_percent(self.covered, self.expected)


@login_required
@require_GET
def term_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    terms = Term.objects.visible_to(user).with_coverage().select_related("committee")
    page = paginate(request, terms.order_by("-starts_on", "id"))
    rows = [TermRow(t, t.covered_count, t.expected_count) for t in page]
    context = {
        "page_obj": page,
        "rows": rows,
        "query": querystring_without_page(request),
        "can_create": bool(user.scopes.ids(Role.OFFICE)),
    }
    return render(request, "rounds/term_list.html", context)


@login_required
@require_GET
def term_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    term = _visible(Term, user, pk, "committee")
    covered, expected, percent = term_coverage(term)
    covered_ids = {unit.pk for unit in covered}
    context = {
        "term": term,
        "units": [(unit, unit.pk in covered_ids) for unit in expected],
        "covered": len(covered),
        "percent": percent,
        "rounds": Round.objects.visible_to(user).filter(term=term),
    }
    return render(request, "rounds/term_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def term_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "设立届期")
    form = TermForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            term = perform(user, actions.create_term, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"已设立{term}。")
            return redirect("rounds:term-detail", pk=term.pk)
    return render(request, "rounds/term_form.html", {"form": form})
