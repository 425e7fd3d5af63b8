"""The .docx of a report and of a feedback, in the GB/T 9704 layout of ``core.officialdoc``.

Sections are first-level headings (一、); the team's text is set as body paragraphs, where the lines it
typed as "（一）…" and "1.…" keep their numbers and get their level's font (楷体, 仿宋) from the builder.
"""

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument
from xuncha.rounds.choices import TeamRole

from .choices import Recipient, ReportKind
from .models import Feedback, Report

REPORT_SECTIONS = (
    ("basics", "基本情况"),
    ("problems", "发现的主要问题"),
    ("leaders", "领导班子成员情况"),
    ("evaluation", "民主测评和问卷调查情况"),
    ("clues", "问题线索情况"),
    ("suggestions", "意见建议"),
)


def _leaders(doc: OfficialDocument, report: Report) -> None:
    """The section on the leadership team: each member a second-level heading, then 正面/负面反映."""
    leaders = list(report.leaders.select_related("person").order_by("position"))
    if not leaders:
        return
    doc.heading(1, "领导班子成员情况")
    for item in leaders:
        doc.heading(2, f"{item.person.name}（{item.person.post}）")
        doc.paragraph(f"正面反映：{item.positive or '无'}")
        doc.paragraph(f"负面反映：{item.negative or '无'}")


def _signature(report: Report) -> str:
    if report.inspection is not None:
        return report.inspection.team_signature
    return f"{report.round.committee.name}巡察工作领导小组办公室"


def _signers(report: Report) -> list[str]:
    """A team's report goes up to the leading group signed off (签发) by the team's leaders."""
    if report.inspection is None:
        return []
    members = report.inspection.team.members.filter(role=TeamRole.LEADER).select_related("inspector")
    return [m.inspector.name for m in members]


def report_docx(report: Report) -> bytes:
    doc = OfficialDocument()
    # Reports are classified (机密): one numbered copy to the leading group or the committee.
    doc.letterhead(_signature(report), signers=_signers(report), copy_number=1, secrecy="机密")
    doc.title(report.title)
    addressee = f"{report.round.committee.name}巡察工作领导小组"
    doc.addressee(addressee if report.kind == ReportKind.TEAM else report.round.committee.name)
    for name, heading in REPORT_SECTIONS:
        if name == "leaders":
            _leaders(doc, report)
            continue
        text = getattr(report, name)
        if text.strip():
            doc.heading(1, heading)
            doc.paragraph(text)
    day = report.final_at or report.submitted_at or report.updated_at
    doc.signature(_signature(report), timezone.localtime(day).date())
    return doc.save()


def feedback_docx(feedback: Feedback) -> bytes:
    inspection = feedback.inspection
    doc = OfficialDocument()
    doc.letterhead(inspection.team_signature)
    doc.title(feedback.title)
    party = inspection.unit.party_organisation
    doc.addressee(party if feedback.recipient == Recipient.UNIT else f"{party}主要负责人")
    doc.heading(1, "总体情况")
    doc.paragraph(feedback.summary)
    doc.heading(1, "发现的主要问题")
    for problem in feedback.problems.order_by("sequence"):
        doc.heading(2, problem.title)
        doc.paragraph(problem.description)
    if feedback.requirements.strip():
        doc.heading(1, "意见建议和整改要求")
        doc.paragraph(feedback.requirements)
    day = feedback.meeting_on or timezone.localdate()
    doc.signature(inspection.team_signature, day)
    return doc.save()


def filename(obj: Report | Feedback) -> str:
    return f"{obj.title}.docx".replace("/", "-")
