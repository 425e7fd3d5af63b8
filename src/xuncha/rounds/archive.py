"""What must be settled before an inspection is archived ("件件有着落").

rounds does not know petitions, clues or rectification items; the apps that hold them register a check
from their ``AppConfig.ready``. A check returns, in Chinese, one line per open item (empty when all is
settled); archiving is refused while any check returns something.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Inspection

ArchiveCheck = Callable[["Inspection"], list[str]]
_checks: list[ArchiveCheck] = []


def register_archive_check(fn: ArchiveCheck) -> None:
    if fn not in _checks:
        _checks.append(fn)


def open_items(inspection: "Inspection") -> list[str]:
    return [item for check in _checks for item in check(inspection)]
