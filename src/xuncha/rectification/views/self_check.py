"""Pages of the unit's self-check problems (自查问题): an inspection's list, the liaison's form, a problem's
page, and the team leader's accept (it becomes a 边巡边改 item) and decline (with a reason). Its forms are
here too: they collect input, the actions check it.

Seen as rectification is (the office and leading group, the team, the unit's liaison); 404 for anyone else;
403 for who sees a problem but may not act on it.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.forms import StyledForm
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds
from xuncha.core.scoping import perform
from xuncha.core.ui import paginate
from xuncha.rounds.models import Inspection

from ..actions import self_check as actions
from ..actions.common import MEASURE_LIMIT, NOTE_LIMIT, SHORT_LIMIT, liaison_roles, team_leader_roles
from ..actions.items import ISSUE_LIMIT
from ..choices import ItemKind
from ..models import SelfCheckItem, SelfCheckStatus
from .common import GET_POST, form_page, inspection_for

PANEL_LIMIT = 5


class SelfCheckForm(StyledForm):
    problem = forms.CharField(
        label="自查发现的问题",
        max_length=ISSUE_LIMIT - len(actions.PREFIX),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    measure = forms.CharField(
        label="整改措施", max_length=MEASURE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    leader = forms.CharField(label="责任领导", max_length=SHORT_LIMIT)
    department = forms.CharField(label="责任部门", max_length=SHORT_LIMIT)
    due_on = forms.DateField(label="拟完成时限")

    def entry_input(self) -> actions.SelfCheckInput:
        return actions.SelfCheckInput(**self.cleaned_data)


class AcceptForm(StyledForm):
    kind = forms.ChoiceField(
        label="类型", choices=[c for c in ItemKind.choices if c[0] != ItemKind.LONG_TERM]
    )
    due_on = forms.DateField(label="完成时限", required=False, help_text="不填则按单位拟定的时限")


class DeclineForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))


def _entry(user: User, pk: int) -> SelfCheckItem:
    return get_object_or_404(
        SelfCheckItem.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__team", "inspection__unit", "item"
        ),
        pk=pk,
    )


def list_url(inspection: Inspection) -> str:
    return reverse("rectification:self-check-list", args=[inspection.pk])


def entry_url(entry: SelfCheckItem) -> str:
    return reverse("rectification:self-check", args=[entry.pk])


@login_required
@require_GET
def self_check_list(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    entries = SelfCheckItem.objects.visible_to(user).filter(inspection=inspection).select_related("item")
    context = {
        "inspection": inspection,
        "page_obj": paginate(request, entries.order_by("-reported_at", "-pk")),
        "may_report": holds(user, liaison_roles(inspection)) and inspection.stage in actions.REPORT_STAGES,
    }
    return render(request, "rectification/self_check_list.html", context)


@login_required
@require_http_methods(GET_POST)
def self_check_new(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    form = SelfCheckForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.report_self_check, inspection, data=form.entry_input()),
        allowed=liaison_roles(inspection),
        done="已登记自查问题，待巡察组组长审核。",
        then=entry_url,
        title="登记自查问题",
        back=list_url(inspection),
    )


@login_required
@require_GET
def self_check_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = _entry(user, pk)
    inspection = entry.inspection
    context = {
        "entry": entry,
        "inspection": inspection,
        "may_decide": entry.is_pending
        and inspection.stage in actions.REPORT_STAGES
        and holds(user, team_leader_roles(inspection)),
    }
    return render(request, "rectification/self_check.html", context)


@login_required
@require_http_methods(GET_POST)
def self_check_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = _entry(user, pk)
    form = AcceptForm(request.POST or None, initial={"kind": ItemKind.IMMEDIATE})
    return form_page(
        request,
        form,
        lambda: perform(user, actions.accept_self_check, entry, **form.cleaned_data),
        allowed=team_leader_roles(entry.inspection),
        done="已纳入边巡边改事项。",
        then=entry_url,
        title=f"纳入边巡边改（{entry.code}）",
        back=entry_url(entry),
    )


@login_required
@require_http_methods(GET_POST)
def self_check_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = _entry(user, pk)
    form = DeclineForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.decline_self_check, entry, reason=form.cleaned_data["reason"]),
        allowed=team_leader_roles(entry.inspection),
        done="已退回该自查问题。",
        then=entry_url,
        title=f"不予纳入（{entry.code}）",
        back=entry_url(entry),
    )


def home_panels(user: User) -> list[Panel]:
    """For a team leader: the self-check problems waiting for the decision while the team is in the unit
    (one query). For a liaison: the inspections of its unit where the team is in the unit, to register a
    problem (one query)."""
    scopes = user.scopes
    teams, units = scopes.ids(Role.TEAM_LEADER), scopes.ids(Role.UNIT_LIAISON)
    if not teams and not units:
        return []
    waiting: list[SelfCheckItem] = []
    total = 0
    if teams:
        waiting, total = head(
            SelfCheckItem.objects.filter(
                inspection__team_id__in=teams,
                # Decided while the team is in the unit: none of an archived inspection's (closing.py).
                inspection__stage__in=actions.REPORT_STAGES,
                status=SelfCheckStatus.PENDING,
            )
            .select_related("inspection__unit")
            .order_by("reported_at", "pk"),
            PANEL_LIMIT,
        )
    open_to: list[Inspection] = []
    if units:
        open_to = list(
            Inspection.objects.filter(unit_id__in=units, stage__in=actions.REPORT_STAGES)
            .select_related("team", "unit")
            .order_by("pk")[:PANEL_LIMIT]
        )
    if not waiting and not open_to:
        return []
    context = {"waiting": waiting, "total": total, "open_to": open_to}
    return [Panel("自查问题", "rectification/self_check_home.html", context, order=19)]
