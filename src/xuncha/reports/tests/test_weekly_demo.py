"""The demo's work log and weekly reports (demo/weekly.py): the current round's first team has sent its
周报 for the past weeks on time but one, which is late, and the office sees it."""

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from xuncha.core.audit import verify_chain
from xuncha.demo.build import build
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy

from .. import weekly
from ..choices import WeeklyStatus
from ..models import WeeklyReport, WorkLogEntry

pytestmark = pytest.mark.django_db


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_team_has_sent_its_weekly_reports_but_one_and_the_office_sees_it_late() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()
    assert verify_chain().ok
    inspection = w.inspections["2:第一巡察组"]
    today = timezone.localdate()
    reports = WeeklyReport.objects.filter(inspection=inspection).order_by("week_start")
    assert len(reports) >= 2
    assert all(r.status != WeeklyStatus.DRAFT and not r.is_late for r in reports)
    assert reports[0].status == WeeklyStatus.ACKNOWLEDGED and reports[0].office_comment
    assert WorkLogEntry.objects.filter(inspection=inspection).count() >= 5

    inspections = weekly.weekly_inspections(
        Inspection.objects.filter(round__committee=inspection.round.committee)
    )
    late = weekly.late_weeks(inspections, today)
    assert [(week.inspection, week.report) for week in late] == [(inspection, None)]

    office = Client()
    office.force_login(w.users["office"])  # demo mode: no TOTP
    page = office.get("/reports/weekly/").content.decode()
    assert "逾期未报" in page and "第一巡察组" in page
    assert "逾期未报周报" in office.get("/").content.decode()
