"""The Excel 台账 of petitions: written row by row to a temporary file (constant memory, whatever the number
of petitions), watermarked with who exported it and when.

It holds no reporter identity: no name, phone, id number, contact, receipt or attachment name.
"""

import datetime
from typing import IO

from django.db.models import Prefetch
from django.utils import timezone

from xuncha.core.ledger import Ledger
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


def _transfers(petition_transfers: list[Transfer]) -> str:
    return "；".join(
        f"{t.receiver_name}（{t.get_status_display()}，{t.letter_number}）" for t in petition_transfers
    )


def _category(category: object) -> str:
    return str(category) if category is not None else ""


def write(petitions: PetitionQuerySet, *, user: User, at: datetime.datetime) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows."""
    ledger = Ledger(SHEET, COLUMNS, user=user, at=at, constant_memory=True)
    when = ledger.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"})

    transfers = Transfer.objects.visible_to(user).select_related("department", "unit")
    rows = petitions.select_related("discipline", "focus").prefetch_related(
        Prefetch("transfers", queryset=transfers)
    )
    count = 0
    for count, petition in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
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
        ledger.row(count, texts)
        received = timezone.localtime(petition.received_at).replace(tzinfo=None)
        ledger.sheet.write_datetime(count + 1, 2, received, when)
    return ledger.close(), count
