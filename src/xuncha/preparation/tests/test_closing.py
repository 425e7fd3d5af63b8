"""Stale to-dos end: an answer or a closing marks the departments' notices handled, and archiving the
inspection closes its open requests with the reason (rounds.closing), so nobody is reminded of them."""

import datetime

import pytest
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.reminders import send_reminders
from xuncha.rounds import actions as rounds
from xuncha.rounds import checks
from xuncha.rounds.choices import STAGE_ORDER, Stage
from xuncha.rounds.models import Inspection

from .. import actions, closing
from ..choices import RequestStatus
from .support import answer, send, slot

pytestmark = pytest.mark.django_db


def _unhandled(username: str) -> list[str]:
    found = Notification.objects.filter(recipient__username=username, handled_at__isnull=True)
    return sorted(found.values_list("key", flat=True))


def test_an_answer_and_a_closing_mark_the_departments_notices_handled(world) -> None:
    w = world
    request = send(w)
    overdue = request.due_on + datetime.timedelta(days=1)
    send_reminders(overdue)  # both departments reminded, the office and team leader escalated to
    assert _unhandled("jiwei") and _unhandled("zuzhibu")
    answer(w, request, with_file=False)
    assert _unhandled("jiwei") == []  # the request's notice and its reminders
    assert _unhandled("zuzhibu")
    actions.close_request(request, note="已了解清楚", by=w.users["t1_leader"])
    assert _unhandled("zuzhibu") == []
    assert not [k for k in _unhandled("office") if k.startswith("information-request:")]


def test_archiving_closes_the_open_requests_with_the_reason(world, monkeypatch) -> None:
    w = world
    monkeypatch.setattr(checks, "_checks", {})  # other apps' open work is not this test's subject
    request = send(w)
    answer(w, request, with_file=False)
    done = send(w)
    actions.close_request(done, by=w.users["office"])
    with action_scope("test.setup"):
        Inspection.objects.filter(pk=w.inspection1.pk).update(fieldwork_ends_on=timezone.localdate())
        record("test.setup", w.inspection1, by=None)
    inspection = Inspection.objects.get(pk=w.inspection1.pk)
    while inspection.stage != Stage.ARCHIVED:
        nxt = STAGE_ORDER[STAGE_ORDER.index(inspection.stage) + 1]
        inspection = rounds.transition_inspection(inspection, to=nxt, by=w.users["office"])
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.close_note == closing.ARCHIVED
    assert request.closed_by == w.users["office"]
    events = AuditEvent.objects.filter(action="information_request.closed_on_archive")
    assert [(e.object_id, e.details["reason"]) for e in events] == [(str(request.pk), closing.ARCHIVED)]
    assert _unhandled("zuzhibu") == []
    reminded = send_reminders(request.due_on + datetime.timedelta(days=1))
    assert not [n for n in reminded if n.key.startswith("information-request:")]
    assert slot(request, w.zuzhibu_dept).state() == "pending"  # not answered: the record says so
