"""The transfer letter of a clue (问题线索移交函) as a .docx in the GB/T 9704 layout (core.officialdoc)."""

from django.utils import timezone

from xuncha.core.officialdoc import OfficialDocument, official_date

from ..models import ClueTransfer

SECRECY = "该线索涉及党员干部，请严格保密，不得向被反映人泄露有关情况。"


def filename(transfer: ClueTransfer) -> str:
    return f"问题线索移交函{transfer.letter_number}.docx"


def persons_text(transfer: ClueTransfer) -> str:
    return "、".join(
        f"{p.name}（{p.unit.name}{p.post}）" for p in transfer.clue.persons.select_related("unit")
    )


def clue_letter(transfer: ClueTransfer) -> bytes:
    clue = transfer.clue
    inspection = clue.inspection
    team = inspection.team_signature
    sent_on = timezone.localdate(transfer.sent_at)
    days = (transfer.due_on - sent_on).days
    you = "你部门" if transfer.department_id is not None else "你单位"

    office = f"{inspection.round.committee.name}巡察工作领导小组办公室"
    doc = OfficialDocument()
    # A clue about party cadres is classified: one numbered copy, to the receiver.
    doc.letterhead(team, number=transfer.letter_number, copy_number=1, secrecy="秘密")
    doc.title("关于移交问题线索的函")
    doc.addressee(transfer.receiver_name)
    doc.paragraph(
        f"{team}在对{inspection.unit.name}开展巡察期间，发现{clue.get_kind_display()}线索一件"
        f"（编号：{clue.number}）。经巡察组组长和巡察办审批，按照巡察成果运用的有关规定，现移交{you}处置。"
    )
    doc.heading(1, "线索基本情况")
    doc.paragraph(f"线索标题：{clue.title}")
    doc.paragraph(f"涉及人员：{persons_text(transfer)}")
    doc.paragraph(f"线索类别：{clue.get_kind_display()}")
    doc.heading(1, "线索内容")
    doc.paragraph(clue.content)
    doc.heading(1, "办理要求")
    doc.paragraph(
        f"请{you}按照谈话函询、初步核实、暂存待查、予以了结等方式分类处置，于{days}日内"
        f"（{official_date(transfer.due_on)}前）将处置结果书面反馈{team}，并抄送巡察办。{SECRECY}"
    )
    doc.signature(team, sent_on)
    doc.record(copied_to=[office], printed_by=team, printed_on=sent_on)
    return doc.save()
