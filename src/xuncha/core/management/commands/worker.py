"""`xuncha worker`: run background tasks (django-tasks-db's db_worker)."""

import argparse
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xuncha.core.warmup import warm_up


class Command(BaseCommand):
    help = "运行后台任务处理进程"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--queue-name", help="要处理的队列，多个用逗号分隔；* 表示全部")
        parser.add_argument("--interval", type=float, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--batch", action="store_true", help="处理完现有任务后退出")
        parser.add_argument("--max-tasks", type=int, help="最多处理的任务数")

    def handle(self, *args: Any, **options: Any) -> None:
        forwarded = {
            name: options[name]
            for name in ("queue_name", "interval", "batch", "max_tasks")
            if options[name] not in (None, False)
        }
        warm_up()  # the analysis task segments text: load the dictionaries before the first task
        call_command("db_worker", verbosity=options["verbosity"], **forwarded)
