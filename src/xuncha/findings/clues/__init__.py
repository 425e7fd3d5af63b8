"""Clues (问题线索) and their transfer (移交): rules, actions, letter, pages and API of this area.

``summary(inspection)`` is the public read other apps use (the team report's 问题线索 section): one line
per clue that was not withdrawn, never its content or persons; a 高度保密 clue shows only that it exists.
"""

from dataclasses import dataclass

from xuncha.rounds.models import Inspection

from ..choices import ClueStatus
from ..models import Clue

CONFIDENTIAL_TITLE = "（高度保密线索）"


@dataclass(frozen=True)
class ClueLine:
    number: str
    title: str
    kind: str  # Chinese label of ClueKind
    receiver: str
    status: str  # Chinese label of ClueStatus
    confidential: bool
    transferred: bool
    letter_number: str = ""
    disposal: str = ""  # Chinese label of Disposal, once recorded
    outcome: str = ""  # Chinese label of Outcome, once reported back
    reported: bool = False


def summary(inspection: Inspection) -> list[ClueLine]:
    """The inspection's clues (withdrawn ones left out), in number order, with where each went and what
    came of it."""
    clues = (
        Clue.objects.filter(inspection=inspection)
        .exclude(status=ClueStatus.WITHDRAWN)
        .select_related("department", "unit", "transfer")
        .order_by("sequence")
    )
    lines = []
    for clue in clues:
        transfer = getattr(clue, "transfer", None)
        lines.append(
            ClueLine(
                number=clue.number,
                title=CONFIDENTIAL_TITLE if clue.confidential else clue.title,
                kind=clue.get_kind_display(),
                receiver=clue.receiver_name,
                status=clue.get_status_display(),
                confidential=clue.confidential,
                transferred=transfer is not None,
                letter_number=transfer.letter_number if transfer else "",
                disposal=transfer.get_disposal_display() if transfer and transfer.disposal else "",
                outcome=transfer.get_outcome_display() if transfer and transfer.outcome else "",
                reported=transfer is not None and transfer.reported_at is not None,
            )
        )
    return lines
