"""The archive check of clues ("每条线索都有结果"): every clue of the inspection transferred and reported
back, or withdrawn. Registered with ``rounds.archive`` from ``FindingsConfig.ready``."""

from django.urls import reverse

from xuncha.rounds.checks import OpenItem
from xuncha.rounds.models import Inspection

from ..choices import ClueStatus, ClueTransferStatus
from ..models import Clue


def open_clues(inspection: Inspection) -> list[OpenItem]:
    clues = (
        Clue.objects.filter(inspection=inspection)
        .exclude(status=ClueStatus.WITHDRAWN)
        .exclude(transfer__status=ClueTransferStatus.REPORTED)
        .select_related("department", "unit", "transfer")
        .order_by("sequence")
    )
    lines = []
    for clue in clues:
        if clue.status == ClueStatus.TRANSFERRED:
            url = reverse("findings:clue-transfer-detail", args=[clue.transfer.pk])
            text = f"问题线索 {clue.number} 已移交{clue.receiver_name}，尚未报告处置结果"
            lines.append(OpenItem(text, url))
        else:
            url = reverse("findings:clue-detail", args=[clue.pk])
            lines.append(OpenItem(f"问题线索 {clue.number} {clue.get_status_display()}，尚未移交", url))
    return lines
