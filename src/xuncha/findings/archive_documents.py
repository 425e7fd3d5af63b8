"""What findings puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the findings ledger (问题底稿台账), every clue transfer letter (问题线索移交函) and every receiver's report
of what came of a clue (线索处置结果报告)."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.rounds.archive import ArchiveFile, Retention, Secrecy
from xuncha.rounds.models import Inspection

from . import ledger
from .choices import ClueTransferStatus
from .clues import letter
from .models import ClueTransfer, Finding


def outcome_document(transfer: ClueTransfer) -> bytes:
    """The receiver's report-back on a clue, as it was recorded."""
    clue = transfer.clue
    reported = timezone.localdate(transfer.reported_at)
    doc = OfficialDocument()
    doc.title("问题线索处置结果报告")
    doc.addressee(clue.inspection.team_signature)
    doc.paragraph(
        f"你组以{transfer.letter_number}移交的问题线索（编号：{clue.number}，{clue.title}）已办理完毕，现将结果报告如下。"
    )
    doc.heading(1, "处置方式")
    doc.paragraph(transfer.get_disposal_display() or "（未填写）")
    doc.heading(1, "处理结果")
    doc.paragraph(transfer.get_outcome_display() or "（未填写）")
    doc.heading(1, "办理情况")
    doc.paragraph(transfer.result or "（未填写）")
    doc.signature(transfer.receiver_name, reported)
    return doc.save()


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    at = timezone.now()
    handle, _ = ledger.write(Finding.objects.filter(inspection=inspection), user=by, at=at)
    with handle:
        yield ArchiveFile(
            "问题/问题底稿台账.xlsx", handle.read(), title="问题底稿台账", day=timezone.localdate(at)
        )
    transfers = ClueTransfer.objects.filter(clue__inspection=inspection).select_related(
        "clue__inspection__round__committee", "clue__inspection__team", "department", "unit"
    )
    for transfer in transfers.order_by("letter_number"):
        yield ArchiveFile(
            f"问题线索/移交函/{letter.filename(transfer)}",
            letter.clue_letter(transfer),
            title="关于移交问题线索的函",
            number=transfer.letter_number,
            day=timezone.localdate(transfer.sent_at),
            secrecy=Secrecy.SECRET,
            retention=Retention.PERMANENT,
        )
        if transfer.status == ClueTransferStatus.REPORTED:
            yield ArchiveFile(
                f"问题线索/处置结果/处置结果报告{transfer.letter_number}.docx",
                outcome_document(transfer),
                title=f"问题线索处置结果报告（{transfer.clue.number}）",
                author=transfer.receiver_name,
                day=timezone.localdate(transfer.reported_at),
                secrecy=Secrecy.SECRET,
                retention=Retention.PERMANENT,
            )
