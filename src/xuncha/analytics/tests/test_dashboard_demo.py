"""The demo's statistics, as the issue's acceptance asks (``make demo`` loads the history too): as
``office`` the dashboard shows every figure with data, each number drilling down to the rows it counts;
``leader`` sees the same figures; a county's overview answers the city office while the county's
inspection stays 404; the county office gets 404 for the city's overview."""

from typing import Any

import pytest
from django.test import Client, override_settings

from xuncha.analytics import rollups
from xuncha.analytics.figures import FIGURES
from xuncha.core.models import User
from xuncha.demo.build import build
from xuncha.orgs.models import Committee
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)  # demo mode: no TOTP
    return client


def _numbers(data: dict[str, Any]) -> list[float]:
    return [v for r in data["rows"] for v in r["values"] if isinstance(v, int | float)]


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_dashboard_shows_every_figure_with_data_and_the_boundaries_hold() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build(history=True)
    assert rollups.check() == []  # the demo's writes, all through the actions, kept the rollups exact
    office, leader = _client(w.users["office"]), _client(w.users["leader"])
    for client in (office, leader):
        page = client.get("/analytics/")
        assert page.status_code == 200
        html = page.content.decode()
        for key, spec in FIGURES.items():
            assert spec.title in html
            data = client.get(f"/api/v1/stats/{key}").json()
            assert any(_numbers(data)), key
    stages = office.get("/api/v1/stats/stages").json()
    assert all(r["link"].startswith("/analytics/figures/stages/rows/") for r in stages["rows"])
    first = next(r for r in stages["rows"] if r["values"][0])
    assert office.get(first["link"]).context["page_obj"].paginator.count == first["values"][0]
    assert office.get("/analytics/figures/stages/export/").status_code == 200

    city = Committee.objects.get(parent__isnull=True)
    county = Committee.objects.filter(parent=city).order_by("pk").first()
    assert county is not None
    overview = office.get(f"/api/v1/stats/overview?committee={county.pk}")
    assert overview.status_code == 200 and overview.json()["rows"][0]["counts"]["inspections"] > 0
    inspection = Inspection.objects.filter(round__committee=county).first()
    assert inspection is not None
    assert office.get(f"/api/v1/inspections/{inspection.pk}").status_code == 404
    county_office = _client(w.users["county_office"])
    assert county_office.get(f"/api/v1/stats/overview?committee={city.pk}").status_code == 404
    for persona in ("t1_member", "liaison1", "auditor", "sysadmin"):
        assert _client(w.users[persona]).get("/analytics/").status_code == 404, persona
