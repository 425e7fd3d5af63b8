"""The Excel 台账 of petitions: written row by row to a temporary file (constant memory, whatever the number
of petitions), watermarked with who exported it and when.

It holds no reporter identity: no name, phone, id number, contact, receipt or attachment name.
"""

import datetime
import tempfile
from typing import IO

import xlsxwriter
from django.db.models import Prefetch
from django.utils import timezone

from xuncha.core.models import User

from .models import PetitionQuerySet, Transfer

SHEET = "信访件台账"
COLUMNS = (
    ("编号", 16),
    ("渠道", 10),
    ("收到时间", 17),
    ("被反映人", 20),
    ("反映内容", 60),
    ("状态", 8),
    ("分拣意见", 8),
    ("受理范围", 14),
    ("六项纪律", 12),
    ("三个聚焦", 24),
    ("重复件组", 10),
    ("转交情况", 30),
)
CHUNK = 500


def watermark(user: User, at: datetime.datetime) -> str:
    return f"导出人：{user.username}　导出时间：{timezone.localtime(at):%Y-%m-%d %H:%M}　内部资料 注意保密"


def _header_text(text: str) -> str:
    # "&" starts a control code in Excel headers and footers; a literal one is doubled.
    return text.replace("&", "&&")


def _transfers(petition_transfers: list[Transfer]) -> str:
    return "；".join(
        f"{t.receiver_name}（{t.get_status_display()}，{t.letter_number}）" for t in petition_transfers
    )


def _category(category: object) -> str:
    return str(category) if category is not None else ""


def write(petitions: PetitionQuerySet, *, user: User, at: datetime.datetime) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    # Text is written as text: content beginning with "=" must not become a formula.
    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    mark = watermark(user, at)
    workbook.set_properties({"title": SHEET, "author": user.username, "comments": mark})
    sheet = workbook.add_worksheet(SHEET)
    sheet.set_header(f"&C{_header_text(mark)}")
    sheet.set_footer(f"&L{_header_text(mark)}&R第 &P 页，共 &N 页")
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"})
    bold = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1})
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, wrap)
    sheet.write_string(0, 0, mark, workbook.add_format({"bold": True, "font_color": "#C00000"}))
    for col, (title, _) in enumerate(COLUMNS):
        sheet.write_string(1, col, title, bold)
    sheet.freeze_panes(2, 0)

    transfers = Transfer.objects.visible_to(user).select_related("department", "unit")
    rows = petitions.select_related("discipline", "focus").prefetch_related(
        Prefetch("transfers", queryset=transfers)
    )
    count = 0
    for count, petition in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        row = count + 1
        texts = (
            petition.number,
            petition.get_channel_display(),
            "",  # the received time, written as a date below
            " ".join(p for p in (petition.subject_name, petition.subject_post) if p),
            petition.content,
            petition.get_status_display(),
            petition.get_decision_display() if petition.decision else "",
            petition.get_scope_display() if petition.scope else "",
            _category(petition.discipline),
            _category(petition.focus),
            f"第 {petition.duplicate_group_id} 组" if petition.duplicate_group_id else "",
            _transfers(list(petition.transfers.all())),
        )
        # Constant-memory mode: each row is complete before the next one starts.
        for col, text in enumerate(texts):
            sheet.write_string(row, col, text, wrap)
        received = timezone.localtime(petition.received_at).replace(tzinfo=None)
        sheet.write_datetime(row, 2, received, when)
    workbook.close()
    handle.seek(0)
    return handle, count
