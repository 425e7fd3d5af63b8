"""`xuncha serve`: the production-grade server (gunicorn), not Django's runserver.

With ``--with-worker`` (the default when ``XUNCHA_DEMO=1``: ``make demo``) it also runs ``xuncha worker``
for the background tasks, stopped with the server; production runs the worker as a service of its own
(docs/deployment.md). Either way the worker runs at a lower CPU priority (nice ``WORKER_NICE``, as the
service unit sets it): its tasks (a public submission's triage suggestions and duplicate index, chasing)
can wait seconds, a reporter submitting or a clerk typing should not.

No log keeps a client's address (the public portal promises it, and nothing else needs it): the access
log has no address field, and ``PrivateLogger`` blanks the address and the proxy headers that carry it,
also in gunicorn's one error line that names a client (a malformed request).
"""

import argparse
import os
import re
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.glogging import Logger

# Time, method and path (no query string: search terms typed by users stay out of the log), status, size,
# duration and the request id that the audit events carry.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
_ADDRESS_ATOMS = ("h", "{remote_addr}e", "{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i")
_INVALID_FROM = re.compile(r"Invalid request from ip=\S+:")
WORKER_NICE = 10


class PrivateLogger(Logger):
    """gunicorn's logger without client addresses, whatever access log format is configured."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        found: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for name in _ADDRESS_ATOMS:
            if name in found:
                found[name] = "-"
        return found

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().warning(_INVALID_FROM.sub("Invalid request:", str(msg)), *args, **kwargs)


def gunicorn_argv(host: str, port: int, workers: int, timeout: int) -> list[str]:
    return [
        "gunicorn",
        "xuncha.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--timeout={timeout}",
        # The app (and core.warmup's dictionaries) loads once in the master; the workers share it.
        "--preload",
        "--access-logfile=-",
        f"--access-logformat={ACCESS_LOG_FORMAT}",
        f"--logger-class={PrivateLogger.__module__}.{PrivateLogger.__qualname__}",
        f"--forwarded-allow-ips={os.environ.get('XUNCHA_FORWARDED_ALLOW_IPS', '127.0.0.1')}",
    ]


class Command(BaseCommand):
    help = "用 gunicorn 运行巡察工作平台"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("XUNCHA_WORKERS", "3")))
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("XUNCHA_TIMEOUT", "120")),
            help="单个请求的最长处理时间（秒），超时的工作进程被重启（默认 120，环境变量 XUNCHA_TIMEOUT）",
        )
        parser.add_argument(
            "--with-worker",
            action=argparse.BooleanOptionalAction,
            default=settings.XUNCHA_DEMO,
            help="同时运行后台任务处理进程（演示环境默认开启；生产环境请将 xuncha worker 作为独立服务运行）",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        timeout: int,
        with_worker: bool,
        **options: Any,
    ) -> None:
        self.stdout.write(f"巡察工作平台运行于 http://{host}:{port}/ （Ctrl+C 停止）")
        worker = start_worker() if with_worker else None
        server = os.getpid()
        try:
            # gunicorn reads its options from argv; hand it exactly ours.
            sys.argv = gunicorn_argv(host, port, workers, timeout)
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        finally:
            # gunicorn's forked workers leave through here too: only the process that started it stops it.
            if worker is not None and os.getpid() == server:
                worker.terminate()
                worker.wait(timeout=30)


def start_worker() -> subprocess.Popen[bytes]:
    """``xuncha worker`` in a process of its own, at a lower CPU priority than the server."""
    command = [sys.executable, "-m", "xuncha.cli", "worker"]
    return subprocess.Popen(command, preexec_fn=lambda: os.nice(WORKER_NICE))  # noqa: S603 (our argv), PLW1509
