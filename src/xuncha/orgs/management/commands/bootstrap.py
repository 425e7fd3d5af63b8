"""`xuncha bootstrap`: the root committee and its first system administrator on a new installation.

Access comes only from roles held on a scope, so Django's createsuperuser gives none; this creates both
through the actions, so the audit chain records them.
"""

import argparse
import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xuncha.core import actions as accounts
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import CommitteeLevel
from xuncha.orgs.models import Committee

PASSWORD_VARIABLE = "XUNCHA_BOOTSTRAP_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = "新建安装：创建根党委及其第一位系统管理员"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--committee", required=True, help="党委名称，如“江州市委”")
        parser.add_argument("--level", choices=CommitteeLevel.values, default=CommitteeLevel.CITY)
        parser.add_argument("--username", required=True, help="系统管理员用户名")
        parser.add_argument("--full-name", default="系统管理员")

    def handle(self, *args: Any, committee: str, level: str, username: str, full_name: str, **o: Any) -> None:
        if Committee.objects.exists():
            raise CommandError("已有党委，本安装已初始化；请由系统管理员在 /sysadmin/ 中管理账号。")
        password = os.environ.get(PASSWORD_VARIABLE) or self._ask_password()
        try:
            with transaction.atomic():
                root = orgs.create_committee(name=committee, level=level, by=None)
                admin = accounts.create_user(
                    username=username, password=password, full_name=full_name, by=None
                )
                accounts.grant_role(user=admin, role=Role.SYSADMIN, scope_id=root.pk, by=None)
        except Refused as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(f"已创建“{root}”及系统管理员 {admin.username}；首次登录时须设置动态口令。")

    def _ask_password(self) -> str:
        password = getpass.getpass("系统管理员密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return password
