"""Uploaded files: checked by content (not by name), images stripped of their metadata, sealed with AES-GCM
under a server-made name. Every app that takes files (petitions, interview scans, documents a unit
provides) checks them here and keeps them in a model built on ``SealedFile``.

Active content is refused: web pages, SVG, XML and scripts (even as text, or under another name), PDFs
with JavaScript or actions run on opening (also inside compressed object streams), Office files with
macros. What is kept is typed and named by its content: its type is the one read from the bytes, and its
name ends with that type's suffix, so nothing is served as what it only claims to be.
"""

import hashlib
import io
import re
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from . import crypto
from .errors import Refused
from .fields import EncryptedTextField
from .models import CaseModel
from .text import clean_text

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
FIELD = "attachments"

ALLOWED = "JPG、PNG 图片，PDF，Word、Excel 文档，TXT 文本，MP3、M4A、WAV 录音"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The suffixes a file of each type may keep, the first being the one it is given otherwise.
SUFFIXES = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "audio/mpeg": (".mp3",),
    "audio/mp4": (".m4a", ".mp4"),
    "audio/wav": (".wav",),
    "text/plain": (".txt",),
}
# What users read for each type (never the MIME type itself).
KINDS = {
    "image/jpeg": "图片",
    "image/png": "图片",
    "application/pdf": "PDF 文件",
    DOCX: "Word 文档",
    XLSX: "Excel 表格",
    "application/msword": "Word 文档",
    "application/vnd.ms-excel": "Excel 表格",
    "audio/mpeg": "录音",
    "audio/mp4": "录音",
    "audio/wav": "录音",
    "text/plain": "文本文件",
}
# Text under these names is something a browser, a shell or Windows would run or render.
ACTIVE_SUFFIXES = frozenset(
    {
        *(".htm", ".html", ".xhtml", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt"),
        *(".js", ".mjs", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".bat", ".cmd", ".sh"),
        *(".php", ".asp", ".aspx", ".jsp", ".py", ".pl", ".rb"),
    }
)
# Markup a browser renders (HTML, SVG, XML and their scripts) anywhere in a text.
_MARKUP = re.compile(
    r"<\s*(?:!doctype|\?xml|html|svg|script|iframe|object|embed|body|meta|math|xsl:)|javascript:",
    re.IGNORECASE,
)
# PDF names of JavaScript and of actions run without a click (on opening, on a page, on a field).
PDF_ACTIONS = frozenset({b"JS", b"JavaScript", b"Launch", b"AA"})
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_LIMIT = 50 * 1024 * 1024  # of all object streams of one file together


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
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _ole_office(data: bytes) -> str | None:
    """An older Office file by the stream its directory names (UTF-16): a Word or an Excel document."""
    if "WordDocument".encode("utf-16-le") in data:
        return "application/msword"
    if "Workbook".encode("utf-16-le") in data:
        return "application/vnd.ms-excel"
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
        return _ole_office(data)
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if data[4:8] == b"ftyp" and data[8:11] in (b"M4A", b"mp4", b"iso"):
        return "audio/mp4"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "audio/wav"
    if _is_text(data):
        return "text/plain"
    return None


def _pdf_names(chunk: bytes) -> set[bytes]:
    """The names in a piece of PDF syntax, their #xx escapes decoded (``/J#61vaScript`` is /JavaScript)."""
    return {
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), name)
        for name in _PDF_NAME.findall(chunk)
    }


def _pdf_is_active(data: bytes) -> bool:
    """Whether a PDF names JavaScript or an action run without a click: in its objects outside the streams
    (stream data is left out, where binary bytes could spell anything), or in its compressed object
    streams (/ObjStm, Flate), where objects hide from a plain scan."""
    budget = _PDF_INFLATE_LIMIT
    start = 0
    for stream in _PDF_STREAM.finditer(data):
        syntax = data[start : stream.start()]
        if _pdf_names(syntax) & PDF_ACTIONS:
            return True
        if b"ObjStm" in _pdf_names(syntax[syntax.rfind(b"obj") :]) and budget > 0:
            try:
                objects = zlib.decompressobj().decompress(stream[1], budget)
            except zlib.error:
                objects = b""  # not Flate, or damaged: a viewer cannot read these objects either
            budget -= len(objects)
            if _pdf_names(objects) & PDF_ACTIONS:
                return True
        start = stream.end()
    return bool(_pdf_names(data[start:]) & PDF_ACTIONS)


def _has_macros(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(n.lower().endswith("vbaproject.bin") for n in archive.namelist())


def refusal_of_active(name: str, content_type: str, data: bytes) -> str | None:
    """Why the file is refused as active content (something a browser, reader or Office would run), or
    None."""
    if content_type == "text/plain":
        text = data.decode("utf-8")
        if (
            _suffix(name) in ACTIVE_SUFFIXES
            or _MARKUP.search(text)
            or text.lstrip("\ufeff \t\r\n").startswith(("<", "#!"))
        ):
            return (
                f"附件“{name}”是网页、SVG、XML 或脚本文件，可能含有可执行的内容，不予接收。"
                "请转为 PDF 或图片后再上传。"
            )
    if content_type == "application/pdf" and _pdf_is_active(data):
        return (
            f"附件“{name}”是含有 JavaScript 脚本或自动执行动作（如打开即运行、启动程序）的 PDF 文件，"
            "不予接收。请用“打印为 PDF”另存后再上传。"
        )
    if content_type in (DOCX, XLSX) and _has_macros(data):
        return f"附件“{name}”含有宏，不予接收。请另存为不含宏的 Word 或 Excel 文档后再上传。"
    return None


def named_by_content(name: str, content_type: str) -> str:
    """The name the file is kept under: as uploaded when its suffix fits the content, else with the suffix
    of what the content is (an HTML page named .jpg never comes back as .jpg)."""
    suffixes, suffix = SUFFIXES[content_type], _suffix(name)
    if suffix in suffixes:
        return name
    stem = name[: len(name) - len(suffix)]
    return f"{stem or name}{suffixes[0]}"


def _suffix(name: str) -> str:
    """``.pdf`` of ``报告.PDF``; empty for a name without a dot."""
    _, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot else ""


def _without_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded from its pixels alone, turned as its EXIF orientation says: EXIF (GPS, camera,
    owner, orientation), comments and profiles go."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        # Pillow only warns between its limit and twice it: as an error, the header alone refuses the file.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            image.load()
            # A phone stores a portrait photo sideways with an EXIF orientation: turn the pixels upright
            # before the EXIF goes, or the photo would be shown lying on its side.
            upright = ImageOps.exif_transpose(image)
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            palette = upright.getpalette() if upright.mode == "P" else None
            if palette:
                clean.putpalette(palette)
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
            return out.getvalue()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,  # what Pillow raises for some truncated PNG files
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
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
        refusal = refusal_of_active(name, content_type, upload.data)
        if refusal:
            raise Refused(refusal, field=FIELD)
        data = upload.data
        if content_type.startswith("image/"):
            data = _without_metadata(data, content_type)
        result.append(
            Checked(name=named_by_content(name, content_type), content_type=content_type, data=data)
        )
    return result


def stored_name(instance: "SealedFile", filename: str) -> str:
    return f"{instance._meta.app_label}/{uuid.uuid4().hex}.bin"


class SealedFile(CaseModel):
    """A checked file stored encrypted under a server-made name; its own name is encrypted too (it can carry
    a person's name). The associated data binds the bytes to the model and row, so a blob copied to
    another row does not decrypt. Read only through ``read()``, from an audited download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    filename = EncryptedTextField(_("文件名"))
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    blob = models.FileField(upload_to=stored_name, max_length=200)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering: ClassVar = ["added_at"]

    @property
    def kind(self) -> str:
        """The file's type in words: "PDF 文件", "Word 文档"."""
        return KINDS.get(self.content_type, "文件")

    def _aad(self) -> bytes:
        return crypto.associated_data(self._meta.label_lower, "blob", self.pk)

    def seal(self, file: Checked) -> None:
        """Fill in the file and save the row; call inside the action that receives it."""
        self.filename = file.name
        self.content_type = file.content_type
        self.size = len(file.data)
        self.sha256 = hashlib.sha256(file.data).hexdigest()
        sealed = crypto.encrypt_bytes(file.data, aad=self._aad())
        self.blob.save(stored_name(self, file.name), ContentFile(sealed), save=False)
        self.save()

    def read(self) -> bytes:
        with self.blob.open("rb") as handle:
            return crypto.decrypt_bytes(handle.read(), aad=self._aad())
