"""The 问题线索 summary of a report: counts only (never a clue's content). Filled once findings holds
clues; until then an inspection has none to summarise."""

from xuncha.rounds.models import Inspection


def count_line(inspection: Inspection) -> str:
    return "未发现需移交的问题线索。"


def summary(inspection: Inspection) -> str:
    return count_line(inspection)
