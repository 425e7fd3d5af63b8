"""`xuncha backup [--output PATH]`: an encrypted, audited backup of the database and the media files."""

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xuncha.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "制作加密备份（数据库的全部记录和附件），以环境变量 XUNCHA_BACKUP_KEY 中的密钥用 AES-GCM 加密"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="备份文件路径（默认 var/backups/xuncha-<日期时间>.backup）"
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = output or Path(settings.VAR_DIR) / "backups" / f"xuncha-{stamp}.backup"
        try:
            made = make_backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"备份已写入 {made.path}：{sum(made.counts.values())} 条记录，{made.media_files} 个附件；"
            f"SHA-256 {made.sha256}"
        )
