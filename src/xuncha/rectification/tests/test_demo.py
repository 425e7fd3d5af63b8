"""The demo's rectification (demo/rectification.py), issue 6's "Done when" literally: ``liaison1`` drafts
市发改委's plan from the feedback, ``office`` approves it; an item is closed only with evidence and after
verification; a returned item goes back with the reason, which liaison1 sees on the item. Also: an overdue
task and a long-term one with milestones, the principal leader's task hidden from the liaison, and
liaison1's other unit's 边巡边改 items, one closed, one returned."""

import pytest
from django.test import Client, override_settings

from xuncha.core.audit import verify_chain
from xuncha.core.errors import Refused
from xuncha.core.home import panels_for
from xuncha.core.models import AuditEvent, Notification
from xuncha.demo.build import World, build
from xuncha.reports.choices import Recipient
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults as taxonomy

from .. import archive
from ..actions import items as item_actions
from ..choices import ItemKind, ItemSource, ItemStatus, Light, PlanStatus
from ..listing import ItemFilters, items_for, light_of
from ..models import Evidence, Item, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    world = build()
    assert verify_chain().ok
    return world


def _ndrc_plan(w: World) -> Plan:
    """The plan of last year's first inspection (市发改委)."""
    return Plan.objects.get(inspection__unit=w.units["ndrc"], inspection__round__number=1)


def _events(item: Item) -> list[str]:
    events = AuditEvent.objects.filter(object_type="rectification.item", object_id=str(item.pk))
    return list(events.order_by("pk").values_list("action", flat=True))


@override_settings(XUNCHA_DEMO=True)
def test_liaison1_drafts_the_plan_office_approves_closes_with_evidence_and_returns_with_the_reason(
    w: World,
) -> None:
    liaison, office = w.users["liaison1"], w.users["office"]
    plan = _ndrc_plan(w)
    assert plan.inspection.unit.name == "市发展和改革委员会" and plan.inspection.round.number == 1
    # Drafted from the feedback to the unit by liaison1, who sees it; approved by the office.
    assert plan.created_by == liaison and plan.submitted_by == liaison
    assert plan.status == PlanStatus.APPROVED and plan.reviewed_by == office
    unit_feedback = Feedback.objects.get(inspection=plan.inspection, recipient=Recipient.UNIT)
    assert unit_feedback in Feedback.objects.visible_to(liaison)
    tasks = list(Item.objects.filter(inspection=plan.inspection).order_by("number"))
    closed, returned, overdue, _long_term, principal = tasks
    assert {t.added_by for t in tasks[:4]} == {liaison} and principal.added_by == office
    assert all(t.problem.feedback == unit_feedback for t in tasks[:4])  # type: ignore[union-attr]
    # Closed with liaison1's evidence, after the closure request, by the office.
    assert closed.status == ItemStatus.CLOSED and closed.closed_by == office
    assert closed.submitted_by == liaison and closed.submitted_at < closed.closed_at  # type: ignore[operator]
    evidence = Evidence.objects.filter(progress__item=closed)
    assert evidence.exists() and {e.uploaded_by for e in evidence} == {liaison}
    assert _events(closed) == [
        "rectification_item.added",
        "rectification_item.progressed",
        "rectification_item.submitted",
        "rectification_item.closed",
    ]
    # The returned one goes back to liaison1 with the reason: told, and shown on the item page.
    assert returned.status == ItemStatus.RETURNED and returned.closed_by is None
    assert "严肃问责" in returned.return_reason
    assert Notification.objects.filter(
        recipient=liaison, key__startswith=f"rect-item-returned:{returned.pk}:"
    ).exists()
    client = Client()
    client.force_login(liaison)  # demo mode: no TOTP
    page = client.get(f"/rectification/items/{returned.pk}/").content.decode()
    assert "销号申请被退回" in page and returned.return_reason in page

    # In the demo's world, closing still takes evidence and a request first.
    with pytest.raises(Refused, match="佐证材料"):
        item_actions.submit_item(overdue, by=liaison)
    with pytest.raises(Refused, match="尚未申请销号"):
        item_actions.close_item(returned, note="", by=office)


@override_settings(XUNCHA_DEMO=True)
def test_liaison1_never_sees_what_the_office_keeps_and_the_rest_of_the_demo(w: World) -> None:
    liaison = w.users["liaison1"]
    plan = _ndrc_plan(w)
    principal = Item.objects.get(inspection=plan.inspection, problem__feedback__recipient=Recipient.PRINCIPAL)
    principal_feedback = principal.problem.feedback  # type: ignore[union-attr]
    assert principal not in Item.objects.visible_to(liaison)
    client = Client()
    client.force_login(liaison)
    assert client.get(f"/rectification/items/{principal.pk}/").status_code == 404
    assert client.get(f"/api/v1/rectification-items/{principal.pk}").status_code == 404
    assert client.get(f"/reports/feedbacks/{principal_feedback.pk}/").status_code == 404
    inspection_page = client.get(f"/rectification/inspections/{plan.inspection_id}/")
    listing = client.get("/rectification/")
    api = client.get("/api/v1/rectification-items/?limit=100").json()
    for body in (inspection_page.content.decode(), listing.content.decode()):
        assert "约谈分管副主任" in principal.measure and "约谈分管副主任" not in body
        assert "对5个未批先建项目" in body  # the unit's own tasks are there
    assert principal.pk not in {row["id"] for row in api["items"]}
    education = Inspection.objects.get(unit=w.units["education"], round__number=1)
    home = client.get("/").content.decode()
    assert "被退回的销号申请" in home and f"市发展和改革委员会 {principal.code}" not in home
    # Last year's other inspections are not liaison1's units: 404.
    assert client.get(f"/rectification/inspections/{education.pk}/").status_code == 404

    # The rest of the demo: an overdue task, a long-term one by milestones, liaison1's 边巡边改 items.
    tasks = Item.objects.filter(inspection=plan.inspection).order_by("number")
    _closed, _returned, overdue, long_term, principal = tasks
    assert light_of(overdue) == Light.RED
    assert long_term.kind == ItemKind.LONG_TERM
    assert [m.status for m in long_term.milestones.order_by("sequence")] == ["closed", "open"]
    assert principal.problem is not None and principal.problem.feedback.recipient == "principal"
    assert "整改事项任务01尚未销号" not in archive.open_items(plan.inspection)
    assert "整改事项任务03尚未销号" in archive.open_items(plan.inspection)

    liaison = w.users["liaison1"]
    fieldwork = Item.objects.visible_to(liaison).filter(source=ItemSource.FIELDWORK)
    assert {i.inspection.unit.name for i in fieldwork} == {"市财政局"}
    # The team's own two; the third, from liaison1's self-check problem, is demo/notices.py's.
    allowance, cars = fieldwork.filter(self_check__isnull=True).order_by("number")
    assert fieldwork.filter(self_check__isnull=False).count() == 1
    assert (
        allowance.status == ItemStatus.CLOSED and Evidence.objects.filter(progress__item=allowance).exists()
    )
    assert cars.status == ItemStatus.RETURNED
    assert "制度尚为草案" in client.get(f"/rectification/items/{cars.pk}/").content.decode()
    office_panel = next(p for p in panels_for(w.users["office"]) if p.title == "整改")
    assert overdue in list(office_panel.context["overdue_items"])
    assert items_for(w.users["office"], ItemFilters(overdue=True)).count() == 1
