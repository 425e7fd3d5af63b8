"""Uploads checked by content: an image larger than the pixel limit is refused from its header, before any
decoding (Pillow itself only warns up to twice its limit); active content (web pages, SVG, XML, scripts,
PDFs with JavaScript or actions on opening, Office macros) refused in Chinese; what is kept is named and
typed by its content."""

import io
import warnings
import zipfile
import zlib

import pytest
from PIL import Image

from xuncha.core.errors import Refused
from xuncha.core.files import MAX_PIXELS, Upload, check


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # made on purpose
        Image.new("1", (width, height)).save(out, format="PNG")  # one bit a pixel: small on disk
    return out.getvalue()


def test_an_image_between_the_limit_and_twice_it_is_refused_undecoded(monkeypatch):
    data = _png(7_000, 7_000)
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    assert MAX_PIXELS < 7_000 * 7_000 < 2 * MAX_PIXELS and len(data) < 100_000
    with pytest.raises(Refused) as refused:
        check([Upload("大图.png", data)])
    assert refused.value.field == "attachments" and "过大" in refused.value.message
    assert decoded == []


def test_an_image_within_the_limit_is_accepted():
    (checked,) = check([Upload("小图.png", _png(600, 400))])
    assert checked.content_type == "image/png"
    assert Image.open(io.BytesIO(checked.data)).size == (600, 400)


@pytest.mark.parametrize("cut", [12, 40, 60])
def test_a_truncated_png_is_refused_in_chinese(cut):
    with pytest.raises(Refused) as refused:
        check([Upload("截断.png", _png(600, 400)[:cut])])
    assert refused.value.field == "attachments" and "损坏" in refused.value.message


# Active content ------------------------------------------------------------------------------------------

ACTIVE = "是网页、SVG、XML 或脚本文件"
PDF_ACTIVE = "含有 JavaScript 脚本或自动执行动作"


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(Refused) as refused:
        check([Upload(name, data)])
    assert refused.value.field == "attachments"
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("照片.jpg", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
        ("照片.jpg", "\ufeff\n  <html><img src=x onerror=alert(1)></html>".encode()),
        ("数据.txt", b'<?xml version="1.0"?><root/>'),
        ("说明.txt", "情况说明：\n详见<iframe src=//evil.example>".encode()),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("a.js", b"alert(1)"),
        ("a.HTML", "只有文字".encode()),
        ("setup.bat", b"del C:\\*"),
    ],
)
def test_web_pages_svg_xml_and_scripts_are_refused_whatever_their_name(name, data):
    assert ACTIVE in _refusal(name, data)


def test_the_name_and_type_kept_are_those_of_the_content():
    text, png, pdf = "只是文字".encode(), _png(4, 4), b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"
    checked = check(
        [
            Upload("照片.jpg", text),
            Upload("图.gif", png),
            Upload("报告.PDF", pdf),
            Upload("名单", text),
            Upload("报告.final.pdf.exe", pdf),
        ]
    )
    assert [(c.name, c.content_type) for c in checked] == [
        ("照片.txt", "text/plain"),
        ("图.png", "image/png"),
        ("报告.PDF", "application/pdf"),
        ("名单.txt", "text/plain"),
        ("报告.final.pdf.pdf", "application/pdf"),
    ]


def _pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, obj) for n, obj in enumerate(objects, start=1))
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "catalog",
    [
        b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",  # escaped names
        b"<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /AA << /O 3 0 R >> >>",
    ],
)
def test_a_pdf_with_javascript_or_an_action_run_on_opening_is_refused(catalog):
    assert PDF_ACTIVE in _refusal("材料.pdf", _pdf(catalog))


def test_javascript_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    objstm = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(hidden),
        hidden,
    )
    assert PDF_ACTIVE in _refusal("材料.pdf", _pdf(b"<< /Type /Catalog /OpenAction 3 0 R >>", objstm))


def test_an_ordinary_pdf_passes_even_when_its_binary_streams_spell_js():
    """Opening at a page is no script, and the bytes of an image or a page's drawing are not PDF names."""
    image = b"<< /Length 12 >>\nstream\n\x00/JS /AA \xff\xfe\nendstream"
    data = _pdf(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>", image)
    assert check([Upload("材料.pdf", data)])[0].content_type == "application/pdf"


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("[Content_Types].xml", *names):
            archive.writestr(name, "<x/>")
    return out.getvalue()


def test_office_documents_with_macros_are_refused_and_others_named_by_their_kind():
    assert "含有宏" in _refusal("报告.docx", _zip("word/document.xml", "word/vbaProject.bin"))
    assert "含有宏" in _refusal("表.xlsx", _zip("xl/workbook.xml", "xl/vbaProject.bin"))
    (docx,) = check([Upload("报告.zip", _zip("word/document.xml"))])
    assert docx.name == "报告.docx" and docx.content_type.endswith("wordprocessingml.document")


def test_older_office_files_are_told_apart_by_their_streams_and_others_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    (doc, xls) = check(
        [
            Upload("旧报告", ole + "WordDocument".encode("utf-16-le")),
            Upload("旧表.doc", ole + "Workbook".encode("utf-16-le")),
        ]
    )
    assert (doc.name, doc.content_type) == ("旧报告.doc", "application/msword")
    assert (xls.name, xls.content_type) == ("旧表.xls", "application/vnd.ms-excel")
    assert "文件类型不允许" in _refusal("安装.doc", ole + "MsiDigitalSignature".encode("utf-16-le"))
