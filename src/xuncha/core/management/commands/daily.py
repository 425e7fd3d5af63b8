"""`xuncha daily`: enqueue the once-a-day jobs (run it from cron or a systemd timer; see deployment.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from xuncha.core.daily import enqueue_all


class Command(BaseCommand):
    help = "将每日任务（逾期催办、期限提醒等）加入后台任务队列，由 xuncha worker 执行"

    def handle(self, *args: Any, **options: Any) -> None:
        names = enqueue_all()
        self.stdout.write(f"已加入队列的每日任务：{'、'.join(names) if names else '无'}")
