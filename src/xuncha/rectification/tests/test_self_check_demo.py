"""The demo's unit notices and self-check problems (demo/notices.py): liaison1 reported a meeting, which
t1_leader attends (an activity), and a public-opinion incident; of her two self-check problems t1_leader
accepted one, which stands as a 立行立改 item in the rectification lists, and the other waits for him. Of the
two appointment times t1_member offered, a visitor booked the first."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.demo.build import World, build
from xuncha.demo.notices import build_notices
from xuncha.fieldwork.models import Activity, NoticeKind, UnitNotice, UnitNoticeStatus
from xuncha.intake.models import Appointment, AppointmentStatus
from xuncha.taxonomy import defaults as taxonomy

from ..choices import ItemKind, ItemSource
from ..models import SelfCheckItem, SelfCheckStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    world = build()
    if not UnitNotice.objects.exists():  # until demo/build.py calls it
        build_notices(world)
    assert verify_chain().ok
    return world


def _client(w: World, persona: str) -> Client:
    client = Client()
    client.force_login(w.users[persona])
    return client


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_shows_what_the_unit_told_the_team(w: World) -> None:
    meeting = UnitNotice.objects.get(kind=NoticeKind.MEETING)
    opinion = UnitNotice.objects.get(kind=NoticeKind.OPINION)
    assert meeting.reported_by == w.users["liaison1"] and opinion.reported_by == w.users["liaison1"]
    assert meeting.status == UnitNoticeStatus.ATTENDED and meeting.handled_by == w.users["t1_leader"]
    activity = Activity.objects.get(pk=meeting.activity_id)
    assert activity.inspection_id == meeting.inspection_id and activity.members.count() == 2
    assert opinion.status == UnitNoticeStatus.REPORTED
    home = _client(w, "t1_leader").get("/").content.decode()
    assert opinion.subject in home

    accepted, pending = SelfCheckItem.objects.order_by("pk")
    assert accepted.status == SelfCheckStatus.ACCEPTED and accepted.decided_by == w.users["t1_leader"]
    assert pending.status == SelfCheckStatus.PENDING and pending.code in home
    item = accepted.item
    assert item is not None and item.source == ItemSource.FIELDWORK and item.kind == ItemKind.IMMEDIATE
    for persona in ("liaison1", "t1_leader", "office"):
        listing = _client(w, persona).get("/rectification/").content.decode()
        assert item.code in listing and "办公用房" in listing, persona
    assert _client(w, "t2_member").get(f"/rectification/self-check/{accepted.pk}/").status_code == 404

    first, second = Appointment.objects.filter(inspection=meeting.inspection).order_by("starts_at")
    assert first.status == AppointmentStatus.BOOKED and first.reporter_name == "赵建国"
    assert second.status == AppointmentStatus.OPEN
    assert "赵建国" in _client(w, "t1_member").get(f"/intake/appointments/{first.pk}/").content.decode()
