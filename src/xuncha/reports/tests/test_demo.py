"""The demo's reports (demo/reports.py): last year's round in 整改 has its reports heard and final, the
comprehensive report final, the 书记专题会 recorded, and delivered feedback with problems (what
rectification starts from)."""

import pytest

from xuncha.core.audit import verify_chain
from xuncha.demo.build import build
from xuncha.demo.data import CITY
from xuncha.rounds.archive import open_items
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy

from .. import archive
from ..choices import FeedbackStatus, MeetingOutcome, Recipient, ReportKind, ReportStatus
from ..models import Feedback, FeedbackProblem, Report, SecretaryMeeting

pytestmark = pytest.mark.django_db


def test_the_demo_round_in_rectification_starts_from_delivered_feedback() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()
    assert verify_chain().ok
    round_one = Inspection.objects.filter(round__committee=w.committees[CITY], round__number=1)
    assert len(round_one) == 3
    for inspection in round_one:
        assert inspection.stage == Stage.RECTIFYING
        report = Report.objects.get(kind=ReportKind.TEAM, inspection=inspection)
        assert report.status == ReportStatus.FINAL and report.decisions.get().decision == "approved"
        unit = Feedback.objects.get(inspection=inspection, recipient=Recipient.UNIT)
        assert unit.status == FeedbackStatus.DELIVERED and unit.problems.exists()
        assert archive.open_items(inspection) == []
    principal = Feedback.objects.filter(recipient=Recipient.PRINCIPAL)
    assert principal.count() == 2 and all(f.status == FeedbackStatus.DELIVERED for f in principal)
    # The 书记专题会, recorded by the leading group and chaired by the city's secretary, agreed all three
    # reports (the stage check of 反馈 asks for it) and gave the points of each feedback.
    held = SecretaryMeeting.objects.get(round__committee=w.committees[CITY], round__number=1)
    assert held.recorded_by == w.users["leader"] and held.chair == "市委书记李国华"
    assert {d.inspection for d in held.decisions.all()} == set(round_one)
    assert all(d.outcome == MeetingOutcome.AGREED and d.feedback_points for d in held.decisions.all())
    assert w.users["leader"] in held.attendees.all()
    comprehensive = Report.objects.get(kind=ReportKind.COMPREHENSIVE)
    assert comprehensive.status == ReportStatus.FINAL and "市教育局" in comprehensive.problems
    assert FeedbackProblem.objects.delivered().count() == 5
    # liaison1 drafts 市发改委's plan from the feedback to the unit; the one to its principal leader stays
    # with the office, and 市财政局 (this year's round, still in 了解) has nothing final yet.
    ndrc = round_one.get(unit=w.units["ndrc"])
    liaison_sees = Feedback.objects.visible_to(w.users["liaison1"])
    assert Feedback.objects.get(inspection=ndrc, recipient=Recipient.UNIT) in liaison_sees
    assert Feedback.objects.filter(inspection=ndrc, recipient=Recipient.PRINCIPAL).exists()
    assert not liaison_sees.filter(recipient=Recipient.PRINCIPAL).exists()
    assert not liaison_sees.filter(inspection__round__number=2).exists()
    assert open_items(w.inspections["2:第一巡察组"])
