"""The GB/T 9704-2012 layout of generated documents, read back with python-docx."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.core.officialdoc import (
    OfficialDocument,
    PdfUnavailable,
    add_watermark,
    chinese_number,
    layout_problems,
    official_date,
    to_pdf,
)
from xuncha.core.tests.pdf import read_back


def _build() -> bytes:
    doc = OfficialDocument()
    doc.letterhead("江东市委第一巡察组", number="江东巡转〔2026〕3号")
    doc.title("关于转交信访件的函")
    doc.addressee("市纪委监委")
    doc.paragraph("第一巡察组在巡察期间收到信访件一件。\n\n现转交你部门办理。")
    doc.heading(1, "基本情况")
    doc.heading(2, "反映内容")
    doc.heading(3, "具体问题")
    doc.heading(3, "其他问题")
    doc.heading(2, "办理要求")
    doc.heading(1, "有关要求")
    doc.attachments(["信访件复印件"])
    doc.signature("江东市委第一巡察组", datetime.date(2026, 11, 23))
    doc.record(copied_to=["市委巡察办"], printed_by="江东市委巡察办", printed_on=datetime.date(2026, 11, 24))
    return doc.save()


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _east_asia(paragraph: docx.text.paragraph.Paragraph) -> set[str | None]:
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs}


def _by_text(document: docx.document.Document, text: str) -> docx.text.paragraph.Paragraph:
    """The last paragraph of ``text`` (the signature, not the organ's mark of the same name)."""
    return [p for p in document.paragraphs if p.text == text][-1]


def test_it_is_a_real_docx_package() -> None:
    data = _build()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
    assert {"[Content_Types].xml", "word/document.xml", "word/settings.xml"} <= names
    assert any(name.startswith("word/footer") for name in names)


def test_page_is_a4_with_the_standard_margins_and_text_block() -> None:
    section = _read(_build()).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225


def test_body_has_22_lines_a_page_in_fangsong_3hao() -> None:
    document = _read(_build())
    body = _by_text(document, "第一巡察组在巡察期间收到信访件一件。")
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    text_height = Mm(225)
    assert 22 * fmt.line_spacing <= text_height < 23 * fmt.line_spacing
    assert fmt.first_line_indent == Pt(32)  # two characters
    assert _east_asia(body) == {"仿宋_GB2312"}
    assert {run.font.size for run in body.runs} == {Pt(16)}
    # Blank lines in the text make no empty paragraphs; each line is its own paragraph.
    assert _by_text(document, "现转交你部门办理。") is not None
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_title_is_centred_in_xiaobiaosong_2hao() -> None:
    document = _read(_build())
    title = _by_text(document, "关于转交信访件的函")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(title) == {"方正小标宋简体"}
    assert {run.font.size for run in title.runs} == {Pt(22)}
    assert document.core_properties.title == "关于转交信访件的函"
    assert _by_text(document, "市纪委监委：").paragraph_format.first_line_indent is None


def test_headings_are_numbered_by_level_with_their_fonts() -> None:
    document = _read(_build())
    expected = {
        "一、基本情况": "黑体",
        "（一）反映内容": "楷体_GB2312",
        "1.具体问题": "仿宋_GB2312",
        "2.其他问题": "仿宋_GB2312",
        "（二）办理要求": "楷体_GB2312",
        "二、有关要求": "黑体",
    }
    for text, font in expected.items():
        assert _east_asia(_by_text(document, text)) == {font}, text


def test_page_numbers_differ_on_odd_and_even_pages() -> None:
    document = _read(_build())
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        codes = [el.text for el in paragraph._element.iter(qn("w:instrText"))]
        assert [code.strip() for code in codes] == ["PAGE"]
        assert paragraph.text == "— 1 —"  # the field's last computed value between the dashes
        assert _east_asia(paragraph) == {"宋体"}
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}


def test_signature_and_date_are_at_the_right_in_arabic_numerals() -> None:
    document = _read(_build())
    org = _by_text(document, "江东市委第一巡察组")
    date = _by_text(document, "2026年11月23日")
    assert org.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 右空二字, and the date (7 characters wide) starts two characters right of the body (9 wide).
    assert org.paragraph_format.right_indent == Pt(32)
    assert date.paragraph_format.right_indent == Pt(32)


def test_a_body_narrower_than_the_date_moves_left_of_it() -> None:
    doc = OfficialDocument()
    doc.signature("市委巡察办", datetime.date(2026, 11, 23))
    document = _read(doc.save())
    # The date keeps two characters from the edge; the body (5 wide) starts two characters left of it.
    assert _by_text(document, "2026年11月23日").paragraph_format.right_indent == Pt(32)
    assert _by_text(document, "市委巡察办").paragraph_format.right_indent == Pt(6 * 16)


@pytest.mark.parametrize(
    ("day", "text"),
    [(datetime.date(2026, 11, 23), "2026年11月23日"), (datetime.date(2026, 1, 5), "2026年1月5日")],
)
def test_official_dates(day: datetime.date, text: str) -> None:
    assert official_date(day) == text


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]


def test_text_that_xml_cannot_hold_is_dropped_not_an_error() -> None:
    doc = OfficialDocument()
    doc.paragraph("控制\x00字符\x0b")
    assert "控制字符" in [p.text for p in _read(doc.save()).paragraphs]


def test_heading_levels_are_checked() -> None:
    with pytest.raises(ValueError):
        OfficialDocument().heading(4, "第四级")


# layout_problems: a good document passes, each rule broken on purpose is named -------------------------


def _rewrite(change) -> bytes:
    """The test document after ``change(document)``, saved again."""
    document = _read(_build())
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_builder_gives_a_document_without_layout_problems() -> None:
    assert layout_problems(_build()) == []


def test_the_grid_is_22_lines_of_28_characters() -> None:
    grid = _read(_build()).sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == 579  # 28.95 pt in twentieths
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert 28 * pitch <= Mm(156).pt < 29 * pitch


def _margin(document) -> None:
    document.sections[0].top_margin = Mm(25)


def _letter(document) -> None:
    document.sections[0].page_width = Mm(216)


def _grid(document) -> None:
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:charSpace"), "0")


def _no_grid(document) -> None:
    sect = document.sections[0]._sectPr
    sect.remove(sect.find(qn("w:docGrid")))


def _body_font(document) -> None:
    document.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _body_size(document) -> None:
    document.styles["Normal"].font.size = Pt(12)


def _line_pitch(document) -> None:
    document.styles["Normal"].paragraph_format.line_spacing = Pt(20)


def _paragraph_pitch(document) -> None:
    _by_text(document, "现转交你部门办理。").paragraph_format.line_spacing = 1.5


def _title_font(document) -> None:
    _by_text(document, "关于转交信访件的函").runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")


def _title_size(document) -> None:
    _by_text(document, "关于转交信访件的函").runs[0].font.size = Pt(16)


def _title_left(document) -> None:
    _by_text(document, "关于转交信访件的函").alignment = WD_ALIGN_PARAGRAPH.LEFT


def _no_title(document) -> None:
    document.core_properties.title = "另一个标题"


def _heading_font(document) -> None:
    _by_text(document, "（一）反映内容").runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")


def _latin_only_run(document) -> None:
    document.add_paragraph("没有中文字体的文字")


def _not_odd_even(document) -> None:
    document.settings.odd_and_even_pages_header_footer = False


def _even_right(document) -> None:
    document.sections[0].even_page_footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _no_dashes(document) -> None:
    runs = document.sections[0].footer.paragraphs[0].runs
    runs[0].text = runs[-1].text = ""


def _no_page_field(document) -> None:
    footer = document.sections[0].footer.paragraphs[0]._element
    for code in list(footer.iter(qn("w:instrText"))):
        code.getparent().remove(code)


def _page_number_font(document) -> None:
    for run in document.sections[0].footer.paragraphs[0].runs:
        run.font.size = Pt(10.5)


def _chinese_date(document) -> None:
    _by_text(document, "2026年11月23日").runs[0].text = "二〇二六年十一月二十三日"


def _padded_date(document) -> None:
    _by_text(document, "2026年11月23日").runs[0].text = "2026年01月05日"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_margin, "上边距 (top margin)应为 37 mm，实为 25.0 mm"),
        (_letter, "纸张宽度 (page width)应为 210 mm，实为 216.0 mm"),
        (_grid, "文档网格字距 (charSpace) 不是每行 28 字"),
        (_no_grid, "未设置文档网格 (docGrid linesAndChars)：每页 22 行、每行 28 字"),
        (_body_font, "正文默认中文字体 (Normal eastAsia) 应为仿宋_GB2312"),
        (_body_size, "正文默认字号应为3号 (16 pt)"),
        (_line_pitch, "正文行距应为固定值，每页 22 行 (exact line pitch)"),
        (_paragraph_pitch, "段落「现转交你部门办理。」的行距不合每页 22 行"),
        (_title_font, "标题字体应为方正小标宋简体"),
        (_title_size, "标题字号应为2号 (22 pt)"),
        (_title_left, "标题应居中"),
        (_no_title, "缺少标题 (no title paragraph matching the document's title property)"),
        (_heading_font, "标题「（一）反映内容」的字体应为楷体_GB2312"),
        (_latin_only_run, "段落「没有中文字体的文字」有文字未设置中文字体 (w:rFonts w:eastAsia)"),
        (_not_odd_even, "未设置奇偶页不同 (evenAndOddHeaders)：页码单页居右、双页居左"),
        (_even_right, "双页页码应居左"),
        (_no_dashes, "单页页码应为「— 1 —」的形式"),
        (_no_page_field, "单页页脚缺少页码 (PAGE field)"),
        (_page_number_font, "单页页码应为4号宋体"),
        (_chinese_date, "日期应使用阿拉伯数字且不编虚位：「二〇二六年」"),
        (_padded_date, "日期应使用阿拉伯数字且不编虚位：「2026年01月」"),
    ],
)
def test_each_broken_rule_is_named(change, problem) -> None:
    assert problem in layout_problems(_rewrite(change))


def test_the_watermark_is_on_odd_and_even_pages_and_keeps_the_layout() -> None:
    data = add_watermark(_build(), "张三（zhangsan） 2026-12-03 18:30 下载")
    section = _read(data).sections[0]
    for header in (section.header, section.even_page_header):
        paragraph = header.paragraphs[0]
        assert paragraph.text == "张三（zhangsan） 2026-12-03 18:30 下载"
        assert _east_asia(paragraph) == {"宋体"}
        assert {run.font.size for run in paragraph.runs} == {Pt(9)}
    assert layout_problems(data) == []


# PDF ------------------------------------------------------------------------------------------------


def test_without_libreoffice_the_pdf_is_refused_clearly(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PdfUnavailable, match="未安装 LibreOffice"):
        to_pdf(_build())


def test_with_libreoffice_the_document_becomes_a_pdf() -> None:
    read_back(
        {
            "转交函": (
                _build(),
                ["江东市委第一巡察组", "江东巡转〔2026〕3号", "关于转交信访件的函", "抄送：市委巡察办。"],
            )
        }
    )


def test_typed_lines_with_structure_numbers_get_their_levels_font() -> None:
    doc = OfficialDocument()
    doc.title("谈话提纲")
    doc.paragraph("一、履行主体责任情况\n（二）三重一大\n3.其他\n普通正文")
    data = doc.save()
    document = _read(data)
    fonts = {
        text: _east_asia(_by_text(document, text))
        for text in ("一、履行主体责任情况", "（二）三重一大", "3.其他", "普通正文")
    }
    assert fonts == {
        "一、履行主体责任情况": {"黑体"},
        "（二）三重一大": {"楷体_GB2312"},
        "3.其他": {"仿宋_GB2312"},
        "普通正文": {"仿宋_GB2312"},
    }
    assert layout_problems(data) == []


@pytest.mark.parametrize("script", ["exit 1", "exit 0"])  # fails; succeeds but writes no PDF
def test_a_failing_libreoffice_is_refused_clearly(monkeypatch, tmp_path, script) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PdfUnavailable, match="生成 PDF 失败"):
        to_pdf(_build())
