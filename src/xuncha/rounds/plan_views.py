"""Pages of a round's work plan (巡察工作方案) and of its 动员部署会.

The plan page shows the plan, its versions with what changed between them, and to each role its step:
the office drafts and submits, the leading group approves or returns it with an opinion, the office or the
leading group records the secretary's 审定. The round's office, leading group and teams read it (and its
documents: the plan and each team's 授权决定); others who see the round (the unit's liaison) get 403,
everyone else 404, as for a missing id.
"""

from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require
from xuncha.core.scoping import perform

from . import plan_documents, plans, round_meeting
from .forms import PlanDecisionForm, PlanRatifyForm, RoundMeetingForm, WorkPlanForm
from .models import Round, RoundMeeting, TeamMember, WorkPlan
from .plan_choices import PLAN_BADGES, PlanStatus

GET_POST = ["GET", "POST"]


def reader_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id, Role.LEADING_GROUP: round_.committee_id}


def insider(user: User, round_: Round) -> bool:
    """The round's office or leading group, or a member of one of its teams."""
    if holds(user, reader_roles(round_)):
        return True
    team_ids = user.scopes.ids(Role.TEAM_LEADER, Role.TEAM_MEMBER)
    return bool(team_ids) and round_.teams.filter(pk__in=team_ids).exists()


def round_for(user: User, pk: int) -> Round:
    """The round, when the user is one of its insiders (403 for others who see it, 404 for the rest)."""
    round_ = get_object_or_404(Round.objects.visible_to(user).select_related("committee"), pk=pk)
    if not insider(user, round_):
        raise NotAllowed("只有巡察办、领导小组和本轮巡察组可以查看巡察工作方案和巡前准备。")
    return round_


def _plan(user: User, round_: Round) -> WorkPlan | None:
    return WorkPlan.objects.visible_to(user).filter(round=round_).select_related("round__committee").first()


def _members(round_: Round) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(team__round=round_)
        .select_related("team", "inspector")
        .order_by("team_id", "id")
    )


@login_required
@require_http_methods(GET_POST)
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    plan = _plan(user, round_)
    can_edit = holds(user, plans.editor_roles(round_)) and (plan is None or plan.is_editable)
    posted = request.method == "POST"
    if posted:
        require(user, plans.editor_roles(round_), what="起草巡察工作方案")
    members = _members(round_)
    form = WorkPlanForm(
        request.POST if posted else None,
        round=round_,
        members=members,
        initial=WorkPlanForm.initial_for(round_, plan),
    )
    if posted and form.is_valid():
        try:
            perform(user, plans.save_plan, round_, **form.action_kwargs())
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已保存巡察工作方案。")
            return redirect("rounds:plan", pk=round_.pk)
    versions = (
        list(plan.versions.select_related("submitted_by", "decided_by").order_by("number")) if plan else []
    )
    diffs = [(new, plans.diff(old, new)) for old, new in pairwise(versions)]
    context = {
        "round": round_,
        "plan": plan,
        "form": form,
        "can_edit": can_edit,
        "sections": plans.sections(plan) if plan else [],
        "versions": versions,
        "diffs": diffs,
        "teams": plans.teams_of(round_),
        "badge": PLAN_BADGES.get(PlanStatus(plan.status), "secondary") if plan else "",
        "can_submit": plan is not None and plan.is_editable and holds(user, plans.editor_roles(round_)),
        "can_decide": plan is not None
        and plan.status == PlanStatus.SUBMITTED
        and holds(user, plans.approver_roles(round_)),
        "can_ratify": plan is not None
        and plan.status == PlanStatus.APPROVED
        and holds(user, plans.ratifier_roles(round_)),
        "decision_form": PlanDecisionForm(),
        "ratify_form": PlanRatifyForm(),
    }
    return render(request, "rounds/plan.html", context)


def _step(request: HttpRequest, pk: int, what: str, roles: str) -> tuple[User, WorkPlan]:
    user = acting_user(request)
    round_ = round_for(user, pk)
    plan = _plan(user, round_)
    if plan is None:
        raise Http404
    require(user, getattr(plans, roles)(round_), what=what)
    return user, plan


def _done(request: HttpRequest, plan: WorkPlan, fn: object, message: str, **kwargs: object) -> HttpResponse:
    try:
        perform(acting_user(request), fn, plan, **kwargs)  # type: ignore[arg-type]
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, message)
    return redirect("rounds:plan", pk=plan.round_id)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    _, plan = _step(request, pk, "报送巡察工作方案", "editor_roles")
    return _done(request, plan, plans.submit_plan, "已报送领导小组审批。")


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _, plan = _step(request, pk, "审批巡察工作方案", "approver_roles")
    form = PlanDecisionForm(request.POST)
    opinion = form.data.get("opinion", "")
    return _done(request, plan, plans.approve_plan, "已批准巡察工作方案。", opinion=opinion)


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    _, plan = _step(request, pk, "审批巡察工作方案", "approver_roles")
    opinion = request.POST.get("opinion", "")
    return _done(request, plan, plans.return_plan, "已退回巡察工作方案。", opinion=opinion)


@login_required
@require_POST
def plan_ratify(request: HttpRequest, pk: int) -> HttpResponse:
    _, plan = _step(request, pk, "登记书记审定", "ratifier_roles")
    form = PlanRatifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的审定日期。")
        return redirect("rounds:plan", pk=plan.round_id)
    return _done(request, plan, plans.ratify_plan, "已登记书记审定。", **form.cleaned_data)


def plan_download(request: HttpRequest, round_: Round, plan: WorkPlan) -> HttpResponse:
    """The plan as a document (.docx or PDF), audited; for the page and the API."""
    user = acting_user(request)
    role = require(user, {**reader_roles(round_), **_team_roles(user, round_)}, what="下载巡察工作方案")
    data = plan_documents.plan_document(plan)
    record_read("work_plan.document_read", plan, by=user, role=role, details={"status": plan.status})
    return document_response(request, data, f"{round_.name}工作方案.docx")


def authorisation_download(request: HttpRequest, round_: Round, plan: WorkPlan, team_id: int) -> HttpResponse:
    user = acting_user(request)
    team = plan_documents.authorisation_team(plan, team_id)
    if team is None:
        raise Http404
    role = require(user, {**reader_roles(round_), **_team_roles(user, round_)}, what="下载授权决定")
    data = plan_documents.authorisation_document(plan, team)
    record_read("work_plan.authorisation_read", plan, by=user, role=role, details={"team": team.pk})
    return document_response(request, data, f"授权决定（{team.name}）.docx")


def _team_roles(user: User, round_: Round) -> dict[str, int]:
    """The team role (and team) under which a member of one of the round's teams reads."""
    for role in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
        team = round_.teams.filter(pk__in=user.scopes.ids(role)).first()
        if team is not None:
            return {role: team.pk}
    return {}


@login_required
@require_GET
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    plan = _plan(user, round_)
    if plan is None:
        raise Http404
    return plan_download(request, round_, plan)


@login_required
@require_GET
def plan_authorisation(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    plan = _plan(user, round_)
    if plan is None:
        raise Http404
    return authorisation_download(request, round_, plan, team_pk)


# The round's 动员部署会 --------------------------------------------------------------------------------


def _meeting(user: User, round_: Round) -> RoundMeeting | None:
    return (
        RoundMeeting.objects.visible_to(user).filter(round=round_).select_related("round__committee").first()
    )


@login_required
@require_http_methods(GET_POST)
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    meeting = _meeting(user, round_)
    posted = request.method == "POST"
    if posted:
        require(user, round_meeting.editor_roles(round_), what="登记巡察工作动员部署会")
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in RoundMeetingForm.FIELDS}
    else:
        initial = round_meeting.defaults(round_) | {"chair": f"{round_.committee.name}巡察工作领导小组组长"}
    form = RoundMeetingForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            perform(user, round_meeting.save_round_meeting, round_, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "已保存巡察工作动员部署会。")
            return redirect("rounds:round-meeting", pk=round_.pk)
    context = {
        "round": round_,
        "meeting": meeting,
        "form": form,
        "can_edit": holds(user, round_meeting.editor_roles(round_)),
    }
    return render(request, "rounds/plan_meeting.html", context)


def meeting_download(request: HttpRequest, round_: Round, meeting: RoundMeeting) -> HttpResponse:
    user = acting_user(request)
    role = require(user, {**reader_roles(round_), **_team_roles(user, round_)}, what="下载动员部署会记录")
    data = plan_documents.round_meeting_document(meeting)
    record_read("round_meeting.document_read", meeting, by=user, role=role)
    return document_response(request, data, f"{round_.name}动员部署会记录.docx")


@login_required
@require_GET
def meeting_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = round_for(user, pk)
    meeting = _meeting(user, round_)
    if meeting is None:
        raise Http404
    return meeting_download(request, round_, meeting)
