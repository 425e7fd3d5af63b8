"""The dashboard and the stats API issue the same number of queries whatever the data (every figure is one
GROUP BY), pinned at two data sizes: the hand-built data, then that data again in another round with more of
everything (petitions, findings, clues, items, inspections)."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.conftest import login_verified
from xuncha.core.audit import action_scope, record
from xuncha.findings.choices import FindingStatus
from xuncha.intake.choices import Channel, Scope
from xuncha.rectification.choices import ItemStatus
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection, Round, Team

from .figures_support import build, days, finding, item, petition

CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")
# Every request: the session, the user, its OTP device and its role assignments (4), then the committees the
# viewer reaches (one query per level of the tree below its office, and the committees themselves: 3).
# The dashboard then issues one query per figure (27: the lights need the committees' due-soon days too),
# the overview of the committees below when there are any (1: each measure a subquery), the filter form's
# terms, rounds and years (3), and the navigation's unread count (1). An API figure is one query (two for
# the lights), and so is the overview. The drill-down list: the figure (for the row's label), its count and
# its page (a lower committee's lists nothing: the boundary message) and the unread count.
PINNED = {
    "city": {"dashboard": 39, "overview": 8, "rectification_lights": 9, "petition_channels": 8, "rows": 11},
    "county_a": {
        "dashboard": 38,
        "overview": 8,
        "rectification_lights": 9,
        "petition_channels": 8,
        "rows": 8,
    },
}


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def _statements(queries: CaptureQueriesContext) -> int:
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith(CONTROL))


def _measure(w: SimpleNamespace, urls: list[str]) -> dict[str, tuple[int, int]]:
    client = login_verified(Client(), w.users["office"])
    client.get("/")
    found = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        found[url] = (status, _statements(queries))
    return found


def _grow(w: SimpleNamespace) -> None:
    with action_scope("test.grow"):
        round_ = Round(
            committee=w.city,
            term=w.term,
            number=3,
            name="市委第三轮巡察",
            kind=RoundKind.ROUTINE,
            planned_start=days(-5),
            planned_end=days(80),
        )
        round_.save()
        team = Team(round=round_, name="第三巡察组")
        team.save()
        for unit, stage in ((w.unit3, Stage.FIELDWORK), (w.unit1_child, Stage.RECTIFYING)):
            inspection = Inspection(round=round_, team=team, unit=unit, stage=stage, stage_due_on=days(-1))
            inspection.save()
            for channel in (Channel.LETTER, Channel.BOX, Channel.EMAIL, Channel.WEB):
                petition(inspection, channel, scope=Scope.IN, focus=w.focus_b)
            for status in (FindingStatus.SIGNED_OFF, FindingStatus.SIGNED_OFF):
                finding(inspection, w.focus_b, status)
            item(inspection, days(-3))
            item(inspection, days(2), ItemStatus.SUBMITTED)
        record("test.grow", None, by=None, committee_id=w.city.pk)


@pytest.mark.parametrize("committee", ["city", "county_a"])
def test_the_dashboard_and_the_api_issue_a_constant_number_of_queries(w, committee):
    pk = getattr(w, committee).pk
    urls = {
        "dashboard": f"/analytics/?committee={pk}",
        "tree": f"/analytics/?committee={pk}&tree=1",
        "overview": f"/api/v1/stats/overview?committee={pk}",
        "rectification_lights": f"/api/v1/stats/rectification_lights?committee={pk}",
        "petition_channels": f"/api/v1/stats/petition_channels?committee={pk}",
        "rows": f"/analytics/figures/petition_channels/rows/?committee={pk}",
    }
    before = _measure(w, list(urls.values()))
    _grow(w)
    after = _measure(w, list(urls.values()))
    assert before == after
    expected = {**PINNED[committee], "tree": PINNED[committee]["dashboard"]}
    assert {name: after[url] for name, url in urls.items()} == {
        name: (200, n) for name, n in expected.items()
    }
