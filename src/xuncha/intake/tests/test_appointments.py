"""Face-to-face appointments (预约面谈): the team offers times, a member of the public books one on the
portal (identity encrypted, shown to the team only and audited), the team records the meeting; refusals,
scope, the pages, the portal and the API."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.intake.actions.appointments import (
    book_appointment,
    offer_appointment,
    record_appointment,
    withdraw_appointment,
)
from xuncha.intake.models import Announcement, Appointment, AppointmentStatus
from xuncha.rounds.choices import Stage
from xuncha.rounds.closing import ARCHIVING, close_stage
from xuncha.rounds.models import Inspection

from .conftest import announce

pytestmark = pytest.mark.django_db

NAME, PHONE = "欧阳金丝雀", "13900001111"


def later(days: int = 2, hour: int = 15) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def offered(world: SimpleNamespace, **overrides: object) -> Appointment:
    values: dict[str, object] = {"starts_at": later(), "place": "巡察组驻点办公室（局机关三楼）"}
    values.update(overrides)
    return offer_appointment(world.inspection1, by=world.users["t1_member"], **values)  # type: ignore[arg-type]


def booked(announcement: Announcement, appointment: Appointment) -> Appointment:
    return book_appointment(
        announcement, appointment, name=NAME, phone=PHONE, topic="反映局里工程项目招标中的问题"
    )


def test_offered_booked_and_held(world: SimpleNamespace, announcement: Announcement) -> None:
    appointment = offered(world)
    assert appointment.status == AppointmentStatus.OPEN
    booked(announcement, appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.reporter_name == NAME
    raw = Appointment.objects.filter(pk=appointment.pk).values_list("reporter_name", "topic").get()
    assert NAME not in raw[0] and "工程" not in raw[1]  # encrypted
    told = Notification.objects.filter(link=f"/intake/appointments/{appointment.pk}/")
    assert {n.recipient.username for n in told} == {"t1_leader", "t1_member"}
    assert all(NAME not in n.title for n in told)
    event = AuditEvent.objects.get(action="appointment.booked")
    assert NAME not in str(event.details)
    record_appointment(
        appointment, held=True, note="当面反映了招标问题，已登记为来访件。", by=world.users["t1_leader"]
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    assert not Notification.objects.filter(link__contains=str(appointment.pk), handled_at__isnull=True)


def test_offer_refusals(world: SimpleNamespace) -> None:
    for starts_at in (None, timezone.now() - datetime.timedelta(hours=1), later(days=200)):
        with pytest.raises(Refused) as refused:
            offered(world, starts_at=starts_at)
        assert refused.value.field == "starts_at"
    with pytest.raises(Refused) as refused:
        offered(world, place=" ")
    assert refused.value.field == "place"
    offered(world)
    with pytest.raises(Refused, match="已经发布过"):
        offered(world)
    for persona in ("office", "liaison1", "t2_member"):
        with pytest.raises(NotAllowed):
            offer_appointment(world.inspection1, starts_at=later(3), place="会议室", by=world.users[persona])
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage=Stage.RECTIFYING)
    world.inspection1.refresh_from_db()
    with pytest.raises(Refused, match="进驻"):
        offered(world, starts_at=later(4))
    assert Appointment.objects.count() == 1


def test_booking_refusals_leave_the_time_open(world: SimpleNamespace, announcement: Announcement) -> None:
    appointment = offered(world)
    for fields, field in (({"name": " "}, "name"), ({"phone": "call me"}, "phone"), ({"topic": ""}, "topic")):
        values = {"name": NAME, "phone": PHONE, "topic": "问题"} | fields
        with pytest.raises(Refused) as refused:
            book_appointment(announcement, appointment, **values)
        assert refused.value.field == field
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.OPEN and not appointment.reporter_name
    booked(announcement, appointment)
    with pytest.raises(Refused, match="已被预约"):
        booked(announcement, appointment)
    other = announce(world.inspection2, public_code="other")
    with pytest.raises(Refused, match="本次巡察"):
        booked(other, offered(world, starts_at=later(5)))


def test_withdraw_only_an_open_time(world: SimpleNamespace, announcement: Announcement) -> None:
    first, second = offered(world), offered(world, starts_at=later(3))
    with pytest.raises(NotAllowed):
        withdraw_appointment(first, by=world.users["office"])
    withdraw_appointment(first, by=world.users["t1_member"])
    first.refresh_from_db()
    assert first.status == AppointmentStatus.WITHDRAWN
    booked(announcement, second)
    with pytest.raises(Refused, match="尚无人预约"):
        withdraw_appointment(second, by=world.users["t1_member"])
    with pytest.raises(Refused, match="已预约"):
        record_appointment(first, held=False, note="", by=world.users["t1_member"])
    with pytest.raises(Refused):
        record_appointment(second, held=True, note=" ", by=world.users["t1_member"])  # held: a note
    record_appointment(second, held=False, note="", by=world.users["t1_member"])
    second.refresh_from_db()
    assert second.status == AppointmentStatus.MISSED


def test_the_portal(world: SimpleNamespace, announcement: Announcement) -> None:
    appointment = offered(world)
    withdrawn = offered(world, starts_at=later(4))
    withdraw_appointment(withdrawn, by=world.users["t1_member"])
    public = Client()
    url = f"/portal/{announcement.public_code}/appointments/"
    assert url in public.get(f"/portal/{announcement.public_code}/").content.decode()
    page = public.get(url).content.decode()
    assert str(appointment.pk) in page and str(withdrawn.pk) not in page
    refused = public.post(url, {"appointment": str(appointment.pk), "name": NAME, "phone": "x", "topic": "t"})
    assert refused.status_code == 200 and "联系电话只能包含数字" in refused.content.decode()
    done = public.post(url, {"appointment": str(appointment.pk), "name": NAME, "phone": PHONE, "topic": "t"})
    assert done.status_code == 200 and "预约成功" in done.content.decode()
    assert done["Cache-Control"].startswith("max-age=0") or "no-cache" in done["Cache-Control"]
    assert str(appointment.pk) not in public.get(url).content.decode()  # booked: no longer offered
    again = public.post(url, {"appointment": str(withdrawn.pk), "name": NAME, "phone": PHONE, "topic": "t"})
    assert "已被预约或已过期" in again.content.decode()
    assert public.get("/portal/nosuchcode/appointments/").status_code == 404


def test_the_portal_is_closed_outside_the_window(world: SimpleNamespace) -> None:
    closed = announce(world.inspection1, window_ends_at=timezone.now() - datetime.timedelta(days=1))
    appointment = offered(world)
    page = Client().get(f"/portal/{closed.public_code}/appointments/").content.decode()
    assert "预约未开放" in page and str(appointment.pk) not in page
    with pytest.raises(Refused, match="受理时间"):
        booked(closed, appointment)


def test_staff_pages_scope_and_identity(
    world: SimpleNamespace, announcement: Announcement, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    new = f"/intake/appointments/inspections/{world.inspection1.pk}/new/"
    answer = member.post(new, {"starts_at": later().strftime("%Y-%m-%dT%H:%M"), "place": "驻点办公室"})
    assert answer.status_code == 302
    appointment = Appointment.objects.get()
    booked(announcement, appointment)
    detail = f"/intake/appointments/{appointment.pk}/"
    listing = f"/intake/appointments/inspections/{world.inspection1.pk}/"
    assert NAME in member.get(detail).content.decode()
    office_page = client_for("office").get(detail).content.decode()
    assert NAME not in office_page and "仅本巡察组可查看" in office_page
    assert AuditEvent.objects.filter(action="appointment.identity_viewed").count() == 1
    assert NAME not in member.get(listing).content.decode()
    for persona in ("leader", "liaison1", "t2_member", "jiwei"):
        assert client_for(persona).get(detail).status_code == 404, persona
        assert client_for(persona).get(listing).status_code == 404, persona
    assert client_for("office").get(f"{detail}record/").status_code == 403
    done = member.post(f"{detail}record/", {"held": "1", "note": "已面谈"})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    inspection_page = member.get(f"/rounds/inspections/{world.inspection1.pk}/").content.decode()
    assert listing in inspection_page


def test_the_api(
    world: SimpleNamespace, announcement: Announcement, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    body = {"inspection": world.inspection1.pk, "starts_at": later().isoformat(), "place": "驻点办公室"}
    created = member.post("/api/v1/visit-appointments/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    appointment_id = created.json()["id"]
    office = client_for("office")
    refused = office.post("/api/v1/visit-appointments/", body, content_type="application/json")
    assert refused.status_code == 403
    public = Client()
    times = public.get(f"/api/v1/public/visit-appointments?public_code={announcement.public_code}")
    assert [t["id"] for t in times.json()] == [appointment_id]
    booking = {"public_code": announcement.public_code, "appointment": appointment_id, "name": NAME}
    bad = public.post("/api/v1/public/visit-appointments", booking, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "phone"
    booking |= {"phone": PHONE, "topic": "招标问题"}
    done = public.post("/api/v1/public/visit-appointments", booking, content_type="application/json")
    assert done.status_code == 201 and done.json()["place"] == "驻点办公室"
    read = office.get(f"/api/v1/visit-appointments/{appointment_id}").json()
    assert read["status"] == "booked" and NAME not in str(read)
    assert client_for("t2_member").get(f"/api/v1/visit-appointments/{appointment_id}").status_code == 404
    url = f"/api/v1/visit-appointments/{appointment_id}"
    assert member.post(f"{url}/withdraw", content_type="application/json").status_code == 422
    recorded = member.post(f"{url}/record", {"held": False}, content_type="application/json")
    assert recorded.status_code == 200 and recorded.json()["status"] == "missed"
    missing = {**booking, "public_code": "nosuchcode"}
    assert (
        public.post("/api/v1/public/visit-appointments", missing, content_type="application/json").status_code
        == 404
    )


def test_open_times_end_with_receiving_and_bookings_ask_nothing_once_archived(
    world: SimpleNamespace, announcement: Announcement
) -> None:
    first, second = offered(world), offered(world, starts_at=later(3))
    booked(announcement, second)
    with action_scope("test.stage_end"):
        assert close_stage(world.inspection1, Stage.REPORTING, by=None, role="") == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AppointmentStatus.WITHDRAWN and second.status == AppointmentStatus.BOOKED
    event = AuditEvent.objects.filter(action="appointment.withdrawn").get()
    assert event.object_id == str(first.pk) and "自动撤回" in event.details["reason"]
    assert Notification.objects.filter(link__contains=str(second.pk), handled_at__isnull=True).count() == 2
    with action_scope("test.stage_end"):
        close_stage(world.inspection1, ARCHIVING, by=None, role="")
        record("test.stage_end", world.inspection1, by=None)  # the transition's own event
    assert not Notification.objects.filter(link__contains=str(second.pk), handled_at__isnull=True).exists()


def test_the_list_page_and_api_list_cost_the_same_queries_whatever_the_rows(
    world: SimpleNamespace, announcement: Announcement, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    urls = (f"/intake/appointments/inspections/{world.inspection1.pk}/", "/api/v1/visit-appointments/")

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert member.get(url).status_code == 200
            found.append(len(queries))
        return found

    booked(announcement, offered(world))
    before = counts()
    for n in range(3):
        booked(announcement, offered(world, starts_at=later(3 + n)))
    assert counts() == before
