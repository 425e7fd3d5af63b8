"""`xuncha serve`: the production-grade server (gunicorn), not Django's runserver."""

import argparse
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand
from gunicorn.app.wsgiapp import WSGIApplication


class Command(BaseCommand):
    help = "用 gunicorn 运行巡察工作平台"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("XUNCHA_WORKERS", "3")))

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        self.stdout.write(f"巡察工作平台运行于 http://{host}:{port}/ （Ctrl+C 停止）")
        # gunicorn reads its options from argv; hand it exactly ours.
        sys.argv = [
            "gunicorn",
            "xuncha.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "--access-logfile=-",
            f"--forwarded-allow-ips={os.environ.get('XUNCHA_FORWARDED_ALLOW_IPS', '127.0.0.1')}",
        ]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
