"""What must be settled before an inspection is archived ("件件有着落"), and what its archive holds.

The apps that hold petitions, clues, reports and rectification items register a check from their
``AppConfig.ready``; it returns, in Chinese, one line per open item — a ``checks.OpenItem`` with the
address of the page where it is settled — and archiving is refused while any check returns something
(see ``checks``). Once archived, nothing of the inspection changes: each app's actions refuse on
``Inspection.is_read_only``.

Every app also registers a provider of its records for the archive package (``archive_package``): each
record an ``ArchiveFile`` with what the 卷内目录 lists of it. 保管期限 follow 《机关文件材料归档范围和文书档案
保管期限规定》(国家档案局令第8号): 永久, 定期30年, 定期10年. 密级 are those this system handles: 秘密 (clues,
their outcomes, interview records, petition attachments), 内部 (工作秘密: the rest of the work records) and
公开 (what was published, e.g. the 巡察公告); nothing here is 机密 or 绝密.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from xuncha.core.files import SealedFile
from xuncha.core.models import User

from .checks import TransitionCheck, open_lines, register_transition_check
from .choices import Stage
from .models import Inspection


class Retention(models.TextChoices):
    """保管期限, longest first."""

    PERMANENT = "permanent", "永久"
    YEARS_30 = "30", "定期30年"
    YEARS_10 = "10", "定期10年"


class Secrecy(models.TextChoices):
    """密级, highest first."""

    SECRET = "secret", "秘密"
    INTERNAL = "internal", "内部"
    PUBLIC = "public", "公开"


def longest(retentions: Iterable[str]) -> Retention:
    order = list(Retention)
    return min((Retention(r) for r in retentions), key=order.index, default=Retention.PERMANENT)


def highest(levels: Iterable[str]) -> Secrecy:
    order = list(Secrecy)
    return min((Secrecy(s) for s in levels), key=order.index, default=Secrecy.INTERNAL)


@dataclass(frozen=True)
class ArchiveFile:
    """One record of the package: its path in the zip (under the app's own folder, so paths never collide),
    its bytes and its line in the 卷内目录. ``author`` (责任者) defaults to the team, ``title`` (题名) to the
    file's name; ``sealed`` files are encrypted in the package under the system's key (interview records,
    petition attachments)."""

    path: str
    data: bytes
    title: str = ""
    number: str = ""
    author: str = ""
    day: datetime.date | None = None
    secrecy: Secrecy = Secrecy.INTERNAL
    retention: Retention = Retention.YEARS_30
    sealed: bool = False


def part(text: str) -> str:
    """``text`` as one part of a path in the zip."""
    return text.replace("/", "-").replace("\\", "-")


def uploaded(folder: str, n: int, file: SealedFile, **line: Any) -> ArchiveFile:
    """An uploaded file as it was received, under ``folder`` and numbered so two of one name do not collide;
    its 题名 is its own name and its date the day it came in unless ``line`` says otherwise."""
    name = part(file.filename)
    line.setdefault("title", name.rsplit(".", 1)[0])
    line.setdefault("day", timezone.localdate(file.added_at))
    return ArchiveFile(f"{folder}/{n:03d}-{name}", file.read(), **line)


# What an app puts in the archive package for an inspection; ledgers are watermarked for the archiving
# user. A bare (path, bytes) pair is taken as an ArchiveFile with the defaults.
DocumentProvider = Callable[[Inspection, User], Iterable[ArchiveFile | tuple[str, bytes]]]
_providers: list[DocumentProvider] = []


def register_archive_check(fn: TransitionCheck) -> None:
    register_transition_check(Stage.ARCHIVED, fn)


def register_archive_documents(fn: DocumentProvider) -> None:
    if fn not in _providers:
        _providers.append(fn)


def archive_documents(inspection: Inspection, by: User) -> list[ArchiveFile]:
    return [
        entry if isinstance(entry, ArchiveFile) else ArchiveFile(*entry)
        for provider in _providers
        for entry in provider(inspection, by)
    ]


def open_items(inspection: Inspection) -> list[str]:
    return open_lines(inspection, Stage.ARCHIVED)
