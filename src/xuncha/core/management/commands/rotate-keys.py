"""`xuncha rotate-keys`: re-encrypt every encrypted field with the active (first) key of XUNCHA_MASTER_KEY.

Run it after putting a new key first in XUNCHA_MASTER_KEY (keep the old one after it); when it reports
nothing left under an old key id, that key can be removed. Each model is one audited action; values
already under the active key are left alone, so running it again changes nothing.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core import crypto
from xuncha.core.rotation import rotate_all


class Command(BaseCommand):
    help = "用当前主密钥重新加密全部加密字段"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的记录数")

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        try:
            key_id = crypto.active_key_id()
            results = rotate_all(batch_size=batch_size)
        except crypto.CryptoError as exc:
            raise CommandError(f"无法轮换密钥：{exc}") from exc
        for result in results:
            self.stdout.write(f"{result.model}：检查 {result.checked} 条，重新加密 {result.reencrypted} 条")
        total = sum(r.reencrypted for r in results)
        self.stdout.write(f"完成：当前密钥 {key_id}，共重新加密 {total} 条。")
