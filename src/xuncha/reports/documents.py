"""The .docx of a report and of a feedback, in the GB/T 9704 layout of ``core.officialdoc``.

Sections are first-level headings (一、); in the text, lines the team typed as "（一）…" and "1.…" become
second- and third-level headings (楷体 and 仿宋), numbered again by the builder in the order they appear.
"""

import re

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument

from .choices import Recipient, ReportKind
from .models import Feedback, Report

_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）\s*")
_LEVEL3 = re.compile(r"^\d+[.．]\s*")

REPORT_SECTIONS = (
    ("basics", "基本情况"),
    ("problems", "发现的主要问题"),
    ("clues", "问题线索情况"),
    ("suggestions", "意见建议"),
)


def write_text(doc: OfficialDocument, text: str) -> None:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _LEVEL2.match(line):
            doc.heading(2, _LEVEL2.sub("", line))
        elif _LEVEL3.match(line):
            doc.heading(3, _LEVEL3.sub("", line))
        else:
            doc.paragraph(line)


def _signature(report: Report) -> str:
    if report.inspection is not None:
        return report.inspection.team_signature
    return f"{report.round.committee.name}巡察工作领导小组办公室"


def report_docx(report: Report) -> bytes:
    doc = OfficialDocument()
    doc.title(report.title)
    addressee = f"{report.round.committee.name}巡察工作领导小组"
    doc.addressee(addressee if report.kind == ReportKind.TEAM else report.round.committee.name)
    for name, heading in REPORT_SECTIONS:
        text = getattr(report, name)
        if text.strip():
            doc.heading(1, heading)
            write_text(doc, text)
    day = report.final_at or report.submitted_at or report.updated_at
    doc.signature(_signature(report), timezone.localtime(day).date())
    return doc.save()


def feedback_docx(feedback: Feedback) -> bytes:
    inspection = feedback.inspection
    doc = OfficialDocument()
    doc.title(feedback.title)
    unit = inspection.unit.name
    doc.addressee(f"{unit}党组织" if feedback.recipient == Recipient.UNIT else f"{unit}党组织主要负责人")
    doc.heading(1, "总体情况")
    write_text(doc, feedback.summary)
    doc.heading(1, "发现的主要问题")
    for problem in feedback.problems.order_by("sequence"):
        doc.heading(2, problem.title)
        write_text(doc, problem.description)
    if feedback.requirements.strip():
        doc.heading(1, "意见建议和整改要求")
        write_text(doc, feedback.requirements)
    day = feedback.meeting_on or timezone.localdate()
    doc.signature(inspection.team_signature, day)
    return doc.save()


def filename(obj: Report | Feedback) -> str:
    return f"{obj.title}.docx".replace("/", "-")
