"""The demo's work plans: the current round's plan was returned once and approved by `leader`, its 审定
recorded; every inspector of a stationed team was trained and signed both commitments; the page shows the
approval, and the 授权决定 a team reads has no layout problems."""

import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from xuncha.core.models import User
from xuncha.core.officialdoc import layout_problems
from xuncha.demo import data
from xuncha.rounds import readiness
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Round, WorkPlan
from xuncha.rounds.plan_choices import PlanStatus, VersionDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo-data", stdout=io.StringIO())


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))  # demo mode: no TOTP
    return client


@override_settings(XUNCHA_DEMO=True)
def test_the_current_rounds_plan_shows_its_approval_by_leader(demo: None) -> None:
    round_ = Round.objects.get(committee__name=data.CITY, number=2)
    plan = WorkPlan.objects.get(round=round_)
    assert plan.status == PlanStatus.RATIFIED
    assert plan.approved_by == User.objects.get(username="leader")
    assert plan.ratified_by_name and plan.ratified_on
    first, second = plan.versions.order_by("number")
    assert (first.decision, second.decision) == (VersionDecision.RETURNED, VersionDecision.APPROVED)
    assert first.opinion and second.decided_by == plan.approved_by

    html = _client("office").get(reverse("rounds:plan", args=[round_.pk])).content.decode()
    assert "领导小组 张书记 于" in html and "第2稿与上一稿的差异" in html
    detail = _client("leader").get(reverse("rounds:round-detail", args=[round_.pk])).content.decode()
    assert "领导小组 张书记 于" in detail

    team = round_.teams.get(name="第一巡察组")
    url = reverse("rounds:plan-authorisation", args=[round_.pk, team.pk])
    response = _client("t1_leader").get(url)
    assert response.status_code == 200
    assert layout_problems(response.content) == []


def test_every_stationed_team_was_ready_under_an_approved_plan(demo: None) -> None:
    stationed = Inspection.objects.exclude(stage=Stage.PREPARING).select_related("round", "team")
    assert stationed.count() > 5
    for inspection in stationed:
        assert WorkPlan.objects.get(round=inspection.round).is_approved, inspection
        assert readiness.readiness_lines(inspection) == [], inspection
    # The deployment meeting of every round is recorded.
    assert all(hasattr(r, "deployment_meeting") for r in Round.objects.all())
