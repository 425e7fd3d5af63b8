"""Pages of triage: the petition page's section (the suggestions grouped by field, with their source and
reason, and the decision form prefilled from them), the decision itself, and the office's rules.

A petition is found through ``visible_to`` (out of scope → 404); deciding needs a role on it (403
otherwise), as do the rules, which are the office's. Writes go through ``scoping.perform``.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.forms import show_refusal
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require, require_office_somewhere
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, id_param, paginate, querystring_without_page
from xuncha.orgs.models import Committee

from ..actions import triage as actions
from ..choices import MatchKind, ScopeReason, Status, SuggestionField, SuggestionSource
from ..forms.triage import RuleForm, TriageForm, rule_target, value_choices
from ..listing import listed
from ..models import Petition, Suggestion, TriageRule
from ..triage import ranking

GET_POST = ["GET", "POST"]
SOURCE_BADGES = {
    SuggestionSource.RULE: "primary",
    SuggestionSource.ROSTER: "success",
    SuggestionSource.LEARNED: "info",
}


# The petition page's section ------------------------------------------------------------------------


@dataclass
class Item:
    """One suggested value of a field, with every suggestion that made it (the best-supported first)."""

    label: str
    confidence: float = 0.0
    suggestions: list[tuple[Suggestion, str]] = field(default_factory=list)  # with its badge colour


@dataclass
class Group:
    label: str
    items: dict[str, Item] = field(default_factory=dict)
    # Signals suggest different values of a field with one value: the page shows them all, with reasons.
    disagree: bool = False


def _suggestions(user: User, petition: Petition) -> list[Suggestion]:
    return list(
        Suggestion.objects.visible_to(user).filter(petition=petition).order_by("field", "-score", "id")
    )


def grouped(suggestions: list[Suggestion]) -> list[Group]:
    """Field by field, the values in the order the form ranks them (the first is what it prefills)."""
    groups = []
    for f in ranking.FIELD_ORDER:
        group = Group(str(SuggestionField(f).label))
        for found in ranking.values(suggestions, f):
            item = group.items.setdefault(found[0].value, Item(found[0].label, ranking.confidence(found)))
            item.suggestions += [
                (s, SOURCE_BADGES.get(SuggestionSource(s.source), "secondary")) for s in found
            ]
        group.disagree = f in ranking.SINGLE_VALUED and len(group.items) > 1
        if group.items:
            groups.append(group)
    return groups


def _decidable(petition: Petition) -> bool:
    return (
        petition.status in (Status.NEW, Status.ACCEPTED, Status.FILED)
        and not petition.inspection.is_read_only
    )


def _context(petition: Petition, suggestions: list[Suggestion], form: TriageForm | None) -> dict[str, Any]:
    return {
        "petition": petition,
        "groups": grouped(suggestions),
        "form": form,
        "decidable": _decidable(petition),
    }


def panel(request: HttpRequest, petition: Petition) -> str:
    """The suggestions and, for who may decide, the decision form prefilled from them."""
    user = acting_user(request)
    suggestions = _suggestions(user, petition)
    may_decide = actions.may_triage(user, petition) and _decidable(petition)
    form = TriageForm(petition=petition, suggestions=suggestions) if may_decide else None
    return render_to_string(
        "intake/triage/panel.html", _context(petition, suggestions, form), request=request
    )


@login_required
@require_http_methods(GET_POST)
def petition_triage(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    petition = get_object_or_404(listed(user).select_related("inspection__round"), pk=pk)
    require(user, actions.triage_roles(petition), what="分拣信访件")
    suggestions = _suggestions(user, petition)
    form = TriageForm(request.POST or None, petition=petition, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["persons"] = list(data["persons"])
        if data["scope_reason"] == ScopeReason.ABOUT_INSPECTORS and not petition.about_inspectors:
            return _hand_to_office(request, petition, form, note=data["note"])
        try:
            perform(user, actions.triage_petition, petition, **data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"信访件 {petition.number} 已分拣：{petition.get_decision_display()}。")
            return redirect("intake:petition-detail", pk=petition.pk)
    return render(request, "intake/triage/petition_triage.html", _context(petition, suggestions, form))


def _hand_to_office(request: HttpRequest, petition: Petition, form: TriageForm, *, note: str) -> HttpResponse:
    """The team hands the petition to the office and loses sight of it: back to the list, not its page."""
    user = acting_user(request)
    try:
        actions.hand_to_office(petition, note=note, by=user)
    except Refused as refused:
        show_refusal(form, refused)
        context = _context(petition, _suggestions(user, petition), form)
        return render(request, "intake/triage/petition_triage.html", context)
    messages.success(request, f"信访件 {petition.number} 反映巡察组或巡察干部，已移交巡察办处理。")
    return redirect("intake:petition-list")


# Rules ------------------------------------------------------------------------------------------------


def _rule(user: User, pk: int) -> TriageRule:
    return get_object_or_404(TriageRule.objects.visible_to(user).select_related("committee"), pk=pk)


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "维护分拣规则")
    rules = TriageRule.objects.visible_to(user).select_related("committee")
    committee_id = id_param(request.GET.get("committee", ""))
    if committee_id is not None:
        rules = rules.filter(committee_id=committee_id)
    kind = request.GET.get("field", "")
    if kind in SuggestionField.values:
        rules = rules.filter(field=kind)
    page = paginate(request, rules)
    counts = dict(
        Suggestion.objects.visible_to(user)
        .filter(rule__in=list(page.object_list))
        .values_list("rule_id")
        .annotate(n=Count("id"))
        .values_list("rule_id", "n")
    )
    targets = {value: label for _, group in value_choices()[1:] for value, label in group}
    rows = [(rule, targets.get(rule_target(rule), rule.value), counts.get(rule.pk, 0)) for rule in page]
    context = {
        "page_obj": page,
        "rows": rows,
        "query": querystring_without_page(request),
        "committees": Committee.objects.filter(pk__in=user.scopes.ids(Role.OFFICE)),
        "fields": [(f, SuggestionField(f).label) for f in actions.RULE_FIELDS],
        "field": kind,
        "committee_id": committee_id,
        "regex": MatchKind.REGEX,
    }
    return render(request, "intake/triage/rule_list.html", context)


def _rule_form(
    request: HttpRequest, form: RuleForm, save: Callable[[dict[str, Any]], TriageRule], title: str
) -> HttpResponse:
    return form_page(
        request,
        form,
        lambda: save(form.rule_data()),
        allowed=None,  # the views require an office first
        title=title,
        done=lambda rule: f"已保存分拣规则“{rule.name}”。",
        then=_back,
        template="intake/triage/rule_form.html",
    )


@login_required
@require_http_methods(GET_POST)
def rule_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_office_somewhere(user, "维护分拣规则")
    form = RuleForm(request.POST or None, user=user)
    return _rule_form(request, form, lambda data: perform(user, actions.create_rule, **data), "新建分拣规则")


@login_required
@require_http_methods(GET_POST)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    rule = _rule(user, pk)
    require(user, {Role.OFFICE: rule.committee_id}, what="维护分拣规则")
    form = RuleForm(request.POST or None, user=user, rule=rule)
    return _rule_form(
        request,
        form,
        lambda data: perform(user, actions.update_rule, rule, **data),
        f"修改分拣规则“{rule.name}”",
    )


def _back(rule: TriageRule) -> str:
    return reverse("intake:rule-list") + f"?committee={rule.committee_id}"


@login_required
@require_http_methods(GET_POST)
def rule_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    rule = _rule(user, pk)
    require(user, {Role.OFFICE: rule.committee_id}, what="维护分拣规则")
    return confirm_page(
        request,
        lambda: perform(user, actions.deactivate_rule, rule),
        question=f"确认停用分拣规则“{rule.name}”？停用后新收到的信访件不再按此规则提出建议，已有建议保留。",
        done=f"已停用分拣规则“{rule.name}”。",
        back=_back(rule),
    )


@login_required
@require_http_methods(GET_POST)
def rule_activate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    rule = _rule(user, pk)
    require(user, {Role.OFFICE: rule.committee_id}, what="维护分拣规则")
    return confirm_page(
        request,
        lambda: perform(user, actions.activate_rule, rule),
        question=f"确认重新启用分拣规则“{rule.name}”？",
        done=f"已启用分拣规则“{rule.name}”。",
        back=_back(rule),
    )


@login_required
@require_http_methods(GET_POST)
def rule_defaults(request: HttpRequest, committee_id: int) -> HttpResponse:
    user = acting_user(request)
    committee = get_object_or_404(Committee.objects.visible_to(user), pk=committee_id)
    require(user, {Role.OFFICE: committee.pk}, what="维护分拣规则")

    def run() -> None:
        created = actions.install_default_rules(committee, by=user)
        messages.info(request, f"新建 {len(created)} 条默认规则。")

    return confirm_page(
        request,
        run,
        question=(
            f"确认为{committee.name}载入默认分拣规则（个人诉求、涉法涉诉、六项纪律、三个聚焦等）？"
            "已有同名规则的不再重复载入；载入后可逐条修改或停用。"
        ),
        done="默认分拣规则已载入。",
        back=reverse("intake:rule-list") + f"?committee={committee.pk}",
    )


urlpatterns: list[URLPattern] = [
    path("petitions/<uuid:pk>/triage/", petition_triage, name="petition-triage"),
    path("triage-rules/", rule_list, name="rule-list"),
    path("triage-rules/new/", rule_create, name="rule-new"),
    path("triage-rules/<int:pk>/edit/", rule_edit, name="rule-edit"),
    path("triage-rules/<int:pk>/deactivate/", rule_deactivate, name="rule-deactivate"),
    path("triage-rules/<int:pk>/activate/", rule_activate, name="rule-activate"),
    path("triage-rules/defaults/<int:committee_id>/", rule_defaults, name="rule-defaults"),
]
