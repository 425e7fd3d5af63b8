"""`xuncha token create --user NAME [--name LABEL]`: print a new API token for an account."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.core.actions import create_api_token
from xuncha.core.errors import Refused
from xuncha.core.models import User


class Command(BaseCommand):
    help = "API 令牌：create 为账号创建新令牌（只显示一次）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        create = sub.add_parser("create", help="创建令牌并输出（只显示一次，请妥善保存）")
        create.add_argument("--user", required=True, help="用户名")
        create.add_argument("--name", default="命令行创建", help="令牌名称（用途）")

    def handle(self, *args: Any, subcommand: str, user: str, name: str, **options: Any) -> None:
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"用户 {user} 不存在。")
        try:
            _, raw = create_api_token(user=account, name=name, by=None)
        except Refused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
