"""The 整改 home panel is the one place on the home page for rectification's deadlines: an overdue item,
an item due soon and a report owed each appear once, never again in the reminder engine's 逾期事项 /
即将到期 panels (rectification registers its deadlines there ``on_home=False``), while the engine still
sends their reminders."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from xuncha.core.home import panels_for
from xuncha.core.reminders import near

from .support import approved_plan, delivered

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)  # task_a due in 30 days; task_b milestones in 10 and 90 days
    return world


def _engine_titles(user: object) -> list[str]:
    engine = [p for p in panels_for(user) if p.title in ("逾期事项", "即将到期")]  # type: ignore[arg-type]
    return [d.title for p in engine for d in p.context["items"]]


@pytest.mark.parametrize("persona", ["office", "leader", "liaison1"])
def test_an_overdue_item_appears_once_on_the_home_page(
    w: SimpleNamespace,
    set_today: Callable[[D], None],
    client_for: Callable[[str], Client],
    persona: str,
) -> None:
    late = w.task_a.due_on + datetime.timedelta(days=1)
    set_today(late)
    keys = {d.key for d in near(late)}
    assert f"rectification-item:{w.task_a.pk}" in keys  # still reminded and escalated
    [panel] = [p for p in panels_for(w.users[persona]) if p.title == "整改"]
    assert w.task_a in list(panel.context["overdue_items"])
    assert not [t for t in _engine_titles(w.users[persona]) if "整改" in t]
    body = client_for(persona).get("/").content.decode()
    assert body.count(f'href="/rectification/items/{w.task_a.pk}/"') == 1
    assert "逾期整改事项" in body and "整改事项任务01" not in body


def test_an_item_due_soon_appears_once_in_the_rectification_panel(
    w: SimpleNamespace, set_today: Callable[[D], None], client_for: Callable[[str], Client]
) -> None:
    start = w.task_a.due_on - datetime.timedelta(days=30)
    set_today(start + datetime.timedelta(days=3))  # task_b's first milestone within the 7 due-soon days
    [panel] = [p for p in panels_for(w.users["office"]) if p.title == "整改"]
    assert list(panel.context["due_soon_items"]) == [w.task_b]
    assert panel.context["overdue_count"] == 0
    assert not [t for t in _engine_titles(w.users["office"]) if "整改" in t]
    body = client_for("office").get("/").content.decode()
    assert "即将到期整改事项" in body
    assert body.count(f'href="/rectification/items/{w.task_b.pk}/"') == 1
    assert f'href="/rectification/items/{w.task_a.pk}/"' not in body  # green: not on the home page


def test_reports_owed_appear_once(
    w: SimpleNamespace, set_today: Callable[[D], None], client_for: Callable[[str], Client]
) -> None:
    delivered_on = w.task_a.due_on - datetime.timedelta(days=30)
    late = delivered_on + datetime.timedelta(days=61)  # both reports overdue
    set_today(late)
    assert any(d.key.startswith("rectification-duty:") for d in near(late))
    body = client_for("liaison1").get("/").content.decode()
    assert body.count("整改报告") == 1
    assert not [t for t in _engine_titles(w.users["liaison1"]) if "整改报告" in t]
