"""`xuncha demo-data --history`: three years of earlier rounds for the city and both counties, through the
actions, with what the statistics, the filings upward and the common problems need to show."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xuncha.analytics import common, filings
from xuncha.analytics.models import Recommendation
from xuncha.core.audit import verify_chain
from xuncha.findings.choices import FindingStatus
from xuncha.findings.models import Finding
from xuncha.intake.models import Petition
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Committee
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Assessment, Item
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Round

from .. import data

pytestmark = pytest.mark.django_db


def test_history_gives_every_committee_three_years_and_the_upper_office_its_picture() -> None:
    call_command("demo-data", "--history", stdout=io.StringIO())
    assert verify_chain().ok
    year = timezone.localdate().year
    committees = {c.name: c for c in Committee.objects.all()}
    for name in (data.CITY, data.COUNTY_A, data.COUNTY_B):
        years = {r.planned_start.year for r in Round.objects.filter(committee=committees[name])}
        assert {year - 3, year - 2, year - 1} <= years, name
    earlier = Round.objects.filter(planned_start__year__lte=year - 2)
    stages = {(r.planned_start.year, i.stage) for r in earlier for i in r.inspections.all()}
    assert stages == {(year - 3, Stage.REVIEWING), (year - 2, Stage.RECTIFYING)}
    assert Assessment.objects.filter(inspection__round__planned_start__year=year - 3).count() == 4
    # Petitions months apart, findings signed off, items closed on time and late, and one still open.
    months = {p.received_at.strftime("%Y-%m") for p in Petition.objects.filter(inspection__round__in=earlier)}
    assert len(months) >= 6
    assert (
        Finding.objects.filter(inspection__round__in=earlier, status=FindingStatus.SIGNED_OFF).count() >= 18
    )
    items = Item.objects.filter(inspection__round__in=earlier)
    closed = items.filter(status=ItemStatus.CLOSED)
    assert {i.closed_at.date() <= i.due_on for i in closed if i.closed_at and i.due_on} == {True, False}
    assert items.exclude(status=ItemStatus.CLOSED).exists()

    city = committees[data.CITY]
    recurring = common.across_rounds(city.pk, "focus")[0]
    assert recurring.category.code == "2.4" and recurring.rounds >= 3 and len(recurring.years) >= 3
    assert common.similar_findings(city.pk)
    _, lower = common.lower_counts(city.pk, "focus")
    assert all(entry.common() >= 1 for entry in lower)
    recommendation = Recommendation.objects.get()
    lead = recommendation.notice.lead_department
    assert lead is not None and lead.kind == DepartmentKind.ZUZHIBU

    rows = {row.committee.name: row for row in filings.lateness(Committee.objects.filter(parent=city))}
    qinghe, anping = rows[data.COUNTY_A], rows[data.COUNTY_B]
    assert qinghe.filed == qinghe.acknowledged >= 8
    assert (qinghe.overdue, qinghe.filed_late) == (1, 1)
    assert anping.filed == 0 and anping.overdue >= 6
