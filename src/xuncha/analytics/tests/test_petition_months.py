"""信访件按月份: the month is the local one (Asia/Shanghai), computed by the database on both backends."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuncha.analytics.figures import compute
from xuncha.analytics.scope import select
from xuncha.core.audit import action_scope, record
from xuncha.intake.choices import Channel

from .figures_support import build, petition

UTC = datetime.UTC


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def _months(w: SimpleNamespace) -> dict[str, int]:
    point, filters = select(w.users["office"], committee=w.city.pk)
    return {row.label: int(row.values[0]) for row in compute(point, filters, "petition_months").rows}


def test_a_petition_counts_in_its_local_month_not_its_utc_one(w):
    before = _months(w)
    with action_scope("test.months"):
        # 2025-01-31 23:00 in Beijing (15:00 UTC), and 2025-02-01 01:00 in Beijing (17:00 UTC on the 31st).
        petition(w.inspection1, Channel.LETTER, received_at=datetime.datetime(2025, 1, 31, 15, tzinfo=UTC))
        petition(w.inspection1, Channel.PHONE, received_at=datetime.datetime(2025, 1, 31, 17, tzinfo=UTC))
        new_year = datetime.datetime(2024, 12, 31, 16, 30, tzinfo=UTC)  # 2025-01-01 00:30 in Beijing
        petition(w.inspection1, Channel.PHONE, received_at=new_year)
        record("test.months", by=None)
    after = _months(w)
    assert {m: n - before.get(m, 0) for m, n in after.items() if n != before.get(m, 0)} == {
        "2025-01": 2,  # the 31st in Beijing, and New Year's Day 00:30 in Beijing
        "2025-02": 1,
    }
    assert list(after) == sorted(after)  # in order of the month


def test_the_month_is_grouped_in_the_database(w):
    point, filters = select(w.users["office"], committee=w.city.pk)
    with CaptureQueriesContext(connection) as captured:
        compute(point, filters, "petition_months")
    (query,) = captured.captured_queries
    assert "GROUP BY" in query["sql"]
    assert "django_datetime_trunc" not in query["sql"]  # no call back into Python for each row (SQLite)
