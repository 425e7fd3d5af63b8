"""Inspection stage deadlines through the reminder engine, with a frozen clock (dates passed in)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.models import Notification
from xuncha.core.reminders import send_reminders
from xuncha.rounds.models import Inspection
from xuncha.rounds.reminders import stage_deadlines

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


def test_a_stage_past_its_deadline_is_escalated_once_and_shown_to_the_office(world, client_for):
    due = world.inspection1.stage_due_on
    assert [d.key for d in stage_deadlines(due - datetime.timedelta(days=8))] == []
    soon = stage_deadlines(due - datetime.timedelta(days=7))
    assert [(d.key, d.due_on, d.owners) for d in soon] == [
        (f"inspection-stage:{world.inspection1.pk}:fieldwork", due, {"team_leader": world.team1.pk})
    ]

    late = due + datetime.timedelta(days=1)
    assert world.inspection1.is_overdue(late)
    # The stage's reminders only (by then the team also owes weekly reports: the reports app's own).
    stage = Notification.objects.filter(key__startswith="inspection-stage:")
    sent = [n for n in send_reminders(late) if n.key.startswith("inspection-stage:")]
    assert sorted((n.recipient.username, n.key.rsplit(":", 1)[1]) for n in sent) == [
        ("leader", "escalation"),
        ("office", "escalation"),
        ("t1_leader", "overdue"),
    ]
    assert send_reminders(late) == [] and send_reminders(late + datetime.timedelta(days=1)) == []
    assert stage.filter(key__endswith=":escalation", recipient=world.users["office"]).count() == 1
    assert not Notification.objects.filter(recipient=world.users["county_office"]).exists()
    assert "逾期督办：第一巡察组巡察市财政局（了解阶段）" in stage.get(recipient=world.users["office"]).title

    # The office's home page lists it in rounds' 巡察期限提醒 panel (not twice through the engine's).
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage_due_on=timezone.localdate() - ONE_DAY)
    page = client_for("office").get("/").content.decode()
    assert "巡察期限提醒" in page and "第一巡察组" in page
    assert ">逾期事项<" not in page


def test_the_stage_deadlines_cost_two_queries_however_many(world):
    due = world.inspection1.stage_due_on
    Inspection.objects.filter(pk=world.inspection2.pk).update(stage_due_on=due)
    with CaptureQueriesContext(connection) as queries:
        found = stage_deadlines(due + ONE_DAY)
    assert len(found) == 2 and len(queries.captured_queries) == 2  # the settings, the inspections
