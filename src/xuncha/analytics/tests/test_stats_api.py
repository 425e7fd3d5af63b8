"""The stats API: the page's numbers from the same query code, and the same scope."""

from types import SimpleNamespace

import pytest

from xuncha.analytics.figures import FIGURES, compute_all
from xuncha.analytics.scope import select

from .figures_support import build


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def test_every_figure_answers_the_page_s_numbers(w, client_for):
    office = client_for("office")
    point, filters = select(w.users["office"], committee=w.city.pk)
    page = {f.key: f for f in compute_all(point, filters)}
    for key in FIGURES:
        response = office.get(f"/api/v1/stats/{key}?committee={w.city.pk}")
        assert response.status_code == 200, key
        data = response.json()
        assert data["key"] == key and data["drill"] is True
        assert [(r["label"], r["values"]) for r in data["rows"]] == [
            (r.label, r.values) for r in page[key].rows
        ], key


def test_filters_apply_as_on_the_page(w, client_for):
    office = client_for("office")
    data = office.get(f"/api/v1/stats/petition_channels?round={w.upgraded_round.pk}").json()
    assert data["filters"] == {"round": w.upgraded_round.pk}
    assert sum(r["values"][0] for r in data["rows"]) == 1


def test_the_office_reads_a_county_s_overview_but_not_its_inspections(w, client_for):
    office = client_for("office")
    response = office.get(f"/api/v1/stats/overview?committee={w.county_a.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["committee"]["id"] == w.county_a.pk
    assert data["rows"][0]["counts"]["petitions"] == 2 and data["rows"][0]["counts"]["findings"] == 1
    assert office.get(f"/api/v1/inspections/{w.county_inspection.pk}").status_code == 404
    city = office.get("/api/v1/stats/overview").json()
    assert [r["committee"]["name"] for r in city["rows"]] == ["江东市委", "江东市东安县委", "江东市西平县委"]
    assert city["total"]["petitions"] == 9


def test_a_lower_committee_s_figures_carry_no_names_ids_or_links(w, client_for):
    office = client_for("office")
    for key in FIGURES:
        response = office.get(f"/api/v1/stats/{key}?committee={w.county_a.pk}")
        text = response.content.decode()
        assert response.status_code == 200
        assert "赵县长" not in text and "东安县农业农村局" not in text
        assert str(w.county_inspection.pk) not in [
            str(v) for r in response.json()["rows"] for v in r["values"]
        ]
        assert all(r["link"] == "" for r in response.json()["rows"])
        assert response.json()["drill"] is False


def test_the_county_office_gets_404_for_the_city_and_others_for_everything(w, client_for):
    county = client_for("county_office")
    assert county.get(f"/api/v1/stats/overview?committee={w.city.pk}").status_code == 404
    assert county.get(f"/api/v1/stats/stages?committee={w.city.pk}").status_code == 404
    assert county.get("/api/v1/stats/overview").json()["committee"]["id"] == w.county_a.pk
    upper = county.get("/api/v1/stats/petition_channels?source=upper").json()
    assert upper["source"] == "upper" and sum(r["values"][0] for r in upper["rows"]) == 1
    stages = county.get("/api/v1/stats/stages?source=upper").json()
    assert {r["label"]: r["values"][0] for r in stages["rows"]}["了解"] == 1  # the city's 提级 inspection
    coverage = county.get("/api/v1/stats/coverage?source=upper").json()
    assert [r["values"][0] for r in coverage["rows"]] == [0, 0] and "上级在本地的巡察不计入" in coverage[
        "note"
    ]
    for persona in ("t1_member", "liaison1", "auditor", "sysadmin"):
        assert client_for(persona).get("/api/v1/stats/overview").status_code == 404, persona
        assert client_for(persona).get("/api/v1/stats/stages").status_code == 404, persona
