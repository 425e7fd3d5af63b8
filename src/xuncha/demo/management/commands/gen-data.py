"""`xuncha gen-data --scale N`: synthetic data for benchmarks (see xuncha.demo.generate)."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xuncha.demo import bulk, generate


class Command(BaseCommand):
    help = (
        f"生成合成数据用于性能测试：每个规模单位新增一个样例市委，含 {generate.UNITS} 个单位、"
        f"{generate.UNITS * generate.PEOPLE_PER_UNIT} 名人员、{generate.ROUNDS} 轮、"
        f"{generate.ROUNDS * generate.TEAMS * generate.UNITS_PER_TEAM} 项巡察，"
        "全部经由业务操作写入并记入审计链。"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=None, help="规模（新增样例市委的个数），默认 1；只加信访件时默认 0"
        )
        parser.add_argument(
            "--petitions", type=int, default=0, help="再向样例市委正在受理的巡察中登记的信访件数"
        )
        parser.add_argument(
            "--bulk-petitions",
            type=int,
            default=0,
            help=(
                f"新增一个批量样例市委（含 {len(bulk.COUNTIES)} 个县、{bulk.YEARS} 年的轮次和巡察），"
                "并向其巡察批量写入的信访件数（不经业务操作，仅用于性能测试库）"
            ),
        )
        parser.add_argument(
            "--bulk-items", type=int, default=0, help="同时向该批量样例市委批量写入的整改事项数"
        )

    def handle(
        self,
        *args: Any,
        scale: int | None,
        petitions: int,
        bulk_petitions: int,
        bulk_items: int,
        **options: Any,
    ) -> None:
        bulk_rows = bulk_petitions + bulk_items
        scale = (0 if petitions or bulk_rows else 1) if scale is None else scale
        if min(scale, petitions, bulk_petitions, bulk_items) < 0 or scale + petitions + bulk_rows == 0:
            raise CommandError(
                "--scale、--petitions、--bulk-petitions 与 --bulk-items 须为非负整数，且至少一项大于 0。"
            )
        started = time.monotonic()
        if scale:
            self._committees(scale)
        if petitions:
            self._petitions(petitions)
        if bulk_rows:
            self._bulk(bulk_petitions, bulk_items)
        self.stdout.write(self.style.SUCCESS(f"合成数据已生成，用时 {time.monotonic() - started:.1f} 秒。"))

    def _committees(self, scale: int) -> None:
        def progress(step: int, counts: generate.StepCounts, seconds: float) -> None:
            self.stdout.write(
                f"[{step}/{scale}] {counts.units} 个单位、{counts.people} 名人员、{counts.rounds} 轮、"
                f"{counts.inspections} 项巡察（{seconds:.1f} 秒）"
            )

        total = generate.generate(scale, year=timezone.localdate().year, progress=progress)
        self.stdout.write(
            f"样例市委：{total.units} 个单位、{total.people} 名人员、{total.rounds} 轮、"
            f"{total.inspections} 项巡察。"
        )

    def _petitions(self, count: int) -> None:
        started = time.monotonic()

        def progress(made: int) -> None:
            if made % 5000 == 0 or made == count:
                rate = made / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"信访件 {made}/{count}（每秒 {rate:.0f} 件）")

        if generate.generate_petitions(count, progress=progress) == 0:
            raise CommandError("没有正在受理信访的样例巡察：请先运行 xuncha gen-data --scale N。")

    def _bulk(self, petitions: int, items: int) -> None:
        started = time.monotonic()

        def progress(what: str, made: int, total: int) -> None:
            if made % 100_000 == 0 or made == total:
                self.stdout.write(f"{what} {made}/{total}（{time.monotonic() - started:.0f} 秒）")

        counts = bulk.generate_bulk_history(petitions, items, progress=progress)
        self.stdout.write(
            f"批量样例市委：{counts.committees} 个党委、{counts.inspections} 项巡察、"
            f"{counts.petitions} 件信访件、{counts.findings} 个问题底稿、"
            f"{counts.clues} 条线索（移交 {counts.transfers} 条）、{counts.items} 项整改事项。"
        )
