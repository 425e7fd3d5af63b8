"""Answering a generated document (.docx, or PDF on request): one call for every download view.

In a view, after the action or ``record_read`` has audited the read::

    record_read("transfer.letter_read", transfer, by=user, role=role, details={...})
    return document_response(request, data, "关于转交信访件的函.docx")

The answer is private and never cached, names the file in Chinese (RFC 5987 ``filename*``), and carries
a watermark: a small grey line at the top of every page with who downloaded it and when. With
``?format=pdf`` (``wants_pdf``) the watermarked document is converted by LibreOffice; where LibreOffice is
missing the answer is a 503 page saying so in Chinese, not an error.
"""

from pathlib import PurePath

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from . import officialdoc
from .models import User
from .permissions import acting_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def watermark_text(user: User) -> str:
    who = f"{user.full_name}（{user.username}）" if user.full_name else user.username
    return f"{who} {timezone.localtime():%Y-%m-%d %H:%M} 下载　仅供工作使用　注意保密"


def wants_pdf(request: HttpRequest) -> bool:
    return request.GET.get("format") == "pdf"


def document_response(
    request: HttpRequest, data: bytes, filename: str, *, watermark: bool = True
) -> HttpResponse:
    """``data`` (a .docx) as an attachment named ``filename``, watermarked for the acting user, as PDF
    when the request asks for it."""
    if watermark:
        data = officialdoc.add_watermark(data, watermark_text(acting_user(request)))
    content_type = DOCX
    if wants_pdf(request):
        try:
            data = officialdoc.to_pdf(data)
        except officialdoc.PdfUnavailable as exc:
            return render(request, "core/pdf_unavailable.html", {"message": str(exc)}, status=503)
        filename, content_type = str(PurePath(filename).with_suffix(".pdf")), PDF
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response
