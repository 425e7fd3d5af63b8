"""What intake puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the 巡察公告, the petition ledger (no reporter identity, see ``ledger``), every transfer letter (转交函) and,
when the committee's settings say so, the petitions' attachments.

An attachment, a letter or a photo, can name its writer, and each read of it is audited in the system; the
package, downloaded as a whole by the office, would bypass that. So by default they stay in the system, and
when the committee puts them in they are encrypted (``sealed``, as interview records are), 秘密, and named
only by the petition's number and their kind: the name the reporter gave a file (“王某某的举报信.pdf”)
appears in no path and no line of the 卷内目录."""

from collections.abc import Iterator
from itertools import groupby

from django.utils import timezone

from xuncha.core.files import SUFFIXES
from xuncha.core.models import User
from xuncha.orgs.models import CommitteeSettings
from xuncha.rounds.archive import ArchiveFile, Retention, Secrecy, part
from xuncha.rounds.models import Inspection

from . import ledger, transfer_letter
from .actions.announcements import announcement_document
from .models import Announcement, Attachment, Petition, Transfer

ATTACHMENTS = "信访/信访件附件"
# 责任者 of an attachment: whoever sent it, never named.
REPORTER = "反映人"


def attachment_files(inspection: Inspection) -> Iterator[ArchiveFile]:
    """Every petition attachment of the inspection, sealed and named by its petition's number, its place
    among that petition's attachments and the suffix of its content, if the committee's settings put them
    in the package; nothing otherwise."""
    if not CommitteeSettings.objects.filter(
        committee_id=inspection.round.committee_id, archive_petition_attachments=True
    ).exists():
        return
    attachments = (
        Attachment.objects.filter(petition__inspection=inspection)
        .select_related("petition")
        .order_by("petition__received_at", "petition__number", "added_at", "pk")
    )
    for _, files in groupby(attachments, key=lambda attachment: attachment.petition_id):
        for n, attachment in enumerate(files, 1):
            number = attachment.petition.number
            suffix = SUFFIXES.get(attachment.content_type, ("",))[0]
            yield ArchiveFile(
                f"{ATTACHMENTS}/{part(number)}-{n:02d}{suffix}",
                attachment.read(),
                title=f"信访件{number}附件{n}（{attachment.kind}）",
                author=REPORTER,
                day=timezone.localdate(attachment.added_at),
                secrecy=Secrecy.SECRET,
                sealed=True,
            )


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
    yield from attachment_files(inspection)
