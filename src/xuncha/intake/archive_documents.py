"""What intake puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the petition ledger (no reporter identity, see ``ledger``) and every transfer letter (转交函)."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from . import ledger, transfer_letter
from .models import Petition, Transfer


def documents(inspection: Inspection, by: User) -> Iterator[tuple[str, bytes]]:
    handle, _ = ledger.write(Petition.objects.filter(inspection=inspection), user=by, at=timezone.now())
    with handle:
        yield "信访/信访件台账.xlsx", handle.read()
    for transfer in Transfer.objects.filter(petition__inspection=inspection).order_by("letter_number"):
        yield f"信访/转交函/{transfer_letter.filename(transfer)}", transfer_letter.transfer_letter(transfer)
