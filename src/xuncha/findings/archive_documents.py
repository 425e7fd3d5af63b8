"""What findings puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the findings ledger (问题底稿台账) and every clue transfer letter (问题线索移交函)."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from . import ledger
from .clues import letter
from .models import ClueTransfer, Finding


def documents(inspection: Inspection, by: User) -> Iterator[tuple[str, bytes]]:
    handle, _ = ledger.write(Finding.objects.filter(inspection=inspection), user=by, at=timezone.now())
    with handle:
        yield "问题/问题底稿台账.xlsx", handle.read()
    for transfer in ClueTransfer.objects.filter(clue__inspection=inspection).order_by("letter_number"):
        yield f"问题线索/移交函/{letter.filename(transfer)}", letter.clue_letter(transfer)
