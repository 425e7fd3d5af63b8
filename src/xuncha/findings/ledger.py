"""The Excel 底稿台账 of an inspection's findings, watermarked with who exported it and when (as the
petitions' 台账 of intake/ledger.py, in the frame of core/ledger.py). Evidence appears as counts by kind."""

import datetime
from collections import Counter
from collections.abc import Callable
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.ledger import Ledger
from xuncha.core.models import User

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


CHUNK = 2000  # rows a query fetches (a server-side cursor on PostgreSQL); memory stays constant
Reporter = Callable[[int], None]


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


def write(
    findings: QuerySet[Finding], *, user: User, at: datetime.datetime, progress: Reporter | None = None
) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows, streamed
    (xlsxwriter's constant memory, the rows read in chunks); ``progress`` is told the rows written so far
    every ``CHUNK`` rows."""
    ledger = Ledger(SHEET, COLUMNS, user=user, at=at, constant_memory=True)
    rows = findings.select_related(
        "inspection__unit", "focus", "discipline", "nature", "four_winds", "signed_off_by"
    ).prefetch_related("regulations", "persons", "evidence")
    count = 0
    for count, finding in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
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
        ledger.row(count, texts)
        if progress is not None and count % CHUNK == 0:
            progress(count)
    return ledger.close(), count
