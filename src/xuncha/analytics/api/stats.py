"""API of the statistics (统计分析): ``GET /api/v1/stats/<figure>`` for every figure of the dashboard, with
the same numbers from the same query code (``figures.compute``), and ``GET /api/v1/stats/overview`` with the
headline counts of a committee and each committee below it.

Only the office and the leading group of a committee, and the office of a committee above it, get an answer;
for everyone else, and for an upper committee asked by a lower office, 404 as for a missing id. The figures
of a lower committee (or a tree, or an upper committee's rounds in this one) carry numbers only: no drill-down
link, no name of a person, no id of a case object.
"""

from collections.abc import Callable
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from xuncha.core.api import ErrorOut
from xuncha.core.permissions import acting_user

from .. import figures
from ..scope import Source, may_view_dashboard, select

router = Router(tags=["统计分析"])


class StatsQuery(Schema):
    committee: int | None = Field(None, description="党委 id（默认：本级党委）")
    term: int | None = Field(None, description="届期 id（默认：当前届期）")
    year: int | None = Field(None, description="年度（轮次计划开始的年份）")
    round: int | None = Field(None, description="轮次 id")
    tree: bool = Field(False, description="含全部下级党委（汇总）")
    source: Literal["own", "upper"] = Field(
        "own", description="own：本级巡察；upper：上级在本地的提级、交叉、联动巡察"
    )


class StatsCommitteeOut(Schema):
    id: int
    name: str


class StatsRowOut(Schema):
    label: str
    values: list[int | float | str]
    link: str = Field("", description="页面上该数字所统计的清单（仅本级党委提供）")


class StatsFigureOut(Schema):
    key: str
    title: str
    section: str
    committee: StatsCommitteeOut
    tree: bool
    source: str
    filters: dict[str, int]
    drill: bool = Field(..., description="是否提供明细链接（下级党委只提供数字）")
    columns: list[str]
    rows: list[StatsRowOut]
    note: str


class StatsOverviewRowOut(Schema):
    committee: StatsCommitteeOut
    counts: dict[str, float]


class StatsOverviewOut(Schema):
    committee: StatsCommitteeOut
    fields: dict[str, str]
    rows: list[StatsOverviewRowOut]
    total: dict[str, float]


def _user(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not may_view_dashboard(user):
        raise Http404
    return user


def figure_answer(request: HttpRequest, key: str, query: StatsQuery) -> dict[str, Any]:
    user = _user(request)
    point, filters = select(
        user,
        committee=query.committee,
        term=query.term,
        year=query.year,
        round=query.round,
        tree=query.tree,
        source=Source.UPPER if query.source == "upper" else Source.OWN,
    )
    figure = figures.compute(point, filters, key)
    return {
        "key": figure.key,
        "title": figure.title,
        "section": figure.section,
        "committee": {"id": point.committee.pk, "name": point.committee.name},
        "tree": point.tree,
        "source": point.source,
        "filters": filters.as_dict(),
        "drill": point.drill,
        "columns": figure.columns,
        "rows": [{"label": r.label, "values": r.values, "link": r.link} for r in figure.rows],
        "note": figure.note,
    }


@router.get("/stats/overview", response={200: StatsOverviewOut, 404: ErrorOut}, operation_id="stats_overview")
def stats_overview(request: HttpRequest, committee: int | None = None) -> dict[str, Any]:
    """本级和每个下级党委的主要数字（届期覆盖率、巡察、信访件、发现问题、线索、整改）。"""
    user = _user(request)
    point, _ = select(user, committee=committee)
    committees = [point.committee, *point.lower]
    rows = figures.overview(committees)
    return {
        "committee": {"id": point.committee.pk, "name": point.committee.name},
        "fields": dict(figures.OVERVIEW_FIELDS),
        "rows": [
            {"committee": {"id": r.committee_id, "name": r.committee}, "counts": r.counts} for r in rows
        ],
        "total": figures.overview_total(rows),
    }


def _route(key: str) -> Callable[..., dict[str, Any]]:
    def handler(request: HttpRequest, query: Query[StatsQuery]) -> dict[str, Any]:
        return figure_answer(request, key, query)

    handler.__name__ = f"stats_{key}"
    handler.__doc__ = figures.FIGURES[key].title
    return handler


for _key, _spec in figures.FIGURES.items():
    router.get(
        f"/stats/{_key}",
        response={200: StatsFigureOut, 404: ErrorOut},
        operation_id=f"stats_{_key}",
        summary=_spec.title,
    )(_route(_key))
