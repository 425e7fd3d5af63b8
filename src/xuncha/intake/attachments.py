"""Attachments of petitions and of a reporter's follow-ups: files checked by ``core.files.check`` and kept
as ``Attachment`` rows (``core.files.SealedFile``), read back only through an audited download."""

from collections.abc import Sequence

from xuncha.core.files import Checked

from .models import Attachment, Petition, PetitionMessage


def store(
    petition: Petition, files: Sequence[Checked], *, message: PetitionMessage | None = None
) -> list[Attachment]:
    """Save checked files encrypted; call inside the action that receives them."""
    stored = []
    for file in files:
        attachment = Attachment(petition=petition, message=message)
        attachment.seal(file)
        stored.append(attachment)
    return stored
