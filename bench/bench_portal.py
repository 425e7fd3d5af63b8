# ruff: noqa: S310, S603 - a benchmark driving its own server on loopback with fixed URLs and argv
"""Public submission under load (issue 3): 20 concurrent clients posting petitions to the portal's API.

Starts `xuncha serve --with-worker` (gunicorn as in production, and the background worker that makes each
submission's triage suggestions and duplicate index, at its lower CPU priority) on a free loopback port
against the current database, with the portal's per-address limit raised (all clients share 127.0.0.1),
and times every `POST /api/v1/public/petitions`. The worker runs during the measurement, on the same two
cores: the work moved out of the request is not left undone. The submissions are real: they add petitions
to the announcement used (the first open one, or one this benchmark publishes for a receiving inspection).

Printed: latency p50/p95 and throughput of the submissions, the analyses the worker finished during the
load, the backlog left when the load stopped, and how long the worker took to drain it.
"""

import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection
from django.utils import timezone

from xuncha.demo.benchmarks import Timing
from xuncha.intake.actions import announcements
from xuncha.intake.choices import RECEIVING_STAGES
from xuncha.intake.models import Announcement, Petition
from xuncha.rounds.models import Inspection

CLIENTS = 20
PROC = Path("/proc")
DRAIN_LIMIT = 600  # seconds to wait for the worker to finish the backlog
TEXT = "反映某局领导多次在宾馆用公款宴请，费用以会议费名义报销，请巡察组调查。（性能测试）"


def _announcement(office):
    now = timezone.now()
    found = Announcement.objects.published().filter(
        window_starts_at__lte=now, window_ends_at__gt=now, inspection__stage__in=RECEIVING_STAGES
    )
    if found.exists():
        return found.first()
    inspection = Inspection.objects.visible_to(office).filter(stage__in=RECEIVING_STAGES).first()
    if inspection is None:
        return None
    announcement = announcements.save_announcement(
        inspection,
        window_starts_at=now - datetime.timedelta(days=1),
        window_ends_at=now + datetime.timedelta(days=30),
        phone="0791-12345678",
        duty_hours="每天 8:00—20:00",
        duty_starts=datetime.time(8),
        duty_ends=datetime.time(20),
        postal_box="性能测试信箱",
        email="",
        box_locations="",
        visit_place="",
        by=office,
    )
    return announcements.publish_announcement(announcement, by=office)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base, server):
    for _ in range(150):
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                return True
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    return False


def _post(url, body):
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as refused:  # a 4xx/5xx answer counts as failed, the run goes on
        status = refused.code
    except (urllib.error.URLError, TimeoutError):
        status = 0
    return time.perf_counter() - started, status


def _backlog(announcement, since):
    """Submissions to the announcement since ``since`` that the worker has not analysed yet, and all."""
    received = Petition.objects.filter(inspection=announcement.inspection_id, received_at__gte=since)
    return received.filter(analysed_at__isnull=True).count(), received.count()


def _drained(announcement, since):
    """Seconds until the backlog is empty (or None after ``DRAIN_LIMIT``)."""
    started = time.perf_counter()
    while _backlog(announcement, since)[0]:
        if time.perf_counter() - started > DRAIN_LIMIT:
            return None
        time.sleep(0.1)
    return time.perf_counter() - started


def _proc_stat(pid):
    """(parent pid, CPU seconds) of a process from /proc (Linux), or None if it is gone or unreadable."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(server_pid):
    """CPU seconds used so far by the web server's processes, the worker, the database's backends for this
    database (when on this machine and readable) and this benchmark's clients."""
    found = {"web": 0.0, "worker": 0.0, "database": 0.0, "clients": time.process_time()}
    pids = [int(p.name) for p in PROC.iterdir() if p.name.isdigit()] if PROC.is_dir() else []
    processes = {pid: stat for pid in pids if (stat := _proc_stat(pid))}
    children = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    pending = [server_pid]
    while pending:  # the server (gunicorn's master), its workers and the background worker
        pid = pending.pop()
        if pid in processes:
            is_worker = b"\0worker" in (PROC / str(pid) / "cmdline").read_bytes()
            found["worker" if is_worker else "web"] += processes[pid][1]
        pending += children.get(pid, [])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            if connection.vendor == "postgresql"
            else "SELECT 1 WHERE 1 = 0"
        )
        found["database"] = sum(processes[pid][1] for (pid,) in cursor.fetchall() if pid in processes)
    return found


def _load(url, announcement, repeat, server_pid):
    """Warm up, then post from ``CLIENTS`` threads back to back; wait for the worker to drain the queue.
    Returns the (seconds, status) of each post, the figures, and the CPU used during the load and the
    drain."""
    body = json.dumps({"public_code": announcement.public_code, "content": TEXT}).encode()
    with ThreadPoolExecutor(CLIENTS) as pool:
        # Warm every server process and the worker (each loads jieba's dictionary and the triage rules
        # on its first petition), and start the measurement with an empty queue.
        warming = timezone.now()
        list(pool.map(lambda _: _post(url, body), range(CLIENTS)))
        _drained(announcement, warming)
        since = timezone.now()
        before = _cpu(server_pid)
        started = time.perf_counter()
        results = list(pool.map(lambda _: _post(url, body), range(CLIENTS * max(5, repeat))))
    elapsed = time.perf_counter() - started
    loaded = _cpu(server_pid)
    left, received = _backlog(announcement, since)
    drain = _drained(announcement, since)
    after = _cpu(server_pid)
    during = {k: loaded[k] - before[k] for k in before}
    draining = {k: after[k] - loaded[k] for k in before}
    return results, elapsed, left, received, drain, during, draining


def _cpu_note(ctx, results, received, left, during, draining):
    """CPU used, per submission, by each party: what the latency figures cost, whatever else ran."""
    if not received or not any(during.values()):
        return
    per = {k: v / len(results) * 1000 for k, v in during.items()}
    ctx.write(
        "  CPU per submission during the load: "
        f"web {per['web']:.1f} ms, database {per['database']:.1f} ms, "
        f"benchmark clients {per['clients']:.1f} ms, worker {per['worker']:.1f} ms"
    )
    worker = (during["worker"] + draining["worker"]) / received * 1000
    database = draining["database"] / left * 1000 if left else 0.0
    ctx.write(
        f"  worker CPU per analysis: {worker:.1f} ms (and {database:.1f} ms of the database's per analysis "
        "during the drain)"
    )


def run(ctx):
    office = ctx.users.get("office")
    announcement = _announcement(office) if office else None
    if announcement is None:
        ctx.write("  (no inspection receiving petitions: run `xuncha gen-data` first)")
        return
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "XUNCHA_PORTAL_SUBMISSIONS_PER_HOUR": "1000000000"}
    command = [sys.executable, "-m", "xuncha.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # The worker logs every task: into a file, as a pipe nobody reads would fill and block it.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([*command, "--with-worker"], env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not _wait_until_up(base, server):
                log.seek(0)
                ctx.write(f"  (the server did not start: {log.read(2000).decode()})")
                return
            measured = _load(f"{base}/api/v1/public/petitions", announcement, ctx.repeat, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
    results, elapsed, left, received, drain, during, draining = measured
    failed = sum(1 for _, status in results if status != 201)
    ctx.latency(
        f"public submission, {CLIENTS} concurrent clients (gunicorn)",
        Timing([seconds for seconds, _ in results]),
        f"   failed={failed}",
    )
    ctx.rate("public submissions", len(results), elapsed, "petitions")
    ctx.write(
        f"  analysed by the worker during the load: {received - left} of {received}; "
        f"backlog when the load stopped: {left}; "
        + (f"drained {drain:.1f} s later" if drain is not None else f"not drained after {DRAIN_LIMIT} s")
    )
    if drain is not None:
        ctx.rate("submissions received and analysed", received, elapsed + drain, "petitions")
    _cpu_note(ctx, results, received, left, during, draining)
