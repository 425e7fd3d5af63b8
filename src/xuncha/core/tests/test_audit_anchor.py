"""The chain's end cannot be cut: the head carries its own MAC, and anchors written outside the database
name the events cut off even by someone who holds the audit key; on PostgreSQL the table is append-only."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from xuncha.core import audit
from xuncha.core.audit import Anchor, action_scope, head_mac, latest_anchor, record, verify_chain
from xuncha.core.models import AuditChainHead, AuditEvent

from .tamper import tamper

pytestmark = pytest.mark.django_db


def _note(count: int) -> int:
    """Append ``count`` events; the last seq."""
    for index in range(count):
        with action_scope("test.note"):
            event = record("test.note", None, by=None, details={"index": index})
    return event.seq


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_info:
        return int(str(exit_info.code)), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _cut_tail(after: int, *, rewrite_head_with_key: bool) -> None:
    """Delete the events after seq ``after`` and point the head at the one left last."""
    tamper("DELETE FROM core_auditevent WHERE seq > %s", [after])
    last_hash = AuditEvent.objects.get(seq=after).hmac
    mac = head_mac(after, last_hash) if rewrite_head_with_key else AuditChainHead.objects.get().mac
    tamper(
        "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s, mac = %s WHERE id = 1",
        [after, last_hash, mac],
    )


def test_the_head_is_signed_and_an_intact_chain_verifies():
    last = _note(3)
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.mac) == (last, head_mac(last, head.last_hash))
    assert _verify()[0] == 0


def test_a_cut_tail_with_the_head_rewritten_without_the_key_is_detected():
    last = _note(4)
    _cut_tail(last - 2, rewrite_head_with_key=False)
    code, _, err = _verify()
    assert code == 1 and "链头的签名不符" in err


def test_a_cut_tail_with_the_head_rewritten_with_the_key_is_named_by_the_anchor():
    last = _note(4)
    call_command("audit", "anchor", stdout=io.StringIO())
    _cut_tail(last - 2, rewrite_head_with_key=True)
    assert verify_chain().ok  # without the anchor the cut cannot be seen
    code, _, err = _verify()
    assert code == 1
    assert f"第一条异常事件 #{last - 1}" in err and f"事件 #{last - 1}–#{last} 缺失" in err


def test_a_tail_rewritten_after_the_anchor_is_named():
    last = _note(3)
    call_command("audit", "anchor", stdout=io.StringIO())
    _cut_tail(last - 1, rewrite_head_with_key=True)
    _note(2)  # a new, validly chained event takes the anchored seq
    code, _, err = _verify()
    assert code == 1 and f"事件 #{last} 与" in err and "锚点不符" in err


def test_the_latest_anchor_counts_and_a_forged_one_fails():
    path = settings.XUNCHA_AUDIT_ANCHOR_FILE
    first = _note(2)
    call_command("audit", "anchor", stdout=io.StringIO())
    _note(1)
    call_command("audit", "anchor", stdout=io.StringIO())
    assert [json.loads(line)["seq"] for line in path.read_text().splitlines()] == [first, first + 1]
    code, out, _ = _verify()
    assert code == 0 and f"链尾 #{first + 1}" in out
    forged = {**json.loads(path.read_text().splitlines()[-1]), "seq": first + 5}
    with path.open("a") as stream:
        stream.write(json.dumps(forged) + "\n")
    code, _, err = _verify()
    assert code == 1 and "锚点签名不符" in err


def test_anchor_refuses_a_forged_head():
    last = _note(2)
    tamper("UPDATE core_auditchainhead SET last_seq = %s WHERE id = 1", [last + 3])
    with pytest.raises(CommandError, match="链头签名不符"):
        call_command("audit", "anchor", stdout=io.StringIO())
    assert latest_anchor(settings.XUNCHA_AUDIT_ANCHOR_FILE) is None


def test_the_daily_job_writes_an_anchor(world):
    call_command("daily", stdout=io.StringIO())
    anchor = latest_anchor(settings.XUNCHA_AUDIT_ANCHOR_FILE)
    assert anchor is not None and anchor.is_authentic()
    assert anchor.seq == AuditChainHead.objects.get().last_seq


def test_anchor_to_syslog(monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr(audit.syslog, "syslog", lambda priority, message: sent.append(message))
    last = _note(1)
    call_command("audit", "anchor", "--syslog", stdout=io.StringIO())
    (message,) = sent
    anchor = Anchor.parse(message.removeprefix("audit-anchor "))
    assert anchor.seq == last and anchor.is_authentic()
    assert not settings.XUNCHA_AUDIT_ANCHOR_FILE.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql", ["UPDATE core_auditevent SET actor_name = 'x' WHERE seq = 1", "DELETE FROM core_auditevent"]
)
def test_postgresql_refuses_raw_update_and_delete_of_audit_rows(sql):
    _note(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get().actor_name == "system"
