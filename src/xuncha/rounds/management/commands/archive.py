"""`xuncha archive verify PACKAGE`: check an archive package (the zip, or the folder it was unpacked into)
against its manifest; exit code 0 when intact, 1 naming every changed, missing or extra file."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from xuncha.rounds.archive_verify import verify


class Command(BaseCommand):
    help = "归档材料包操作：verify 重新计算材料包中各文件和清单的哈希并与清单、归档记录比对"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        check = sub.add_parser(
            "verify", help="校验归档材料包；完好时退出码为 0，否则列出被改动、缺少或多出的文件并以 1 退出"
        )
        check.add_argument("package", type=Path, help="归档材料包（.zip 文件或解压后的文件夹）")

    def handle(self, *args: Any, subcommand: str, package: Path, **options: Any) -> None:
        verdict = verify(package)
        for note in verdict.notes:
            self.stdout.write(note)
        if not verdict.ok:
            for problem in verdict.problems:
                self.stderr.write(problem)
            self.stderr.write(f"归档材料包校验未通过：{len(verdict.problems)} 处异常。")
            raise SystemExit(1)
        self.stdout.write(f"归档材料包完好：已校验 {verdict.checked} 个文件及清单。")
