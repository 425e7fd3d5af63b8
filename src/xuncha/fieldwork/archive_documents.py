"""What fieldwork puts in an inspection's archive package (``rounds.archive.register_archive_documents``):
the notices of the issued document requests (调阅资料通知) and the interview outlines (谈话提纲).

The interview records themselves are not copied out in clear: they stay encrypted in the system, where
each read is audited record by record and limited to their readers; the package, downloaded as a whole
by the office, would bypass that."""

from collections.abc import Iterator

from xuncha.core.models import User
from xuncha.rounds.models import Inspection

from .actions.interviews import outline_document
from .choices import RequestStatus
from .models import DocumentRequest, Interview
from .views.documents import notice, notice_number


def documents(inspection: Inspection, by: User) -> Iterator[tuple[str, bytes]]:
    requests = DocumentRequest.objects.filter(inspection=inspection).exclude(status=RequestStatus.DRAFT)
    for doc_request in requests.order_by("number"):
        items = list(doc_request.items.order_by("position"))
        yield f"了解/调阅资料通知/{notice_number(doc_request)}.docx", notice(doc_request, items)
    interviews = Interview.objects.filter(inspection=inspection).order_by("starts_at", "name", "pk")
    for number, interview in enumerate(interviews, start=1):
        yield f"了解/谈话提纲/{number:03d}{interview.name}.docx", outline_document(interview)
