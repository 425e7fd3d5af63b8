"""The Excel 底稿台账 of an inspection's findings, watermarked with who exported it and when (as the
petitions' 台账 of intake/ledger.py, whose watermark it uses). Evidence appears as counts by kind."""

import datetime
import tempfile
from collections import Counter
from typing import IO

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.models import User
from xuncha.intake.ledger import watermark

from .evidence import registered
from .models import Finding

SHEET = "问题底稿台账"
COLUMNS = (
    ("编号", 10),
    ("问题标题", 30),
    ("问题表现", 60),
    ("定性依据", 40),
    ("责任主体", 24),
    ("三个聚焦", 24),
    ("六项纪律", 12),
    ("问题性质", 12),
    ("四风", 10),
    ("个性/共性", 10),
    ("问题根源", 14),
    ("证据", 16),
    ("状态", 14),
    ("组务会", 30),
    ("审签", 20),
)


def _evidence(finding: Finding) -> str:
    counts = Counter(link.kind for link in finding.evidence.all())
    labels = {code: (kind.label if (kind := registered(code)) else code) for code in counts}
    return "；".join(f"{labels[code]} {n} 件" for code, n in sorted(counts.items()))


def _subject(finding: Finding) -> str:
    who = [f"{p.name}（{p.post}）" for p in finding.persons.all()]
    if finding.unit_responsible:
        who.insert(0, finding.inspection.unit.name)
    return "、".join(who)


def _basis(finding: Finding) -> str:
    cited = [str(r) for r in finding.regulations.all()]
    return "\n".join([*cited, finding.basis_note] if finding.basis_note else cited)


def write(findings: QuerySet[Finding], *, user: User, at: datetime.datetime) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook = xlsxwriter.Workbook(handle, {"strings_to_formulas": False, "strings_to_urls": False})
    mark = watermark(user, at)
    header = mark.replace("&", "&&")  # "&" starts a control code in Excel headers and footers
    workbook.set_properties({"title": SHEET, "author": user.username, "comments": mark})
    sheet = workbook.add_worksheet(SHEET)
    sheet.set_header(f"&C{header}")
    sheet.set_footer(f"&L{header}&R第 &P 页，共 &N 页")
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1})
    for col, (_, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, wrap)
    sheet.write_string(0, 0, mark, workbook.add_format({"bold": True, "font_color": "#C00000"}))
    for col, (title, _) in enumerate(COLUMNS):
        sheet.write_string(1, col, title, bold)
    sheet.freeze_panes(2, 0)
    rows = findings.select_related(
        "inspection__unit", "focus", "discipline", "nature", "four_winds", "signed_off_by"
    ).prefetch_related("regulations", "persons", "evidence")
    count = 0
    for count, finding in enumerate(rows, start=1):
        meeting = f"{finding.meeting_on:%Y-%m-%d}：{finding.meeting_opinion}" if finding.meeting_on else ""
        signed = (
            f"{finding.signed_off_by}（{timezone.localtime(finding.signed_off_at):%Y-%m-%d}）"
            if finding.signed_off_by and finding.signed_off_at
            else ""
        )
        texts = (
            finding.number,
            finding.title,
            finding.description,
            _basis(finding),
            _subject(finding),
            str(finding.focus or ""),
            str(finding.discipline or ""),
            str(finding.nature or ""),
            str(finding.four_winds or ""),
            finding.get_commonality_display(),
            finding.get_root_cause_display() if finding.root_cause else "",
            _evidence(finding),
            finding.get_status_display(),
            meeting,
            signed,
        )
        for col, text in enumerate(texts):
            sheet.write_string(count + 1, col, text, wrap)
    workbook.close()
    handle.seek(0)
    return handle, count
