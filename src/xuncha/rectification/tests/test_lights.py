"""Red / yellow / green from deadlines with a frozen clock: the item's own deadline or its next open
milestone, the committee's due-soon days, the list's filters and the home panels."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from xuncha.core.home import panels_for
from xuncha.rounds.tests.conftest import update_settings

from ..actions import items
from ..choices import ItemStatus, Light
from ..deadlines import light, plan_due_on, reports_due_on
from ..duties import duties
from ..listing import ItemFilters, items_for, light_of
from ..models import Item
from .support import approved_plan, delivered, with_evidence

pytestmark = pytest.mark.django_db
D = datetime.date


def test_light_of_a_deadline() -> None:
    today = D(2026, 5, 10)
    assert light(D(2026, 5, 9), ItemStatus.OPEN, soon_days=7, today=today) == Light.RED
    assert light(D(2026, 5, 10), ItemStatus.SUBMITTED, soon_days=7, today=today) == Light.YELLOW
    assert light(D(2026, 5, 17), ItemStatus.OPEN, soon_days=7, today=today) == Light.YELLOW
    assert light(D(2026, 5, 18), ItemStatus.OPEN, soon_days=7, today=today) == Light.GREEN
    assert light(None, ItemStatus.OPEN, soon_days=7, today=today) == Light.GREEN
    assert light(D(2020, 1, 1), ItemStatus.CLOSED, soon_days=7, today=today) == Light.CLOSED


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)  # task_a due in 30 days; task_b milestones in 10 and 90 days
    return world


def _lights(user: object, today: D) -> dict[str, set[int]]:
    return {
        value: set(items_for(user, ItemFilters(light=value), today).values_list("pk", flat=True))  # type: ignore[arg-type]
        for value in Light.values
    }


def test_moving_the_clock_turns_items_yellow_then_red(
    w: SimpleNamespace, set_today: Callable[[D], None]
) -> None:
    office = w.users["office"]
    start = w.task_a.due_on - datetime.timedelta(days=30)
    a, b = w.task_a.pk, w.task_b.pk
    assert _lights(office, start) == {"red": set(), "yellow": set(), "green": {a, b}, "closed": set()}
    day = start + datetime.timedelta(days=3)  # b's first milestone within 7 days
    assert _lights(office, day)["yellow"] == {b}
    update_settings(w.city, due_soon_days=0)
    assert _lights(office, day)["yellow"] == set()
    late = start + datetime.timedelta(days=31)  # a overdue, b's first milestone overdue too
    set_today(late)
    assert _lights(office, late)["red"] == {a, b}
    assert light_of(Item.objects.get(pk=a)) == Light.RED
    assert set(items_for(office, ItemFilters(overdue=True), late).values_list("pk", flat=True)) == {a, b}
    # Closing b's first milestone moves it on to the next one (due in 90 days): green again.
    first = w.task_b.milestones.get(sequence=1)
    with_evidence(w, w.task_b, milestone=first)
    items.submit_item(w.task_b, milestone=first, by=w.users["liaison1"])
    items.close_item(w.task_b, milestone=first, by=office)
    assert _lights(office, late)["green"] == {b}


def test_the_office_s_home_page_shows_what_is_overdue(
    w: SimpleNamespace, set_today: Callable[[D], None], client_for: Callable[[str], object]
) -> None:
    set_today(w.task_a.due_on + datetime.timedelta(days=1))
    panel = next(p for p in panels_for(w.users["office"]) if p.title == "整改")
    assert w.task_a in list(panel.context["overdue_items"])
    body = client_for("office").get("/").content.decode()  # type: ignore[attr-defined]
    assert "逾期整改事项" in body and "任务01" in body
    assert not [p for p in panels_for(w.users["jiwei"]) if p.title == "整改"]


def test_plan_and_reports_fall_due_from_the_feedback_meeting(
    w: SimpleNamespace, set_today: Callable[[D], None]
) -> None:
    delivered_on = w.task_a.due_on - datetime.timedelta(days=30)
    assert plan_due_on(w.inspection1) == delivered_on + datetime.timedelta(days=15)
    assert reports_due_on(w.inspection1) == delivered_on + datetime.timedelta(days=60)
    owed = duties(w.inspection1)  # the plan is approved: the two reports remain
    assert [d.what for d in owed] == ["整改报告", "书记履行第一责任人职责情况报告"]
    assert not owed[0].is_overdue(delivered_on + datetime.timedelta(days=60))
    assert owed[0].is_overdue(delivered_on + datetime.timedelta(days=61))
    set_today(delivered_on + datetime.timedelta(days=61))
    panel = next(p for p in panels_for(w.users["liaison1"]) if p.title == "整改")
    assert panel.context["overdue_duties"] == 2
