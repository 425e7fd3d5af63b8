"""`xuncha analytics rollup --check | --rebuild`: compare the dashboard's rollups with a recount of the base
tables (exit 1 on any difference), or recount them all (after a bulk load, or to repair)."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand

from xuncha.analytics import rollups


class Command(BaseCommand):
    help = "统计分析：rollup 核对或重建统计汇总表"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        rollup = sub.add_parser("rollup", help="统计汇总表（按巡察汇总的信访件、问题和整改事项数）")
        what = rollup.add_mutually_exclusive_group(required=True)
        what.add_argument(
            "--check", action="store_true", help="由基础数据重新统计并与汇总表比对；有差异时列出并以 1 退出"
        )
        what.add_argument("--rebuild", action="store_true", help="由基础数据重新生成全部汇总")

    def handle(self, *args: Any, subcommand: str, check: bool, rebuild: bool, **options: Any) -> None:
        started = time.monotonic()
        if rebuild:
            rollups.rebuild()
            self.stdout.write(f"已重建统计汇总表（{time.monotonic() - started:.1f} 秒）。")
            return
        differences = rollups.check()
        for line in differences:
            self.stderr.write(line)
        if differences:
            self.stderr.write(f"统计汇总表与基础数据不一致：{len(differences)} 处。")
            raise SystemExit(1)
        self.stdout.write(f"统计汇总表与基础数据一致（{time.monotonic() - started:.1f} 秒）。")
