"""The 问题线索 section of a report: counts only, from ``findings.clues.summary``. Never a clue's content,
title or persons; a 高度保密 clue is counted and nothing else about it is said (not even its kind or
receiver)."""

from collections import Counter

from xuncha.findings.clues import ClueLine
from xuncha.findings.clues import summary as clue_summary
from xuncha.rounds.models import Inspection


def _counted(lines: list[ClueLine]) -> tuple[list[ClueLine], int]:
    plain = [line for line in lines if not line.confidential]
    return plain, len(lines) - len(plain)


def count_line(inspection: Inspection) -> str:
    """One sentence for the comprehensive report: how many clues, how many transferred."""
    lines = clue_summary(inspection)
    if not lines:
        return "未发现问题线索。"
    transferred = sum(1 for line in lines if line.transferred)
    return f"发现问题线索{len(lines)}件，已移交{transferred}件。"


def summary(inspection: Inspection) -> str:
    lines = clue_summary(inspection)
    if not lines:
        return "巡察期间未发现需移交的问题线索。"
    plain, confidential = _counted(lines)
    text = [f"巡察期间共发现问题线索{len(lines)}件。"]
    if plain:
        by_kind = Counter((line.kind, line.receiver) for line in plain)
        parts = [
            f"{kind}{n}件（{receiver or '接收方待定'}）" for (kind, receiver), n in sorted(by_kind.items())
        ]
        text.append(f"按类别和接收方：{'；'.join(parts)}。")
        by_status = Counter(line.status for line in plain)
        text.append(f"办理情况：{'；'.join(f'{status}{n}件' for status, n in sorted(by_status.items()))}。")
        reported = sum(1 for line in plain if line.reported)
        if reported:
            text.append(f"其中{reported}件接收方已报告处置结果。")
    if confidential:
        text.append(f"另有高度保密线索{confidential}件，由组长另行报告。")
    return "\n".join(text)
