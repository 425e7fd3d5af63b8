"""The dashboard page, its Excel exports and the home cards."""

import io
import re
from types import SimpleNamespace

import openpyxl
import pytest

from xuncha.analytics.figures import DRILLS, FIGURES, compute_all
from xuncha.analytics.scope import select
from xuncha.core.models import AuditEvent

from .figures_support import build


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def test_the_office_sees_every_figure_with_its_numbers_and_drill_down_links(w, client_for):
    response = client_for("office").get("/analytics/")
    assert response.status_code == 200
    html = response.content.decode()
    for spec in FIGURES.values():
        assert spec.title in html
    assert 'id="analytics-charts"' in html and "echarts.min.js" in html
    rows = f"/analytics/figures/{{}}/rows/?committee={w.city.pk}&amp;value={{}}"
    assert rows.format("petition_channels", "letter") in html
    assert rows.format("stages", "fieldwork") in html
    assert rows.format("rectification_lights", "red") in html
    assert rows.format("petition_scope", "-") in html  # 待分拣: the petitions with no scope yet
    assert "市城市建设投资集团" in html  # the uncovered unit, by name for the own committee
    assert "江东市东安县委" in html  # a lower committee to choose, and its overview row
    assert 'id="overview"' in html


def test_the_leading_group_sees_its_committee_and_others_get_404(w, client_for):
    assert client_for("leader").get("/analytics/").status_code == 200
    nav = '<a class="dropdown-item" href="/analytics/">统计分析</a>'
    assert nav in client_for("leader").get("/").content.decode()
    assert nav not in client_for("t1_member").get("/").content.decode()
    for persona in ("t1_member", "t1_leader", "liaison1", "auditor", "sysadmin", "jiwei", "custodian"):
        assert client_for(persona).get("/analytics/").status_code == 404, persona
        assert client_for(persona).get("/analytics/figures/stages/export/").status_code == 404, persona


def test_a_lower_committee_shows_numbers_only_with_the_boundary_message(w, client_for):
    response = client_for("office").get(f"/analytics/?committee={w.county_a.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "明细止于本级党委边界" in html
    assert "赵县长" not in html  # no names of persons
    for petition_id in w.county_inspection.petitions.values_list("pk", flat=True):
        assert str(petition_id) not in html
    body = html.split('id="section-1"')[1]
    assert "/intake/" not in body and "/rounds/inspections/" not in body and "/rectification/?" not in body
    assert "东安县农业农村局" not in body  # units by type, not by name, across the boundary


def test_the_tree_sums_the_committees_below(w, client_for):
    html = client_for("office").get(f"/analytics/?committee={w.city.pk}&tree=1").content.decode()
    assert "含下级党委汇总" in html and "明细止于本级党委边界" in html


def test_a_lower_office_never_sees_the_upper_committee(w, client_for):
    county = client_for("county_office")
    assert county.get(f"/analytics/?committee={w.city.pk}").status_code == 404
    assert county.get(f"/analytics/figures/stages/export/?committee={w.city.pk}").status_code == 404
    own = county.get("/analytics/")
    assert own.status_code == 200 and "江东市东安县委" in own.content.decode()
    upper = county.get("/analytics/?source=upper").content.decode()
    assert "上级党委在本地开展的提级、交叉、联动巡察只提供统计数字" in upper


def test_bad_parameters_are_ignored_never_an_error(w, client_for):
    office = client_for("office")
    for query in ("committee=abc", "year=99999", "round=-1", "term=x&tree=maybe", "source=nowhere"):
        assert office.get(f"/analytics/?{query}").status_code == 200, query
    assert office.get("/analytics/figures/nothing/export/").status_code == 404


def test_every_figure_exports_to_a_watermarked_workbook_and_the_export_is_audited(w, client_for):
    office = client_for("office")
    response = office.get(f"/analytics/figures/petition_channels/export/?committee={w.city.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert "导出人：office" in sheet.cell(1, 1).value
    rows = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)}
    assert rows["来信"] == "3" and rows["来电"] == "2"
    event = AuditEvent.objects.filter(action="analytics.figure_exported").latest("seq")
    assert event.actor == w.users["office"] and event.committee_id == w.city.pk
    assert event.details["figure"] == "petition_channels" and event.details["committee"] == w.city.pk
    for key in FIGURES:
        assert office.get(f"/analytics/figures/{key}/export/").status_code == 200, key


def test_an_upper_office_s_export_of_a_lower_committee_is_recorded_at_its_own_committee(w, client_for):
    response = client_for("office").get(f"/analytics/figures/stages/export/?committee={w.county_a.pk}")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="analytics.figure_exported").latest("seq")
    assert event.committee_id == w.city.pk and event.details["committee"] == w.county_a.pk


def test_the_home_page_shows_headline_cards_to_the_office_and_leading_group(w, client_for):
    for persona in ("office", "leader"):
        html = client_for(persona).get("/").content.decode()
        assert "统计概览" in html and "届期覆盖率" in html and "/analytics/?committee=" in html
        cards = html.split(f'id="analytics-cards-{w.city.pk}"')[1].split("查看统计分析")[0]
        # The city's own rounds: 7 petitions (6 of inspection 1, 1 of the 提级 round), 3 signed-off findings.
        shown = dict(
            re.findall(r'text-secondary">([^<]+)</div>\s*<div class="fs-5 fw-semibold">([\d.]+)<', cards)
        )
        assert shown["信访件"] == "7" and shown["发现问题"] == "3"
        assert shown["届期覆盖率"] == "66.7"  # two of the term's three units inspected
    assert "统计概览" not in client_for("t1_member").get("/").content.decode()


def test_every_drill_down_lists_exactly_the_rows_its_number_counts(w, client_for):
    """Each number links to the rows it counts, from the same query: the list has as many rows as the number
    says (every row of every figure that drills down, zeros included)."""
    office = client_for("office")
    point, filters = select(w.users["office"], committee=w.city.pk)
    checked: dict[str, int] = {}
    for figure in compute_all(point, filters):
        for row in figure.rows:
            if "/rows/" not in row.link:
                continue
            response = office.get(row.link)
            assert response.status_code == 200, row.link
            # 共性问题 counts one item per round: its link lists the item's findings of every round.
            number = sum(row.values) if figure.key == "common_problems" else row.values[0]
            assert response.context["page_obj"].paginator.count == number, (figure.key, row.label)
            checked[figure.key] = checked.get(figure.key, 0) + 1
    assert set(checked) == {*DRILLS, "common_problems"}  # every figure with a drill-down was followed
    assert sum(checked.values()) >= 40


def test_the_drill_down_shows_the_counted_rows_and_links_to_each(w, client_for):
    office = client_for("office")
    response = office.get(
        "/analytics/figures/petition_channels/rows/", {"committee": w.city.pk, "value": "letter"}
    )
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 3
    assert "信访件：按渠道 · 来信" in html
    for petition in w.inspection1.petitions.filter(channel="letter"):
        assert f"/intake/petitions/{petition.pk}/" in html and petition.number in html
    assert "反映内容" not in html  # no content in the list
    findings = office.get("/analytics/figures/finding_focus/rows/", {"value": w.focus_a.pk}).content.decode()
    assert (
        len(re.findall(r"/findings/\d+/", findings)) == 2
    )  # two signed-off findings of item A; the draft is not counted
    assert (
        office.get("/analytics/figures/finding_focus/rows/", {"value": "abc"})
        .context["page_obj"]
        .paginator.count
        == 0
    )


def test_the_drill_down_stops_at_the_committee_boundary(w, client_for):
    office = client_for("office")
    for query in ({"committee": w.county_a.pk}, {"committee": w.city.pk, "tree": "1"}):
        response = office.get("/analytics/figures/petition_channels/rows/", {**query, "value": "phone"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "明细止于本级党委边界" in html and 'id="figure-rows"' not in html
        assert "/intake/petitions/" not in html.split("<main")[1]
    upper = client_for("county_office").get("/analytics/figures/stages/rows/", {"source": "upper"})
    assert "只提供统计数字" in upper.content.decode() and 'id="figure-rows"' not in upper.content.decode()
    assert (
        client_for("county_office")
        .get("/analytics/figures/stages/rows/", {"committee": w.city.pk})
        .status_code
        == 404
    )
    for persona in ("t1_member", "liaison1", "auditor", "sysadmin"):
        assert client_for(persona).get("/analytics/figures/stages/rows/").status_code == 404, persona
    assert (
        office.get("/analytics/figures/coverage/rows/").status_code == 404
    )  # no rows behind a coverage rate


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_every_link_of_the_dashboard_answers_the_viewer(w, client_for, persona):
    """No link leads to a page the viewer may not open: the leading group reads no petitions, so their
    numbers carry no link for it (and the petitions' drill-down is 404 for it)."""
    client = client_for(persona)
    point, filters = select(w.users[persona], committee=w.city.pk)
    links = {
        link for f in compute_all(point, filters) for link in (f.list_link, *[r.link for r in f.rows]) if link
    }
    assert len(links) > 30
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
    petition_links = [link for link in links if "/petition" in link or "/intake/" in link]
    assert bool(petition_links) == (persona == "office")
    rows = client.get("/analytics/figures/petition_channels/rows/", {"value": "letter"})
    assert rows.status_code == (200 if persona == "office" else 404)
