"""All items a user sees, with filters and pagination; the 整改台账 as Excel (watermarked, audited); the
home panels of the liaison, the office, the leading group and the team."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.core import exports
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.exports import Export
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user
from xuncha.core.todos import Todo
from xuncha.core.ui import paginate, querystring_without_page
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Round

from .. import batch, ledger
from ..choices import ItemStatus, Light, PlanStatus
from ..duties import Duty, duties_of
from ..forms import ItemFilterForm
from ..listing import ItemFilters, items_for, light_of
from ..models import Item, Plan
from ..models.scope import READERS, TEAM_ROLES
from .common import inspections_for

AUDIT_ACTIONS = {"rectification.ledger_exported": "导出整改台账"}
AUDIT_DETAILS = {"rows": "行数", "filters": "筛选条件"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PANEL_LIMIT = 10
ACTIVE_STAGES = (Stage.RECTIFYING, Stage.REVIEWING)


RECTIFICATION_ROLES = (*READERS, *TEAM_ROLES, Role.UNIT_LIAISON)


def _reader(request: HttpRequest) -> User:
    """The acting user, who must hold a role that sees rectification somewhere (else 403)."""
    user = acting_user(request)
    if not user.scopes.ids(*RECTIFICATION_ROLES):
        raise NotAllowed("只有巡察办、领导小组、巡察组和被巡察单位联络人可以查看整改事项。")
    return user


def _filter_form(request: HttpRequest, user: User) -> ItemFilterForm:
    inspections = inspections_for(user).select_related("unit", "round", "team")
    rounds = Round.objects.filter(inspections__in=inspections).distinct()
    return ItemFilterForm(request.GET or None, rounds=rounds, inspections=inspections)


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = _filter_form(request, user)
    page = paginate(request, items_for(user, form.filters()).prefetch_related("milestones"))
    today = timezone.localdate()
    rows = [(item, light_of(item, today)) for item in page]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "query": querystring_without_page(request),
        "batch": batch.selectable(user),
    }
    return render(request, "rectification/item_list.html", context)


def plan_export(user: User, filters: QueryDict) -> Export:
    """The 整改台账 of the items the user lists with ``filters``; the export is an audit event naming
    the filters and row count."""
    if not user.scopes.ids(*RECTIFICATION_ROLES):
        raise NotAllowed("只有巡察办、领导小组、巡察组和被巡察单位联络人可以查看整改事项。")
    inspections = inspections_for(user).select_related("unit", "round", "team")
    rounds = Round.objects.filter(inspections__in=inspections).distinct()
    form = ItemFilterForm(filters or None, rounds=rounds, inspections=inspections)
    items = items_for(user, form.filters())
    shown = filters.copy()
    shown.pop("page", None)

    def audit(rows: int) -> None:
        roles = (Role.OFFICE, Role.LEADING_GROUP, *TEAM_ROLES, Role.UNIT_LIAISON)
        role = next(iter(r for r in roles if user.scopes.ids(r)), "")
        with action_scope("rectification.ledger_exported"):
            record(
                "rectification.ledger_exported",
                None,
                by=user,
                role=role,
                committee_id=next(iter(user.scopes.ids(*READERS)), None),
                details={"rows": rows, "filters": shown.urlencode()},
            )

    return Export(
        rows=items,
        write=lambda at, progress: ledger.write(items, user=user, at=at, progress=progress),
        record=audit,
        filename=lambda at: f"整改台账-{timezone.localtime(at):%Y%m%d%H%M}.xlsx",
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    """The 整改台账 of the listed items, at once or in the background above the threshold."""
    back = f"{reverse('rectification:item-list')}?{request.GET.urlencode()}"
    return exports.respond(request, acting_user(request), "rectification", back=back)


def _duties(user: User) -> list[Duty]:
    inspections = (
        inspections_for(user)
        .filter(stage__in=ACTIVE_STAGES)
        .select_related("round__committee__settings", "unit")
    )
    return sorted(duties_of(inspections), key=lambda d: d.due_on)


REVIEWS = {
    "plans_waiting": "待审核的整改方案",
    "closure_waiting": "待核实销号的整改事项",
    "plans_returned": "被退回的整改方案",
    "returned": "被退回的销号申请",
}
LIMITED_REVIEWS = ("closure_waiting", "returned")  # the panel lists plans whole: one per inspection


def _reviews(user: User) -> dict[str, tuple[str, QuerySet[Any]]]:
    """What waits for the user's review or rework, by the home panel's key: its 待办 group and its rows.
    The office: submitted plans, items whose closure (or a milestone) is submitted; the liaison: returned
    plans and items."""
    scopes = user.scopes
    live = ~Q(inspection__stage=Stage.ARCHIVED)
    found: dict[str, QuerySet[Any]] = {}
    offices = scopes.ids(Role.OFFICE)
    if offices:
        found["plans_waiting"] = Plan.objects.filter(
            live, inspection__round__committee_id__in=offices, status=PlanStatus.SUBMITTED
        ).select_related("inspection__unit")
        found["closure_waiting"] = (
            Item.objects.filter(
                Q(status=ItemStatus.SUBMITTED) | Q(milestones__status=ItemStatus.SUBMITTED),
                live,
                inspection__round__committee_id__in=offices,
            )
            .distinct()
            .select_related("inspection__unit")
        )
    liaison_units = scopes.ids(Role.UNIT_LIAISON)
    if liaison_units:
        found["returned"] = (
            Item.objects.visible_to(user)
            .filter(
                Q(status=ItemStatus.RETURNED) | Q(milestones__status=ItemStatus.RETURNED),
                live,
                inspection__unit_id__in=liaison_units,
            )
            .distinct()
            .select_related("inspection__unit")
        )
        found["plans_returned"] = Plan.objects.filter(
            live, inspection__unit_id__in=liaison_units, status=PlanStatus.RETURNED
        ).select_related("inspection__unit")
    return {key: (REVIEWS[key], rows) for key, rows in found.items()}


def todos(user: User) -> list[Todo]:
    """The reviews and rework of ``_reviews`` (the deadlines come through the reminder engine)."""
    found = []
    for group, rows in _reviews(user).values():
        for row in rows:
            if isinstance(row, Plan):
                title, link = (
                    f"{row.inspection.unit.name}整改方案",
                    reverse("rectification:inspection", args=[row.inspection_id]),
                )
            else:
                title, link = (
                    f"{row.inspection.unit.name} {row.code}",
                    reverse("rectification:item", args=[row.pk]),
                )
            found.append(Todo(group=group, title=title, link=link))
    return found


def home_panels(user: User) -> list[Panel]:
    """Whoever sees rectification: what the units owe on time (due and overdue), the overdue items and those
    due soon (黄灯); the office also what waits for its review (plans, closure requests), the liaison what was
    returned. The only place on the home page for these deadlines: rectification registers them with the
    reminder engine ``on_home=False``, so the engine's 逾期事项 / 即将到期 panels do not list them again."""
    scopes = user.scopes
    if not scopes.ids(*RECTIFICATION_ROLES):
        return []
    today = timezone.localdate()
    owed = _duties(user)
    live = ~Q(inspection__stage=Stage.ARCHIVED)  # an archived inspection's items ask nothing any more
    overdue, overdue_count = head(items_for(user, ItemFilters(overdue=True), today).filter(live), PANEL_LIMIT)
    due_soon, due_soon_count = head(
        items_for(user, ItemFilters(light=Light.YELLOW), today).filter(live), PANEL_LIMIT
    )
    context = {
        "duties": owed[:PANEL_LIMIT],
        "overdue_duties": sum(1 for d in owed if d.is_overdue(today)),
        "overdue_items": overdue,
        "overdue_count": overdue_count,
        "due_soon_items": due_soon,
        "due_soon_count": due_soon_count,
        "today": today,
    }
    context.update(
        {
            key: reviews[:PANEL_LIMIT] if key in LIMITED_REVIEWS else reviews
            for key, (_, reviews) in _reviews(user).items()
        }
    )
    shown = any(
        context.get(k)
        for k in (
            "duties",
            "overdue_count",
            "due_soon_count",
            "plans_waiting",
            "closure_waiting",
            "returned",
            "plans_returned",
        )
    )
    return [Panel("整改", "rectification/home.html", context, order=30)] if shown else []
