"""What preparation puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
each information request (了解情况函) with the departments' answers, and the files they sent, as sent."""

from collections.abc import Iterator

from django.utils import timezone

from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.rounds.archive import ArchiveFile, uploaded
from xuncha.rounds.models import Inspection

from .models import InformationAnswer, InformationAnswerFile, InformationRequest


def request_document(request: InformationRequest) -> bytes:
    """The request and every answer to it, in the order they came."""
    inspection = request.inspection
    doc = OfficialDocument()
    doc.title(f"{request.letter}及答复情况")
    doc.paragraph(f"事由：{request.subject}")
    doc.heading(1, "了解事项")
    doc.paragraph(request.questions)
    doc.heading(1, "答复情况")
    answers = InformationAnswer.objects.filter(recipient__request=request).select_related(
        "recipient__department"
    )
    for answer in answers.order_by("answered_at"):
        doc.heading(
            2, f"{answer.recipient.department.name}（{timezone.localtime(answer.answered_at):%Y-%m-%d}）"
        )
        doc.paragraph(answer.text)
    doc.signature(inspection.team_signature, timezone.localdate(request.created_at))
    return doc.save()


def documents(inspection: Inspection, by: User) -> Iterator[ArchiveFile]:
    team = inspection.team.name
    for request in InformationRequest.objects.filter(inspection=inspection).order_by("number"):
        yield ArchiveFile(
            f"巡前了解/{request.number:02d}{request.letter}.docx",
            request_document(request),
            title=f"{request.letter}及答复情况（{request.subject}）",
            number=f"{team}{request.letter}第{request.number}号",
            day=timezone.localdate(request.created_at),
        )
    files = InformationAnswerFile.objects.filter(answer__recipient__request__inspection=inspection)
    files = files.select_related("answer__recipient__department", "answer__recipient__request")
    for n, file in enumerate(files.order_by("answer__recipient__request__number", "added_at"), 1):
        department = file.answer.recipient.department.name
        yield uploaded("巡前了解/答复附件", n, file, author=department)
