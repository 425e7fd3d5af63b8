"""Pages of findings: the office's regulations (list, add, edit, deactivate/activate, defaults), an
inspection's findings (list with filters, form — also from a problem raised in an interview —, detail with
evidence and versions, the team meeting, sign-off and return, the Excel 台账), the office's common problems
of a round, and the home panels. Clues have their own pages in ``clues/``.

Findings are found through ``visible_to`` (the unit's liaison, other teams and receivers: 404); who sees
but may not act gets 403 from the action's ``require``. Writes go through ``scoping.perform``.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core import exports
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.exports import Export
from xuncha.core.home import Panel
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, require, require_office_somewhere
from xuncha.core.scoping import perform
from xuncha.core.todos import Todo
from xuncha.core.ui import confirm_page, form_page, id_param, paginate, querystring_without_page
from xuncha.fieldwork.choices import ProblemKind
from xuncha.orgs.models import Committee
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round

from . import actions, ledger, problems
from .choices import FindingStatus
from .common import SCHEMES, common_problems
from .evidence import shown
from .forms import DiscussForm, FindingFilterForm, FindingForm, RegulationForm, ReturnForm
from .models import TEAM_ROLES, Finding, Regulation, finding_inspections

GET_POST = ["GET", "POST"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PANEL_LIMIT = 10
READERS = (Role.OFFICE, Role.LEADING_GROUP)


# Regulations -----------------------------------------------------------------------------------------


def _regulation(user: User, pk: int) -> Regulation:
    regulation = get_object_or_404(Regulation.objects.visible_to(user), pk=pk)
    require(user, {Role.OFFICE: regulation.committee_id}, what="维护定性依据")
    return regulation


def _regulations_url(committee_id: int) -> str:
    return reverse("findings:regulation-list") + f"?committee={committee_id}"


@login_required
@require_GET
def regulation_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "维护定性依据")
    regulations = Regulation.objects.filter(committee_id__in=user.scopes.ids(Role.OFFICE)).select_related(
        "committee"
    )
    committee_id = id_param(request.GET.get("committee", ""))
    if committee_id is not None:
        regulations = regulations.filter(committee_id=committee_id)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        regulations = regulations.filter(
            Q(name__icontains=q) | Q(article__icontains=q) | Q(excerpt__icontains=q)
        )
    context = {
        "page_obj": paginate(request, regulations),
        "query": querystring_without_page(request),
        "committees": Committee.objects.filter(pk__in=user.scopes.ids(Role.OFFICE)),
        "committee_id": committee_id,
        "q": q,
    }
    return render(request, "findings/regulation_list.html", context)


def _regulation_form(
    request: HttpRequest, form: RegulationForm, save: Callable[[dict[str, Any]], Regulation], title: str
) -> HttpResponse:
    return form_page(
        request,
        form,
        lambda: save(form.cleaned_data),
        allowed=None,  # the views require the office first
        title=title,
        done=lambda regulation: f"已保存定性依据“{regulation}”。",
        then=lambda regulation: _regulations_url(regulation.committee_id),
        template="findings/regulation_form.html",
    )


@login_required
@require_http_methods(GET_POST)
def regulation_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "维护定性依据")
    form = RegulationForm(request.POST or None, user=user)
    return _regulation_form(
        request, form, lambda data: perform(user, actions.create_regulation, **data), "新建定性依据"
    )


@login_required
@require_http_methods(GET_POST)
def regulation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    regulation = _regulation(user, pk)
    form = RegulationForm(request.POST or None, user=user, regulation=regulation)
    return _regulation_form(
        request,
        form,
        lambda data: perform(user, actions.update_regulation, regulation, **data),
        f"修改定性依据“{regulation}”",
    )


@login_required
@require_http_methods(GET_POST)
def regulation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    regulation = _regulation(user, pk)
    return confirm_page(
        request,
        lambda: perform(user, actions.deactivate_regulation, regulation),
        question=f"确认停用定性依据“{regulation}”？停用后起草问题底稿时不再列出，已引用的问题底稿不受影响。",
        done=f"已停用定性依据“{regulation}”。",
        back=_regulations_url(regulation.committee_id),
    )


@login_required
@require_http_methods(GET_POST)
def regulation_activate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    regulation = _regulation(user, pk)
    return confirm_page(
        request,
        lambda: perform(user, actions.activate_regulation, regulation),
        question=f"确认重新启用定性依据“{regulation}”？",
        done=f"已启用定性依据“{regulation}”。",
        back=_regulations_url(regulation.committee_id),
    )


@login_required
@require_http_methods(GET_POST)
def regulation_defaults(request: HttpRequest, committee_id: int) -> HttpResponse:
    user = acting_user(request)
    committee = get_object_or_404(Committee.objects.visible_to(user), pk=committee_id)
    require(user, {Role.OFFICE: committee.pk}, what="维护定性依据")

    def run() -> None:
        created = actions.install_default_regulations(committee, by=user)
        messages.info(request, f"新建 {len(created)} 条默认定性依据。")

    return confirm_page(
        request,
        run,
        question=(
            f"确认为{committee.name}载入默认定性依据（纪律处分条例、中央八项规定精神、廉洁自律准则、"
            "干部选拔任用工作条例、巡视工作条例）？已有的不再重复载入；载入后可逐条修改或停用。"
        ),
        done="默认定性依据已载入。",
        back=_regulations_url(committee.pk),
    )


# Findings --------------------------------------------------------------------------------------------


def _inspection(user: User, pk: int) -> Inspection:
    return get_object_or_404(
        finding_inspections(user).select_related("round__committee", "team", "unit"), pk=pk
    )


def _finding_url(finding: Finding) -> str:
    return reverse("findings:finding-detail", args=[finding.pk])


def _finding(user: User, pk: int) -> Finding:
    return get_object_or_404(
        Finding.objects.visible_to(user).select_related(
            "inspection__round__committee",
            "inspection__team",
            "inspection__unit",
            "focus",
            "discipline",
            "nature",
            "four_winds",
            "drafted_by",
            "discussed_by",
            "signed_off_by",
        ),
        pk=pk,
    )


def _in_team(user: User, inspection: Inspection) -> bool:
    return inspection.team_id in user.scopes.ids(*TEAM_ROLES)


def filtered(findings: Any, form: FindingFilterForm) -> Any:
    """The findings the list's filters leave (invalid filters are ignored, never an error)."""
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        findings = findings.filter(status=data["status"])
    for name in ("focus", "discipline"):
        if data.get(name):
            findings = findings.filter(**{name: data[name]})
    if data.get("person"):
        findings = findings.filter(persons=data["person"])
    if data.get("q"):
        q = data["q"]
        findings = findings.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(basis_note__icontains=q)
            | Q(number__icontains=q)
        )
    return findings


@login_required
@require_GET
def finding_list(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    form = FindingFilterForm(request.GET or None, inspection=inspection)
    findings = filtered(
        Finding.objects.filter(inspection=inspection)
        .select_related("focus", "discipline", "drafted_by")
        .prefetch_related("persons"),
        form,
    )
    may_draft = _in_team(user, inspection) and not inspection.is_read_only
    context = {
        "inspection": inspection,
        "form": form,
        "page_obj": paginate(request, findings.distinct()),
        "query": querystring_without_page(request),
        "may_draft": may_draft,
        "problems": problems.waiting(user, inspection, ProblemKind.FINDING) if may_draft else [],
    }
    return render(request, "findings/finding_list.html", context)


def _finding_form(
    request: HttpRequest,
    form: FindingForm,
    save: Callable[[actions.FindingInput], Finding],
    context: dict[str, Any],
) -> HttpResponse:
    return form_page(
        request,
        form,
        lambda: save(form.finding_input()),
        allowed=None,  # the views require the team (or the problem's drafter) first
        done=lambda finding: f"已保存问题底稿“{finding.number}”。",
        then=_finding_url,
        template="findings/finding_form.html",
        **context,
    )


@login_required
@require_http_methods(GET_POST)
def finding_create(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, inspection_id)
    require(user, actions.team_roles(inspection), what="起草问题底稿")
    form = FindingForm(request.POST or None, user=user, inspection=inspection)
    return _finding_form(
        request,
        form,
        lambda data: perform(user, actions.draft_finding, inspection, data=data),
        {"inspection": inspection, "title": "起草问题底稿"},
    )


@login_required
@require_http_methods(GET_POST)
def finding_from_problem(request: HttpRequest, problem_id: uuid.UUID) -> HttpResponse:
    """A draft from a problem raised in an interview: its text as the description, the interview as
    evidence; the finding keeps the problem as its source."""
    user = acting_user(request)
    problem = problems.problem_to_draft(user, problem_id, "起草问题底稿")
    inspection = problem.interview.inspection
    initial = None
    if request.method == "GET":
        text = problems.read_for_draft(user, problem)
        initial = {"description": text, "evidence_interview": [problem.interview]}
    form = FindingForm(request.POST or None, user=user, inspection=inspection, initial=initial)
    return _finding_form(
        request,
        form,
        lambda data: perform(user, actions.draft_finding, inspection, data=data, problem=problem),
        {"inspection": inspection, "title": "起草问题底稿", "problem": problem},
    )


@login_required
@require_http_methods(GET_POST)
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    finding = _finding(user, pk)
    require(user, actions.team_roles(finding.inspection), what="修改问题底稿")
    if finding.status != FindingStatus.DRAFT:
        messages.error(request, f"问题底稿{finding.get_status_display()}，不能修改。")
        return redirect("findings:finding-detail", finding.pk)
    form = FindingForm(request.POST or None, user=user, inspection=finding.inspection, finding=finding)
    return _finding_form(
        request,
        form,
        lambda data: perform(user, actions.update_finding, finding, data=data),
        {"inspection": finding.inspection, "title": f"修改问题底稿 {finding.number}", "finding": finding},
    )


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    finding = _finding(user, pk)
    inspection = finding.inspection
    versions = list(finding.versions.select_related("by").order_by("number"))
    history = [
        (
            version,
            actions.VERSION_EVENTS.get(version.event, version.event),
            actions.diff(versions[i - 1].data if i else {}, version.data),
        )
        for i, version in enumerate(versions)
    ]
    leader = inspection.team_id in user.scopes.ids(Role.TEAM_LEADER)
    authored_by_me = user.pk in actions.sign_off_excluded(finding, versions)
    context = {
        "finding": finding,
        "inspection": inspection,
        "regulations": list(finding.regulations.all()),
        "persons": list(finding.persons.select_related("unit")),
        "evidence": shown(finding.evidence.all(), user, inspection),
        "history": list(reversed(history)),
        "may_edit": _in_team(user, inspection) and finding.status == FindingStatus.DRAFT,
        "may_discuss": leader and finding.status == FindingStatus.DRAFT,
        "may_sign": leader and finding.status == FindingStatus.DISCUSSED and not authored_by_me,
        "authored_by_me": authored_by_me,
        "may_return": leader and finding.status == FindingStatus.DISCUSSED,
        "may_clue": _in_team(user, inspection),
        "read_only": inspection.is_read_only,
    }
    return render(request, "findings/finding_detail.html", context)


def _leader_form(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    run: Callable[[User, Finding, dict[str, Any]], Finding],
    *,
    what: str,
    done: str,
) -> HttpResponse:
    user = acting_user(request)
    finding = _finding(user, pk)
    form = form_class(request.POST or None)
    return form_page(
        request,
        form,
        lambda: run(user, finding, form.cleaned_data),
        allowed={Role.TEAM_LEADER: finding.inspection.team_id},
        title=what,
        done=done,
        then=_finding_url(finding),
        template="findings/leader_form.html",
        finding=finding,
    )


@login_required
@require_http_methods(GET_POST)
def finding_discuss(request: HttpRequest, pk: int) -> HttpResponse:
    return _leader_form(
        request,
        pk,
        DiscussForm,
        lambda user, finding, data: perform(user, actions.discuss_finding, finding, **data),
        what="记录组务会研究意见",
        done="已记录组务会研究意见。",
    )


@login_required
@require_http_methods(GET_POST)
def finding_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _leader_form(
        request,
        pk,
        ReturnForm,
        lambda user, finding, data: perform(user, actions.return_finding, finding, **data),
        what="退回问题底稿",
        done="问题底稿已退回修改。",
    )


@login_required
@require_http_methods(GET_POST)
def finding_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    finding = _finding(user, pk)
    require(user, {Role.TEAM_LEADER: finding.inspection.team_id}, what="审签问题底稿")
    return confirm_page(
        request,
        lambda: perform(user, actions.sign_off_finding, finding),
        question=f"确认审签问题底稿“{finding}”？审签后不能再修改。",
        done=f"已审签问题底稿“{finding.number}”。",
        back=reverse("findings:finding-detail", args=[finding.pk]),
    )


def _reader_role(user: User, inspection: Inspection) -> str:
    for role, scope_id in (
        (Role.OFFICE, inspection.round.committee_id),
        (Role.LEADING_GROUP, inspection.round.committee_id),
        (Role.TEAM_LEADER, inspection.team_id),
    ):
        if user.scopes.has(role, scope_id):
            return role
    return Role.TEAM_MEMBER


def plan_export(user: User, filters: QueryDict) -> Export:
    """The 底稿台账 of an inspection's findings (``inspection``) with the list's filters."""
    inspection_id = id_param(filters.get("inspection", ""))
    if inspection_id is None:
        raise Refused("请指定巡察（inspection）。", field="inspection")
    inspection = _inspection(user, inspection_id)
    shown = filters.copy()
    for name in ("page", "inspection"):
        shown.pop(name, None)
    form = FindingFilterForm(shown or None, inspection=inspection)
    findings = filtered(Finding.objects.filter(inspection=inspection), form).distinct()

    def audit(rows: int) -> None:
        with action_scope("finding.exported"):
            record(
                "finding.exported",
                inspection,
                by=user,
                role=_reader_role(user, inspection),
                details={"rows": rows, "filters": shown.urlencode()},
            )

    return Export(
        rows=findings,
        write=lambda at, progress: ledger.write(findings, user=user, at=at, progress=progress),
        record=audit,
        filename=lambda at: f"问题底稿台账-{inspection.unit.name}-{timezone.localtime(at):%Y%m%d%H%M}.xlsx",
    )


@login_required
@require_GET
def finding_export(request: HttpRequest, inspection_id: int) -> HttpResponseBase:
    """The 台账 at once, or in the background above the threshold (``core.exports``)."""
    user = acting_user(request)
    _inspection(user, inspection_id)  # 404 before anything else
    filters = request.GET.copy()
    filters["inspection"] = str(inspection_id)
    back = reverse("findings:finding-list", args=[inspection_id])
    return exports.respond(request, user, "findings", filters, back=back)


# Common problems -------------------------------------------------------------------------------------


def common_rounds(user: User) -> Any:
    """The rounds whose common problems ``user`` reads: those of the committees of their office or leading
    group."""
    return Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)).select_related("committee")


@login_required
@require_GET
def common(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.scopes.ids(*READERS):
        raise NotAllowed("只有巡察办和巡察工作领导小组可以查看共性问题。")
    rounds = common_rounds(user).order_by("-planned_start", "-pk")
    round_id = id_param(request.GET.get("round", ""))
    chosen = get_object_or_404(rounds, pk=round_id) if round_id is not None else rounds.first()
    groups = [(label, common_problems(chosen, by)) for by, label in SCHEMES] if chosen else []
    context = {"rounds": rounds, "chosen": chosen, "groups": groups}
    return render(request, "findings/common.html", context)


# Home panels -----------------------------------------------------------------------------------------


def _sign_off_waiting(user: User) -> list[Finding]:
    """Findings discussed and waiting for the team leader's sign-off (not those they drafted or changed)."""
    discussed = (
        Finding.objects.filter(
            inspection__team_id__in=user.scopes.ids(Role.TEAM_LEADER), status=FindingStatus.DISCUSSED
        )
        .exclude(inspection__stage=Stage.ARCHIVED)
        .select_related("inspection__team", "inspection__unit")
        .prefetch_related("versions")
        .order_by("meeting_on", "pk")
    )
    return [f for f in discussed if user.pk not in actions.sign_off_excluded(f, f.versions.all())]


def todos(user: User) -> list[Todo]:
    if not user.scopes.ids(Role.TEAM_LEADER):
        return []
    return [
        Todo(
            group="待审签的问题底稿",
            title=f"问题底稿{finding.number}",
            subject=str(finding.inspection),
            link=reverse("findings:finding-detail", args=[finding.pk]),
        )
        for finding in _sign_off_waiting(user)
    ]


def home_panels(user: User) -> list[Panel]:
    """Team leaders: findings discussed and waiting for their sign-off (not those they drafted or changed).
    Team members: their inspections' findings. The office: its regulations and the rounds' common
    problems."""
    scopes = user.scopes
    panels: list[Panel] = []
    if scopes.ids(Role.TEAM_LEADER):
        waiting = _sign_off_waiting(user)
        context = {"findings": waiting[:PANEL_LIMIT], "count": len(waiting)}
        panels.append(Panel("待审签的问题底稿", "findings/home_sign_off.html", context, order=20))
    teams = scopes.ids(*TEAM_ROLES)
    if teams:
        inspections = (
            Inspection.objects.filter(team_id__in=teams)
            .exclude(stage=Stage.ARCHIVED)
            .select_related("unit", "team", "round")
        )
        panels.append(Panel("问题底稿", "findings/home_team.html", {"inspections": inspections}, order=40))
    if scopes.ids(Role.OFFICE):
        panels.append(Panel("定性依据与共性问题", "findings/home_office.html", {}, order=60))
    return panels


urlpatterns: list[URLPattern] = [
    path("regulations/", regulation_list, name="regulation-list"),
    path("regulations/new/", regulation_create, name="regulation-new"),
    path("regulations/<int:pk>/edit/", regulation_edit, name="regulation-edit"),
    path("regulations/<int:pk>/deactivate/", regulation_deactivate, name="regulation-deactivate"),
    path("regulations/<int:pk>/activate/", regulation_activate, name="regulation-activate"),
    path("regulations/defaults/<int:committee_id>/", regulation_defaults, name="regulation-defaults"),
    path("inspections/<int:inspection_id>/", finding_list, name="finding-list"),
    path("inspections/<int:inspection_id>/new/", finding_create, name="finding-new"),
    path("inspections/<int:inspection_id>/export/", finding_export, name="finding-export"),
    path("from-problem/<uuid:problem_id>/", finding_from_problem, name="finding-from-problem"),
    path("<int:pk>/", finding_detail, name="finding-detail"),
    path("<int:pk>/edit/", finding_edit, name="finding-edit"),
    path("<int:pk>/discuss/", finding_discuss, name="finding-discuss"),
    path("<int:pk>/sign-off/", finding_sign_off, name="finding-sign-off"),
    path("<int:pk>/return/", finding_return, name="finding-return"),
    path("common/", common, name="common"),
]
