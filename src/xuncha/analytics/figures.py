"""The figures of the statistics dashboard: each one GROUP BY (or one aggregate) in the database, never a loop
over rows, so the dashboard issues the same number of queries whatever the data.

A figure is computed for a ``Viewpoint`` (which committees, which source of inspections, whether numbers may
drill down) and ``Filters`` (term, year of the round's planned start, round). The page, the Excel export and
the API all call ``compute`` here, so they show the same numbers.

Drill-down links are given only when the viewpoint allows it (the viewer's own committee): for a lower
committee, a tree, or an upper committee's rounds, the figure carries numbers only, never a name of a person
or an id of a case object.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from xuncha.core.choices import Role
from xuncha.findings.choices import ClueKind, ClueStatus, ClueTransferStatus, Disposal, FindingStatus, Outcome
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.choices import Channel, Scope
from xuncha.intake.models import Petition
from xuncha.orgs.choices import UnitType
from xuncha.orgs.models import Committee, CommitteeSettings
from xuncha.rectification.choices import Light, NoticeStatus, Verdict
from xuncha.rectification.models import Item, LookbackCheck, SupervisionNotice
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import default_due_soon_days
from xuncha.rounds.models import Inspection, Term

from .models import Dimension, ItemTally, Tally
from .rollups import CLOSED, ON_TIME, items_with_next_due
from .scope import VIEWER_ROLES, Filters, Source, Viewpoint

COUNT = "数量"
NONE_LABEL = "未分类"
BLANK = "-"  # the value of a drill-down to the rows with no value (未分类, 待分拣, 尚未处置 …)
ALL = object()  # a drill-down to every row of a figure
PETITION_READERS = (Role.OFFICE,)  # of the dashboard's viewers, who reads petitions (intake's scope)


@dataclass
class Row:
    label: str
    values: list[int | float | str]
    link: str = ""


@dataclass
class Figure:
    key: str
    title: str
    section: str
    columns: list[str]
    rows: list[Row]
    chart: str = "bar"  # bar, pie, line or stack (one series per column)
    note: str = ""
    list_link: str = ""  # the list the figure counts, as a whole

    @property
    def total(self) -> int:
        return sum(int(r.values[0]) for r in self.rows if isinstance(r.values[0], int | float))

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "section": self.section,
            "chart": self.chart,
            "columns": self.columns,
            "labels": [r.label for r in self.rows],
            "series": [[r.values[i] for r in self.rows] for i in range(len(self.columns))],
            "links": [r.link for r in self.rows],
        }


@dataclass
class Context:
    point: Viewpoint
    filters: Filters
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def drill(self) -> bool:
        return self.point.drill

    def inspections(self, prefix: str = "") -> Q:
        return self.point.inspection_q(prefix) & self.filters.q(prefix)

    def link(self, name: str, **params: Any) -> str:
        if not self.drill:
            return ""
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return reverse(name) + (f"?{query}" if query else "")

    def selection(self) -> dict[str, str]:
        """The committee and filters as query parameters (the page's, the export's and the drill-down's)."""
        found = {"committee": str(self.point.committee.pk)}
        if self.point.tree:
            found["tree"] = "1"
        if self.point.source != Source.OWN:
            found["source"] = self.point.source
        found.update({key: str(value) for key, value in self.filters.as_dict().items()})
        return found

    def rows_link(self, key: str, value: Any = ALL) -> str:
        """The list of the rows a figure counts (``value``: one of its rows, None or "" for the rows with
        no value; left out: all of them), from the same query as the number (``Drill``)."""
        if not self.drill or not may_drill(self.point, key):
            return ""
        params = self.selection()
        if value is not ALL:
            params["value"] = BLANK if value in ("", None) else str(value)
        return reverse("analytics:figure-rows", args=[key]) + "?" + urlencode(params)


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _choice_rows(
    counts: dict[str, int],
    choices: Any,
    link: Callable[[str], str],
    *,
    blank: str = NONE_LABEL,
    blank_link: str = "",
) -> list[Row]:
    rows = [Row(str(label), [counts.get(value, 0)], link(value)) for value, label in choices]
    if counts.get("", 0) or counts.get(None, 0):  # type: ignore[call-overload]
        rows.append(Row(blank, [counts.get("", 0) + counts.get(None, 0)], blank_link))  # type: ignore[call-overload]
    return rows


# COUNT(*) rather than COUNT(pk): the petitions' figures then read only the columns of petition_figures_idx
# (an index-only scan; the primary key is not in that index).
ROWS = Count("*")


def _grouped(qs: QuerySet[Any], field_name: str) -> dict[Any, int]:
    return {row[field_name]: row["n"] for row in qs.values(field_name).annotate(n=ROWS).order_by()}


# The petitions', findings' and items' figures read the rollups (models/rollups.py): a few rows per
# inspection rather than a scan of a million; their drill-down lists read the base tables.


def _tally(c: Context, dimension: Dimension) -> QuerySet[Tally]:
    return Tally.objects.filter(c.inspections("inspection__"), dimension=dimension)


def _summed(qs: QuerySet[Any], field_name: str) -> dict[Any, int]:
    return {row[field_name]: row["n"] for row in qs.values(field_name).annotate(n=Sum("n")).order_by()}


# ---- 届期全覆盖 ----


UPPER_COVERAGE = "届期全覆盖按本级党委的届期和巡察统计，上级在本地的巡察不计入。"


def _terms(c: Context) -> QuerySet[Term]:
    if c.point.source == Source.UPPER:
        return Term.objects.none()  # the upper committee's rounds cover its own term, not this one's
    terms = Term.objects.filter(committee_id__in=c.point.committee_ids)
    if c.filters.term:
        return terms.filter(pk=c.filters.term)
    return terms.filter(starts_on__lte=c.today, ends_on__gte=c.today)


def coverage(c: Context) -> Figure:
    through = Term.units.through.objects.filter(term__in=_terms(c))
    inspected = Inspection.objects.filter(round__term_id=OuterRef("term_id"), unit_id=OuterRef("unit_id"))
    counts = _grouped(through.annotate(covered=Exists(inspected)), "covered")
    covered, uncovered = counts.get(True, 0), counts.get(False, 0)
    link = c.link("rounds:term-list")
    rows = [Row("已巡察", [covered], link), Row("未巡察", [uncovered], link)]
    note = f"覆盖率 {_pct(covered, covered + uncovered)}%（应覆盖 {covered + uncovered} 个单位）"
    if c.point.source == Source.UPPER:
        note = UPPER_COVERAGE
    return Figure("coverage", "届期全覆盖：已巡察 / 应巡察", "届期全覆盖", [COUNT], rows, "pie", note, link)


def uncovered(c: Context) -> Figure:
    """Units still uncovered, with the years left in the term: by name for the viewer's own committee, by
    unit type otherwise (numbers only)."""
    through = Term.units.through.objects.filter(term__in=_terms(c))
    inspected = Inspection.objects.filter(round__term_id=OuterRef("term_id"), unit_id=OuterRef("unit_id"))
    rest = through.exclude(Exists(inspected))
    rows: list[Row] = []
    if c.drill:
        named: Any = rest.values("unit__name", "term__ends_on", "term_id")
        for r in named.order_by("term__ends_on", "unit__name"):
            years = round(max((r["term__ends_on"] - c.today).days, 0) / 365, 1)
            link = reverse("rounds:term-detail", args=[r["term_id"]])
            rows.append(Row(r["unit__name"], [1, years], link))
    else:
        grouped: Any = (
            rest.values("unit__unit_type", "term__ends_on").annotate(n=Count("pk")).order_by("term__ends_on")
        )
        labels = dict(UnitType.choices)
        for r in grouped:
            years = round(max((r["term__ends_on"] - c.today).days, 0) / 365, 1)
            rows.append(Row(str(labels.get(r["unit__unit_type"], r["unit__unit_type"])), [r["n"], years]))
    return Figure(
        "uncovered", "尚未巡察的单位及届期剩余年限", "届期全覆盖", ["未巡察单位数", "剩余年限（年）"], rows
    )


# ---- 巡察进度 ----


def _inspection_qs(c: Context) -> QuerySet[Inspection]:
    return Inspection.objects.filter(c.inspections())


def stages(c: Context) -> Figure:
    counts = _grouped(_inspection_qs(c), "stage")
    rows = _choice_rows(counts, Stage.choices, lambda v: c.rows_link("stages", v))
    return Figure(
        "stages", "各阶段巡察数", "巡察进度", [COUNT], rows, list_link=c.link("rounds:inspection-list")
    )


def _overdue_inspections(c: Context) -> QuerySet[Inspection]:
    return _inspection_qs(c).filter(stage_due_on__lt=c.today).exclude(stage=Stage.ARCHIVED)


def overdue_stages(c: Context) -> Figure:
    counts = _grouped(_overdue_inspections(c), "stage")
    choices = [(v, label) for v, label in Stage.choices if v != Stage.ARCHIVED]
    rows = _choice_rows(counts, choices, lambda v: c.rows_link("overdue_stages", v))
    link = c.link("rounds:inspection-list", overdue="on")
    return Figure("overdue_stages", "超期未完成的阶段", "巡察进度", [COUNT], rows, list_link=link)


# ---- 信访件 ----


def _petitions(c: Context) -> QuerySet[Petition]:
    return Petition.objects.filter(c.inspections("inspection__"))


def petition_channels(c: Context) -> Figure:
    counts = _summed(_tally(c, Dimension.CHANNEL), "value")
    rows = _choice_rows(counts, Channel.choices, lambda v: c.rows_link("petition_channels", v))
    return Figure(
        "petition_channels",
        "信访件：按渠道",
        "信访件",
        [COUNT],
        rows,
        "pie",
        list_link=c.link("intake:petition-list") if may_drill(c.point, "petition_channels") else "",
    )


def petition_months(c: Context) -> Figure:
    """By the month in the current time zone (``rollups.LocalMonth``), as ``YYYY-MM``."""
    counts = _summed(_tally(c, Dimension.MONTH), "value")
    rows = [
        Row(month, [n], c.rows_link("petition_months", month)) for month, n in sorted(counts.items()) if month
    ]
    return Figure("petition_months", "信访件：按月份", "信访件", [COUNT], rows, "line")


def petition_scope(c: Context) -> Figure:
    counts = _summed(_tally(c, Dimension.SCOPE), "value")
    rows = _choice_rows(
        counts,
        Scope.choices,
        lambda v: c.rows_link("petition_scope", v),
        blank="待分拣",
        blank_link=c.rows_link("petition_scope", BLANK),
    )
    return Figure("petition_scope", "信访件：受理范围", "信访件", [COUNT], rows, "pie")


def _category_rows(c: Context, dimension: Dimension, key: str) -> list[Row]:
    grouped = (
        _tally(c, dimension)
        .values("category_id", "category__name", "category__sort_key")
        .annotate(n=Sum("n"))
        .order_by("category__sort_key")
    )
    return [
        Row(r["category__name"] or NONE_LABEL, [r["n"]], c.rows_link(key, r["category_id"])) for r in grouped
    ]


def petition_discipline(c: Context) -> Figure:
    rows = _category_rows(c, Dimension.DISCIPLINE, "petition_discipline")
    return Figure("petition_discipline", "信访件：六项纪律", "信访件", [COUNT], rows)


def petition_focus(c: Context) -> Figure:
    rows = _category_rows(c, Dimension.FOCUS, "petition_focus")
    return Figure("petition_focus", "信访件：三个聚焦", "信访件", [COUNT], rows)


def petition_matters(c: Context) -> Figure:
    group = Q(dimension=Dimension.GROUP)
    tallies = Tally.objects.filter(
        c.inspections("inspection__"), dimension__in=(Dimension.CHANNEL, Dimension.GROUP)
    )
    found = tallies.aggregate(
        pieces=Sum("n", filter=Q(dimension=Dimension.CHANNEL)),
        grouped=Sum("n", filter=group),
        groups=Count("value", distinct=True, filter=group),  # a group's petitions may be in several rounds
    )
    totals = {name: n or 0 for name, n in found.items()}
    matters = totals["groups"] + totals["pieces"] - totals["grouped"]
    rows = [
        Row("信访件（件次）", [totals["pieces"]], c.rows_link("petition_matters")),
        Row(
            "归并后问题（件）",
            [matters],
            c.link("intake:duplicate-list") if may_drill(c.point, "petition_matters") else "",
        ),
    ]
    note = f"重复件归并为 {totals['groups']} 组" if totals["groups"] else "暂无重复件"
    return Figure("petition_matters", "信访件次与归并后问题数", "信访件", [COUNT], rows, note=note)


# ---- 问题底稿 ----


def _findings(c: Context) -> QuerySet[Finding]:
    return Finding.objects.filter(c.inspections("inspection__"), status=FindingStatus.SIGNED_OFF)


def _finding_category(key: str, title: str, dimension: Dimension) -> Callable[[Context], Figure]:
    def figure(c: Context) -> Figure:
        rows = _category_rows(c, dimension, key)
        link = c.rows_link(key)
        return Figure(key, title, "发现问题", [COUNT], rows, list_link=link, note="已审签的问题底稿")

    return figure


finding_focus = _finding_category("finding_focus", "发现问题：三个聚焦", Dimension.FINDING_FOCUS)
finding_discipline = _finding_category(
    "finding_discipline", "发现问题：六项纪律", Dimension.FINDING_DISCIPLINE
)
finding_nature = _finding_category("finding_nature", "发现问题：问题性质", Dimension.FINDING_NATURE)
finding_four_winds = _finding_category("finding_four_winds", "发现问题：四风", Dimension.FINDING_FOUR_WINDS)


def finding_unit_types(c: Context) -> Figure:
    # Every finding is in each dimension's rows once (with no category too): any of them counts them all.
    counts = _summed(_tally(c, Dimension.FINDING_FOCUS), "inspection__unit__unit_type")
    rows = [
        Row(str(label), [counts.get(v, 0)], c.rows_link("finding_unit_types", v))
        for v, label in UnitType.choices
        if counts.get(v)
    ]
    return Figure("finding_unit_types", "发现问题：按单位类型", "发现问题", [COUNT], rows, "pie")


def common_problems(c: Context) -> Figure:
    """The same 三个聚焦 item across rounds: one row per item, one column per round."""
    grouped = (
        _tally(c, Dimension.FINDING_FOCUS)
        .values(
            "category_id",
            "category__code",
            "category__name",
            "inspection__round__name",
            "inspection__round__planned_start",
        )
        .annotate(n=Sum("n"))
        .order_by("inspection__round__planned_start", "category__sort_key")
    )
    rounds: list[str] = []
    cells: dict[str, dict[str, int]] = {}
    links: dict[str, str] = {}
    for r in grouped:
        name = r["inspection__round__name"]
        if name not in rounds:
            rounds.append(name)
        item = r["category__name"] or NONE_LABEL
        cells.setdefault(item, {})[name] = r["n"]
        links[item] = c.rows_link("finding_focus", r["category_id"])
    rows: list[Row] = [
        Row(item, [by_round.get(name, 0) for name in rounds], links[item]) for item, by_round in cells.items()
    ]
    rows.sort(key=lambda r: -sum(int(v) for v in r.values))
    return Figure(
        "common_problems",
        "共性问题：各轮次同一三个聚焦事项",
        "发现问题",
        rounds or [COUNT],
        rows,
        "stack",
        note="同一事项在多个轮次反复出现，提示普遍性问题",
    )


# ---- 问题线索 ----


def _clues(c: Context) -> QuerySet[Clue]:
    return Clue.objects.filter(c.inspections("inspection__")).exclude(
        status__in=(ClueStatus.DRAFT, ClueStatus.WITHDRAWN)
    )


def _transfers(c: Context) -> QuerySet[ClueTransfer]:
    return ClueTransfer.objects.filter(c.inspections("clue__inspection__"))


def clue_kinds(c: Context) -> Figure:
    counts = _grouped(_clues(c), "kind")
    rows = _choice_rows(counts, ClueKind.choices, lambda v: c.rows_link("clue_kinds", v))
    return Figure(
        "clue_kinds",
        "问题线索：按类别",
        "问题线索",
        [COUNT],
        rows,
        "pie",
        note="不含草稿和已撤销的线索",
        list_link=c.link("findings:clue-transfer-list"),
    )


def _receiver_rows(c: Context, qs: QuerySet[Any], key: str) -> list[Row]:
    grouped = (
        qs.values("department_id", "department__name").annotate(n=Count("pk")).order_by("-n", "department_id")
    )
    return [
        Row(r["department__name"] or "被巡察党组织", [r["n"]], c.rows_link(key, r["department_id"]))
        for r in grouped
    ]


def clue_receivers(c: Context) -> Figure:
    rows = _receiver_rows(c, _clues(c), "clue_receivers")
    return Figure("clue_receivers", "问题线索：按接收单位", "问题线索", [COUNT], rows)


def clue_disposal(c: Context) -> Figure:
    counts = _grouped(_transfers(c), "disposal")
    rows = _choice_rows(
        counts,
        Disposal.choices,
        lambda v: c.rows_link("clue_disposal", v),
        blank="尚未处置",
        blank_link=c.rows_link("clue_disposal", BLANK),
    )
    return Figure("clue_disposal", "移交线索：处置方式", "问题线索", [COUNT], rows)


def clue_outcomes(c: Context) -> Figure:
    counts = _grouped(_transfers(c), "outcome")
    rows = _choice_rows(
        counts,
        Outcome.choices,
        lambda v: c.rows_link("clue_outcomes", v),
        blank="尚未报告结果",
        blank_link=c.rows_link("clue_outcomes", BLANK),
    )
    return Figure("clue_outcomes", "移交线索：处理结果（四种形态）", "问题线索", [COUNT], rows)


def _late_transfers(c: Context) -> QuerySet[ClueTransfer]:
    return _transfers(c).exclude(status=ClueTransferStatus.REPORTED).filter(due_on__lt=c.today)


def clue_overdue(c: Context) -> Figure:
    rows = _receiver_rows(c, _late_transfers(c), "clue_overdue")
    link = c.link("findings:clue-transfer-list", overdue="yes")
    return Figure("clue_overdue", "逾期未报告结果的移交线索", "问题线索", [COUNT], rows, list_link=link)


# ---- 整改 ----


def _items(c: Context) -> QuerySet[Item]:
    return items_with_next_due().filter(c.inspections("inspection__"))


def _item_tallies(c: Context) -> QuerySet[ItemTally]:
    return ItemTally.objects.filter(c.inspections("inspection__"))


def _soon_days(c: Context) -> dict[int, list[int]]:
    """Committee ids by their due-soon days (one query; committees without settings use the default)."""
    by_days: dict[int, list[int]] = {}
    for committee_id, days in CommitteeSettings.objects.values_list("committee_id", "due_soon_days"):
        by_days.setdefault(days, []).append(committee_id)
    return by_days


def _light(c: Context, closed: Q) -> Case:
    """An item's light (``closed``: what marks it closed), each committee's by its own due-soon days."""
    day = c.today
    whens = [
        When(closed, then=Value(Light.CLOSED)),
        When(next_due__lt=day, then=Value(Light.RED)),
    ]
    configured: list[int] = []
    for days, ids in _soon_days(c).items():
        configured += ids
        soon = day + datetime.timedelta(days=days)
        whens.append(
            When(inspection__round__committee_id__in=ids, next_due__lte=soon, then=Value(Light.YELLOW))
        )
    default_soon = day + datetime.timedelta(days=default_due_soon_days())
    whens.append(
        When(
            ~Q(inspection__round__committee_id__in=configured) & Q(next_due__lte=default_soon),
            then=Value(Light.YELLOW),
        )
    )
    return Case(*whens, default=Value(Light.GREEN), output_field=CharField())


def _lit_items(c: Context) -> QuerySet[Item]:
    return _items(c).annotate(light=_light(c, CLOSED))


def rectification_lights(c: Context) -> Figure:
    counts = _summed(_item_tallies(c).annotate(light=_light(c, Q(closed=True))), "light")
    rows = _choice_rows(counts, Light.choices, lambda v: c.rows_link("rectification_lights", v))
    return Figure(
        "rectification_lights",
        "整改事项：红黄绿灯",
        "整改",
        [COUNT],
        rows,
        "pie",
        list_link=c.link("rectification:item-list"),
    )


def _item_rates(day: datetime.date) -> dict[str, Q]:
    return {"closed": CLOSED, "on_time": ON_TIME, "overdue": ~CLOSED & Q(next_due__lt=day)}


def rectification_rates(c: Context) -> Figure:
    found = _item_tallies(c).aggregate(  # the names differ from the columns': Django requires it
        n_total=Sum("n"),
        n_closed=Sum("n", filter=Q(closed=True)),
        n_on_time=Sum("n", filter=Q(on_time=True)),
        n_overdue=Sum("n", filter=Q(closed=False, next_due__lt=c.today)),
    )
    t = {name.removeprefix("n_"): n or 0 for name, n in found.items()}
    key = "rectification_rates"
    rows = [
        Row("整改事项", [t["total"], 100.0], c.rows_link(key)),
        Row("已销号", [t["closed"], _pct(t["closed"], t["total"])], c.rows_link(key, "closed")),
        Row("按期销号", [t["on_time"], _pct(t["on_time"], t["closed"])], c.rows_link(key, "on_time")),
        Row("逾期未销号", [t["overdue"], _pct(t["overdue"], t["total"])], c.rows_link(key, "overdue")),
    ]
    note = f"销号率 {_pct(t['closed'], t['total'])}%，按期销号率 {_pct(t['on_time'], t['closed'])}%"
    return Figure("rectification_rates", "整改销号率与按期率", "整改", [COUNT, "比例（%）"], rows, note=note)


def rectification_overdue_units(c: Context) -> Figure:
    late = _item_tallies(c).filter(closed=False, next_due__lt=c.today)
    rows: list[Row] = []
    if c.drill:
        grouped = late.values("inspection__unit__name", "inspection_id").annotate(n=Sum("n")).order_by("-n")
        for r in grouped:
            link = c.link("rectification:item-list", inspection=r["inspection_id"], overdue="on")
            rows.append(Row(r["inspection__unit__name"], [r["n"]], link))
    else:
        labels = dict(UnitType.choices)
        grouped = late.values("inspection__unit__unit_type").annotate(n=Sum("n")).order_by("-n")
        rows = [Row(str(labels.get(r["inspection__unit__unit_type"], "")), [r["n"]]) for r in grouped]
    return Figure("rectification_overdue_units", "逾期整改事项：按单位", "整改", [COUNT], rows)


def _notices(c: Context) -> QuerySet[SupervisionNotice]:
    return SupervisionNotice.objects.filter(c.inspections("inspection__"))


def supervision(c: Context) -> Figure:
    grouped = {
        r["status"]: r
        for r in _notices(c)
        .values("status")
        .annotate(
            n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=c.today) & ~Q(status=NoticeStatus.CLOSED))
        )
        .order_by()
    }
    link = c.link("rectification:notice-list")
    rows = [
        Row(
            str(label),
            [grouped.get(v, {}).get("n", 0), grouped.get(v, {}).get("late", 0)],
            c.rows_link("supervision", v),
        )
        for v, label in NoticeStatus.choices
    ]
    return Figure("supervision", "督办单：办理情况", "整改", [COUNT, "其中逾期"], rows, list_link=link)


def _lookback_checks(c: Context) -> QuerySet[LookbackCheck]:
    return LookbackCheck.objects.filter(c.inspections("inspection__"))


def lookback_verdicts(c: Context) -> Figure:
    counts = _grouped(_lookback_checks(c), "verdict")
    total = sum(counts.values())
    rows = [
        Row(
            str(label),
            [counts.get(v, 0), _pct(counts.get(v, 0), total)],
            c.rows_link("lookback_verdicts", v),
        )
        for v, label in Verdict.choices
    ]
    note = (
        f"虚假整改率 {_pct(counts.get(Verdict.FALSE, 0), total)}%，"
        f"反弹回潮率 {_pct(counts.get(Verdict.RELAPSED, 0), total)}%"
    )
    return Figure("lookback_verdicts", "“回头看”核查结论", "整改", [COUNT, "比例（%）"], rows, "pie", note)


# ---- 明细：每个数字所统计的对象（与数字同一查询） ----


def _equal(field_name: str) -> Callable[[str, Context], Q]:
    """A row of a choice (or a foreign key when ``field_name`` ends in ``_id``); ``BLANK``: no value."""

    def lookup(value: str, c: Context) -> Q:
        if value == BLANK:
            empty = Q(**{f"{field_name}__isnull": True})
            return empty if field_name.endswith("_id") else empty | Q(**{field_name: ""})
        if field_name.endswith("_id"):
            return Q(**{field_name: int(value)}) if value.isdigit() else Q(pk__in=[])
        return Q(**{field_name: value})

    return lookup


def _month(value: str, c: Context) -> Q:
    try:
        day = datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        return Q(pk__in=[])
    return Q(received_at__year=day.year, received_at__month=day.month)


def _rate(value: str, c: Context) -> Q:
    return _item_rates(c.today).get(value, Q(pk__in=[]))


@dataclass(frozen=True)
class Drill:
    """The rows a figure counts (``rows``) and the filter of one of its rows (``lookup`` of the row's
    value); the drill-down page lists them, limited to what the viewer may see."""

    rows: Callable[[Context], QuerySet[Any]]
    lookup: Callable[[str, Context], Q]
    roles: tuple[str, ...] = VIEWER_ROLES  # who may list the rows (petitions: not the leading group)


DRILLS: dict[str, Drill] = {
    "stages": Drill(_inspection_qs, _equal("stage")),
    "overdue_stages": Drill(_overdue_inspections, _equal("stage")),
    "petition_channels": Drill(_petitions, _equal("channel"), PETITION_READERS),
    "petition_months": Drill(_petitions, _month, PETITION_READERS),
    "petition_scope": Drill(_petitions, _equal("scope"), PETITION_READERS),
    "petition_discipline": Drill(_petitions, _equal("discipline_id"), PETITION_READERS),
    "petition_focus": Drill(_petitions, _equal("focus_id"), PETITION_READERS),
    "petition_matters": Drill(_petitions, _equal("channel"), PETITION_READERS),
    "finding_focus": Drill(_findings, _equal("focus_id")),
    "finding_discipline": Drill(_findings, _equal("discipline_id")),
    "finding_nature": Drill(_findings, _equal("nature_id")),
    "finding_four_winds": Drill(_findings, _equal("four_winds_id")),
    "finding_unit_types": Drill(_findings, _equal("inspection__unit__unit_type")),
    "clue_kinds": Drill(_clues, _equal("kind")),
    "clue_receivers": Drill(_clues, _equal("department_id")),
    "clue_disposal": Drill(_transfers, _equal("disposal")),
    "clue_outcomes": Drill(_transfers, _equal("outcome")),
    "clue_overdue": Drill(_late_transfers, _equal("department_id")),
    "rectification_lights": Drill(_lit_items, _equal("light")),
    "rectification_rates": Drill(_items, _rate),
    "supervision": Drill(_notices, _equal("status")),
    "lookback_verdicts": Drill(_lookback_checks, _equal("verdict")),
}


def may_drill(point: Viewpoint, key: str) -> bool:
    """Whether the viewer lists the rows behind figure ``key``: across the committee boundary never, and
    only the rows its role may read (the leading group reads no petitions)."""
    drill = DRILLS.get(key)
    return bool(point.drill and drill and point.role in drill.roles)


def drill_rows(point: Viewpoint, filters: Filters, key: str, value: str | None) -> QuerySet[Any]:
    """The rows counted by figure ``key`` (by its row ``value``, or all of them when None)."""
    context = Context(point, filters, timezone.localdate())
    drill = DRILLS[key]
    rows = drill.rows(context)
    return rows if value is None else rows.filter(drill.lookup(value, context))


@dataclass(frozen=True)
class Spec:
    title: str
    section: str
    compute: Callable[[Context], Figure]


FIGURES: dict[str, Spec] = {
    "coverage": Spec("届期全覆盖：已巡察 / 应巡察", "届期全覆盖", coverage),
    "uncovered": Spec("尚未巡察的单位及届期剩余年限", "届期全覆盖", uncovered),
    "stages": Spec("各阶段巡察数", "巡察进度", stages),
    "overdue_stages": Spec("超期未完成的阶段", "巡察进度", overdue_stages),
    "petition_channels": Spec("信访件：按渠道", "信访件", petition_channels),
    "petition_months": Spec("信访件：按月份", "信访件", petition_months),
    "petition_scope": Spec("信访件：受理范围", "信访件", petition_scope),
    "petition_discipline": Spec("信访件：六项纪律", "信访件", petition_discipline),
    "petition_focus": Spec("信访件：三个聚焦", "信访件", petition_focus),
    "petition_matters": Spec("信访件次与归并后问题数", "信访件", petition_matters),
    "finding_focus": Spec("发现问题：三个聚焦", "发现问题", finding_focus),
    "finding_discipline": Spec("发现问题：六项纪律", "发现问题", finding_discipline),
    "finding_nature": Spec("发现问题：问题性质", "发现问题", finding_nature),
    "finding_four_winds": Spec("发现问题：四风", "发现问题", finding_four_winds),
    "finding_unit_types": Spec("发现问题：按单位类型", "发现问题", finding_unit_types),
    "common_problems": Spec("共性问题：各轮次同一三个聚焦事项", "发现问题", common_problems),
    "clue_kinds": Spec("问题线索：按类别", "问题线索", clue_kinds),
    "clue_receivers": Spec("问题线索：按接收单位", "问题线索", clue_receivers),
    "clue_disposal": Spec("移交线索：处置方式", "问题线索", clue_disposal),
    "clue_outcomes": Spec("移交线索：处理结果（四种形态）", "问题线索", clue_outcomes),
    "clue_overdue": Spec("逾期未报告结果的移交线索", "问题线索", clue_overdue),
    "rectification_lights": Spec("整改事项：红黄绿灯", "整改", rectification_lights),
    "rectification_rates": Spec("整改销号率与按期率", "整改", rectification_rates),
    "rectification_overdue_units": Spec("逾期整改事项：按单位", "整改", rectification_overdue_units),
    "supervision": Spec("督办单：办理情况", "整改", supervision),
    "lookback_verdicts": Spec("“回头看”核查结论", "整改", lookback_verdicts),
}
SECTIONS = ("届期全覆盖", "巡察进度", "信访件", "发现问题", "问题线索", "整改")


def compute(point: Viewpoint, filters: Filters, key: str, today: datetime.date | None = None) -> Figure:
    """One figure (``key`` in ``FIGURES``)."""
    context = Context(point, filters, today or timezone.localdate())
    return FIGURES[key].compute(context)


def compute_all(point: Viewpoint, filters: Filters, today: datetime.date | None = None) -> list[Figure]:
    context = Context(point, filters, today or timezone.localdate())
    return [spec.compute(context) for spec in FIGURES.values()]


# ---- 概览：本级和每个下级党委的主要数字 ----

OVERVIEW_FIELDS = (
    ("coverage", "届期覆盖率（%）"),
    ("inspections", "巡察"),
    ("in_progress", "进行中"),
    ("overdue_stages", "阶段超期"),
    ("petitions", "信访件"),
    ("findings", "发现问题"),
    ("clues", "问题线索"),
    ("items", "整改事项"),
    ("items_closed", "已销号"),
    ("items_overdue", "逾期未销号"),
)


@dataclass
class OverviewRow:
    committee_id: int
    committee: str
    counts: dict[str, float] = field(default_factory=dict)

    @property
    def values(self) -> list[float | str]:
        return [self.counts.get(key, "") for key, _ in OVERVIEW_FIELDS]


def _per_committee(qs: QuerySet[Any], key: str, total: str = "", **counts: Q) -> dict[str, Any]:
    """One count per filter in ``counts`` of ``qs``'s rows whose ``key`` is the outer committee (or the sum
    of their ``total`` column: a rollup's), each as a correlated subquery (0 when there are none), so every
    measure of every committee is one statement."""
    found: dict[str, Any] = {}
    mine = qs.filter(**{key: OuterRef("pk")}).order_by().values(key)
    for name, condition in counts.items():
        # The committee column rather than the primary key: never null here.
        measure = Sum(total, filter=condition) if total else Count(key, filter=condition)
        counted = mine.annotate(n=measure).values("n")[:1]
        found[name] = Coalesce(Subquery(counted), Value(0))
    return found


def overview(committees: list[Any], today: datetime.date | None = None) -> list[OverviewRow]:
    """Headline counts of each committee's own rounds (``committees``: committees or their ids, in the order
    wanted), in one query whatever the number of committees or rows: each measure is a GROUP BY subquery."""
    day = today or timezone.localdate()
    ids = [c if isinstance(c, int) else c.pk for c in committees]
    every = Q()
    archived = Q(stage=Stage.ARCHIVED)
    inspected = Inspection.objects.filter(round__term_id=OuterRef("term_id"), unit_id=OuterRef("unit_id"))
    current_terms = Term.units.through.objects.filter(term__starts_on__lte=day, term__ends_on__gte=day)
    measures = {
        **_per_committee(
            Inspection.objects.all(),
            "round__committee_id",
            inspections=every,
            in_progress=~archived,
            overdue_stages=~archived & Q(stage_due_on__lt=day),
        ),
        **_per_committee(
            Tally.objects.filter(dimension=Dimension.CHANNEL),
            "inspection__round__committee_id",
            "n",
            petitions=every,
        ),
        **_per_committee(
            Tally.objects.filter(dimension=Dimension.FINDING_FOCUS),
            "inspection__round__committee_id",
            "n",
            findings=every,
        ),
        **_per_committee(
            Clue.objects.exclude(status__in=(ClueStatus.DRAFT, ClueStatus.WITHDRAWN)),
            "inspection__round__committee_id",
            clues=every,
        ),
        **_per_committee(
            ItemTally.objects.all(),
            "inspection__round__committee_id",
            "n",
            items=every,
            items_closed=Q(closed=True),
            items_overdue=Q(closed=False, next_due__lt=day),
        ),
        **_per_committee(
            current_terms.annotate(covered=Exists(inspected)),
            "term__committee_id",
            units_due=every,
            units_covered=Q(covered=True),
        ),
    }
    committees_counted: Any = Committee.objects.filter(pk__in=ids).values("pk", "name", **measures)
    found: dict[int, dict[str, Any]] = {r["pk"]: r for r in committees_counted.order_by()}
    rows = []
    for pk in ids:
        if pk not in found:
            continue
        r = found[pk]
        counts: dict[str, float] = {key: r[key] for key, _ in OVERVIEW_FIELDS if key != "coverage"}
        counts["coverage"] = _pct(r["units_covered"], r["units_due"])
        rows.append(OverviewRow(pk, r["name"], {key: counts[key] for key, _ in OVERVIEW_FIELDS}))
    return rows


def overview_total(rows: list[OverviewRow]) -> dict[str, float]:
    """The counts summed over the rows (the coverage is not a count: left out)."""
    return {key: sum(r.counts[key] for r in rows) for key, _ in OVERVIEW_FIELDS if key != "coverage"}
