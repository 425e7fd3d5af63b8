"""Audit chain throughput: appending events, and verifying the whole chain."""

import time

from django.db import transaction

from xuncha.core.audit import action_scope, record, verify_chain

APPENDS = 500


def run(ctx):
    # Each append is its own action (savepoint, chain-head lock, HMAC); the whole batch is rolled back.
    with transaction.atomic():
        started = time.perf_counter()
        for i in range(APPENDS):
            with action_scope("bench.audit_append"):
                record("bench.audit_append", None, by=None, details={"i": i})
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    ctx.rate("audit append (rolled back)", APPENDS, elapsed, "events")

    started = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - started
    ctx.rate("audit verify", result.checked, elapsed, "events")
    if not result.ok:
        ctx.write(f"  audit chain is broken: {result.reason}")
