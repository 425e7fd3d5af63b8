"""`xuncha audit verify | anchor`: check the audit chain against its signed head and latest anchor, or write
an anchor (the signed head) outside the database."""

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.core.audit import Anchor, append_anchor, latest_anchor, send_anchor_to_syslog, verify_chain


class Command(BaseCommand):
    help = "审计链操作：verify 校验全部审计事件的哈希链；anchor 将签名的链头写到数据库之外"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        verify = sub.add_parser(
            "verify", help="校验审计链、链头签名和最新锚点；完好时退出码为 0，否则指出异常事件并以 1 退出"
        )
        verify.add_argument("--file", type=Path, help="锚点文件（默认 XUNCHA_AUDIT_ANCHOR_FILE）")
        anchor = sub.add_parser("anchor", help="写入锚点：链尾的序号和哈希、时间及其签名")
        where = anchor.add_mutually_exclusive_group()
        where.add_argument("--file", type=Path, help="追加到此文件（默认 XUNCHA_AUDIT_ANCHOR_FILE）")
        where.add_argument("--syslog", action="store_true", help="写入系统日志（syslog，LOG_AUTH）")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        path = options["file"] or Path(settings.XUNCHA_AUDIT_ANCHOR_FILE)
        if subcommand == "anchor":
            self._anchor(path, to_syslog=options["syslog"])
        else:
            self._verify(path)

    def _anchor(self, path: Path, *, to_syslog: bool) -> None:
        try:
            anchor = Anchor.of_head()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if to_syslog:
            send_anchor_to_syslog(anchor)
        else:
            append_anchor(anchor, path)
        self.stdout.write(f"已写入锚点：链尾事件 #{anchor.seq}（{'系统日志' if to_syslog else path}）。")

    def _verify(self, path: Path) -> None:
        try:
            anchor = latest_anchor(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result = verify_chain(anchor=anchor)
        if not result.ok:
            where = f"第一条异常事件 #{result.broken_seq}：" if result.broken_seq else ""
            self.stderr.write(f"审计链异常：{where}{result.reason}")
            self.stderr.write(f"（此前 {result.checked} 条事件校验无误）")
            raise SystemExit(1)
        self.stdout.write(f"审计链完好：已校验 {result.checked} 条事件。")
        if anchor is None:
            self.stdout.write(f"未找到锚点（{path}），未与锚点比对。")
        else:
            self.stdout.write(f"与 {anchor.at} 的锚点（链尾 #{anchor.seq}）一致。")
