"""The statistics dashboard (/analytics/) and the Excel export of each figure. Only the office and the leading
group see it (everyone else 404); an upper office also chooses a lower committee, or the whole tree, and then
sees numbers without drill-down (see ``scope``)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.core.forms import StyledForm
from xuncha.core.ledger import XLSX
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.ui import id_param
from xuncha.rounds.models import Round, Term

from .. import figures, ledger
from ..scope import Source, Viewpoint, may_view_dashboard, select, viewer_committees

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


def _form(user: User, point: Viewpoint, selected: dict[str, Any]) -> DashboardForm:
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
    committees = viewer_committees(user)
    fields: Any = form.fields
    fields["committee"].choices = [(c.pk, c.name) for c in committees]
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
        "form": _form(user, point, filters.as_dict()),
        "sections": sections,
        "charts": [f.as_json() for f in found],
        "query": _query(point, filters),
        "overview_rows": lower_rows,
        "overview_fields": figures.OVERVIEW_FIELDS,
    }
    return render(request, "analytics/dashboard.html", context)


def _query(point: Viewpoint, filters: Any) -> str:
    data = QueryDict(mutable=True)
    data["committee"] = str(point.committee.pk)
    if point.tree:
        data["tree"] = "1"
    if point.source != Source.OWN:
        data["source"] = point.source
    for key, value in filters.as_dict().items():
        data[key] = str(value)
    return data.urlencode()


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


urlpatterns: list[URLPattern] = [
    path("", dashboard, name="dashboard"),
    path("figures/<slug:key>/export/", figure_export, name="figure-export"),
]
