"""Attachments: checked by content (not by name), images stripped of their metadata, stored encrypted under
a server-made name, read back only through an audited download.

The file's own name is kept encrypted (it can carry a reporter's name); the stored name is a UUID.
"""

import hashlib
import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from xuncha.core import crypto
from xuncha.core.errors import Refused
from xuncha.core.text import clean_text

from .models import Attachment, Petition, PetitionMessage

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
FIELD = "attachments"

ALLOWED = "JPG、PNG 图片，PDF，Word、Excel 文档，TXT 文本，MP3、M4A、WAV 录音"


@dataclass(frozen=True)
class Upload:
    """A file as received, before any check."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    data: bytes


def _zip_office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(n.startswith("xl/") for n in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def sniff(data: bytes) -> str | None:
    """The content type read from the bytes themselves, or None when it is not an allowed kind."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_office(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"  # .doc / .xls of older Office
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if data[4:8] == b"ftyp" and data[8:11] in (b"M4A", b"mp4", b"iso"):
        return "audio/mp4"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "audio/wav"
    if _is_text(data):
        return "text/plain"
    return None


def _without_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded from its pixels alone: EXIF (GPS, camera, owner), comments and profiles go."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            palette = image.getpalette() if image.mode == "P" else None
            if palette:
                clean.putpalette(palette)
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Refused("图片文件已损坏或过大，无法接收。", field=FIELD) from exc


def check(uploads: Sequence[Upload]) -> list[Checked]:
    """Every upload checked, or ``Refused`` naming the first bad one; nothing is stored here."""
    if len(uploads) > MAX_FILES:
        raise Refused(f"附件最多 {MAX_FILES} 个。", field=FIELD)
    result = []
    for upload in uploads:
        name = clean_text(upload.name, label="文件名", field=FIELD, limit=200, required=False) or "附件"
        if not upload.data:
            raise Refused(f"附件“{name}”是空文件。", field=FIELD)
        if len(upload.data) > MAX_BYTES:
            raise Refused(f"附件“{name}”超过 {MAX_BYTES // 1024 // 1024} MB。", field=FIELD)
        content_type = sniff(upload.data)
        if content_type is None:
            raise Refused(f"附件“{name}”的文件类型不允许。允许：{ALLOWED}。", field=FIELD)
        data = upload.data
        if content_type.startswith("image/"):
            data = _without_metadata(data, content_type)
        result.append(Checked(name=name, content_type=content_type, data=data))
    return result


def _aad(attachment: Attachment) -> bytes:
    return crypto.associated_data("intake.attachment", "blob", attachment.pk)


def store(
    petition: Petition, files: Sequence[Checked], *, message: PetitionMessage | None = None
) -> list[Attachment]:
    """Save checked files encrypted; call inside the action that receives them."""
    stored = []
    for file in files:
        attachment = Attachment(
            petition=petition,
            message=message,
            filename=file.name,
            content_type=file.content_type,
            size=len(file.data),
            sha256=hashlib.sha256(file.data).hexdigest(),
        )
        sealed = crypto.encrypt_bytes(file.data, aad=_aad(attachment))
        attachment.blob.save(f"{uuid.uuid4().hex}.bin", ContentFile(sealed), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def content(attachment: Attachment) -> bytes:
    with attachment.blob.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read(), aad=_aad(attachment))
