"""The reminder engine with a frozen clock (dates passed in): each notice once per deadline and due date,
escalation to the deadline's own committee only, a constant number of queries on a rerun, the home panels."""

import datetime
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core import reminders
from xuncha.core.choices import Role
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.reminders import Deadline, escalation_roles, send_reminders

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 10)


def _deadline(world: SimpleNamespace, n: int = 1, due_on: datetime.date = DUE) -> Deadline:
    return Deadline(
        key=f"test-item:{n}",
        due_on=due_on,
        title=f"第{n}项测试事项",
        link=f"/test/{n}/",
        owners={Role.TEAM_LEADER: world.team1.pk},
        escalate_to=escalation_roles(world.city.pk),
        committee_id=world.city.pk,
        remind_days=7,
    )


@pytest.fixture
def deadlines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Deadline]]:
    """A provider returning whatever the test puts in the list (only the test's provider is asked)."""
    current: list[Deadline] = []
    monkeypatch.setattr(reminders, "_providers", {lambda today, reach: list(current): True})
    yield current


def _told(key_suffix: str) -> set[str]:
    return set(
        Notification.objects.filter(key__endswith=key_suffix).values_list("recipient__username", flat=True)
    )


def test_nothing_before_the_window_then_each_notice_once(world, deadlines):
    deadlines.append(_deadline(world))
    assert send_reminders(DUE - datetime.timedelta(days=8)) == []

    for day in (DUE - datetime.timedelta(days=7), DUE - datetime.timedelta(days=1)):
        sent = send_reminders(day)
        assert [n.recipient.username for n in sent] == (["t1_leader"] if day.day == 3 else [])
    assert _told(":before") == {"t1_leader"}
    assert (
        Notification.objects.get(key__endswith=":before").title
        == "即将到期：第1项测试事项（期限 2026-03-10）"
    )

    assert [n.title for n in send_reminders(DUE)] == ["今日到期：第1项测试事项"]
    assert send_reminders(DUE) == []

    late = DUE + datetime.timedelta(days=1)
    sent = send_reminders(late)
    assert {(n.recipient.username, n.key.rsplit(":", 1)[1]) for n in sent} == {
        ("t1_leader", "overdue"),
        ("office", "escalation"),
        ("leader", "escalation"),
    }
    escalation = Notification.objects.get(recipient=world.users["office"])
    assert escalation.title == "逾期督办：第1项测试事项（期限 2026-03-10，已逾期1天）"
    assert escalation.link == "/test/1/"
    # The next days, and a rerun, send nothing more; the other committee's office is never told.
    assert send_reminders(late) == []
    assert send_reminders(late + datetime.timedelta(days=5)) == []
    assert not Notification.objects.filter(recipient=world.users["county_office"]).exists()
    assert Notification.objects.count() == 5

    events = AuditEvent.objects.filter(action="reminder.sent").order_by("seq")
    assert [e.details["phase"] for e in events] == ["before", "day", "overdue", "escalation"]
    assert events.last().details["notified"] == ["leader", "office"]  # type: ignore[union-attr]
    assert {e.committee_id for e in events} == {world.city.pk}


def test_a_job_that_did_not_run_sends_only_the_current_notice(world, deadlines):
    deadlines.append(_deadline(world))
    sent = send_reminders(DUE + datetime.timedelta(days=3))
    assert {n.key.rsplit(":", 1)[1] for n in sent} == {"overdue", "escalation"}


def test_a_moved_deadline_is_a_new_deadline(world, deadlines):
    deadlines.append(_deadline(world))
    assert len(send_reminders(DUE + datetime.timedelta(days=1))) == 3
    later = DUE + datetime.timedelta(days=20)
    deadlines[:] = [_deadline(world, due_on=later)]
    assert send_reminders(DUE + datetime.timedelta(days=1)) == []  # not near yet
    assert [n.recipient.username for n in send_reminders(later)] == ["t1_leader"]


def test_inactive_roles_and_users_are_not_told(world, deadlines):
    world.users["leader"].is_active = False
    world.users["leader"].save(update_fields=["is_active"])
    deadlines.append(_deadline(world))
    sent = send_reminders(DUE + datetime.timedelta(days=1))
    assert sorted(n.recipient.username for n in sent) == ["office", "t1_leader"]


def test_queries_do_not_grow_with_the_deadlines(world, deadlines):
    deadlines.extend(_deadline(world, n) for n in range(1, 41))
    late = DUE + datetime.timedelta(days=1)
    assert len(send_reminders(late)) == 120
    with CaptureQueriesContext(connection) as rerun:
        assert send_reminders(late) == []
    # One for the role holders, one for who was told already: none per deadline.
    assert len(rerun.captured_queries) == 2


def test_the_office_and_the_owner_see_the_panels_from_the_same_providers(world, deadlines, client_for):
    today = timezone.localdate()
    deadlines.append(_deadline(world, 1, due_on=today - datetime.timedelta(days=2)))
    deadlines.append(_deadline(world, 2, due_on=today + datetime.timedelta(days=3)))
    deadlines.append(_deadline(world, 3, due_on=today + datetime.timedelta(days=30)))
    for persona in ("office", "t1_leader"):
        page = client_for(persona).get("/").content.decode()
        assert "逾期事项" in page and "即将到期" in page
        assert "第1项测试事项" in page and "第2项测试事项" in page
        assert "第3项测试事项" not in page
    for persona in ("county_office", "t2_member"):
        page = client_for(persona).get("/").content.decode()
        assert "第1项测试事项" not in page and "第2项测试事项" not in page


def test_a_notice_a_concurrent_run_sent_first_records_nothing(world, deadlines, monkeypatch):
    deadlines.append(_deadline(world))
    monkeypatch.setattr(reminders, "notify", lambda *args, **kwargs: [])
    assert send_reminders(DUE + datetime.timedelta(days=1)) == []
    assert not AuditEvent.objects.filter(action="reminder.sent").exists()
