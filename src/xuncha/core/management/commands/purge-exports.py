"""`xuncha purge-exports`: delete the files of expired background ledger exports (the daily job does too)."""

from typing import Any

from django.core.management.base import BaseCommand

from xuncha.core.exports import purge_expired


class Command(BaseCommand):
    help = "删除已过期的台账导出文件（每日任务也会执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已删除过期的导出文件：{purge_expired()} 个")
