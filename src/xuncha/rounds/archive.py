"""What must be settled before an inspection is archived ("件件有着落"): the transition checks of 归档.

The apps that hold petitions, clues, reports and rectification items register a check from their
``AppConfig.ready``; it returns, in Chinese, one line per open item, and archiving is refused while any
check returns something (see ``checks``). Once archived, nothing of the inspection changes: each app's
actions refuse on ``Inspection.is_read_only``.
"""

from collections.abc import Callable, Iterable

from xuncha.core.models import User

from .checks import TransitionCheck, open_lines, register_transition_check
from .choices import Stage
from .models import Inspection

# What an app puts in the archive package: (path in the zip, bytes) pairs for an inspection; ledgers are
# watermarked for the archiving user. Paths start with the app's own folder, so they never collide.
DocumentProvider = Callable[[Inspection, User], Iterable[tuple[str, bytes]]]
_providers: list[DocumentProvider] = []


def register_archive_check(fn: TransitionCheck) -> None:
    register_transition_check(Stage.ARCHIVED, fn)


def register_archive_documents(fn: DocumentProvider) -> None:
    if fn not in _providers:
        _providers.append(fn)


def archive_documents(inspection: Inspection, by: User) -> list[tuple[str, bytes]]:
    return [entry for provider in _providers for entry in provider(inspection, by)]


def open_items(inspection: Inspection) -> list[str]:
    return open_lines(inspection, Stage.ARCHIVED)
