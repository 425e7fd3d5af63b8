"""The Excel 台账 exports as the office sees them: the petition ledger, the rectification ledger (every item
the office sees) and the findings ledger (of the inspection with the most findings), each written through
its app's ``ledger.write`` beside a raw-SQL baseline that reads the same rows (the ledger's main query, run
with a cursor and fetched in chunks) and writes them into a bare constant-memory xlsxwriter sheet.

Each side runs in a fresh Python process, so its peak RSS (``resource.getrusage``'s ``ru_maxrss``) is its
own: the target is under 10 s and under 100 MB at 100,000 rows (issue 13). Nothing is recorded in the
audit chain (the views' export events are not written: this measures the writing).
"""

import json
import os
import subprocess
import sys

CHILD = r"""
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
django.setup()
from django.db import connection
from django.db.models import Count
from django.utils import timezone
import xlsxwriter, tempfile
from xuncha.core.models import User

kind, mode, user_pk = sys.argv[1], sys.argv[2], int(sys.argv[3])
user = User.objects.get(pk=user_pk)

def rows_of(kind):
    if kind == "petitions":
        from xuncha.intake import ledger
        from xuncha.intake.listing import listed
        qs = listed(user)
        return ledger, qs, qs.select_related("discipline", "focus")
    if kind == "rectification":
        from xuncha.rectification import ledger
        from xuncha.rectification.listing import ItemFilters, items_for
        qs = items_for(user, ItemFilters())
        return ledger, qs, qs.select_related("inspection__round", "closed_by")
    from xuncha.findings import ledger
    from xuncha.findings.models import Finding
    visible = Finding.objects.visible_to(user)
    top = visible.values("inspection_id").annotate(n=Count("pk")).order_by("-n").first()
    qs = visible.filter(inspection_id=top["inspection_id"] if top else 0)
    return ledger, qs, qs.select_related("inspection__unit", "focus", "discipline", "nature", "four_winds")

module, qs, main = rows_of(kind)
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
if mode == "ledger":
    handle, rows = module.write(qs, user=user, at=timezone.now())
    size = handle.seek(0, 2)
    handle.close()
else:
    sql, params = main.query.sql_with_params()
    handle = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("raw")
    rows = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for row in chunk:
                rows += 1
                for col, value in enumerate(row[:17]):
                    sheet.write_string(rows, col, "" if value is None else str(value))
    book.close()
    size = handle.seek(0, 2)
    handle.close()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak / 1024, "start_mb": base_rss / 1024,
                  "bytes": size}))
"""


def _measure(kind, mode, user_pk):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "xuncha.settings"),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and code, arguments we made
        [sys.executable, "-c", CHILD, kind, mode, str(user_pk)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:]
    return json.loads(done.stdout.strip().splitlines()[-1]), []


def run(ctx):
    office = ctx.users.get("office")
    if office is None:
        ctx.write("  no office user: skipped")
        return
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    ctx.write(f"  load average before: {load:.2f}; each side in its own process (peak RSS of that process)")
    for kind in ("petitions", "rectification", "findings"):
        ledger, problem = _measure(kind, "ledger", office.pk)
        raw, raw_problem = _measure(kind, "raw", office.pk)
        if ledger is None or raw is None:
            ctx.write(f"  {kind} ledger: failed {problem or raw_problem}")
            continue
        ratio = ledger["seconds"] / raw["seconds"] if raw["seconds"] else float("inf")
        ctx.write(
            f"  {kind + ' ledger':<24} {ledger['rows']:>8} rows  {ledger['seconds']:7.2f} s  "
            f"peak RSS {ledger['peak_mb']:6.1f} MB (process start {ledger['start_mb']:.1f})  "
            f"{ledger['bytes'] / 1e6:6.1f} MB file   | raw SQL + bare xlsxwriter {raw['seconds']:6.2f} s, "
            f"{raw['peak_mb']:6.1f} MB   ratio {ratio:4.2f}×   target < 10 s, < 100 MB"
        )
