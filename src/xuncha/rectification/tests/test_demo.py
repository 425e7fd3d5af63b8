"""The demo's rectification (demo/rectification.py): last year's first inspection has an approved plan
with a task closed after verification with evidence, one returned with its reason, one overdue and a
long-term one with milestones; liaison1's unit has 边巡边改 items, one closed, one returned with the reason
shown on its page."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.core.home import panels_for
from xuncha.demo.build import build
from xuncha.taxonomy import defaults as taxonomy

from .. import archive
from ..choices import ItemKind, ItemSource, ItemStatus, Light, PlanStatus
from ..listing import ItemFilters, items_for, light_of
from ..models import Evidence, Item, Plan

pytestmark = pytest.mark.django_db


@override_settings(XUNCHA_DEMO=True)
def test_the_demo_shows_rectification_to_the_last_item() -> None:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    w = build()
    assert verify_chain().ok
    plan = Plan.objects.get()  # last year's first inspection
    assert plan.inspection.unit.name == "市发展和改革委员会" and plan.inspection.round.number == 1
    assert plan.status == PlanStatus.APPROVED and plan.reviewed_by == w.users["office"]
    tasks = list(Item.objects.filter(inspection=plan.inspection).order_by("number"))
    closed, returned, overdue, long_term, principal = tasks
    assert closed.status == ItemStatus.CLOSED and closed.closed_by == w.users["office"]
    assert Evidence.objects.filter(progress__item=closed).exists()
    assert returned.status == ItemStatus.RETURNED and "严肃问责" in returned.return_reason
    assert light_of(overdue) == Light.RED
    assert long_term.kind == ItemKind.LONG_TERM
    assert [m.status for m in long_term.milestones.order_by("sequence")] == ["closed", "open"]
    assert principal.problem is not None and principal.problem.feedback.recipient == "principal"
    assert "整改事项任务01尚未销号" not in archive.open_items(plan.inspection)
    assert "整改事项任务03尚未销号" in archive.open_items(plan.inspection)

    liaison = w.users["liaison1"]
    mine = Item.objects.visible_to(liaison)
    assert {i.source for i in mine} == {ItemSource.FIELDWORK}
    allowance, cars = mine.order_by("number")
    assert (
        allowance.status == ItemStatus.CLOSED and Evidence.objects.filter(progress__item=allowance).exists()
    )
    assert cars.status == ItemStatus.RETURNED
    client = Client()
    client.force_login(liaison)  # demo mode: no TOTP
    assert "制度尚为草案" in client.get(f"/rectification/items/{cars.pk}/").content.decode()
    assert client.get(f"/rectification/items/{closed.pk}/").status_code == 404
    office_panel = next(p for p in panels_for(w.users["office"]) if p.title == "整改")
    assert overdue in list(office_panel.context["overdue_items"])
    assert items_for(w.users["office"], ItemFilters(overdue=True)).count() == 1
