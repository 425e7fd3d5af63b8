"""`xuncha bench`: run the benchmarks in bench/ against the current database and print the figures."""

import argparse
import contextlib
import json as json_module
import os
import platform
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from xuncha.core.models import AuditEvent
from xuncha.demo import benchmarks
from xuncha.orgs.models import Unit
from xuncha.rounds.models import Inspection


def machine() -> str:
    """What the figures were measured on: processor, cores, memory, system and Python."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        names = [
            line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        ]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        memory = f"，内存 {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}，{os.cpu_count()} 核{memory}，{system}，Python {platform.python_version()}"


class Command(BaseCommand):
    help = "对当前数据库运行 bench/ 中的性能测试并打印结果（先用 gen-data 生成足够的数据）。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--repeat", type=int, default=20, help="每项测量的重复次数，默认 20")
        parser.add_argument("--only", default="", help="只运行名称中含此字符串的模块，如 audit")
        parser.add_argument("--json", default="", help="另将结果以 JSON 写入此文件（- 为标准输出）")

    def handle(self, *args: Any, repeat: int, only: str, json: str = "", **options: Any) -> None:
        if repeat < 1:
            raise CommandError("--repeat 须为正整数。")
        found = [(name, run) for name, run in benchmarks.modules() if only in name]
        if not found:
            raise CommandError(f"在 {benchmarks.BENCH_DIR} 中没有找到性能测试模块。")
        users = benchmarks.personas()
        units, inspections, events = (
            Unit.objects.count(),
            Inspection.objects.count(),
            AuditEvent.objects.count(),
        )
        self.stdout.write(f"机器：{machine()}")
        self.stdout.write(
            f"数据库 {connection.vendor}：{units} 个单位、{inspections} 项巡察、{events} 条审计记录"
        )
        self.stdout.write("测量账号：" + ("、".join(f"{k}={u.username}" for k, u in users.items()) or "无"))
        ctx = benchmarks.Context(users=users, repeat=repeat, write=self.stdout.write)
        for name, run in found:
            self.stdout.write(f"\n[{name}]")
            ctx.module = name
            run(ctx)
        if json:
            _write_json(json, self.stdout, machine=machine(), database=connection.vendor, results=ctx.results)


def _write_json(target: str, stdout: Any, **report: Any) -> None:
    text = json_module.dumps(report, ensure_ascii=False, indent=1)
    if target == "-":
        stdout.write(text)
    else:
        Path(target).write_text(text + "\n", encoding="utf-8")
