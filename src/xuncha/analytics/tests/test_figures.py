"""The figures' numbers against hand-built data (figures_support), and who sees which committee."""

from types import SimpleNamespace

import pytest
from django.http import Http404

from xuncha.analytics import figures
from xuncha.analytics.figures import Figure, compute
from xuncha.analytics.scope import Filters, Source, select

from .figures_support import build


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def numbers(figure: Figure) -> dict[str, object]:
    return {row.label: row.values[0] for row in figure.rows}


def city(w: SimpleNamespace, key: str, persona: str = "office", **kwargs: object) -> Figure:
    point, filters = select(w.users[persona], committee=w.city.pk, **kwargs)  # type: ignore[arg-type]
    return compute(point, filters, key)


def test_coverage_counts_the_term_s_units_inspected_in_its_rounds(w):
    assert numbers(city(w, "coverage")) == {"已巡察": 2, "未巡察": 1}
    uncovered = city(w, "uncovered")
    assert [r.label for r in uncovered.rows] == ["市城市建设投资集团"]
    assert uncovered.rows[0].values[1] == pytest.approx(1.9, abs=0.1)


def test_inspections_by_stage_and_overdue_stages(w):
    stages = numbers(city(w, "stages"))
    assert stages["了解"] == 2 and stages["准备"] == 1
    assert numbers(city(w, "overdue_stages"))["准备"] == 1
    assert sum(numbers(city(w, "overdue_stages")).values()) == 1  # type: ignore[arg-type]


def test_petitions_by_channel_scope_item_and_matters(w):
    channels = numbers(city(w, "petition_channels"))
    assert (channels["来信"], channels["来电"], channels["网络（码上巡察）"], channels["来访"]) == (
        3,
        2,
        1,
        1,
    )
    scope = numbers(city(w, "petition_scope"))
    assert (scope["属于受理范围"], scope["不属于受理范围"], scope["待分拣"]) == (5, 1, 1)
    focus = numbers(city(w, "petition_focus"))
    assert focus[w.focus_a.name] == 2 and focus[w.focus_b.name] == 1
    matters = numbers(city(w, "petition_matters"))
    assert matters == {"信访件（件次）": 7, "归并后问题（件）": 6}
    assert sum(numbers(city(w, "petition_months")).values()) == 7  # type: ignore[arg-type]


def test_findings_count_signed_off_ones_by_item_and_across_rounds(w):
    focus = numbers(city(w, "finding_focus"))
    assert focus == {w.focus_a.name: 2, w.focus_b.name: 1}
    assert (
        numbers(city(w, "finding_unit_types")) == {"党政机关": 3}
        or sum(
            numbers(city(w, "finding_unit_types")).values()  # type: ignore[arg-type]
        )
        == 3
    )
    common = city(w, "common_problems")
    assert common.columns == ["市委第一轮巡察"]
    assert {r.label: r.values for r in common.rows} == {w.focus_a.name: [2], w.focus_b.name: [1]}


def test_clues_transfers_and_overdue_report_backs(w):
    assert numbers(city(w, "clue_kinds"))["违纪违法问题"] == 1
    assert numbers(city(w, "clue_receivers")) == {"市纪委监委": 1}
    assert numbers(city(w, "clue_disposal"))["谈话函询"] == 1
    assert numbers(city(w, "clue_outcomes"))["尚未报告结果"] == 1
    assert numbers(city(w, "clue_overdue")) == {"市纪委监委": 1}


def test_rectification_lights_rates_and_overdue_units(w):
    lights = numbers(city(w, "rectification_lights"))
    assert (lights["红"], lights["黄"], lights["绿"], lights["已销号"]) == (1, 1, 1, 1)
    rates = {r.label: r.values for r in city(w, "rectification_rates").rows}
    assert rates["整改事项"][0] == 4
    assert rates["已销号"] == [1, 25.0]
    assert rates["按期销号"] == [1, 100.0]
    assert rates["逾期未销号"] == [1, 25.0]
    assert numbers(city(w, "rectification_overdue_units")) == {"市财政局": 1}


def test_filters_by_round_and_year(w):
    only_upgraded = numbers(city(w, "petition_channels", round=w.upgraded_round.pk))
    assert sum(only_upgraded.values()) == 1  # type: ignore[arg-type]
    other_year = numbers(city(w, "petition_channels", year=w.round.planned_start.year - 3))
    assert sum(other_year.values()) == 0  # type: ignore[arg-type]
    # A round of another committee counts nothing of this one: it is dropped, not applied.
    dropped = numbers(city(w, "petition_channels", round=w.county_round.pk))
    assert sum(dropped.values()) == 7  # type: ignore[arg-type]


def test_the_lower_committee_and_the_tree_are_numbers_only(w):
    office = w.users["office"]
    point, filters = select(office, committee=w.county_a.pk)
    channels = compute(point, filters, "petition_channels")
    assert numbers(channels)["来电"] == 2
    assert not point.drill and point.message
    assert all(row.link == "" for f in figures.compute_all(point, filters) for row in f.rows)
    tree, tree_filters = select(office, committee=w.city.pk, tree=True)
    assert tree.tree and not tree.drill
    assert numbers(compute(tree, tree_filters, "petition_channels"))["来电"] == 4
    own, own_filters = select(office, committee=w.city.pk)
    assert own.drill and numbers(compute(own, own_filters, "petition_channels"))["来电"] == 2


def test_the_county_office_sees_the_city_s_upgraded_inspection_of_its_units_as_numbers(w):
    point, filters = select(w.users["county_office"], committee=w.county_a.pk, source=Source.UPPER)
    assert not point.drill
    assert numbers(compute(point, filters, "petition_channels"))["来访"] == 1
    assert numbers(compute(point, filters, "stages"))["了解"] == 1


def test_a_lower_office_and_everyone_else_never_see_the_upper_committee(w):
    with pytest.raises(Http404):
        select(w.users["county_office"], committee=w.city.pk)
    with pytest.raises(Http404):
        select(w.users["county_office"], committee=w.county_b.pk)  # a sibling, not below
    with pytest.raises(Http404):
        select(w.users["leader"], committee=w.county_a.pk)  # the leading group sees its own committee only
    for persona in ("t1_member", "liaison1", "auditor", "sysadmin", "jiwei", "custodian"):
        with pytest.raises(Http404):
            select(w.users[persona], committee=w.city.pk)


def test_overview_counts_each_committee_and_the_sum(w):
    rows = figures.overview([w.city, w.county_a, w.county_b])
    by = {r.committee: r.counts for r in rows}
    assert by["江东市委"]["petitions"] == 7 and by["江东市东安县委"]["petitions"] == 2
    assert by["江东市委"]["findings"] == 3 and by["江东市东安县委"]["findings"] == 1
    assert by["江东市委"]["items_overdue"] == 1 and by["江东市委"]["coverage"] == pytest.approx(66.7)
    assert figures.overview_total(rows)["petitions"] == 9


def test_filters_hold_what_was_chosen():
    assert Filters(term=1, round=2).as_dict() == {"term": 1, "round": 2}
