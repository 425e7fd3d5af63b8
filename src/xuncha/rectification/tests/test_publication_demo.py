"""The demo's publication (demo/publication.py): the office publishes 市发改委's rectification with the
publishable tasks' wording; the principal leader's task is exempt, shown as such on the editor."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.demo.build import World, build
from xuncha.demo.publication import WORDING, build_publication
from xuncha.reports.choices import Recipient
from xuncha.taxonomy import defaults as taxonomy

from .. import publication as rules
from ..choices import PublicationStatus
from ..models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    return build()


@override_settings(XUNCHA_DEMO=True)
def test_the_office_publishes_the_commission_s_rectification(w: World) -> None:
    publication = build_publication(w)
    assert verify_chain().ok
    assert publication.status == PublicationStatus.PUBLISHED
    principal = Item.objects.get(
        inspection=publication.inspection, problem__feedback__recipient=Recipient.PRINCIPAL
    )
    assert rules.exemption(principal) == rules.PRINCIPAL
    entries = list(publication.entries.all())
    assert principal.pk not in {e.item_id for e in entries}
    assert sorted(e.public_text for e in entries) == sorted(WORDING.values())
    assert rules.counts(entries) == {"done": 1, "ongoing": 2, "long_term": 1}
    page = Client().get(f"/portal/gongkai/{publication.public_id}/").content.decode()
    assert all(text in page for text in WORDING.values())
    assert principal.measure not in page and "主任" not in page
    office = Client()
    office.force_login(w.users["office"])  # demo mode: no TOTP
    editor = office.get(f"/rectification/inspections/{publication.inspection_id}/publication/edit/")
    assert rules.PRINCIPAL in editor.content.decode()
