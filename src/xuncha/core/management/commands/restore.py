"""`xuncha restore PATH [--verify]`: load an encrypted backup into an empty database and media directory."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "将 xuncha backup 制作的备份恢复到新建（仅执行过 migrate）的数据库和空的附件目录，"
        "并与备份清单核对记录数和附件；--verify 还校验整条审计链。不符时回滚并以 1 退出"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="备份文件")
        parser.add_argument("--verify", action="store_true", help="恢复后校验整条审计链")

    def handle(self, *args: Any, path: Path, verify: bool, **options: Any) -> None:
        try:
            restored = restore_backup(path, verify_audit=verify)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 {sum(restored.counts.values())} 条记录、{restored.media_files} 个附件，"
            "记录数和附件与备份清单一致。"
        )
        if restored.audit_checked is not None:
            self.stdout.write(f"审计链完好：已校验 {restored.audit_checked} 条事件。")
