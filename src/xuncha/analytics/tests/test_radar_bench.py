"""``xuncha bench --only radar`` times the radar and a unit portrait beside their raw SQL, and the pages,
and leaves the audit chain as it found it (the pages' reads are rolled back)."""

import io

import pytest
from django.core.management import call_command

from xuncha.core.audit import verify_chain
from xuncha.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_bench_times_the_radar_and_the_portrait_and_leaves_no_audit_event() -> None:
    _run("gen-data", "--scale", "1")
    _run("gen-data", "--petitions", "20")
    events = AuditEvent.objects.count()
    out = _run("bench", "--repeat", "2", "--only", "radar")
    assert "radar key_persons" in out and "portrait build" in out and "ratio" in out
    assert "radar page /analytics/key-persons/" in out and "portrait API /api/v1/units/" in out
    assert "HTTP" not in out  # no page skipped
    assert AuditEvent.objects.count() == events
    assert verify_chain().ok
