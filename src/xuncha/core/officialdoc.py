"""Official documents (党政机关公文) in the layout of GB/T 9704-2012, built with python-docx.

One small builder for every generated letter, report and notice, so that they all look alike::

    doc = OfficialDocument()
    doc.number("江东巡转〔2026〕3号")
    doc.title("关于转交信访件的函")
    doc.addressee("市纪委监委")
    doc.heading(1, "基本情况")  # → 一、基本情况 (黑体)
    doc.paragraph("……")
    doc.signature("江东市委第一巡察组", datetime.date(2026, 11, 23))
    data = doc.save()  # the .docx file as bytes

What the standard fixes and this module applies: A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm (a text block of 156 × 225 mm); the title in 2号 (22 pt) 方正小标宋简体, centred; the body in 3号
(16 pt) 仿宋_GB2312 with an exact line pitch giving 22 lines a page; headings 一、 in 黑体, （一） in
楷体_GB2312, 1. in 仿宋; page numbers "— 1 —" in 4号 (14 pt) 宋体 at the bottom, odd pages on the right and
even pages on the left; dates in Arabic numerals (2026年11月23日).

Chinese fonts are set on the East Asian slot of each run (``w:rFonts w:eastAsia``): python-docx's
``font.name`` sets only the Latin slots, and Word would then fall back to the theme's Chinese font.
"""

import datetime
import io
import math
import re
import unicodedata

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_HEIGHT = Mm(225)
LINES_PER_PAGE = 22
# The pitch in whole twentieths of a point (Word's unit), rounded down so that exactly 22 lines fit
# into the 225 mm text block: 28.95 pt (22 × 28.95 ≤ 637.8 pt < 23 × 28.95).
LINE_PITCH = Pt(math.floor(TEXT_HEIGHT.pt / LINES_PER_PAGE * 20) / 20)
# The page number's lower edge sits 7 mm below the text block: 35 − 7 = 28 mm above the paper's edge.
FOOTER_DISTANCE = Mm(28)

INDENT = Pt(2 * SIZE_BODY.pt)  # 首行缩进二字
PAGE_NUMBER_INSET = SIZE_PAGE_NUMBER  # 单页码居右空一字，双页码居左空一字

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


class OfficialDocument:
    """A document in the GB/T 9704-2012 layout, written top to bottom and returned by ``save()``."""

    def __init__(self) -> None:
        self._doc = docx.Document()
        self._numbers = [0, 0, 0]  # the running numbers of heading levels 1, 2, 3
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
        right_indent: Length | None = None,
    ) -> Paragraph:
        paragraph = self._doc.add_paragraph()
        paragraph.alignment = align  # type: ignore[assignment]
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        if first_line_indent is not None:
            fmt.first_line_indent = first_line_indent
        if right_indent is not None:
            fmt.right_indent = right_indent
        if text:
            _set_font(paragraph.add_run(_NOT_XML.sub("", text)), font, size)
        return paragraph

    def blank(self) -> None:
        """An empty line of the body grid."""
        self._line("")

    def number(self, text: str) -> None:
        """The 发文字号 of a letter (信函格式), at the right edge of the text block, above the title."""
        self._line(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.blank()

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
        """Body text; each line of ``text`` becomes a paragraph indented by two characters."""
        for line in text.splitlines():
            if line.strip():
                self._line(line.strip(), first_line_indent=INDENT)

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

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()
