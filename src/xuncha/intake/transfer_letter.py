"""The transfer letter (转交函) and what a receiver is shown of a transferred petition.

A receiver learns what the petition says and whom it is about, never who wrote it: the letter says
"反映人信息依规保密", and the reporter's own name, phone, id number and contact are masked wherever the
reporter wrote them into the title or the content.
"""

from dataclasses import dataclass

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument, official_date

from .models import Petition, Transfer

MASK = "×××"
CONFIDENTIAL = "反映人信息依规保密。"


@dataclass(frozen=True)
class SharedContent:
    """The part of a petition that goes to its receiver."""

    title: str
    content: str
    subject: str  # 被反映人: name and post


def _mask(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def shared_content(petition: Petition) -> SharedContent:
    secrets = [
        value.strip()
        for value in (
            petition.reporter_name,
            petition.reporter_phone,
            petition.reporter_id_number,
            petition.reporter_contact,
        )
        # A single character would mask half the text; a reporter's name has at least two.
        if value and len(value.strip()) >= 2
    ]
    post = f"（{petition.subject_post}）" if petition.subject_name and petition.subject_post else ""
    subject = f"{petition.subject_name}{post}" if petition.subject_name else petition.subject_post
    return SharedContent(
        title=_mask(petition.title, secrets),
        content=_mask(petition.content, secrets),
        subject=_mask(subject, secrets),
    )


def filename(transfer: Transfer) -> str:
    return f"转交函{transfer.letter_number}.docx"


def transfer_letter(transfer: Transfer) -> bytes:
    """The 转交函 as a .docx in the GB/T 9704 layout."""
    petition = transfer.petition
    inspection = petition.inspection
    team = inspection.team_signature
    shared = shared_content(petition)
    sent_on = timezone.localdate(transfer.sent_at)
    days = (transfer.due_on - sent_on).days
    you = "你部门" if transfer.department_id is not None else "你单位"

    doc = OfficialDocument()
    doc.letterhead(team, number=transfer.letter_number)
    doc.title("关于转交信访件的函")
    doc.addressee(transfer.receiver_name)
    doc.paragraph(
        f"{team}在对{inspection.unit.name}开展巡察期间，收到信访件一件（编号：{petition.number}）。"
        f"经研究，该件反映的问题不属于本次巡察受理范围。按照“分级负责、属地管理”的原则，现转交{you}办理。"
    )
    doc.heading(1, "信访件基本情况")
    received = official_date(timezone.localdate(petition.received_at))
    doc.paragraph(f"编号：{petition.number}；收到时间：{received}；来源：{petition.get_channel_display()}。")
    if shared.subject:
        doc.paragraph(f"被反映人：{shared.subject}。")
    doc.paragraph(CONFIDENTIAL)
    doc.heading(1, "反映内容")
    if shared.title:
        doc.paragraph(f"标题：{shared.title}")
    doc.paragraph(shared.content)
    doc.heading(1, "转交理由")
    doc.paragraph(transfer.reason)
    doc.heading(1, "办理要求")
    doc.paragraph(
        f"请{you}认真研究处理，于{days}日内（{official_date(transfer.due_on)}前）将办理结果反馈{team}。"
        "办理中请严格为反映人保密，不得将信访件及有关情况泄露给被反映人。"
    )
    doc.signature(team, sent_on)
    return doc.save()
