"""What intake puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the 巡察公告, the petition ledger (no reporter identity, see ``ledger``) and every transfer letter (转交函).

The petitions' own attachments stay in the system: a letter or a photo can name its writer, and each read
of it is audited there; the package, downloaded as a whole by the office, would bypass that."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.rounds.archive import ArchiveFile, Retention, Secrecy
from xuncha.rounds.models import Inspection

from . import ledger, transfer_letter
from .actions.announcements import announcement_document
from .models import Announcement, Petition, Transfer


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    announcement = Announcement.objects.filter(inspection=inspection, published_at__isnull=False).first()
    if announcement is not None:
        yield ArchiveFile(
            "信访/巡察公告.docx",
            announcement_document(announcement),
            title=f"{inspection.team_signature}巡察{inspection.unit.name}公告",
            day=timezone.localdate(announcement.published_at),
            secrecy=Secrecy.PUBLIC,
            retention=Retention.PERMANENT,
        )
    at = timezone.now()
    handle, _ = ledger.write(Petition.objects.filter(inspection=inspection), user=by, at=at)
    with handle:
        yield ArchiveFile(
            "信访/信访件台账.xlsx", handle.read(), title="信访件台账", day=timezone.localdate(at)
        )
    transfers = Transfer.objects.filter(petition__inspection=inspection).select_related("department", "unit")
    for transfer in transfers.order_by("letter_number"):
        yield ArchiveFile(
            f"信访/转交函/{transfer_letter.filename(transfer)}",
            transfer_letter.transfer_letter(transfer),
            title=f"关于转交信访件的函（{transfer.receiver_name}）",
            number=transfer.letter_number,
            day=timezone.localdate(transfer.sent_at),
        )
