"""The Excel 台账 of petitions: written row by row to a temporary file (constant memory, whatever the number
of petitions), watermarked with who exported it and when.

It holds no reporter identity: no name, phone, id number, contact, receipt or attachment name.
"""

import datetime
from collections.abc import Callable
from typing import IO
from uuid import UUID

from django.db.models import TextChoices
from django.utils import timezone

from xuncha.core.ledger import Ledger
from xuncha.core.models import User

from .choices import Channel, Decision, Scope, Status, TransferStatus
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
CHUNK = 2000  # rows a query fetches (a server-side cursor on PostgreSQL); memory stays constant


def _labels(choices: type[TextChoices]) -> dict[str, str]:
    """Display labels, translated once for the whole export (not once per row)."""
    return {str(value): str(label) for value, label in choices.choices}


def _transfers_by_petition(petitions: PetitionQuerySet, user: User) -> dict[UUID, str]:
    """Each listed petition's transfers the user sees, in one query: few petitions are transferred, so
    this is small beside the rows (and no per-chunk copy of a scoped Prefetch)."""
    statuses = _labels(TransferStatus)
    found: dict[UUID, list[str]] = {}
    transfers = (
        Transfer.objects.visible_to(user)
        .filter(petition__in=petitions.order_by().values("pk"))
        .select_related("department", "unit")
        .order_by("petition_id", "pk")
    )
    for t in transfers.iterator(chunk_size=CHUNK):
        found.setdefault(t.petition_id, []).append(
            f"{t.receiver_name}（{statuses.get(t.status, t.status)}，{t.letter_number}）"
        )
    return {pk: "；".join(texts) for pk, texts in found.items()}


def _category(category: object) -> str:
    return str(category) if category is not None else ""


Progress = Callable[[int], None]


def write(
    petitions: PetitionQuerySet,
    *,
    user: User,
    at: datetime.datetime,
    progress: Progress | None = None,
) -> tuple[IO[bytes], int]:
    """The workbook in a temporary file (rewound, deleted when closed) and the number of rows, streamed
    row by row (xlsxwriter's constant memory, the rows read in chunks); ``progress`` is told the rows
    written so far every ``CHUNK`` rows."""
    ledger = Ledger(SHEET, COLUMNS, user=user, at=at, constant_memory=True)
    when = ledger.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"})
    channels, statuses = _labels(Channel), _labels(Status)
    decisions, scopes = _labels(Decision), _labels(Scope)
    transfers = _transfers_by_petition(petitions, user)
    rows = petitions.select_related("discipline", "focus")
    count = 0
    for count, petition in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        texts = (
            petition.number,
            channels.get(petition.channel, petition.channel),
            "",  # the received time, written as a date below
            " ".join(p for p in (petition.subject_name, petition.subject_post) if p),
            petition.content,
            statuses.get(petition.status, petition.status),
            decisions.get(petition.decision, "") if petition.decision else "",
            scopes.get(petition.scope, "") if petition.scope else "",
            _category(petition.discipline),
            _category(petition.focus),
            f"第 {petition.duplicate_group_id} 组" if petition.duplicate_group_id else "",
            transfers.get(petition.pk, ""),
        )
        # Constant-memory mode: each row is complete before the next one starts.
        ledger.row(count, texts)
        received = timezone.localtime(petition.received_at).replace(tzinfo=None)
        ledger.sheet.write_datetime(count + 1, 2, received, when)
        if progress is not None and count % CHUNK == 0:
            progress(count)
    return ledger.close(), count
