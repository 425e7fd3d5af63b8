"""The GB/T 9704-2012 elements besides the body, each written and each checked: 版头 (份号, 密级和保密期限,
紧急程度, the red organ mark, 发文字号, 签发人, the red rule), 附件说明, 版记 (抄送, 印发机关和印发日期)."""

import datetime
import io
from collections.abc import Callable

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from xuncha.core.officialdoc import (
    ATTACHMENTS,
    COPIED_TO,
    COPY_NUMBER,
    DOC_NUMBER,
    ORGAN_MARK,
    PRINTED,
    SECRECY,
    SIGNER,
    URGENCY,
    OfficialDocument,
    elements,
    layout_problems,
)

Document = docx.document.Document


def _full(signers: tuple[str, ...] = ("刘振华",)) -> bytes:
    doc = OfficialDocument()
    doc.letterhead(
        "江东市委第一巡察组",
        number="江东巡〔2026〕3号",
        signers=signers,
        copy_number=7,
        secrecy="秘密★1年",
        urgency="加急",
    )
    doc.title("关于巡察市财政局党组的情况报告")
    doc.addressee("市委巡察工作领导小组")
    doc.paragraph("现将巡察情况报告如下。")
    doc.attachments(["问题线索清单", "选人用人专项检查报告。"])
    doc.signature("江东市委第一巡察组", datetime.date(2026, 11, 23))
    doc.record(
        copied_to=["市纪委监委", "市委组织部"],
        printed_by="江东市委巡察工作领导小组办公室",
        printed_on=datetime.date(2026, 11, 24),
    )
    return doc.save()


def _read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _styled(document: Document, style: str) -> list[Paragraph]:
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [p for p in paragraphs if p.style is not None and p.style.name == style]


def _east_asia(paragraph: Paragraph) -> list[str | None]:
    return [run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs if run.text.strip()]


def test_a_complete_document_has_every_element_in_the_standards_order() -> None:
    data = _full()
    assert elements(data) == [
        "份号",
        "密级和保密期限",
        "紧急程度",
        "发文机关标志",
        "发文字号",
        "签发人",
        "标题",
        "附件说明",
        "抄送",
        "印发机关和印发日期",
    ]
    assert layout_problems(data) == []
    declared = _read(data).core_properties.keywords
    assert declared.startswith("GB/T 9704：份号、密级和保密期限、紧急程度、发文机关标志")


def test_the_first_lines_are_copy_number_secrecy_and_urgency_flush_left() -> None:
    document = _read(_full())
    first = document.paragraphs[:3]
    assert [p.text for p in first] == ["000007", "秘密★1年", "加急"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.LEFT for p in first)
    assert all(p.paragraph_format.first_line_indent is None for p in first)
    assert [_east_asia(p) for p in first] == [["仿宋_GB2312"], ["黑体"], ["黑体"]]
    assert {run.font.size for p in first for run in p.runs} == {Pt(16)}


def test_the_organ_mark_is_red_xiaobiaosong_centred_35_mm_down() -> None:
    document = _read(_full())
    (mark,) = _styled(document, ORGAN_MARK)
    assert mark.text == "江东市委第一巡察组"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(mark) == ["方正小标宋简体"]
    assert {run.font.color.rgb for run in mark.runs} == {RGBColor(0xFF, 0, 0)}
    assert mark.runs[0].font.size == Pt(42)  # 初号, as nine characters fit the line
    # Three lines (份号, 密级, 紧急程度) of 28.95 pt above it, then the space to 35 mm.
    assert round(mark.paragraph_format.space_before.pt + 3 * 28.95) == round(Mm(35).pt)


def test_a_long_organ_name_gets_a_smaller_mark_that_fits_one_line() -> None:
    doc = OfficialDocument()
    doc.letterhead("江东市委巡察工作领导小组办公室")
    (mark,) = _styled(_read(doc.save()), ORGAN_MARK)
    assert mark.runs[0].font.size == Pt(29)  # 15 characters in 156 mm, in whole half-points
    assert round(mark.paragraph_format.space_before.mm) == 35


def test_the_number_is_two_lines_below_the_mark_with_the_red_rule_under_it() -> None:
    doc = OfficialDocument()
    doc.letterhead("江东市委巡察办", number="江东巡办〔2026〕12号")
    doc.title("关于开展巡察整改督办的通知")
    document = _read(doc.save())
    texts = [p.text for p in document.paragraphs]
    mark, number, title = (
        texts.index("江东市委巡察办"),
        texts.index("江东巡办〔2026〕12号"),
        texts.index("关于开展巡察整改督办的通知"),
    )
    assert number - mark == 3 and title - number == 3  # 下空二行 under the mark and under the rule
    paragraph = document.paragraphs[number]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    bottom = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"


def test_an_upward_document_puts_the_signers_on_the_numbers_line() -> None:
    document = _read(_full(("刘振华", "周敏")))
    (line,) = _styled(document, DOC_NUMBER)
    assert line.text == "江东巡〔2026〕3号\t签发人：刘振华 周敏"
    assert line.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert line.paragraph_format.left_indent == Pt(16)  # 居左空一字
    (stop,) = line.paragraph_format.tab_stops
    # The names end one character from the right.
    assert round(Length(stop.position).pt) == round(Length(Mm(156) - Pt(16)).pt)
    assert _east_asia(line) == ["仿宋_GB2312", "仿宋_GB2312", "楷体_GB2312"]


def test_a_signer_without_a_number_has_a_line_of_its_own() -> None:
    doc = OfficialDocument()
    doc.letterhead("江东市委第一巡察组", signers=["刘振华"])
    doc.title("报告")
    data = doc.save()
    (line,) = _styled(_read(data), SIGNER)
    assert line.text == "\t签发人：刘振华"
    assert layout_problems(data) == []


def test_the_letterhead_comes_first_and_a_number_needs_a_mark() -> None:
    doc = OfficialDocument()
    doc.title("标题")
    with pytest.raises(ValueError, match="before anything else"):
        doc.letterhead("江东市委第一巡察组")
    with pytest.raises(ValueError, match="needs the organ's mark"):
        OfficialDocument().letterhead(number="江东巡〔2026〕3号")


def test_a_classified_record_without_a_mark_has_only_its_first_lines() -> None:
    doc = OfficialDocument()
    doc.letterhead(copy_number=1, secrecy="机密")
    doc.title("个别谈话记录")
    data = doc.save()
    assert elements(data) == ["份号", "密级和保密期限", "标题"]
    assert layout_problems(data) == []


def test_attachments_are_numbered_and_aligned_under_the_first_name() -> None:
    document = _read(_full())
    first, second = _styled(document, ATTACHMENTS)
    # The trailing full stop of a name is dropped: 附件名称后不加标点符号.
    assert [first.text, second.text] == ["附件：1.问题线索清单", "2.选人用人专项检查报告"]
    for paragraph in (first, second):
        assert paragraph.paragraph_format.left_indent == Pt(5 * 16)
    assert first.paragraph_format.first_line_indent == -Pt(3 * 16)  # "附件" two characters from the left
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(first.text) - 2 :][:2] == ["现将巡察情况报告如下。", ""]  # 正文下空一行


def test_a_single_attachment_is_not_numbered() -> None:
    doc = OfficialDocument()
    doc.attachments(["问题线索清单"])
    doc.attachments([])  # nothing to say: nothing written
    (line,) = _styled(_read(doc.save()), ATTACHMENTS)
    assert line.text == "附件：问题线索清单"


def test_the_record_is_a_table_of_4hao_fangsong_between_rules_at_the_bottom() -> None:
    document = _read(_full())
    (copied,) = _styled(document, COPIED_TO)
    (printed,) = _styled(document, PRINTED)
    assert copied.text == "抄送：市纪委监委，市委组织部。"
    assert printed.text == "江东市委巡察工作领导小组办公室\t2026年11月24日印发"
    for paragraph in (copied, printed):
        assert set(_east_asia(paragraph)) == {"仿宋_GB2312"}
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
        assert paragraph.paragraph_format.left_indent in (Pt(14), Pt(14 + 42))  # 左空一字
    table: Table = document.tables[-1]
    pr = table._tbl.tblPr
    borders = pr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "insideH", "bottom")}
    assert sizes == {"top": "8", "insideH": "6", "bottom": "8"}  # 0.35 mm, 0.25 mm, 0.35 mm
    position = pr.find(qn("w:tblpPr"))
    assert (position.get(qn("w:vertAnchor")), position.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    # The record is last, followed only by the empty paragraph it is anchored to.
    *_, table_element, anchor, _section = document.element.body.iterchildren()
    assert table_element is table._tbl and anchor.tag == qn("w:p") and not Paragraph(anchor, None).text


# Broken on purpose: each element's rule is named ------------------------------------------------------


def _rewrite(change: Callable[[Document], None], data: bytes | None = None) -> bytes:
    document = _read(data or _full())
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _only(document: Document, style: str) -> Paragraph:
    return _styled(document, style)[0]


def _remove(style: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        for paragraph in _styled(document, style):
            paragraph._p.getparent().remove(paragraph._p)

    return change


def _black_mark(document: Document) -> None:
    for run in _only(document, ORGAN_MARK).runs:
        run.font.color.rgb = RGBColor(0, 0, 0)


def _mark_left(document: Document) -> None:
    _only(document, ORGAN_MARK).alignment = WD_ALIGN_PARAGRAPH.LEFT


def _mark_font(document: Document) -> None:
    _only(document, ORGAN_MARK).runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _black_rule(document: Document) -> None:
    bottom = _only(document, DOC_NUMBER)._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    bottom.set(qn("w:color"), "000000")


def _padded_number(document: Document) -> None:
    _only(document, DOC_NUMBER).runs[0].text = "江东巡〔2026〕03号"


def _signer_font(document: Document) -> None:
    _only(document, DOC_NUMBER).runs[-1]._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")


def _copy_number(document: Document) -> None:
    _only(document, COPY_NUMBER).runs[0].text = "7"


def _secrecy(document: Document) -> None:
    _only(document, SECRECY).runs[0].text = "内部"


def _secrecy_font(document: Document) -> None:
    _only(document, SECRECY).runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")


def _urgency(document: Document) -> None:
    _only(document, URGENCY).runs[0].text = "急件"


def _urgency_after_mark(document: Document) -> None:
    urgency, mark = _only(document, URGENCY), _only(document, ORGAN_MARK)
    mark._p.addnext(urgency._p)


def _copied_to(document: Document) -> None:
    _only(document, COPIED_TO).runs[0].text = "抄送：市纪委监委"


def _record_size(document: Document) -> None:
    for run in _only(document, PRINTED).runs:
        run.font.size = Pt(16)


def _printed_date(document: Document) -> None:
    _only(document, PRINTED).runs[-1].text = "\t2026年11月24日"


def _record_rules(document: Document) -> None:
    borders = document.tables[-1]._tbl.tblPr.find(qn("w:tblBorders"))
    borders.remove(borders.find(qn("w:bottom")))


def _attachment_font(document: Document) -> None:
    _only(document, ATTACHMENTS).runs[0]._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")


_REST = "紧急程度、发文字号、签发人、标题、附件说明、抄送、印发机关和印发日期"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_remove(ORGAN_MARK), "声明了发文机关标志，文档中却没有"),
        (_remove(COPIED_TO), "声明了抄送，文档中却没有"),
        (_remove(ATTACHMENTS), "声明了附件说明，文档中却没有"),
        (_black_mark, "发文机关标志应为红色"),
        (_mark_left, "发文机关标志应居中"),
        (_mark_font, "发文机关标志的字体应为方正小标宋简体"),
        (_black_rule, "版头缺少红色分隔线（发文字号之下）"),
        (_padded_number, "发文字号「江东巡〔2026〕03号」应为机关代字〔年份〕序号号，序号不编虚位"),
        (_signer_font, "签发人姓名的字体应为楷体_GB2312"),
        (_copy_number, "份号应为6位阿拉伯数字"),
        (_secrecy, "密级和保密期限「内部」应为绝密、机密或秘密，可加★和期限（如秘密★1年）"),
        (_secrecy_font, "密级和保密期限的字体应为黑体"),
        (_urgency, "紧急程度「急件」应为特急或加急"),
        (_urgency_after_mark, f"要素顺序不合 GB/T 9704：份号、密级和保密期限、发文机关标志、{_REST}"),
        (_copied_to, "抄送应以「抄送：」开头、以句号结尾"),
        (_record_size, "印发机关和印发日期的字号应为4号"),
        (_printed_date, "印发日期应为阿拉伯数字的年月日加「印发」"),
        (_record_rules, "版记缺少首条或末条分隔线"),
        (_attachment_font, "附件说明的字体应为仿宋_GB2312"),
    ],
)
def test_each_broken_element_rule_is_named(change: Callable[[Document], None], problem: str) -> None:
    assert problem in layout_problems(_rewrite(change))


def test_a_centred_number_must_stay_centred() -> None:
    doc = OfficialDocument()
    doc.letterhead("江东市委巡察办", number="江东巡办〔2026〕12号")
    doc.title("通知")

    def left(document: Document) -> None:
        _only(document, DOC_NUMBER).alignment = WD_ALIGN_PARAGRAPH.LEFT

    assert "发文字号应居中（上行文居左空一字）" in layout_problems(_rewrite(left, doc.save()))
