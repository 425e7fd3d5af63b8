"""`xuncha daily` enqueues the once-a-day jobs (run at once by the tests' immediate backend); the reminder
engine chases an overdue transfer's receiver and escalates to its sender once per due date, however often
it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from xuncha.core.models import AuditEvent, Notification

from .test_transfers import out_of_scope, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_day(monkeypatch):  # type: ignore[no-untyped-def]
    """Freeze the local date: ``on_day(d)`` and every later call of ``daily`` runs on ``d``."""

    def freeze(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return freeze


def _daily() -> str:
    out = io.StringIO()
    call_command("daily", stdout=out)
    return out.getvalue()


def _told(transfer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Who was notified of the transfer's lateness: username → title."""
    late = Q(key__endswith=":overdue") | Q(key__endswith=":escalation")
    found = Notification.objects.filter(late, key__startswith=f"transfer:{transfer.pk}:")
    return {n.recipient.username: n.title for n in found.select_related("recipient")}


def test_daily_chases_an_overdue_transfer_once_however_often_it_runs(world, on_day):
    transfer = send(world, out_of_scope(world))
    on_day(transfer.due_on + datetime.timedelta(days=1))
    assert "send_reminders_task" in _daily()
    _daily()
    events = AuditEvent.objects.filter(
        action="reminder.sent", object_type="intake.transfer", object_id=str(transfer.pk)
    )
    assert sorted(e.details["phase"] for e in events) == ["escalation", "overdue"]
    transfer.refresh_from_db()
    assert transfer.last_chased_at is not None


def test_the_receiver_and_the_sending_side_are_notified_once_per_due_date(world, on_day):
    transfer = send(world, out_of_scope(world))  # to the 纪委监委, by team1's leader
    on_day(transfer.due_on)
    _daily()
    assert _told(transfer) == {}  # due today is not overdue yet: the receiver is reminded only
    mine = Notification.objects.filter(key__startswith=f"transfer:{transfer.pk}:")
    assert mine.get().title == f"今日到期：转交函{transfer.letter_number}报送办理结果"
    day = transfer.due_on + datetime.timedelta(days=1)
    on_day(day)
    _daily()
    _daily()
    what, due = f"转交函{transfer.letter_number}报送办理结果", f"{transfer.due_on:%Y-%m-%d}"
    escalation = f"逾期督办：{what}（期限 {due}，已逾期1天）"
    assert _told(transfer) == {
        "jiwei": f"已逾期：{what}（期限 {due}）",
        "office": escalation,
        "t1_leader": escalation,
    }
    on_day(day + datetime.timedelta(days=1))
    _daily()  # nobody is told twice for the same due date
    assert mine.count() == 4
    overdue, escalated = AuditEvent.objects.filter(
        object_type="intake.transfer",
        object_id=str(transfer.pk),
        action="reminder.sent",
        details__phase__in=["overdue", "escalation"],
    ).order_by("seq")
    assert overdue.details["notified"] == ["jiwei"]
    assert escalated.details["notified"] == ["office", "t1_leader"]


def test_each_recipient_can_open_the_link(world, on_day, client_for):
    transfer = send(world, out_of_scope(world), unit=world.unit1)
    on_day(transfer.due_on + datetime.timedelta(days=3))
    _daily()
    assert set(_told(transfer)) == {"liaison1", "office", "t1_leader"}
    for notification in Notification.objects.filter(key__startswith="transfer:").select_related("recipient"):
        client = client_for(notification.recipient.username)
        response = client.post(f"/notifications/{notification.pk}/read/")
        assert response["Location"] == f"/intake/transfers/{transfer.pk}/"
        assert client.get(response["Location"]).status_code == 200


def test_petitions_about_the_inspectors_tell_the_office_not_the_team(world, on_day):
    petition = out_of_scope(world, "反映巡察组成员接受吃请。", about_inspectors=True)
    transfer = send(world, petition, by="office")
    on_day(transfer.due_on + datetime.timedelta(days=1))
    _daily()
    assert set(_told(transfer)) == {"jiwei", "office"}


def test_a_team_without_a_leader_leaves_it_to_the_office(world, on_day):
    transfer = send(world, out_of_scope(world))
    world.users["t1_leader"].role_assignments.update(active=False)
    on_day(transfer.due_on + datetime.timedelta(days=1))
    _daily()
    assert set(_told(transfer)) == {"jiwei", "office"}


def test_the_title_says_nothing_of_the_petition(world, on_day):
    petition = out_of_scope(world)
    transfer = send(world, petition)
    on_day(transfer.due_on + datetime.timedelta(days=1))
    _daily()
    for title in _told(transfer).values():
        assert petition.content[:6] not in title
        assert petition.number not in title


def test_one_mail_per_recipient_when_smtp_is_configured(
    world, on_day, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for persona in ("jiwei", "office", "t1_leader"):
        user = world.users[persona]
        user.email = f"{persona}@example.cn"
        user.save(update_fields=["email"])
    transfer = send(world, out_of_scope(world))
    for days in (1, 1, 2):
        on_day(transfer.due_on + datetime.timedelta(days=days))
        with django_capture_on_commit_callbacks(execute=True):
            _daily()
    # (The world's inspection is overdue too by then: its mails are not the transfer's.)
    about_it = [m.to[0] for m in mail.outbox if transfer.letter_number in m.subject]
    assert sorted(about_it) == ["jiwei@example.cn", "office@example.cn", "t1_leader@example.cn"]
