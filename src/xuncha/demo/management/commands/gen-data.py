"""`xuncha gen-data --scale N`: synthetic data for benchmarks (see xuncha.demo.generate)."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xuncha.demo import generate


class Command(BaseCommand):
    help = (
        f"生成合成数据用于性能测试：每个规模单位新增一个样例市委，含 {generate.UNITS} 个单位、"
        f"{generate.UNITS * generate.PEOPLE_PER_UNIT} 名人员、{generate.ROUNDS} 轮、"
        f"{generate.ROUNDS * generate.TEAMS * generate.UNITS_PER_TEAM} 项巡察，"
        "全部经由业务操作写入并记入审计链。"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="规模（新增样例市委的个数），默认 1")

    def handle(self, *args: Any, scale: int, **options: Any) -> None:
        if scale < 1:
            raise CommandError("--scale 须为正整数。")
        started = time.monotonic()

        def progress(step: int, counts: generate.StepCounts, seconds: float) -> None:
            self.stdout.write(
                f"[{step}/{scale}] {counts.units} 个单位、{counts.people} 名人员、{counts.rounds} 轮、"
                f"{counts.inspections} 项巡察（{seconds:.1f} 秒）"
            )

        total = generate.generate(scale, year=timezone.localdate().year, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"合成数据已生成：{total.units} 个单位、{total.people} 名人员、{total.rounds} 轮、"
                f"{total.inspections} 项巡察，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
