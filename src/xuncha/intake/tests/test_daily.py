"""`xuncha daily` enqueues the once-a-day jobs (run at once by the tests' immediate backend)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xuncha.core.models import AuditEvent

from .test_transfers import out_of_scope, send

pytestmark = pytest.mark.django_db


def test_daily_chases_an_overdue_transfer_once_however_often_it_runs(world, monkeypatch):
    transfer = send(world, out_of_scope(world))
    after_due = transfer.due_on + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after_due)
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert "chase_overdue_transfers" in out.getvalue()
    call_command("daily", stdout=io.StringIO())
    assert AuditEvent.objects.filter(action="transfer.chased", object_id=str(transfer.pk)).count() == 1
