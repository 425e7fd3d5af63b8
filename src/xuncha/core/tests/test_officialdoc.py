"""The GB/T 9704-2012 layout of generated documents, read back with python-docx."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.core.officialdoc import OfficialDocument, chinese_number, official_date


def _build() -> bytes:
    doc = OfficialDocument()
    doc.number("江东巡转〔2026〕3号")
    doc.title("关于转交信访件的函")
    doc.addressee("市纪委监委")
    doc.paragraph("第一巡察组在巡察期间收到信访件一件。\n\n现转交你部门办理。")
    doc.heading(1, "基本情况")
    doc.heading(2, "反映内容")
    doc.heading(3, "具体问题")
    doc.heading(3, "其他问题")
    doc.heading(2, "办理要求")
    doc.heading(1, "有关要求")
    doc.signature("江东市委第一巡察组", datetime.date(2026, 11, 23))
    return doc.save()


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _east_asia(paragraph: docx.text.paragraph.Paragraph) -> set[str | None]:
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs}


def _by_text(document: docx.document.Document, text: str) -> docx.text.paragraph.Paragraph:
    return next(p for p in document.paragraphs if p.text == text)


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
