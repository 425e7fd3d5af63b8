"""`xuncha demo-data`: load the demo world into an empty database (run by `make demo`)."""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core.audit import verify_chain
from xuncha.demo import data
from xuncha.demo.build import build, database_empty, demo_loaded


class Command(BaseCommand):
    help = "载入演示数据（江州市委及两个县委、约 20 个单位、两轮巡察、全部演示账号）。只能载入空数据库。"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--history",
            action="store_true",
            help="同时载入市委和两个县委近三年的历史轮次（统计分析、上下联动报备和跨轮次共性问题的演示数据）",
        )

    def handle(self, *args: Any, history: bool = False, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("演示数据已经载入，本次未重复创建。")
            self._print_logins()
            return
        if not database_empty():
            raise CommandError(
                "数据库中已有其他数据，演示数据只能载入空数据库。"
                "请换一个新的数据库（例如删除 var/xuncha.sqlite3 后重新运行 make demo）。"
            )
        started = time.monotonic()
        world = build(history=history)
        result = verify_chain()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入（{time.monotonic() - started:.1f} 秒）：{len(world.committees)} 个党委、"
                f"{len(world.units)} 个单位、{len(world.inspectors)} 名巡察干部、"
                f"{len(world.inspections)} 项巡察；审计链 {result.checked} 条记录"
                f"{'校验通过' if result.ok else '校验失败：' + result.reason}。"
            )
        )
        self._print_logins()
        portal = world.inspections["2:第一巡察组"].announcement.public_code
        self.stdout.write(f"公开受理页面（码上巡察）：/portal/{portal}/")
        self.stdout.write(f"演示信访件的回执码（在 /portal/lookup/ 输入查询，仅此一次显示）：{world.receipt}")

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write("演示账号（登录地址 /accounts/login/，演示模式不要求动态口令）：")
        self.stdout.write(f"  {'账号':<16}身份")
        for username, _, description in data.PERSONAS:
            self.stdout.write(f"  {username:<18}{description}")
        for username, _, _, description in data.APPOINTED:
            self.stdout.write(f"  {username:<18}{description}")
        self.stdout.write(f"演示密码（所有账号）：{data.PASSWORD}")
