"""Pages of clues on the sending side: an inspection's clues (filters), the form (from nothing, from a
finding, from a petition), a clue's page (its content an audited read), and the confirmation pages of
submission, approval, return, withdrawal and transfer.

Clues are found through ``visible_to`` (高度保密 ones: 404 for plain members and the leading group; receivers
see transfers, never clues); who sees but may not act gets 403 from ``require``.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.fieldwork.choices import ProblemKind
from xuncha.fieldwork.models import InterviewProblem
from xuncha.intake.models import Petition
from xuncha.rounds.models import Inspection

from .. import problems
from ..actions import team_roles
from ..choices import ClueKind, ClueStatus
from ..models import Clue, Finding, finding_inspections
from . import actions, transfers
from .forms import UNIT_RECEIVER, ClueFilterForm, ClueForm, ReasonForm, TransferForm

GET_POST = ["GET", "POST"]


def clues_of(user: User) -> Any:
    return Clue.objects.visible_to(user).select_related(
        "inspection__round__committee", "inspection__team", "inspection__unit", "department", "unit"
    )


def _clue(user: User, pk: uuid.UUID) -> Clue:
    return get_object_or_404(
        clues_of(user).select_related(
            "finding",
            "petition",
            "interview_problem__interview",
            "drafted_by",
            "submitted_by",
            "leader_approved_by",
            "office_approved_by",
        ),
        pk=pk,
    )


def _inspection(user: User, pk: int) -> Inspection:
    return get_object_or_404(
        finding_inspections(user).select_related("round__committee", "team", "unit"), pk=pk
    )


def _is_leader(user: User, inspection: Inspection) -> bool:
    return holds(user, {Role.TEAM_LEADER: inspection.team_id})


def reader_role(user: User, inspection: Inspection) -> str:
    """The role in which ``user`` reads a clue (recorded with the audited read)."""
    for role, scope_id in (
        (Role.OFFICE, inspection.round.committee_id),
        (Role.TEAM_LEADER, inspection.team_id),
        (Role.LEADING_GROUP, inspection.round.committee_id),
    ):
        if user.scopes.has(role, scope_id):
            return role
    return Role.TEAM_MEMBER


def _rules(inspection: Inspection) -> list[tuple[str, str, str]]:
    """Each kind, its receiver by rule in this inspection, and the rule's explanation (shown by the form)."""
    rows = []
    for kind in ClueKind:
        proposal = actions.proposal(inspection, kind)
        receiver = str(proposal.department or proposal.unit or "（由巡察组选择）")
        rows.append((str(kind.label), receiver, proposal.rule))
    return rows


@login_required
@require_GET
def clue_list(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    form = ClueFilterForm(request.GET or None, inspection=inspection)
    clues = (
        clues_of(user).filter(inspection=inspection).select_related("transfer").prefetch_related("persons")
    )
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        clues = clues.filter(status=data["status"])
    if data.get("kind"):
        clues = clues.filter(kind=data["kind"])
    if data.get("receiver") == UNIT_RECEIVER:
        clues = clues.filter(unit__isnull=False)
    elif data.get("receiver"):
        clues = clues.filter(department_id=data["receiver"])
    may_draft = holds(user, team_roles(inspection)) and not inspection.is_read_only
    context = {
        "inspection": inspection,
        "form": form,
        "page_obj": paginate(request, clues.order_by("sequence")),
        "query": querystring_without_page(request),
        "may_draft": may_draft,
        "problems": problems.waiting(user, inspection, ProblemKind.CLUE) if may_draft else [],
    }
    return render(request, "findings/clues/clue_list.html", context)


def _clue_form(
    request: HttpRequest,
    user: User,
    inspection: Inspection,
    save: Callable[[ClueForm], Clue],
    context: dict[str, Any],
    initial: actions.ClueInput | None = None,
) -> HttpResponse:
    form = ClueForm(
        request.POST or None,
        inspection=inspection,
        leader=_is_leader(user, inspection),
        initial_input=initial,
    )
    return form_page(
        request,
        form,
        lambda: save(form),
        allowed=None,  # the views require the team first (editing also reads the content)
        done=lambda clue: f"已保存问题线索“{clue.number}”。",
        then=_back,
        template="findings/clues/clue_form.html",
        inspection=inspection,
        rules=_rules(inspection),
        **context,
    )


def _draft_page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    finding: Finding | None = None,
    petition: Petition | None = None,
    problem: InterviewProblem | None = None,
) -> HttpResponse:
    user = acting_user(request)
    require(user, team_roles(inspection), what="起草问题线索")
    initial = None
    if finding is not None:
        initial = actions.ClueInput(
            title=finding.title, content=finding.description, kind="", persons=list(finding.persons.all())
        )
    elif petition is not None:
        initial = actions.ClueInput(title=petition.title, content="", kind="")
    elif problem is not None and request.method == "GET":
        initial = actions.ClueInput(title="", content=problems.read_for_draft(user, problem), kind="")
    return _clue_form(
        request,
        user,
        inspection,
        lambda form: perform(
            user,
            actions.draft_clue,
            inspection,
            data=form.clue_input(finding=finding, petition=petition),
            problem=problem,
        ),
        {"title": "起草问题线索", "finding": finding, "petition": petition, "problem": problem},
        initial,
    )


@login_required
@require_http_methods(GET_POST)
def clue_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return _draft_page(request, _inspection(acting_user(request), inspection_id))


@login_required
@require_http_methods(GET_POST)
def clue_from_finding(request: HttpRequest, finding_id: int) -> HttpResponse:
    """形成问题线索 from a finding: its title, description and persons to start from."""
    finding = get_object_or_404(
        Finding.objects.visible_to(acting_user(request)).select_related(
            "inspection__round", "inspection__unit"
        ),
        pk=finding_id,
    )
    return _draft_page(request, finding.inspection, finding=finding)


@login_required
@require_http_methods(GET_POST)
def clue_from_petition(request: HttpRequest, petition_id: uuid.UUID) -> HttpResponse:
    """A clue from a petition the user may read (its content is not copied: the drafter writes the clue)."""
    petition = get_object_or_404(
        Petition.objects.visible_to(acting_user(request)).select_related(
            "inspection__round", "inspection__unit"
        ),
        pk=petition_id,
    )
    return _draft_page(request, petition.inspection, petition=petition)


@login_required
@require_http_methods(GET_POST)
def clue_from_problem(request: HttpRequest, problem_id: uuid.UUID) -> HttpResponse:
    """A clue from a problem raised in an interview (its text to start from, an audited read)."""
    problem = problems.problem_to_draft(acting_user(request), problem_id, "起草问题线索")
    return _draft_page(request, problem.interview.inspection, problem=problem)


@login_required
@require_http_methods(GET_POST)
def clue_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    clue = _clue(user, pk)
    require(user, team_roles(clue.inspection), what="修改问题线索")
    if clue.status != ClueStatus.DRAFT:
        messages.error(request, f"问题线索{clue.get_status_display()}，不能修改。")
        return redirect("findings:clue-detail", clue.pk)
    initial = actions.current_input(clue)
    if request.method == "GET":
        record_read(
            "clue.content_read",
            clue,
            by=user,
            role=reader_role(user, clue.inspection),
            details={"clue_number": clue.number},
        )
    return _clue_form(
        request,
        user,
        clue.inspection,
        lambda form: perform(
            user,
            actions.update_clue,
            clue,
            data=form.clue_input(finding=clue.finding, petition=clue.petition),
        ),
        {"title": f"修改问题线索 {clue.number}", "clue": clue},
        initial,
    )


@login_required
@require_GET
def clue_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The clue with its content: every view of the page is an audited read."""
    user = acting_user(request)
    clue = _clue(user, pk)
    inspection = clue.inspection
    record_read(
        "clue.content_read",
        clue,
        by=user,
        role=reader_role(user, inspection),
        details={"clue_number": clue.number},
    )
    approver = holds(user, actions.approver_roles(clue))
    open_ = not inspection.is_read_only
    transfer = getattr(clue, "transfer", None)
    context = {
        "clue": clue,
        "inspection": inspection,
        "persons": list(clue.persons.select_related("unit")),
        "petition_link": clue.petition_id is not None
        and Petition.objects.visible_to(user).filter(pk=clue.petition_id).exists(),
        "transfer": transfer,
        "rule": actions.proposal(inspection, clue.kind).rule,
        "may_edit": open_ and clue.status == ClueStatus.DRAFT and holds(user, team_roles(inspection)),
        "may_submit": open_ and clue.status == ClueStatus.DRAFT and holds(user, team_roles(inspection)),
        "may_approve": open_ and clue.status == ClueStatus.SUBMITTED and approver,
        "may_return": open_ and clue.status in (ClueStatus.SUBMITTED, ClueStatus.APPROVED) and approver,
        "may_withdraw": open_
        and clue.status not in (ClueStatus.TRANSFERRED, ClueStatus.WITHDRAWN)
        and approver,
        "may_transfer": open_
        and clue.status == ClueStatus.APPROVED
        and holds(user, transfers.sender_roles(clue)),
    }
    return render(request, "findings/clues/clue_detail.html", context)


def _back(clue: Clue) -> str:
    return reverse("findings:clue-detail", args=[clue.pk])


@login_required
@require_http_methods(GET_POST)
def clue_submit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    clue = _clue(user, pk)
    require(user, team_roles(clue.inspection), what="提交问题线索审批")
    return confirm_page(
        request,
        lambda: perform(user, actions.submit_clue, clue),
        question=f"确认将问题线索“{clue}”提交组长和巡察办审批？提交后不能修改，除非被退回。",
        done=f"已提交问题线索“{clue.number}”审批。",
        back=_back(clue),
    )


@login_required
@require_http_methods(GET_POST)
def clue_approve(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    clue = _clue(user, pk)
    require(user, actions.approver_roles(clue), what="审批问题线索")
    return confirm_page(
        request,
        lambda: perform(user, actions.approve_clue, clue),
        question=(
            f"确认审批同意移交问题线索“{clue}”（接收方：{clue.receiver_name}）？"
            "线索须经组长和巡察办两方审批后才能移交。"
        ),
        done=f"已审批问题线索“{clue.number}”。",
        back=_back(clue),
    )


def _reason_page(
    request: HttpRequest, pk: uuid.UUID, run: Callable[..., Clue], *, what: str, done: str
) -> HttpResponse:
    user = acting_user(request)
    clue = _clue(user, pk)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, run, clue, reason=form.cleaned_data["reason"]),
        allowed=actions.approver_roles(clue),
        title=what,
        done=done,
        then=_back(clue),
        template="findings/clues/clue_action_form.html",
        clue=clue,
    )


@login_required
@require_http_methods(GET_POST)
def clue_return(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _reason_page(request, pk, actions.return_clue, what="退回问题线索", done="问题线索已退回修改。")


@login_required
@require_http_methods(GET_POST)
def clue_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _reason_page(request, pk, actions.withdraw_clue, what="撤销问题线索", done="问题线索已撤销。")


@login_required
@require_http_methods(GET_POST)
def clue_transfer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The transfer's confirmation page, with the report-back date (the committee's period by default)."""
    user = acting_user(request)
    clue = _clue(user, pk)
    form = TransferForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, transfers.transfer_clue, clue, due_on=form.cleaned_data["due_on"]),
        allowed=transfers.sender_roles(clue),
        title="移交问题线索",
        done=lambda transfer: (
            f"已将问题线索“{clue.number}”移交{transfer.receiver_name}（{transfer.letter_number}）。"
        ),
        then=lambda transfer: reverse("findings:clue-transfer-detail", args=[transfer.pk]),
        template="findings/clues/clue_action_form.html",
        clue=clue,
        question=(
            f"确认将问题线索“{clue}”移交{clue.receiver_name}？移交后生成移交函，由接收方签收、处置并报告结果。"
        ),
        default_due_on=transfers.default_due_on(clue),
    )


urlpatterns: list[URLPattern] = [
    path("clues/inspections/<int:inspection_id>/", clue_list, name="clue-list"),
    path("clues/inspections/<int:inspection_id>/new/", clue_create, name="clue-new"),
    path("<int:finding_id>/clue/", clue_from_finding, name="clue-from-finding"),
    path("clues/from-petition/<uuid:petition_id>/", clue_from_petition, name="clue-from-petition"),
    path("clues/from-problem/<uuid:problem_id>/", clue_from_problem, name="clue-from-problem"),
    path("clues/<uuid:pk>/", clue_detail, name="clue-detail"),
    path("clues/<uuid:pk>/edit/", clue_edit, name="clue-edit"),
    path("clues/<uuid:pk>/submit/", clue_submit, name="clue-submit"),
    path("clues/<uuid:pk>/approve/", clue_approve, name="clue-approve"),
    path("clues/<uuid:pk>/return/", clue_return, name="clue-return"),
    path("clues/<uuid:pk>/withdraw/", clue_withdraw, name="clue-withdraw"),
    path("clues/<uuid:pk>/transfer/", clue_transfer, name="clue-transfer"),
]
