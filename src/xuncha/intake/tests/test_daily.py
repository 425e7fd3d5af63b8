"""`xuncha daily` enqueues the once-a-day jobs (run at once by the tests' immediate backend); chasing an
overdue transfer notifies its receiver and its sender once per due date, however often it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
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
    found = Notification.objects.filter(key__startswith=f"transfer-overdue:{transfer.pk}:")
    return {n.recipient.username: n.title for n in found.select_related("recipient")}


def test_daily_chases_an_overdue_transfer_once_however_often_it_runs(world, on_day):
    transfer = send(world, out_of_scope(world))
    on_day(transfer.due_on + datetime.timedelta(days=1))
    assert "chase_overdue_transfers" in _daily()
    _daily()
    assert AuditEvent.objects.filter(action="transfer.chased", object_id=str(transfer.pk)).count() == 1


def test_the_receiver_and_the_team_leader_are_notified_once_per_due_date(world, on_day):
    transfer = send(world, out_of_scope(world))  # to the 纪委监委, by team1's leader
    on_day(transfer.due_on)
    _daily()
    assert _told(transfer) == {}  # due today is not overdue yet
    day = transfer.due_on + datetime.timedelta(days=1)
    on_day(day)
    _daily()
    _daily()
    title = f"转交函{transfer.letter_number}已逾期未报结果"
    assert _told(transfer) == {"jiwei": title, "t1_leader": title}
    on_day(day + datetime.timedelta(days=1))
    _daily()  # chased again the next day, nobody told twice
    assert Notification.objects.count() == 2
    first, second = AuditEvent.objects.filter(action="transfer.chased").order_by("seq")
    assert first.details["notified"] == ["jiwei", "t1_leader"]
    assert "notified" not in second.details


def test_each_recipient_can_open_the_link(world, on_day, client_for):
    transfer = send(world, out_of_scope(world), unit=world.unit1)
    on_day(transfer.due_on + datetime.timedelta(days=3))
    _daily()
    assert set(_told(transfer)) == {"liaison1", "t1_leader"}
    for notification in Notification.objects.select_related("recipient"):
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
    for persona in ("jiwei", "t1_leader"):
        user = world.users[persona]
        user.email = f"{persona}@example.cn"
        user.save(update_fields=["email"])
    transfer = send(world, out_of_scope(world))
    for days in (1, 1, 2):
        on_day(transfer.due_on + datetime.timedelta(days=days))
        with django_capture_on_commit_callbacks(execute=True):
            _daily()
    assert sorted(m.to[0] for m in mail.outbox) == ["jiwei@example.cn", "t1_leader@example.cn"]
    assert all(transfer.letter_number in m.subject for m in mail.outbox)
