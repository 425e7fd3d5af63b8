"""Authorisation matrix rows of the statistics dashboard and the stats API (joined in
src/xuncha/tests/matrix.py).

The office and the leading group of the city, and the county's office, see their own committee's statistics;
the city's office also a county's (numbers only), never the reverse; the leading group only its own
committee. Everyone else gets 404 (the page does not exist for them), as for a missing id. Every route is
read-only: GET only.
"""

from types import SimpleNamespace

from xuncha.analytics.figures import FIGURES
from xuncha.tests.matrix import Row, rule

VIEWERS = ("office", "leader", "county_office")  # each on its own committee
CITY = ("office", "leader")
COUNTY = ("office", "county_office")  # the county's office, and the city's office above it


def add_world(w: SimpleNamespace) -> None:
    """Nothing beyond the world: the figures count whatever there is (zeros included)."""


ROWS: list[Row] = [
    rule("/analytics/", ok=VIEWERS),
    rule("/analytics/?committee={w.city.pk}", ok=CITY),
    rule("/analytics/?committee={w.county_a.pk}", ok=COUNTY),
    # The county office: the city's 提级/交叉/联动 inspections of its units; the city office: the county's own
    # statistics (the source is the county's to choose, it is ignored across the boundary).
    rule("/analytics/?committee={w.county_a.pk}&source=upper", ok=COUNTY, note="上级巡察"),
    rule("/analytics/?committee={w.city.pk}&tree=1", ok=CITY, note="含下级"),
    rule("/analytics/figures/stages/export/", ok=VIEWERS),
    rule("/analytics/figures/stages/export/?committee={w.city.pk}", ok=CITY),
    rule("/analytics/figures/stages/export/?committee={w.county_a.pk}", ok=COUNTY),
    rule("/analytics/figures/nothing/export/", note="unknown figure"),
    rule("/analytics/figures/stages/rows/", ok=VIEWERS),
    rule("/analytics/figures/stages/rows/?committee={w.city.pk}&value=fieldwork", ok=CITY),
    # The leading group reads no petitions: their numbers only, no list.
    rule("/analytics/figures/petition_channels/rows/?committee={w.city.pk}&value=letter", ok=("office",)),
    rule("/analytics/figures/stages/rows/?committee={w.county_a.pk}", ok=COUNTY, note="边界提示"),
    rule("/analytics/figures/coverage/rows/", note="no rows behind a rate"),
    rule("/api/v1/stats/overview", ok=VIEWERS),
    rule("/api/v1/stats/overview?committee={w.city.pk}", ok=CITY),
    rule("/api/v1/stats/overview?committee={w.county_a.pk}", ok=COUNTY),
    *[rule(f"/api/v1/stats/{key}?committee={{w.city.pk}}", ok=CITY) for key in FIGURES],
    *[rule(f"/api/v1/stats/{key}?committee={{w.county_a.pk}}", ok=COUNTY) for key in ("stages", "coverage")],
]
