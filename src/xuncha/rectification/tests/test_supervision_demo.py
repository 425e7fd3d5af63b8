"""The demo's supervision (demo/supervision.py): on 市发改委's inspection two 督办单, one led by the
commission with the finance bureau cooperating, answered and waiting for the office, one closed; an
assessment and a 回访 on the rectification page; liaison1 sees the notices, another team's member not."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.demo.build import World, build
from xuncha.demo.supervision import build_supervision
from xuncha.taxonomy import defaults as taxonomy

from ..choices import NoticeStatus
from ..models import Assessment, SupervisionNotice, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    world = build()
    if not SupervisionNotice.objects.exists():  # until demo/build.py calls it
        build_supervision(world)
    assert verify_chain().ok
    return world


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_shows_supervision(w: World) -> None:
    first, second = SupervisionNotice.objects.order_by("sequence")
    assert first.status == NoticeStatus.ANSWERED and second.status == NoticeStatus.CLOSED
    assert [u.name for u in first.cooperating_units.all()] == ["市财政局"]
    assert first.responses.filter(is_result=True).get().files.count() == 1
    assert first.responses.filter(is_result=False).exists()
    assert Assessment.objects.get().score == 82 and Visit.objects.count() == 1
    liaison = Client()
    liaison.force_login(w.users["liaison1"])
    body = liaison.get("/rectification/supervision/").content.decode()
    assert first.number in body and second.number in body
    page = liaison.get(f"/rectification/inspections/{first.inspection_id}/").content.decode()
    assert "82" in page and "回访" in page and first.number in page
    other = Client()
    other.force_login(w.users["t2_member"])
    assert other.get(f"/rectification/supervision/{first.pk}/").status_code == 404
