"""What must be settled before an inspection enters a stage, beyond the table of moves.

rounds does not know reports, petitions, clues or rectification items; the apps that hold them register a
check for a target stage from their ``AppConfig.ready`` (``register_transition_check``; the checks for 归档
through ``archive.register_archive_check``). A check returns, in Chinese, one line per open item (empty
when all is settled); ``transition_inspection`` refuses the move while any check of its target returns
something, listing every line.

A line may be an ``OpenItem``: the same text, with the address of the page where the item is settled, so
the refusal on the inspection page links each item to where it must be done.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Inspection


class OpenItem(str):
    """A line of a check that also knows where it is settled (``url``); it is its text everywhere else, so
    the refusal's message and the checks' callers read it as the plain line it is."""

    url: str

    def __new__(cls, text: str, url: str = "") -> "OpenItem":
        item = super().__new__(cls, text)
        item.url = url
        return item


TransitionCheck = Callable[["Inspection"], Sequence[str]]
_checks: dict[str, list[TransitionCheck]] = {}


def register_transition_check(stage: str, fn: TransitionCheck) -> None:
    checks = _checks.setdefault(stage, [])
    if fn not in checks:
        checks.append(fn)


def open_lines(inspection: "Inspection", stage: str) -> list[str]:
    """Every open line the checks registered for ``stage`` give for ``inspection``."""
    return [line for check in _checks.get(stage, []) for line in check(inspection)]
