"""The 卷内目录 of an archive package, as .docx (the GB/T 9704 page of ``core.officialdoc``) and .xlsx (the
台账 frame of ``core.ledger``): one line per record with the columns of DA/T 22-2015 归档文件目录 — 序号,
文号, 责任者, 题名, 日期 (eight digits, 20260601), 页数 (a PDF's pages; the size of what has no fixed pages
before it is laid out), 密级 — and its 保管期限; above them the package's title, 保管期限 and 密级."""

import datetime
import re
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat

from xuncha.core.ledger import Ledger
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument

TITLE = "卷内目录"
COLUMNS = (("序号", 6), ("文号", 18), ("责任者", 22), ("题名", 48), ("日期", 10), ("页数/大小", 10))
LAST_COLUMNS = (("密级", 6), ("保管期限", 10))
# Widths (mm) of the .docx table's columns, filling the 156 mm text block.
DOCX_WIDTHS = (10, 24, 24, 44, 16, 14, 10, 14)
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


@dataclass(frozen=True)
class Line:
    number: int
    document_number: str
    author: str
    title: str
    day: datetime.date | None
    data: bytes
    secrecy: str
    retention: str

    @property
    def date_text(self) -> str:
        return f"{self.day:%Y%m%d}" if self.day else ""

    @property
    def extent(self) -> str:
        """页数 of a PDF, else the size."""
        if self.data.startswith(b"%PDF-"):
            pages = len(_PDF_PAGE.findall(self.data))
            if pages:
                return f"{pages}页"
        return filesizeformat(len(self.data)).replace("\xa0", " ")

    def cells(self) -> list[str]:
        return [
            str(self.number),
            self.document_number,
            self.author,
            self.title,
            self.date_text,
            self.extent,
            self.secrecy,
            self.retention,
        ]


@dataclass(frozen=True)
class Heading:
    title: str  # 案卷题名
    retention: str
    secrecy: str


def _summary(heading: Heading, count: int) -> list[str]:
    return [
        f"案卷题名：{heading.title}",
        f"保管期限：{heading.retention}　密级：{heading.secrecy}　共{count}件",
    ]


def docx(heading: Heading, lines: list[Line]) -> bytes:
    doc = OfficialDocument()
    doc.title(TITLE)
    for text in _summary(heading, len(lines)):
        doc.paragraph(text)
    doc.blank()
    header = [name for name, _ in (*COLUMNS, *LAST_COLUMNS)]
    doc.table(header, [line.cells() for line in lines], DOCX_WIDTHS)
    return doc.save()


def xlsx(heading: Heading, lines: list[Line], *, by: User, at: datetime.datetime) -> bytes:
    ledger = Ledger(TITLE, (*COLUMNS, *LAST_COLUMNS), user=by, at=at)
    for n, line in enumerate(lines, 1):
        ledger.row(n, line.cells())
    summary = "；".join(_summary(heading, len(lines)))
    ledger.row(len(lines) + 2, ["", "", "", summary])
    with ledger.close() as handle:
        return handle.read()
