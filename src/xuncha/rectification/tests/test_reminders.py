"""Rectification's deadlines in the reminder engine, with a frozen clock: a task past its deadline is
flagged overdue, the liaison told and the office and leading group escalated to exactly once, and it shows
on the office's home page; the reports owed fall due from the feedback meeting."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from xuncha.core.models import Notification
from xuncha.core.reminders import near, send_reminders

from ..choices import Light
from ..listing import light_of
from ..models import Item
from .support import approved_plan, delivered

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)
    return world


def test_an_overdue_task_is_escalated_exactly_once(
    w: SimpleNamespace, set_today: Callable[[D], None], client_for: Callable[[str], object]
) -> None:
    late = w.task_a.due_on + datetime.timedelta(days=1)
    set_today(late)
    assert light_of(Item.objects.get(pk=w.task_a.pk)) == Light.RED
    keys = {d.key for d in near(late)}
    assert f"rectification-item:{w.task_a.pk}" in keys
    send_reminders(late)
    escalations = Notification.objects.filter(
        key__startswith=f"rectification-item:{w.task_a.pk}:", key__endswith=":escalation"
    )
    assert {n.recipient.username for n in escalations} == {"office", "leader"}
    overdue = Notification.objects.filter(
        key__startswith=f"rectification-item:{w.task_a.pk}:", key__endswith=":overdue"
    )
    assert [n.recipient.username for n in overdue] == ["liaison1"]
    assert send_reminders(late) == [] and send_reminders(late + datetime.timedelta(days=1)) == []
    assert escalations.count() == 2  # one to each, never again
    body = client_for("office").get("/").content.decode()  # type: ignore[attr-defined]
    assert "逾期整改事项" in body and f"/rectification/items/{w.task_a.pk}/" in body  # in the 整改 panel


def test_reports_owed_are_reminded_before_they_fall_due(w: SimpleNamespace) -> None:
    due = (
        w.task_a.due_on - datetime.timedelta(days=30) + datetime.timedelta(days=60)
    )  # 60 days after delivery
    before = due - datetime.timedelta(days=3)
    sent = send_reminders(before)
    titles = {n.title for n in sent if n.recipient.username == "liaison1"}
    assert any("整改报告" in t for t in titles) and any("书记履行第一责任人职责情况报告" in t for t in titles)
