"""core.downloads: one private, watermarked answer for every generated document, PDF on request."""

import io

import docx
import pytest
from django.test import RequestFactory

from xuncha.core import officialdoc
from xuncha.core.downloads import document_response
from xuncha.core.officialdoc import OfficialDocument, layout_problems

pytestmark = pytest.mark.django_db


def _document() -> bytes:
    doc = OfficialDocument()
    doc.title("关于召开巡察工作动员会的通知")
    doc.paragraph("定于近日召开动员会。")
    return doc.save()


def _request(world, query: str = ""):
    request = RequestFactory().get(f"/download/{query}")
    request.user = world.users["t1_leader"]
    return request


def test_the_answer_is_private_named_in_chinese_and_watermarked(world) -> None:
    response = document_response(_request(world), _document(), "关于召开巡察工作动员会的通知.docx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%E5%85%B3" in disposition
    header = docx.Document(io.BytesIO(response.content)).sections[0].header.paragraphs[0].text
    user = world.users["t1_leader"]
    assert header.startswith(f"{user.full_name}（{user.username}） ") and "下载" in header
    assert layout_problems(response.content) == []


def test_the_watermark_can_be_left_out(world) -> None:
    data = _document()
    response = document_response(_request(world), data, "通知.docx", watermark=False)
    assert response.content == data


def test_pdf_without_libreoffice_is_a_chinese_503(world, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    response = document_response(_request(world, "?format=pdf"), _document(), "通知.docx")
    assert response.status_code == 503
    assert "未安装 LibreOffice" in response.content.decode()


def test_pdf_is_named_pdf(world, monkeypatch) -> None:
    monkeypatch.setattr(officialdoc, "to_pdf", lambda data: b"%PDF-1.6 converted")
    response = document_response(_request(world, "?format=pdf"), _document(), "通知.docx")
    assert response.content == b"%PDF-1.6 converted"
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E9%80%9A%E7%9F%A5.pdf" in response["Content-Disposition"]
