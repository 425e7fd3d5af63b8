"""The statistics dashboard (/analytics/) and the Excel export of each figure. Only the office and the leading
group see it (everyone else 404); an upper office also chooses a lower committee, or the whole tree, and then
sees numbers without drill-down (see ``scope``)."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from xuncha.core.forms import StyledForm
from xuncha.core.ledger import XLSX
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.ui import id_param, paginate, querystring_without_page
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.models import Petition
from xuncha.rectification.models import Item, LookbackCheck, SupervisionNotice
from xuncha.rounds.models import Inspection, Round, Term

from .. import figures, ledger
from ..scope import Filters, Source, Viewpoint, may_view_dashboard, select

SOURCE_CHOICES = [(Source.OWN, "本级巡察"), (Source.UPPER, "上级在本地的提级、交叉、联动巡察")]


class DashboardForm(StyledForm):
    committee = forms.TypedChoiceField(label="党委", coerce=int, required=False)
    tree = forms.BooleanField(label="含全部下级党委（汇总）", required=False)
    source = forms.ChoiceField(label="统计范围", choices=SOURCE_CHOICES, required=False)
    term = forms.TypedChoiceField(label="届期", coerce=int, required=False)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    round = forms.TypedChoiceField(label="轮次", coerce=int, required=False)


def params(data: QueryDict) -> dict[str, Any]:
    """The selection in a query string; anything that is not an id is ignored (never an error)."""
    year = id_param(data.get("year", ""))
    return {
        "committee": id_param(data.get("committee", "")),
        "term": id_param(data.get("term", "")),
        "year": year,
        "round": id_param(data.get("round", "")),
        "tree": data.get("tree") in ("1", "on", "true"),
        "source": Source.UPPER if data.get("source") == Source.UPPER else Source.OWN,
    }


def _viewer(request: HttpRequest) -> User:
    user = acting_user(request)
    if not may_view_dashboard(user):
        raise Http404
    return user


def _form(point: Viewpoint, selected: dict[str, Any]) -> DashboardForm:
    """The filter form, its choices limited to the viewer's committees and the chosen committee's terms,
    rounds and years (a fixed number of queries)."""
    form = DashboardForm(
        initial={
            "committee": point.committee.pk,
            "tree": point.tree,
            "source": point.source,
            "term": selected.get("term") or "",
            "year": selected.get("year") or "",
            "round": selected.get("round") or "",
        }
    )
    fields: Any = form.fields
    fields["committee"].choices = [(c.pk, c.name) for c in point.choices]
    ids = point.committee_ids
    terms = Term.objects.filter(committee_id__in=ids).order_by("-starts_on")
    fields["term"].choices = [("", "当前届期"), *[(t.pk, t.name) for t in terms]]
    rounds = Round.objects.filter(committee_id__in=ids).order_by("-planned_start", "-id")
    fields["round"].choices = [("", "全部轮次"), *[(r.pk, r.name) for r in rounds]]
    years = (
        Round.objects.filter(committee_id__in=ids)
        .annotate(y=ExtractYear("planned_start"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    fields["year"].choices = [("", "全部年度"), *[(y, f"{y}年") for y in years]]
    if not point.lower:
        del fields["tree"]
    return form


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    selected = params(request.GET)
    point, filters = select(user, **selected)
    found = figures.compute_all(point, filters)
    sections = [(name, [f for f in found if f.section == name]) for name in figures.SECTIONS]
    lower_rows = figures.overview([point.committee, *point.lower]) if point.lower else []
    if lower_rows:
        lower_rows.append(figures.OverviewRow(0, "合计", dict(figures.overview_total(lower_rows))))
    context = {
        "point": point,
        "filters": filters,
        "form": _form(point, filters.as_dict()),
        "sections": sections,
        "charts": [f.as_json() for f in found],
        "query": _query(point, filters),
        "overview_rows": lower_rows,
        "overview_fields": figures.OVERVIEW_FIELDS,
    }
    return render(request, "analytics/dashboard.html", context)


def _query(point: Viewpoint, filters: Filters) -> str:
    return urlencode(figures.Context(point, filters).selection())


@login_required
@require_GET
def figure_export(request: HttpRequest, key: str) -> HttpResponseBase:
    """One figure as a watermarked Excel sheet; the export is an audit event."""
    user = _viewer(request)
    if key not in figures.FIGURES:
        raise Http404
    point, filters = select(user, **params(request.GET))
    figure = figures.compute(point, filters, key)
    at = timezone.now()
    handle = ledger.export_figure(figure, point=point, filters=filters, user=user, at=at)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"统计-{figure.title}-{timezone.localtime(at):%Y%m%d%H%M}.xlsx".replace("/", "／"),
        content_type=XLSX,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---- Drill-down: the rows behind a number, from the figure's own query, limited to what the viewer sees ----

DRILL_COLUMNS: dict[type[Model], tuple[str, ...]] = {
    Inspection: ("被巡察单位", "轮次", "阶段", "本阶段期限"),
    Petition: ("编号", "渠道", "收到日期", "状态", "被巡察单位"),
    Finding: ("编号", "问题标题", "被巡察单位", "轮次"),
    Clue: ("编号", "类别", "被巡察单位", "状态"),
    ClueTransfer: ("移交函编号", "接收单位", "报告结果期限", "状态"),
    Item: ("事项", "被巡察单位", "期限", "状态"),
    LookbackCheck: ("原整改事项", "被巡察单位", "核查结论"),
    SupervisionNotice: ("督办事项", "被巡察单位", "办理时限", "状态"),
}
DRILL_RELATED: dict[type[Model], tuple[str, ...]] = {
    Inspection: ("unit", "round"),
    Petition: ("inspection__unit",),
    Finding: ("inspection__unit", "inspection__round"),
    Clue: ("inspection__unit",),
    ClueTransfer: ("department",),
    Item: ("inspection__unit",),
    LookbackCheck: ("inspection__unit", "item"),
    SupervisionNotice: ("inspection__unit",),
}
DRILL_ORDER: dict[type[Model], tuple[str, ...]] = {
    Inspection: ("round__planned_start", "pk"),
    Petition: ("-received_at", "number"),
    Finding: ("inspection_id", "sequence"),
    Clue: ("inspection_id", "sequence"),
    ClueTransfer: ("due_on", "letter_number"),
    Item: ("inspection_id", "number"),
    LookbackCheck: ("inspection_id", "pk"),
    SupervisionNotice: ("due_on", "pk"),
}


def _row_label(figure: figures.Figure, value: str | None) -> str:
    """The label of the figure's row whose drill-down is ``value`` (the whole figure: no label)."""
    if value is None:
        return ""
    for row in figure.rows:
        if row.link and QueryDict(urlsplit(row.link).query).get("value") == value:
            return row.label
    return ""


def _cells(obj: Any) -> tuple[list[Any], str]:
    """One listed row: its cells (no reporter, no content) and the link to the object's own page (which
    checks the viewer's scope again and records the read where that is a sensitive one)."""
    if isinstance(obj, Inspection):
        cells = [obj.unit.name, obj.round.name, obj.get_stage_display(), obj.stage_due_on or ""]
        return cells, reverse("rounds:inspection-detail", args=[obj.pk])
    if isinstance(obj, Petition):
        cells = [
            obj.number,
            obj.get_channel_display(),
            timezone.localdate(obj.received_at),
            obj.get_status_display(),
            obj.inspection.unit.name,
        ]
        return cells, reverse("intake:petition-detail", args=[obj.pk])
    if isinstance(obj, Finding):
        cells = [obj.number, obj.title, obj.inspection.unit.name, obj.inspection.round.name]
        return cells, reverse("findings:finding-detail", args=[obj.pk])
    if isinstance(obj, Clue):
        cells = [obj.number, obj.get_kind_display(), obj.inspection.unit.name, obj.get_status_display()]
        return cells, reverse("findings:clue-detail", args=[obj.pk])
    if isinstance(obj, ClueTransfer):
        department = obj.department.name if obj.department else "被巡察党组织"
        cells = [obj.letter_number, department, obj.due_on, obj.get_status_display()]
        return cells, reverse("findings:clue-transfer-detail", args=[obj.pk])
    if isinstance(obj, Item):
        cells = [obj.code, obj.inspection.unit.name, obj.due_on or "", obj.get_status_display()]
        return cells, reverse("rectification:item", args=[obj.pk])
    if isinstance(obj, SupervisionNotice):
        unit = obj.inspection.unit.name if obj.inspection else ""
        cells = [obj.subject, unit, obj.due_on, obj.get_status_display()]
        return cells, reverse("rectification:notice", args=[obj.pk])
    if isinstance(obj, LookbackCheck):
        cells = [obj.item.code, obj.inspection.unit.name, obj.get_verdict_display()]
        return cells, reverse("rectification:lookback", args=[obj.inspection_id])
    raise TypeError(f"no drill-down columns for {type(obj).__name__}")


@login_required
@require_GET
def figure_rows(request: HttpRequest, key: str) -> HttpResponse:
    """The rows one number of a figure counts (``value``: the row; absent: the whole figure), from the same
    query as the number and only what the viewer may see. Across the committee boundary (a lower committee,
    the tree, an upper committee's rounds) it lists nothing and says why."""
    user = _viewer(request)
    if key not in figures.DRILLS:
        raise Http404
    point, filters = select(user, **params(request.GET))
    if point.drill and not figures.may_drill(point, key):
        raise Http404  # rows this role does not read (the leading group: petitions)
    value = request.GET.get("value")
    value = value[:40] if value is not None else None
    context: dict[str, Any] = {"point": point, "title": figures.FIGURES[key].title, "key": key}
    context["back"] = reverse("analytics:dashboard") + "?" + _query(point, filters)
    if point.drill:
        context["label"] = _row_label(figures.compute(point, filters, key), value)
        rows = figures.drill_rows(point, filters, key, value)
        model: Any = rows.model
        visible = rows.filter(pk__in=model.objects.visible_to(user).values("pk"))
        page = paginate(request, visible.select_related(*DRILL_RELATED[model]).order_by(*DRILL_ORDER[model]))
        context.update(
            page_obj=page,
            columns=DRILL_COLUMNS[model],
            rows=[_cells(obj) for obj in page],
            query=querystring_without_page(request),
        )
    return render(request, "analytics/figure_rows.html", context)


urlpatterns: list[URLPattern] = [
    path("", dashboard, name="dashboard"),
    path("figures/<slug:key>/export/", figure_export, name="figure-export"),
    path("figures/<slug:key>/rows/", figure_rows, name="figure-rows"),
]
