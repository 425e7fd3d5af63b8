"""Excel import of accounts and appointments (the office's 人员与权限 page): the template, reading and
checking each row, and the row-by-row report.

The workbook has one sheet, 人员与角色 (用户名, 姓名, 角色, 单位或部门, 结束日期). Each valid row becomes
one appointment (actions.import_appointments): the account is created when the username is new, or is the
existing account of that username when the office may pick it. Rows are independent: a refused row
changes nothing and does not stop the others.
"""

import datetime
import io
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

import xlsxwriter

from xuncha.core.choices import Role, RoleStatus
from xuncha.core.errors import Refused
from xuncha.core.models import User

from . import access
from .importing import MAX_ROWS, Row, header_sheet, notes_sheet, read_sheets
from .models import Committee, Department, Unit

if TYPE_CHECKING:
    from .actions import Appointment

SHEET = "人员与角色"
HEADERS = ("用户名", "姓名", "电话", "角色", "单位或部门", "结束日期")
ROLE_BY_LABEL = {str(Role(role).label): role for role in access.APPOINTABLE}


@dataclass(frozen=True)
class Request:
    """A valid row: who gets which role on which scope."""

    row: int
    username: str
    full_name: str
    phone: str
    role: str
    scope_id: int
    scope_name: str
    ends_on: datetime.date | None

    @property
    def what(self) -> str:
        return f"{Role(self.role).label}（{self.scope_name}）"


@dataclass(frozen=True)
class Problem:
    row: int
    message: str


@dataclass(frozen=True)
class Line:
    """One row of the report."""

    row: int
    username: str
    full_name: str
    what: str
    ok: bool
    message: str
    password: str = ""  # a new account's one-time password, shown once on the report page


@dataclass
class ImportReport:
    lines: list[Line] = field(default_factory=list)

    def refused(self, row: int, message: str, request: Request | None = None) -> None:
        who = (request.username, request.full_name, request.what) if request else ("", "", "")
        self.lines.append(Line(row, *who, ok=False, message=message))

    def appointed(self, request: Request, done: "Appointment") -> None:
        status = done.assignment.status()
        message = "新建账号并任命" if done.password else "已有账号，已任命"
        if status == RoleStatus.PENDING:
            message += "，待另一人审批后生效"
        line = Line(
            request.row, request.username, request.full_name, request.what, True, message, done.password
        )
        self.lines.append(line)

    @property
    def appointed_count(self) -> int:
        return sum(line.ok for line in self.lines)

    @property
    def refused_count(self) -> int:
        return len(self.lines) - self.appointed_count


def _date(text: str) -> datetime.date | None:
    # A date cell comes back as "2026-12-31 00:00:00"; a typed one as "2026-12-31".
    try:
        return datetime.date.fromisoformat(text[:10].replace("/", "-")) if text else None
    except ValueError:
        raise Refused(f"结束日期“{text}”无法识别，请按 2026-12-31 的格式填写") from None


def read(file: IO[bytes], committee: Committee) -> list[Request | Problem]:
    """Every row of the sheet checked on its own; raises ``Refused`` when the file is not the template."""
    rows = read_sheets(file, ((SHEET, HEADERS),))[SHEET]
    scopes: dict[str, dict[str, int]] = {
        Role.UNIT_LIAISON: dict(Unit.objects.filter(committee=committee).values_list("name", "pk")),
        Role.RECEIVER: dict(Department.objects.filter(committee=committee).values_list("name", "pk")),
    }
    seen: dict[tuple[str, str, str], int] = {}
    found: list[Request | Problem] = []
    for row in rows:
        try:
            request = _check(row, committee, scopes)
        except Refused as refused:
            found.append(Problem(row.number, refused.message))
            continue
        key = (request.username, request.role, request.scope_name)
        if key in seen:
            found.append(Problem(row.number, f"与第 {seen[key]} 行重复"))
            continue
        seen[key] = row.number
        found.append(request)
    return found


def _check(row: Row, committee: Committee, scopes: dict[str, dict[str, int]]) -> Request:
    username, full_name, phone, role_label, scope_name, ends = row.values
    if not username:
        raise Refused("缺少用户名")
    role = ROLE_BY_LABEL.get(role_label)
    if role is None:
        raise Refused(f"角色应为以下之一：{'、'.join(ROLE_BY_LABEL)}")
    if role in scopes:
        scope_id = scopes[role].get(scope_name)
        if scope_id is None:
            kind = "单位" if role == Role.UNIT_LIAISON else "部门"
            raise Refused(f"本党委没有名为“{scope_name}”的{kind}" if scope_name else f"缺少{kind}名称")
    else:
        if scope_name and scope_name not in (committee.name, committee.short_name):
            raise Refused(f"{role_label}是本党委的角色，“单位或部门”应留空")
        scope_id, scope_name = committee.pk, committee.name
    return Request(row.number, username, full_name, phone, role, scope_id, scope_name, _date(ends))


def existing_account(request: Request, committee: Committee) -> User | None:
    """The account of the row's username if the office may appoint it, None if there is none yet; an
    account of another committee, or one whose name is not the row's, is refused."""
    user = User.objects.filter(username=request.username).first()
    if user is None:
        return None
    if not access.committee_accounts([committee.pk]).filter(pk=user.pk).exists():
        raise Refused(f"用户名“{request.username}”已被使用，且不是本党委的账号")
    if request.full_name and user.full_name and request.full_name != user.full_name:
        raise Refused(f"用户名“{request.username}”的账号姓名为“{user.full_name}”，与本行姓名不一致")
    return user


def build_template() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = header_sheet(workbook, SHEET, HEADERS, (18, 12, 16, 20, 32, 14))
    sheet.data_validation(1, 3, MAX_ROWS, 3, {"validate": "list", "source": list(ROLE_BY_LABEL)})
    notes_sheet(
        workbook,
        (
            "1. 每行任命一人一个角色。用户名为登录账号：本党委已有的账号直接任命；新用户名将新建账号，",
            "   导入结果页面显示一次性初始密码（只显示一次），本人首次登录时须修改密码。",
            "   电话为新账号的联系电话，可留空。",
            f"2. 角色从下拉列表选择：{'、'.join(ROLE_BY_LABEL)}。",
            "3. 被巡察单位联络人填写本党委的单位名称，移交接收部门填写本党委的部门名称；其他角色留空。",
            "4. 结束日期可留空（长期有效），或填写如 2026-12-31，当日结束后角色失效。",
            "5. 身份信息保管人、审计员须经另一名巡察办人员或系统管理员审批后生效。",
            f"6. 文件不超过 5 MB，不超过 {MAX_ROWS} 行。各行分别处理：有误的行不导入，并列出原因。",
        ),
    )
    workbook.close()
    return buffer.getvalue()
