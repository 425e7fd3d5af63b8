"""`xuncha audit verify`: recompute the audit chain and name the first broken event."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand

from xuncha.core.audit import verify_chain


class Command(BaseCommand):
    help = "审计链操作：verify 校验全部审计事件的哈希链"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        sub.add_parser("verify", help="校验审计链；完好时退出码为 0，否则指出第一条异常事件并以 1 退出")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            self.stderr.write(f"审计链异常：第一条异常事件 #{result.broken_seq}：{result.reason}")
            self.stderr.write(f"（此前 {result.checked} 条事件校验无误）")
            raise SystemExit(1)
        self.stdout.write(f"审计链完好：已校验 {result.checked} 条事件。")
