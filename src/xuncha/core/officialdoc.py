"""Official documents (党政机关公文) in the layout of GB/T 9704-2012, built with python-docx.

One small builder for every generated letter, report and notice, so that they all look alike::

    doc = OfficialDocument()
    doc.letterhead("江东市委第一巡察组", number="江东巡转〔2026〕3号")  # 版头: red mark, 文号, red rule
    doc.title("关于转交信访件的函")
    doc.addressee("市纪委监委")
    doc.heading(1, "基本情况")  # → 一、基本情况 (黑体)
    doc.paragraph("……")
    doc.attachments(["信访件复印件"])  # 附件说明
    doc.signature("江东市委第一巡察组", datetime.date(2026, 11, 23))
    doc.record(copied_to=["市委巡察办"], printed_by="江东市委第一巡察组", printed_on=day)  # 版记
    data = doc.save()  # the .docx file as bytes

What the standard fixes and this module applies: A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm (a text block of 156 × 225 mm); the title in 2号 (22 pt) 方正小标宋简体, centred; the body in 3号
(16 pt) 仿宋_GB2312 with an exact line pitch giving 22 lines a page; headings 一、 in 黑体, （一） in
楷体_GB2312, 1. in 仿宋; page numbers "— 1 —" in 4号 (14 pt) 宋体 at the bottom, odd pages on the right and
even pages on the left; dates in Arabic numerals (2026年11月23日); a document grid of 22 lines × 28
characters.

The standard's other elements, where a document has them (GB/T 9704-2012 §7): in the 版头, 份号 (six
digits), 密级和保密期限 and 紧急程度 (3号 黑体) flush left on the first lines; the 发文机关标志 in red 小标宋,
centred, its top edge 35 mm below the text block's; two lines below it the 发文字号 (centred, or one character
from the left with the 签发人 one character from the right on the same line, "签发人：" in 仿宋 and the names
in 楷体, for upward documents); the red rule 4 mm under it; the title two lines below the rule. Under the
body, one blank line and the 附件说明 two characters from the left. The 版记 at the end: 抄送 and the 印发机关
and 印发日期 in 4号 仿宋 between a thick first and last rule with a thin one between, the last rule on the
text block's lower edge (a table anchored to the bottom of the last page). Each element is a paragraph
style of its own name (份号, 发文机关标志 …) so that it can be found again, and the document lists the
elements it declares in its keywords property.

``layout_problems(data)`` reads any .docx back and lists where it departs from these rules (``[]`` when it
follows them): tests of every generated document call it. ``add_watermark(data, text)`` puts a small grey
line in every page's header (``core.downloads`` names the downloader with it). ``to_pdf(data)`` converts
with LibreOffice when it is installed and raises ``PdfUnavailable`` (with a Chinese message) when not.

Chinese fonts are set on the East Asian slot of each run (``w:rFonts w:eastAsia``): python-docx's
``font.name`` sets only the Latin slots, and Word would then fall back to the theme's Chinese font.
"""

import datetime
import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
MARK_FONT = TITLE_FONT
SIGNER_NAME_FONT = "楷体_GB2312"
RECORD_FONT = BODY_FONT
SECRECY_FONT = URGENCY_FONT = HEADING_FONTS[1]  # 黑体
RED = RGBColor(0xFF, 0x00, 0x00)

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
SIZE_TABLE = Pt(10.5)  # 5号
SIZE_RECORD = Pt(14)  # 4号: 抄送, 印发机关和印发日期
SIZE_MARK_MAX = Pt(42)  # 初号: the organ mark is as large as this, or smaller so that it fits one line

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_HEIGHT = Mm(225)
LINES_PER_PAGE = 22
# The pitch in whole twentieths of a point (Word's unit), rounded down so that exactly 22 lines fit
# into the 225 mm text block: 28.95 pt (22 × 28.95 ≤ 637.8 pt < 23 × 28.95).
LINE_PITCH = Pt(math.floor(TEXT_HEIGHT.pt / LINES_PER_PAGE * 20) / 20)
TEXT_WIDTH = Mm(156)
CHARS_PER_LINE = 28
# w:charSpace is the character pitch of the grid minus the Normal font's size, in 4096ths of a point
# (ECMA-376 §17.6.5), rounded down so that exactly 28 characters fit into the 156 mm line:
# 16 − 848/4096 = 15.793 pt (28 × 15.793 ≤ 442.2 pt < 29 × 15.793).
CHAR_SPACE = math.floor((TEXT_WIDTH.pt / CHARS_PER_LINE - SIZE_BODY.pt) * 4096)
# The page number's lower edge sits 7 mm below the text block: 35 − 7 = 28 mm above the paper's edge.
FOOTER_DISTANCE = Mm(28)

INDENT = Pt(2 * SIZE_BODY.pt)  # 首行缩进二字
MARK_TOP = Mm(35)  # the organ mark's top edge below the text block's (文件格式)
RULE_GAP_PT = 4  # the red rule about 4 mm under the 发文字号: the line's lower half-leading plus 4 pt
# Rules in eighths of a point (w:sz): the red rule, and the 版记's thick (0.35 mm) and thin (0.25 mm) rules.
RED_RULE_SIZE, THICK_RULE_SIZE, THIN_RULE_SIZE = 12, 8, 6

# The elements (要素) besides body and title, in the standard's order, each a paragraph style of its name.
COPY_NUMBER = "份号"
SECRECY = "密级和保密期限"
URGENCY = "紧急程度"
ORGAN_MARK = "发文机关标志"
DOC_NUMBER = "发文字号"
SIGNER = "签发人"
TITLE = "标题"
ATTACHMENTS = "附件说明"
COPIED_TO = "抄送"
PRINTED = "印发机关和印发日期"
ELEMENT_ORDER = (
    COPY_NUMBER,
    SECRECY,
    URGENCY,
    ORGAN_MARK,
    DOC_NUMBER,
    SIGNER,
    TITLE,
    ATTACHMENTS,
    COPIED_TO,
    PRINTED,
)
_KEYWORDS_PREFIX = "GB/T 9704："

_SECRECY_TEXT = re.compile(r"^(绝密|机密|秘密)(★(\d+年|\d+个月|长期))?$")
_URGENCY_TEXT = re.compile(r"^(特急|加急|特提|平急)$")
_DOC_NUMBER_TEXT = re.compile(r"^\S+〔\d{4}〕[1-9]\d*号$")
_PRINTED_TEXT = re.compile(r"\d{4}年[1-9]\d?月[1-9]\d?日印发$")
PAGE_NUMBER_INSET = SIZE_PAGE_NUMBER  # 单页码居右空一字，双页码居左空一字

# The structure numbers (结构层次序数) of the levels, and the font each level is set in.
_HEADING_FONTS = (
    (re.compile(r"^[一二三四五六七八九十]+、"), HEADING_FONTS[1]),
    (re.compile(r"^（[一二三四五六七八九十]+）"), HEADING_FONTS[2]),
    (re.compile(r"^\d+[.．]"), HEADING_FONTS[3]),
)

# Characters XML 1.0 cannot hold (python-docx would raise on them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def official_date(day: datetime.date) -> str:
    """A date as official documents write it: 2026年11月23日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """一, 二 … 九十九: the numerals of first- and second-level headings."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _width_in_chars(text: str) -> float:
    """How many full-width characters ``text`` occupies (Arabic numerals and Latin letters are half)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _set_font(run: Run, name: str, size: Length) -> None:
    run.font.name = name  # the Latin slots (ascii, hAnsi)
    run.font.size = size
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _field_char(paragraph: Paragraph, kind: str) -> Run:
    run = paragraph.add_run()
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)
    return run


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> list[Run]:
    """A complex field (e.g. PAGE) that Word and WPS compute when they lay the document out."""
    begin = _field_char(paragraph, "begin")
    code = paragraph.add_run()
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = instruction
    code._r.append(element)
    separate = _field_char(paragraph, "separate")
    shown = paragraph.add_run(placeholder)
    return [begin, code, separate, shown, _field_char(paragraph, "end")]


def _off_grid() -> BaseOxmlElement:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    return snap


def _border(tag: str, size: int, colour: str, *, space: int = 0) -> BaseOxmlElement:
    border = OxmlElement(tag)
    for name, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", colour)):
        border.set(qn(f"w:{name}"), value)
    return border


def _red_rule(paragraph: Paragraph) -> None:
    """The red rule (版头中的分隔线) as the paragraph's lower border, as wide as the text block."""
    borders = OxmlElement("w:pBdr")
    borders.append(_border("w:bottom", RED_RULE_SIZE, str(RED), space=RULE_GAP_PT))
    paragraph._p.get_or_add_pPr().append(borders)


def _record_table(table: Table) -> None:
    """The 版记's frame: as wide as the text block, a thick first and last rule and thin ones between, no
    cell margins, and anchored to the bottom of the text block (a floating table) on the page it ends."""
    tbl_pr = table._tbl.tblPr
    position = OxmlElement("w:tblpPr")
    for name, value in (
        ("vertAnchor", "margin"),
        ("tblpYSpec", "bottom"),
        ("horzAnchor", "margin"),
        ("tblpXSpec", "center"),
    ):
        position.set(qn(f"w:{name}"), value)
    tbl_pr.append(position)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(TEXT_WIDTH.pt * 20)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.append(width)
    borders = OxmlElement("w:tblBorders")
    for tag, size in (
        ("w:top", THICK_RULE_SIZE),
        ("w:bottom", THICK_RULE_SIZE),
        ("w:insideH", THIN_RULE_SIZE),
    ):
        borders.append(_border(tag, size, "000000"))
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.append(margins)
    table.autofit = False
    table.columns[0].width = TEXT_WIDTH
    for cell in table.columns[0].cells:
        cell.width = TEXT_WIDTH


class OfficialDocument:
    """A document in the GB/T 9704-2012 layout, written top to bottom and returned by ``save()``."""

    def __init__(self) -> None:
        self._doc = docx.Document()
        self._numbers = [0, 0, 0]  # the running numbers of heading levels 1, 2, 3
        self._declared: list[str] = []  # the elements written, saved in the keywords property
        self._set_up_page()
        self._set_up_defaults()
        self._set_up_page_numbers()

    # Page set-up ------------------------------------------------------------------------------------

    def _set_up_page(self) -> None:
        section = self._doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.footer_distance = FOOTER_DISTANCE
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        self._doc.core_properties.author = ""
        self._doc.core_properties.comments = ""

    def _set_up_defaults(self) -> None:
        """Body text by default, so blank lines and anything unstyled keep the 22-line grid."""
        defaults = self._doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
            if fonts is not None:
                # Theme font attributes win over named fonts; drop them so the named fonts apply.
                for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(theme), None)
                for slot in ("w:ascii", "w:eastAsia", "w:hAnsi"):
                    fonts.set(qn(slot), BODY_FONT)
            # Simplified Chinese, so that a substitute font's SC face is chosen, not a Japanese one.
            lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
            if lang is not None:
                lang.set(qn("w:eastAsia"), "zh-CN")
        normal = self._doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = SIZE_BODY
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)

    def _set_up_page_numbers(self) -> None:
        self._doc.settings.odd_and_even_pages_header_footer = True
        section = self._doc.sections[0]
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = PAGE_NUMBER_INSET
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = PAGE_NUMBER_INSET
        for paragraph in (odd, even):
            runs = [paragraph.add_run("— "), *_add_field(paragraph, " PAGE ", "1"), paragraph.add_run(" —")]
            for run in runs:
                _set_font(run, PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)

    # Content ------------------------------------------------------------------------------------------

    def _line(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: Length = SIZE_BODY,
        align: int = WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent: Length | None = None,
        left_indent: Length | None = None,
        right_indent: Length | None = None,
        element: str = "",
        container: docx.table._Cell | None = None,
    ) -> Paragraph:
        """One paragraph on the line grid; ``element`` names the standard's element it is (its style)."""
        # A table cell (of the 版记) comes with its one empty paragraph.
        paragraph: Paragraph = self._doc.add_paragraph() if container is None else container.paragraphs[0]
        if element:
            self._declare(element)
            paragraph.style = self._element_style(element)
        paragraph.alignment = align  # type: ignore[assignment]
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        if first_line_indent is not None:
            fmt.first_line_indent = first_line_indent
        if left_indent is not None:
            fmt.left_indent = left_indent
        if right_indent is not None:
            fmt.right_indent = right_indent
        if text:
            _set_font(paragraph.add_run(_NOT_XML.sub("", text)), font, size)
        return paragraph

    def _declare(self, element: str) -> None:
        if element not in self._declared:
            self._declared.append(element)

    def _element_style(self, element: str) -> docx.styles.style.ParagraphStyle:
        styles = self._doc.styles
        if element not in [style.name for style in styles]:
            style = styles.add_style(element, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        return styles[element]

    def blank(self) -> None:
        """An empty line of the body grid."""
        self._line("")

    def letterhead(
        self,
        organ: str = "",
        *,
        number: str = "",
        signers: Sequence[str] = (),
        copy_number: int | None = None,
        secrecy: str = "",
        urgency: str = "",
    ) -> None:
        """The 版头, first in the document: 份号 (``copy_number`` as six digits), 密级和保密期限 (e.g.
        "秘密★1年") and 紧急程度 (特急, 加急) on the first lines, flush left; then the organ's mark in red,
        the 发文字号 and, for an upward document, the ``signers`` (签发人), the red rule and the two blank
        lines above the title. Without ``organ`` only the first lines are written (a classified record has
        no mark)."""
        if self._doc.paragraphs:
            raise ValueError("the letterhead comes before anything else")
        if (number or signers) and not organ:
            raise ValueError("a 发文字号 or 签发人 needs the organ's mark above it")
        lines = 0
        if copy_number is not None:
            self._line(f"{copy_number:06d}", align=WD_ALIGN_PARAGRAPH.LEFT, element=COPY_NUMBER)
            lines += 1
        for text, font, element in ((secrecy, SECRECY_FONT, SECRECY), (urgency, URGENCY_FONT, URGENCY)):
            if text:
                self._line(text, font=font, align=WD_ALIGN_PARAGRAPH.LEFT, element=element)
                lines += 1
        if not organ:
            return
        mark = self._mark(organ, space_before=Length(max(0, MARK_TOP - lines * LINE_PITCH)))
        last = mark
        if number or signers:
            self.blank()
            self.blank()
            last = self._number_line(number, signers)
        _red_rule(last)
        self.blank()
        self.blank()

    def _mark(self, organ: str, *, space_before: Length) -> Paragraph:
        size = Pt(min(SIZE_MARK_MAX.pt, math.floor(TEXT_WIDTH.pt / _width_in_chars(organ) * 2) / 2))
        paragraph = self._line(
            organ, font=MARK_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, element=ORGAN_MARK
        )
        fmt = paragraph.paragraph_format
        # Off the line grid: a mark of 初号 on the 3号 grid's exact pitch would be clipped.
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = space_before
        paragraph._p.get_or_add_pPr().append(_off_grid())
        for run in paragraph.runs:
            run.font.color.rgb = RED
        return paragraph

    def _number_line(self, number: str, signers: Sequence[str]) -> Paragraph:
        """The 发文字号 centred; for an upward document one character from the left, with "签发人：" and the
        names one character from the right on the same line."""
        if not signers:
            return self._line(number, align=WD_ALIGN_PARAGRAPH.CENTER, element=DOC_NUMBER)
        paragraph = self._line(
            number,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            left_indent=SIZE_BODY,
            element=DOC_NUMBER if number else SIGNER,
        )
        self._declare(SIGNER)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Length(TEXT_WIDTH - SIZE_BODY), WD_TAB_ALIGNMENT.RIGHT
        )
        _set_font(paragraph.add_run("\t签发人："), BODY_FONT, SIZE_BODY)
        _set_font(
            paragraph.add_run(" ".join(_NOT_XML.sub("", name) for name in signers)),
            SIGNER_NAME_FONT,
            SIZE_BODY,
        )
        return paragraph

    def title(self, text: str) -> None:
        """The title, centred in 2号 小标宋, followed by the blank line the standard puts under it."""
        self._line(text, font=TITLE_FONT, size=SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._doc.core_properties.title = text
        self.blank()

    def addressee(self, text: str) -> None:
        """The 主送机关, flush left and ending in a full-width colon."""
        text = text.strip().rstrip(":：")
        self._line(f"{text}：", align=WD_ALIGN_PARAGRAPH.LEFT)

    def paragraph(self, text: str) -> None:
        """Body text; each line of ``text`` becomes a paragraph indented by two characters. A line that
        starts with a structure number (typed text such as "一、……") is set in that level's font."""
        for line in text.splitlines():
            if line.strip():
                font = next((f for pattern, f in _HEADING_FONTS if pattern.match(line.strip())), BODY_FONT)
                self._line(line.strip(), font=font, first_line_indent=INDENT)

    def heading(self, level: int, text: str) -> None:
        """A numbered heading: level 1 "一、" in 黑体, level 2 "（一）" in 楷体, level 3 "1." in 仿宋.

        The numbers run on by themselves and restart under each higher heading."""
        if level not in HEADING_FONTS:
            raise ValueError(f"heading level must be 1, 2 or 3, not {level}")
        self._numbers[level - 1] += 1
        for lower in range(level, len(self._numbers)):
            self._numbers[lower] = 0
        n = self._numbers[level - 1]
        prefix = {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}."}[level]
        self._line(prefix + text.strip(), font=HEADING_FONTS[level], first_line_indent=INDENT)

    def signature(self, org: str, day: datetime.date) -> None:
        """The issuing body and the date under the text (without a seal): one blank line, the body two
        characters from the right edge, and the date below it, starting two characters further right.
        When the date is the wider of the two, the date keeps two characters from the edge instead."""
        date_text = official_date(day)
        org_width, date_width = _width_in_chars(org), _width_in_chars(date_text)
        date_inset = max(2.0, org_width - date_width)
        org_inset = date_inset + date_width + 2 - org_width
        self.blank()
        for text, inset in ((org, org_inset), (date_text, date_inset)):
            self._line(text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(inset * SIZE_BODY.pt))

    def attachments(self, names: Sequence[str]) -> None:
        """The 附件说明 under the body: one blank line, then "附件：" two characters from the left and the
        names (numbered 1. 2. … when there are several), each further line aligned with the first name."""
        names = [name.strip().rstrip("。；;，,.") for name in names if name.strip()]
        if not names:
            return
        self.blank()
        numbered = [f"{n}.{name}" if len(names) > 1 else name for n, name in enumerate(names, start=1)]
        hang = Pt(3 * SIZE_BODY.pt)  # "附件：" is three characters wide
        for index, text in enumerate(numbered):
            self._line(
                f"附件：{text}" if index == 0 else text,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                left_indent=Length(INDENT + hang),
                first_line_indent=Length(-hang) if index == 0 else None,
                element=ATTACHMENTS,
            )

    def record(self, *, printed_by: str, printed_on: datetime.date, copied_to: Sequence[str] = ()) -> None:
        """The 版记, last: 抄送 (when ``copied_to``) and the 印发机关 and 印发日期, in 4号 仿宋 between the
        版记's rules, anchored to the bottom of the last page's text block."""
        copied = [name.strip() for name in copied_to if name.strip()]
        table = self._doc.add_table(rows=2 if copied else 1, cols=1)
        _record_table(table)
        cells = [row.cells[0] for row in table.rows]
        one = SIZE_RECORD  # 左右各空一字 in 4号
        if copied:
            hang = Pt(3 * one.pt)  # "抄送：" is three characters wide; further lines align after the colon
            self._line(
                f"抄送：{'，'.join(copied)}。",
                font=RECORD_FONT,
                size=SIZE_RECORD,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                left_indent=Length(one + hang),
                first_line_indent=Length(-hang),
                right_indent=one,
                element=COPIED_TO,
                container=cells[0],
            )
        printed = self._line(
            printed_by,
            font=RECORD_FONT,
            size=SIZE_RECORD,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            left_indent=one,
            element=PRINTED,
            container=cells[-1],
        )
        printed.paragraph_format.tab_stops.add_tab_stop(Length(TEXT_WIDTH - one), WD_TAB_ALIGNMENT.RIGHT)
        _set_font(printed.add_run(f"\t{official_date(printed_on)}印发"), RECORD_FONT, SIZE_RECORD)
        # The paragraph a floating table is anchored to (LibreOffice drops a table that has none).
        self._line("")

    def save(self) -> bytes:
        if self._declared:
            self._doc.core_properties.keywords = _KEYWORDS_PREFIX + "、".join(self._declared)
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        """A ruled table (a 目录, a list) in 五号 仿宋 with the header row in 黑体; ``widths`` in mm per
        column, adding up to the text block's 156 mm."""
        table = self._doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self._doc.styles["Table Grid"]
        table.autofit = False
        for r, texts in enumerate([header, *rows]):
            for c, text in enumerate(texts):
                cell = table.cell(r, c)
                cell.width = Mm(widths[c])
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else WD_ALIGN_PARAGRAPH.LEFT
                fmt = paragraph.paragraph_format
                fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
                fmt.space_before = fmt.space_after = Pt(0)
                if text:
                    run = paragraph.add_run(_NOT_XML.sub("", text))
                    _set_font(run, HEADING_FONTS[1] if r == 0 else BODY_FONT, SIZE_TABLE)


# Reading a document back: where it departs from GB/T 9704 ---------------------------------------------

WATERMARK_FONT = PAGE_NUMBER_FONT
SIZE_WATERMARK = Pt(9)  # 小五
WATERMARK_COLOUR = RGBColor(0x99, 0x99, 0x99)

_CN_DIGIT = "〇零○一二三四五六七八九十"
_CHINESE_DATE = re.compile(
    rf"[{_CN_DIGIT}]{{4}}年|[{_CN_DIGIT}]{{1,3}}月[{_CN_DIGIT}]{{1,3}}日|\d{{4}}年0\d月|\d{{1,2}}月0\d日"
)
_PAGE_NUMBER = re.compile(r"^— \S+ —$")
_MM_TOLERANCE = 0.5


def _east_asia_font(run: Run) -> str | None:
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _text_runs(paragraph: Paragraph) -> list[Run]:
    return [run for run in paragraph.runs if run.text.strip()]


def _page_problems(document: docx.document.Document) -> list[str]:
    problems = []
    for index, section in enumerate(document.sections, start=1):
        where = f"第{index}节" if len(document.sections) > 1 else ""
        measures = {
            "纸张宽度 (page width)": (section.page_width, PAGE_WIDTH),
            "纸张高度 (page height)": (section.page_height, PAGE_HEIGHT),
            "上边距 (top margin)": (section.top_margin, MARGIN_TOP),
            "下边距 (bottom margin)": (section.bottom_margin, MARGIN_BOTTOM),
            "左边距 (left margin)": (section.left_margin, MARGIN_LEFT),
            "右边距 (right margin)": (section.right_margin, MARGIN_RIGHT),
        }
        for label, (actual, expected) in measures.items():
            if actual is None or abs(Length(actual).mm - expected.mm) > _MM_TOLERANCE:
                shown = "未设置" if actual is None else f"{Length(actual).mm:.1f} mm"
                problems.append(f"{where}{label}应为 {expected.mm:.0f} mm，实为 {shown}")
        problems += _grid_problems(section, where)
    return problems


def _grid_problems(section: docx.section.Section, where: str) -> list[str]:
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None or grid.get(qn("w:type")) != "linesAndChars":
        return [f"{where}未设置文档网格 (docGrid linesAndChars)：每页 22 行、每行 28 字"]
    problems = []
    pitch = Pt(int(grid.get(qn("w:linePitch"), "0")) / 20)
    if not (pitch and LINES_PER_PAGE * pitch <= TEXT_HEIGHT < (LINES_PER_PAGE + 1) * pitch):
        problems.append(f"{where}文档网格行距 (linePitch) 不是每页 22 行")
    char_pitch = SIZE_BODY.pt + int(grid.get(qn("w:charSpace"), "0")) / 4096
    if not (CHARS_PER_LINE * char_pitch <= TEXT_WIDTH.pt < (CHARS_PER_LINE + 1) * char_pitch):
        problems.append(f"{where}文档网格字距 (charSpace) 不是每行 28 字")
    return problems


def _body_problems(document: docx.document.Document) -> list[str]:
    problems = []
    normal = document.styles["Normal"]
    rpr = normal.element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    if fonts is None or fonts.get(qn("w:eastAsia")) != BODY_FONT:
        problems.append("正文默认中文字体 (Normal eastAsia) 应为仿宋_GB2312")
    if normal.font.size != SIZE_BODY:
        problems.append("正文默认字号应为3号 (16 pt)")
    fmt = normal.paragraph_format
    pitch = fmt.line_spacing if isinstance(fmt.line_spacing, Length) else None
    exact = fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pitch is not None
    if not (exact and pitch and LINES_PER_PAGE * pitch <= TEXT_HEIGHT < (LINES_PER_PAGE + 1) * pitch):
        problems.append("正文行距应为固定值，每页 22 行 (exact line pitch)")
    for paragraph in document.paragraphs:
        own = paragraph.paragraph_format
        off_grid = paragraph.style is not None and paragraph.style.name == ORGAN_MARK  # its own size
        if own.line_spacing is not None and own.line_spacing != pitch and not off_grid:
            problems.append(f"段落「{paragraph.text[:12]}」的行距不合每页 22 行")
    return problems


def _title_problems(document: docx.document.Document) -> list[str]:
    wanted = document.core_properties.title
    title = next((p for p in document.paragraphs if wanted and p.text == wanted), None)
    if title is None:
        return ["缺少标题 (no title paragraph matching the document's title property)"]
    problems = []
    if title.alignment != WD_ALIGN_PARAGRAPH.CENTER:
        problems.append("标题应居中")
    runs = _text_runs(title)
    if {_east_asia_font(run) for run in runs} != {TITLE_FONT}:
        problems.append("标题字体应为方正小标宋简体")
    if {run.font.size for run in runs} != {SIZE_TITLE}:
        problems.append("标题字号应为2号 (22 pt)")
    return problems


def _heading_problems(document: docx.document.Document) -> list[str]:
    problems = []
    for paragraph in document.paragraphs:
        for pattern, font in _HEADING_FONTS:
            if pattern.match(paragraph.text):
                head = _text_runs(paragraph)[:1]
                if head and _east_asia_font(head[0]) != font:
                    problems.append(f"标题「{paragraph.text[:12]}」的字体应为{font}")
                break
    return problems


def _all_paragraphs(document: docx.document.Document) -> list[Paragraph]:
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        paragraphs += [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        for part in (section.header, section.even_page_header, section.footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                paragraphs += part.paragraphs
    return paragraphs


def _run_problems(paragraphs: list[Paragraph]) -> list[str]:
    missing = [p.text[:12] for p in paragraphs if any(_east_asia_font(r) is None for r in _text_runs(p))]
    return [f"段落「{text}」有文字未设置中文字体 (w:rFonts w:eastAsia)" for text in missing]


def _page_number_problems(document: docx.document.Document) -> list[str]:
    if not document.settings.odd_and_even_pages_header_footer:
        return ["未设置奇偶页不同 (evenAndOddHeaders)：页码单页居右、双页居左"]
    problems = []
    section = document.sections[0]
    for label, footer, alignment in (
        ("单页", section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        ("双页", section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        numbered = [
            p
            for p in ([] if footer.is_linked_to_previous else footer.paragraphs)
            if any((code.text or "").strip() == "PAGE" for code in p._element.iter(qn("w:instrText")))
        ]
        if not numbered:
            problems.append(f"{label}页脚缺少页码 (PAGE field)")
            continue
        paragraph = numbered[0]
        if not _PAGE_NUMBER.match(paragraph.text):
            problems.append(f"{label}页码应为「— 1 —」的形式")
        if paragraph.alignment != alignment:
            problems.append(f"{label}页码应{'居右' if alignment == WD_ALIGN_PARAGRAPH.RIGHT else '居左'}")
        runs = _text_runs(paragraph)
        if {_east_asia_font(run) for run in runs} != {PAGE_NUMBER_FONT} or {r.font.size for r in runs} != {
            SIZE_PAGE_NUMBER
        }:
            problems.append(f"{label}页码应为4号宋体")
    return problems


def _date_problems(paragraphs: list[Paragraph]) -> list[str]:
    return [
        f"日期应使用阿拉伯数字且不编虚位：「{match.group()}」"
        for paragraph in paragraphs
        for match in _CHINESE_DATE.finditer(paragraph.text)
    ]


def _found(document: docx.document.Document) -> list[tuple[str, Paragraph]]:
    """The elements in document order, by their paragraph styles (the title by its text); the 签发人 also
    where it shares the 发文字号's line."""
    found: list[tuple[str, Paragraph]] = []
    title = document.core_properties.title
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs = [Paragraph(child, document._body)]
        elif child.tag == qn("w:tbl"):
            table = Table(child, document._body)
            paragraphs = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
        else:
            continue
        for paragraph in paragraphs:
            style = paragraph.style.name if paragraph.style is not None else ""
            if style in ELEMENT_ORDER and style != TITLE:
                found.append((style, paragraph))
            if style == DOC_NUMBER and "签发人：" in paragraph.text:
                found.append((SIGNER, paragraph))
            if title and paragraph.text == title and all(name != TITLE for name, _ in found):
                found.append((TITLE, paragraph))
    return found


def elements(data: bytes) -> list[str]:
    """The GB/T 9704 elements a .docx has besides its body (标题 included), in document order."""
    return list(dict.fromkeys(name for name, _ in _found(docx.Document(io.BytesIO(data)))))


def _declared(document: docx.document.Document) -> list[str]:
    keywords = document.core_properties.keywords or ""
    if not keywords.startswith(_KEYWORDS_PREFIX):
        return []
    return [name for name in keywords.removeprefix(_KEYWORDS_PREFIX).split("、") if name]


_SIZE_NAMES: dict[Length, str] = {SIZE_BODY: "3号", SIZE_RECORD: "4号"}


def _font_problems(runs: list[Run], label: str, font: str, size: Length | None) -> list[str]:
    problems = []
    if runs and {_east_asia_font(run) for run in runs} != {font}:
        problems.append(f"{label}的字体应为{font}")
    if runs and size is not None and {run.font.size for run in runs} != {size}:
        problems.append(f"{label}的字号应为{_SIZE_NAMES[size]}")
    return problems


def _signer_problems(paragraph: Paragraph) -> list[str]:
    runs = _text_runs(paragraph)
    label = next((i for i, run in enumerate(runs) if "签发人：" in run.text), None)
    if label is None:
        return ["签发人应写作「签发人：」加姓名"]
    problems = _font_problems(runs[label : label + 1], "「签发人」三字", BODY_FONT, SIZE_BODY)
    problems += _font_problems(runs[label + 1 :], "签发人姓名", SIGNER_NAME_FONT, SIZE_BODY)
    if not runs[label + 1 :]:
        problems.append("签发人缺少姓名")
    return problems


def _one_element_problems(name: str, paragraph: Paragraph) -> list[str]:
    text, runs = paragraph.text.strip(), _text_runs(paragraph)
    problems = []
    if name == COPY_NUMBER:
        if not re.fullmatch(r"\d{6}", text):
            problems.append("份号应为6位阿拉伯数字")
        problems += _font_problems(runs, name, BODY_FONT, SIZE_BODY)
    elif name == SECRECY:
        if not _SECRECY_TEXT.match(text):
            problems.append(f"密级和保密期限「{text}」应为绝密、机密或秘密，可加★和期限（如秘密★1年）")
        problems += _font_problems(runs, name, SECRECY_FONT, SIZE_BODY)
    elif name == URGENCY:
        if not _URGENCY_TEXT.match(text):
            problems.append(f"紧急程度「{text}」应为特急或加急")
        problems += _font_problems(runs, name, URGENCY_FONT, SIZE_BODY)
    elif name == ORGAN_MARK:
        if paragraph.alignment != WD_ALIGN_PARAGRAPH.CENTER:
            problems.append("发文机关标志应居中")
        if {run.font.color.rgb for run in runs} != {RED}:
            problems.append("发文机关标志应为红色")
        problems += _font_problems(runs, name, MARK_FONT, None)
    elif name == DOC_NUMBER:
        number = text.split("\t")[0].strip()
        if not _DOC_NUMBER_TEXT.match(number):
            problems.append(f"发文字号「{number}」应为机关代字〔年份〕序号号，序号不编虚位")
        signed = "签发人：" in text
        if not signed and paragraph.alignment != WD_ALIGN_PARAGRAPH.CENTER:
            problems.append("发文字号应居中（上行文居左空一字）")
        number_runs = runs[: next((i for i, r in enumerate(runs) if "签发人" in r.text), len(runs))]
        problems += _font_problems(number_runs, name, BODY_FONT, SIZE_BODY)
    elif name == SIGNER:
        problems += _signer_problems(paragraph)
    elif name == ATTACHMENTS:
        problems += _font_problems(runs, name, BODY_FONT, SIZE_BODY)
    elif name == COPIED_TO:
        if not (text.startswith("抄送：") and text.endswith("。")):
            problems.append("抄送应以「抄送：」开头、以句号结尾")
        problems += _font_problems(runs, name, RECORD_FONT, SIZE_RECORD)
    elif name == PRINTED:
        if not _PRINTED_TEXT.search(text):
            problems.append("印发日期应为阿拉伯数字的年月日加「印发」")
        problems += _font_problems(runs, name, RECORD_FONT, SIZE_RECORD)
    return problems


def _has_red_rule(paragraph: Paragraph) -> bool:
    bottom = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    return bottom is not None and (bottom.get(qn("w:color")) or "").upper() == str(RED)


def _record_rule_problems(paragraph: Paragraph) -> list[str]:
    table = paragraph._p.getparent()
    while table is not None and table.tag != qn("w:tbl"):
        table = table.getparent()
    borders = table.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}") if table is not None else None
    sides = {
        side: borders.find(qn(f"w:{side}")) if borders is not None else None for side in ("top", "bottom")
    }
    if any(border is None or border.get(qn("w:val")) in (None, "nil", "none") for border in sides.values()):
        return ["版记缺少首条或末条分隔线"]
    return []


def _element_problems(document: docx.document.Document) -> list[str]:
    found = _found(document)
    names = list(dict.fromkeys(name for name, _ in found))
    problems = [f"声明了{name}，文档中却没有" for name in _declared(document) if name not in names]
    ranks = [ELEMENT_ORDER.index(name) for name, _ in found]
    if ranks != sorted(ranks):
        problems.append(f"要素顺序不合 GB/T 9704：{'、'.join(names)}")
    for name, paragraph in found:
        problems += _one_element_problems(name, paragraph)
    head = [p for name, p in found if name in (ORGAN_MARK, DOC_NUMBER, SIGNER)]
    if head and not _has_red_rule(head[-1]):
        problems.append("版头缺少红色分隔线（发文字号之下）")
    record = [p for name, p in found if name in (COPIED_TO, PRINTED)]
    if record:
        problems += _record_rule_problems(record[-1])
    return problems


def layout_problems(data: bytes) -> list[str]:
    """Every departure of a .docx from the GB/T 9704 layout above, one line each; ``[]`` when none."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = _all_paragraphs(document)
    return [
        *_page_problems(document),
        *_body_problems(document),
        *_title_problems(document),
        *_heading_problems(document),
        *_element_problems(document),
        *_run_problems(paragraphs),
        *_page_number_problems(document),
        *_date_problems(paragraphs),
    ]


# Watermark -------------------------------------------------------------------------------------------


def add_watermark(data: bytes, text: str) -> bytes:
    """``data`` with ``text`` as a small grey line at the top of every page (odd and even headers)."""
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        headers = [section.header]
        if document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt = paragraph.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.first_line_indent = None
            run = paragraph.add_run(_NOT_XML.sub("", text))
            _set_font(run, WATERMARK_FONT, SIZE_WATERMARK)
            run.font.color.rgb = WATERMARK_COLOUR
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# PDF -------------------------------------------------------------------------------------------------


class PdfUnavailable(Exception):
    """The PDF cannot be made here; the message is Chinese and safe to show."""


# A conversion takes 1–3 s; the limit stays below gunicorn's 30 s worker timeout, so that a stuck
# LibreOffice gives the Chinese message rather than a killed worker.
PDF_TIMEOUT_SECONDS = 20


# LibreOffice puts each character whose font is wider than the character grid's pitch into two cells of
# it, so the condensed 28-character grid (charSpace < 0, which Word honours) gives 14 characters a line.
# For the conversion the grid keeps its lines only and the characters are condensed instead: 16 − 0.25 pt
# (w:spacing in twentieths of a point) also fits 28 to the line.
CONDENSED_SPACING = -5


def _for_libreoffice(data: bytes) -> bytes:
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
            grid.attrib.pop(qn("w:charSpace"), None)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSED_SPACING))
    rpr.append(spacing)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_pdf(data: bytes) -> bytes:
    """The .docx converted by LibreOffice (``soffice --headless``), with a private profile in a temporary
    directory so that concurrent conversions do not share (and lock) one. The fonts come from fontconfig:
    ``deploy/fontconfig/xuncha-fonts.conf`` maps the official font names to free CJK fonts."""
    return to_pdfs([data])[0]


def to_pdfs(documents: Sequence[bytes], *, timeout: float = PDF_TIMEOUT_SECONDS) -> list[bytes]:
    """Several .docx converted by one LibreOffice run (tests convert every kind of document at once)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 文档。")
    with tempfile.TemporaryDirectory(prefix="xuncha-pdf-") as tmp:
        folder = Path(tmp)
        sources = [folder / f"document{n}.docx" for n in range(len(documents))]
        for source, data in zip(sources, documents, strict=True):
            source.write_bytes(_for_libreoffice(data))
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ]
        env = {**os.environ, "HOME": str(folder)}
        try:
            # The command is fixed; only our own temporary paths vary.
            subprocess.run(command, capture_output=True, timeout=timeout, check=True, env=env)  # noqa: S603
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable("生成 PDF 超时，请稍后再试或下载 Word 文档。") from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            raise PdfUnavailable("生成 PDF 失败，请下载 Word 文档。") from exc
        results = [source.with_suffix(".pdf") for source in sources]
        if not all(result.is_file() for result in results):
            raise PdfUnavailable("生成 PDF 失败，请下载 Word 文档。")
        return [result.read_bytes() for result in results]
