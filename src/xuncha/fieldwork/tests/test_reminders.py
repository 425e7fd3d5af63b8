"""Document requests through the reminder engine: the liaison reminded, the team's leader and the office
told once when items are late; one deadline per request and due date, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.models import Notification
from xuncha.core.reminders import send_reminders
from xuncha.fieldwork.reminders import document_deadlines

from .test_documents import issued, make_overdue

pytestmark = pytest.mark.django_db


def test_items_owed_past_their_date_are_chased_once(world):
    request = issued(world)
    items = list(request.items.all())
    assert items  # from the routine template
    for item in items:
        make_overdue(item, days=1)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        found = document_deadlines(today)
    assert len(queries.captured_queries) == 3  # the horizon, the items owed, their requests
    assert [(d.key, d.title) for d in found] == [
        (f"document-request:{request.pk}", f"{request}（{len(items)}项资料）")
    ]
    sent = send_reminders(today)
    mine = [n for n in sent if n.key.startswith("document-request:")]
    assert sorted((n.recipient.username, n.key.rsplit(":", 1)[1]) for n in mine) == [
        ("liaison1", "overdue"),
        ("office", "escalation"),
        ("t1_leader", "escalation"),
    ]
    assert send_reminders(today) == []
    assert not Notification.objects.filter(recipient__username="county_office").exists()
