"""Encrypted backups that restore (``xuncha backup`` / ``xuncha restore``).

A backup is a tar of ``data.json`` (every row of every model, as Django's JSON serializer writes it, but with
datetimes to the microsecond, since the audit HMACs cover them, and encrypted fields as their stored
ciphertext), the media files and ``manifest.json`` (row counts per model, the audit chain's last seq and
hmac, each media file's SHA-256). The tar is sealed with AES-256-GCM under XUNCHA_BACKUP_KEY, a key the
server never needs, in 1 MiB chunks (STREAM: the nonce counts the chunks and flags the last, so chunks
cannot be reordered, dropped or cut off unnoticed). Plaintext exists only in unlinked temporary files.

It is portable: a backup made on SQLite restores into PostgreSQL and back.
"""

import base64
import binascii
import datetime
import hashlib
import io
import itertools
import json
import os
import shutil
import struct
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, models, transaction

from .audit import action_scope, record, verify_chain
from .fields import EncryptedTextField
from .models import AuditChainHead, AuditEvent, User

FORMAT = "xuncha-backup-1"
MAGIC = b"XUNCHA-BACKUP-1\n"
CHUNK = 1 << 20
# Recreated by `migrate` (and referred to by natural keys), or worthless after a restore (sessions).
NOT_BACKED_UP = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """A backup or restore refused; the message is Chinese."""


def backup_key() -> AESGCM:
    encoded = os.environ.get("XUNCHA_BACKUP_KEY", "")
    if not encoded:
        raise BackupError("未设置 XUNCHA_BACKUP_KEY：备份只能用环境变量中的备份密钥加密。")
    try:
        raw = base64.urlsafe_b64decode(encoded)
    except (binascii.Error, ValueError) as exc:
        raise BackupError("XUNCHA_BACKUP_KEY 不是有效的 base64。") from exc
    if len(raw) != 32:
        raise BackupError("XUNCHA_BACKUP_KEY 须为 32 字节的密钥（base64 编码）。")
    return AESGCM(raw)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, last)


class _SealingWriter(io.RawIOBase):
    """A write-only stream that seals what it is given, chunk by chunk, into ``out``."""

    def __init__(self, out: IO[bytes], key: AESGCM) -> None:
        self._out, self._key = out, key
        self._prefix = os.urandom(7)
        self._buffer = bytearray()
        self._counter = 0
        self.digest = hashlib.sha256()
        self._emit(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        sealed = self._key.encrypt(_nonce(self._prefix, self._counter, last), chunk, MAGIC)
        self._emit(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self.digest.update(data)


def _unseal(source: IO[bytes], key: AESGCM, into: IO[bytes]) -> None:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("这不是巡察平台的备份文件。")
    prefix = source.read(7)
    for counter in itertools.count():
        header = source.read(4)
        if len(header) < 4:
            raise BackupError("备份文件不完整（末尾被截断）。")
        length = struct.unpack(">I", header)[0]
        sealed = source.read(length)
        if len(sealed) < length:
            raise BackupError("备份文件不完整（末尾被截断）。")
        for last in (False, True):
            try:
                into.write(key.decrypt(_nonce(prefix, counter, last), sealed, MAGIC))
            except InvalidTag:
                continue
            if last:
                if source.read(1):
                    raise BackupError("备份文件在结尾之后还有内容。")
                return
            break
        else:
            raise BackupError("备份文件已损坏，或备份密钥不对。")


class _Serializer(JSONSerializer):
    """Encrypted fields as their ciphertext (a raw load stores it as is), not decrypted."""

    def _value_from_field(self, obj: models.Model, field: Any) -> Any:
        if isinstance(field, EncryptedTextField):
            return str(obj.__dict__.get(field.attname, ""))
        return super()._value_from_field(obj, field)  # type: ignore[misc]  # not in django-stubs


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; the audit HMACs need every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model, those with natural keys first (as dumpdata orders them)."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model
        for model in ordered
        if model._meta.label_lower not in NOT_BACKED_UP and model._meta.managed and not model._meta.proxy
    ]


def _counted(querysets: Iterable[models.QuerySet[Any]], counts: Counter[str]) -> Iterator[models.Model]:
    for queryset in querysets:
        counts[queryset.model._meta.label_lower] += 0  # an empty table is listed too, and must stay empty
        for obj in queryset.iterator(chunk_size=2000):
            counts[obj._meta.label_lower] += 1
            yield obj


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _add(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    tar.addfile(info, stream)


@dataclass
class Made:
    path: Path
    sha256: str
    counts: dict[str, int]
    media_files: int


def make_backup(output: Path) -> Made:
    """Write the sealed backup to ``output`` and record ``system.backup_made`` with its SHA-256."""
    key = backup_key()
    counts: Counter[str] = Counter()
    with tempfile.TemporaryFile() as data:
        # One snapshot of every table, so the rows and the chain head agree under concurrent writers.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            head = AuditChainHead.objects.filter(pk=1).first()
            querysets = (model._base_manager.order_by("pk") for model in backed_up_models())
            text = io.TextIOWrapper(data, encoding="utf-8", write_through=True)
            _Serializer().serialize(
                _counted(querysets, counts), stream=text, cls=_Encoder, use_natural_foreign_keys=True
            )
            text.detach()
        size = data.tell()
        data.seek(0)
        media = _media_files()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "made_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": connection.vendor,
            "counts": dict(counts),
            "audit": {"seq": head.last_seq, "hmac": head.last_hash} if head else {"seq": 0, "hmac": ""},
            "media": {name: _sha256(path) for name, path in media},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            try:
                sealer = _SealingWriter(out, key)
                with tarfile.open(fileobj=sealer, mode="w|") as tar:
                    _add(tar, "data.json", data, size)
                    for name, path in media:
                        with path.open("rb") as stream:
                            _add(tar, f"media/{name}", stream, path.stat().st_size)
                    encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    _add(tar, "manifest.json", io.BytesIO(encoded), len(encoded))
                sealer.finish()
            except BaseException:
                output.unlink()  # no half-written backup left behind to be mistaken for one
                raise
    made = Made(output, sealer.digest.hexdigest(), dict(counts), len(media))
    with action_scope("system.backup_made"):
        record(
            "system.backup_made",
            None,
            by=None,
            role="system",
            details={
                "sha256": made.sha256,
                "audit_seq": manifest["audit"]["seq"],
                "media_files": made.media_files,
                "counts": {label: count for label, count in made.counts.items() if count},
            },
        )
    return made


@dataclass
class Restored:
    counts: dict[str, int]
    audit_checked: int | None
    media_files: int


def _refuse_unless_empty() -> None:
    # Only `migrate` has written to an unused database: no account and no audit event yet (every use begins
    # with the audited `xuncha bootstrap`), and no media file.
    if User.objects.exists() or AuditEvent.objects.exists():
        raise BackupError(
            "目标数据库不是空的（已有账号或审计事件）：只能恢复到新建并执行过 migrate 的数据库。"
        )
    if _media_files():
        raise BackupError(f"附件目录 {settings.MEDIA_ROOT} 不是空的：只能恢复到空目录。")


def _media_member(member: tarfile.TarInfo) -> PurePosixPath | None:
    path = PurePosixPath(member.name)
    if path.parts[:1] != ("media",) or not member.isfile():
        return None
    relative = PurePosixPath(*path.parts[1:])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"备份中的附件路径不安全：{member.name}")
    return relative


def restore_backup(source: Path, *, verify_audit: bool) -> Restored:
    """Load a backup into an empty database and media directory; compare the row counts (and with
    ``verify_audit`` the whole audit chain) with the manifest, rolling the database back on a mismatch."""
    key = backup_key()
    _refuse_unless_empty()
    with tempfile.TemporaryDirectory() as work:
        tar_path = Path(work) / "backup.tar"
        with source.open("rb") as sealed, tar_path.open("wb") as plain:
            _unseal(sealed, key, plain)
        with tarfile.open(tar_path, mode="r:") as tar:
            manifest = _read_json(tar, "manifest.json")
            if manifest.get("format") != FORMAT:
                raise BackupError("备份格式不受支持。")
            fixture = Path(work) / "data.json"
            _extract(tar, "data.json", fixture)
            with transaction.atomic():
                _load(fixture)
                checked = _check(manifest, verify_audit=verify_audit)
                media = _restore_media(tar, manifest["media"])
    with action_scope("system.backup_restored"):
        record(
            "system.backup_restored",
            None,
            by=None,
            role="system",
            details={"made_at": manifest["made_at"], "audit_seq": manifest["audit"]["seq"]},
        )
    return Restored(manifest["counts"], checked, media)


def _open(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        member = tar.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"备份中缺少 {name}。")
    return member


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> None:
    with _open(tar, name) as member, target.open("wb") as out:
        shutil.copyfileobj(member, out, CHUNK)


def _read_json(tar: tarfile.TarFile, name: str) -> dict[str, Any]:
    with _open(tar, name) as member:
        value: dict[str, Any] = json.load(member)
    return value


def _load(fixture: Path) -> None:
    # What the migrations seeded (the default taxonomy) gives way to the backup's rows.
    seeded = [model._meta.db_table for model in backed_up_models() if model._base_manager.exists()]
    if seeded:
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), seeded, allow_cascade=True))
    call_command("loaddata", str(fixture), verbosity=0)


def _check(manifest: dict[str, Any], *, verify_audit: bool) -> int | None:
    wrong = [
        f"{label}：备份 {count} 条，恢复后 {apps.get_model(label)._base_manager.count()} 条"
        for label, count in manifest["counts"].items()
        if apps.get_model(label)._base_manager.count() != count
    ]
    if wrong:
        raise BackupError("恢复后的记录数与备份清单不符：" + "；".join(wrong))
    head = AuditChainHead.objects.filter(pk=1).first()
    if (head.last_seq if head else 0) != manifest["audit"]["seq"]:
        raise BackupError("恢复后的审计链尾与备份清单不符。")
    if not verify_audit:
        return None
    result = verify_chain()
    if not result.ok:
        raise BackupError(f"恢复后的审计链校验失败：事件 #{result.broken_seq}：{result.reason}")
    return result.checked


def _restore_media(tar: tarfile.TarFile, expected: dict[str, str]) -> int:
    root = Path(settings.MEDIA_ROOT)
    restored: dict[str, str] = {}
    for member in tar:
        relative = _media_member(member)
        if relative is None:
            continue
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _extract(tar, member.name, target)
        target.chmod(0o600)
        restored[relative.as_posix()] = _sha256(target)
    if restored != expected:
        raise BackupError("恢复的附件与备份清单不符（缺少、多出或内容不同）。")
    return len(restored)
