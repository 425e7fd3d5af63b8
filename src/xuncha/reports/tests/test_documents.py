"""The report's and the feedback's .docx read back: GB/T 9704 layout (``layout_problems``) and, stated
directly, the margins and text block, the East Asian fonts of title, headings and body, and the page
numbers of odd and even pages."""

import io
from types import SimpleNamespace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph

from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.tests.pdf import read_back
from xuncha.rounds.choices import Stage

from .. import actions, documents
from ..choices import Recipient
from .support import deliver, final, prepare, set_stage, unit_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def east_asia(paragraph: Paragraph) -> set[str | None]:
    fonts = set()
    for run in paragraph.runs:
        if run.text.strip():
            r_fonts = run._element.rPr.rFonts
            fonts.add(r_fonts.get(qn("w:eastAsia")))
    return fonts


def paragraph_starting(document: docx.document.Document, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(text))


def test_the_feedback_docx_follows_gbt_9704(w: SimpleNamespace) -> None:
    final(w)
    set_stage(w.inspection1, Stage.FEEDBACK)
    feedback = deliver(w, unit_feedback(w))
    data = documents.feedback_docx(feedback)
    assert layout_problems(data) == []
    assert elements(data) == ["发文机关标志", "标题"]

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
    assert round(Length(section.page_height - section.top_margin - section.bottom_margin).mm) == 225

    title = paragraph_starting(document, feedback.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(title) == {"方正小标宋简体"}
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index(feedback.title) + 2] == "中共江东市财政局党组："
    assert east_asia(paragraph_starting(document, "一、总体情况")) == {"黑体"}
    assert east_asia(paragraph_starting(document, "（一）违规公款宴请")) == {"楷体_GB2312"}
    assert east_asia(paragraph_starting(document, "2025年张建国")) == {"仿宋_GB2312"}
    assert paragraph_starting(document, "三、意见建议和整改要求")

    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert east_asia(odd) == east_asia(even) == {"宋体"}
    assert [i.text.strip() for i in odd._element.iter(qn("w:instrText"))] == ["PAGE"]
    assert any(p.text.endswith("日") and p.text[:4].isdigit() for p in document.paragraphs[-2:])


def test_the_principal_leaders_feedback_and_the_reports_follow_it_too(w: SimpleNamespace) -> None:
    report = final(w)
    principal = actions.assemble_feedback(
        w.inspection1, recipient=Recipient.PRINCIPAL, by=w.users["t1_member"]
    )
    data = documents.feedback_docx(principal)
    assert layout_problems(data) == []
    assert "中共江东市财政局党组主要负责人：" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    feedback_data = data

    data = documents.report_docx(report)
    assert layout_problems(data) == []
    # Up to the leading group, classified, signed off by the team's leader.
    assert elements(data) == ["份号", "密级和保密期限", "发文机关标志", "签发人", "标题"]
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "一、基本情况" in texts and "二、发现的主要问题" in texts and "三、领导班子成员情况" in texts
    assert "四、民主测评和问卷调查情况" in texts and "五、问题线索情况" in texts
    assert east_asia(paragraph_starting(document, "（一）群众身边")) == {"楷体_GB2312"}
    assert texts[texts.index(report.title) + 2] == "江东市委巡察工作领导小组："
    assert "\t签发人：刘振华" in paragraph_starting(document, "\t签发人").text

    comprehensive = actions.assemble_comprehensive(w.round, by=w.users["office"])
    comprehensive_data = documents.report_docx(comprehensive)
    assert layout_problems(comprehensive_data) == []
    assert elements(comprehensive_data) == ["份号", "密级和保密期限", "发文机关标志", "标题"]
    read_back(
        {
            "巡察报告": (data, ["机密", "江东市委第一巡察组", "签发人：刘振华", report.title]),
            "综合报告": (comprehensive_data, ["江东市委巡察工作领导小组办公室", comprehensive.title]),
            "反馈意见": (feedback_data, ["中共江东市财政局党组主要负责人", principal.title]),
        }
    )
