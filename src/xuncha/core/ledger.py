"""The frame every Excel 台账 shares: a workbook in a temporary file (rewound, deleted when closed), one sheet
with the watermark — who exported it and when — on its first row and in the page header and footer, the
column titles frozen under it, and text always written as text (content beginning with "=" must not become a
formula). Each app's ``ledger.py`` says which columns and writes its rows."""

import datetime
import tempfile
from collections.abc import Sequence
from typing import IO

import xlsxwriter
from django.utils import timezone

from xuncha.core.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def watermark(user: User, at: datetime.datetime) -> str:
    return f"导出人：{user.username}　导出时间：{timezone.localtime(at):%Y-%m-%d %H:%M}　内部资料 注意保密"


class Ledger:
    def __init__(
        self,
        title: str,
        columns: Sequence[tuple[str, int]],
        *,
        user: User,
        at: datetime.datetime,
        constant_memory: bool = False,
    ) -> None:
        """``constant_memory``: each row must be complete before the next starts (for ledgers of any size)."""
        self.handle: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by whoever it is handed to
        self.workbook = xlsxwriter.Workbook(
            self.handle,
            {"constant_memory": constant_memory, "strings_to_formulas": False, "strings_to_urls": False},
        )
        mark = watermark(user, at)
        header = mark.replace("&", "&&")  # "&" starts a control code in Excel headers and footers
        self.workbook.set_properties({"title": title, "author": user.username, "comments": mark})
        self.sheet = self.workbook.add_worksheet(title)
        self.sheet.set_header(f"&C{header}")
        self.sheet.set_footer(f"&L{header}&R第 &P 页，共 &N 页")
        self.wrap = self.workbook.add_format({"text_wrap": True, "valign": "top"})
        bold = self.workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1})
        for col, (_, width) in enumerate(columns):
            self.sheet.set_column(col, col, width, self.wrap)
        self.sheet.write_string(0, 0, mark, self.workbook.add_format({"bold": True, "font_color": "#C00000"}))
        for col, (name, _) in enumerate(columns):
            self.sheet.write_string(1, col, name, bold)
        self.sheet.freeze_panes(2, 0)

    def row(self, n: int, texts: Sequence[object]) -> None:
        """The ``n``-th row of data (from 1), under the watermark and the titles."""
        for col, text in enumerate(texts):
            self.sheet.write_string(n + 1, col, str(text), self.wrap)

    def close(self) -> IO[bytes]:
        self.workbook.close()
        self.handle.seek(0)
        return self.handle
