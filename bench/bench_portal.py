# ruff: noqa: S310, S603 - a benchmark driving its own server on loopback with fixed URLs and argv
"""Public submission under load (issue 3): 20 concurrent clients posting petitions to the portal's API.

Starts `xuncha serve` (gunicorn, as in production) on a free loopback port against the current database,
with the portal's per-address limit raised (all clients share 127.0.0.1), and times every
`POST /api/v1/public/petitions`. The submissions are real: they add petitions to the announcement used
(the first open one, or one this benchmark publishes for a receiving inspection).
"""

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.utils import timezone

from xuncha.demo.benchmarks import Timing
from xuncha.intake.actions import announcements
from xuncha.intake.choices import RECEIVING_STAGES
from xuncha.intake.models import Announcement
from xuncha.rounds.models import Inspection

CLIENTS = 20
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
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not _wait_until_up(base, server):
            ctx.write(
                "  (the server did not start: "
                + (server.stderr.read(2000).decode() if server.stderr else "")
                + ")"
            )
            return
        body = json.dumps({"public_code": announcement.public_code, "content": TEXT}).encode()
        url = f"{base}/api/v1/public/petitions"
        per_client = max(5, ctx.repeat)
        with ThreadPoolExecutor(CLIENTS) as pool:
            # Warm every worker (each loads jieba's dictionary and the triage rules on its first request).
            list(pool.map(lambda _: _post(url, body), range(CLIENTS)))
            started = time.perf_counter()
            results = list(pool.map(lambda _: _post(url, body), range(CLIENTS * per_client)))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    failed = sum(1 for _, status in results if status != 201)
    ctx.latency(
        f"public submission, {CLIENTS} concurrent clients (gunicorn)",
        Timing([seconds for seconds, _ in results]),
        f"   failed={failed}",
    )
    ctx.rate("public submissions", len(results), elapsed, "petitions")
