"""The audit chain.

Every state change happens inside an action (``@action`` or ``with action_scope(...)``): one database
transaction that must also write at least one AuditEvent, or it is rolled back with AuditMissing. Case
models refuse to save outside an action (CaseModel), so a change without its event cannot be committed,
whoever makes it: a view, the API, a command or a background task.

Each event carries the HMAC (keyed by XUNCHA_AUDIT_KEY, kept outside the database) of its own fields and
of the previous event's HMAC; ``verify_chain`` recomputes them and names the first broken event. The chain
head is MACed too, and anchors (the signed head, appended to a file or sent to syslog outside the database,
daily) reveal a tail cut off by someone who holds the audit key as well as the database.
"""

import functools
import hashlib
import hmac
import json
import os
import syslog
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from .context import ActionFrame, AuditMissing, current
from .models import AuditChainHead, AuditEvent, User

P = ParamSpec("P")
R = TypeVar("R")
REDACTED = "***"


class AuditKeyMissing(Exception):
    pass


@contextmanager
def action_scope(name: str) -> Iterator[ActionFrame]:
    frame = ActionFrame(name)
    info = current()
    with transaction.atomic():
        info.frames.append(frame)
        try:
            yield frame
            if frame.events == 0:
                raise AuditMissing(f"action {name} wrote no audit event")
        finally:
            info.frames.remove(frame)


def action(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` atomically as one audited action."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with action_scope(func.__qualname__):
            return func(*args, **kwargs)

    return wrapper


def _key() -> bytes:
    if not settings.XUNCHA_AUDIT_KEY:
        raise AuditKeyMissing("XUNCHA_AUDIT_KEY is not set")
    return settings.XUNCHA_AUDIT_KEY.encode()


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "committee_id": event.committee_id,
        "request_id": event.request_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hmac(event: AuditEvent) -> str:
    return hmac.new(_key(), _canonical(event), hashlib.sha256).hexdigest()


def _mac(*parts: object) -> str:
    # The first part names what is signed, so a head's MAC cannot pass for an anchor's.
    return hmac.new(_key(), "|".join(map(str, parts)).encode(), hashlib.sha256).hexdigest()


def head_mac(last_seq: int, last_hash: str) -> str:
    return _mac("head", last_seq, last_hash)


def _jsonable(value: Any) -> Any:
    # Round-trip through JSON so the HMAC is computed over exactly what the database will return.
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(
    action_name: str,
    obj: models.Model | None = None,
    *,
    by: User | None,
    role: str = "",
    committee_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain inside the current action's transaction."""
    info = current()
    if not info.frames:
        raise AuditMissing(f"audit event {action_name} recorded outside an action")
    if committee_id is None and obj is not None:
        committee_id = getattr(obj, "audit_committee_id", None)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        # Microsecond precision survives every database backend, so the HMAC re-computes exactly.
        created_at=timezone.now(),
        actor=by,
        actor_name=by.username if by else "system",
        role=role,
        action=action_name,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        committee_id=committee_id,
        request_id=info.request_id or f"task-{uuid.uuid4().hex[:12]}",
        details=_jsonable(details or {}),
        prev_hash=head.last_hash,
    )
    event.hmac = compute_hmac(event)
    event.save()
    head.last_seq, head.last_hash = event.seq, event.hmac
    head.mac = head_mac(head.last_seq, head.last_hash)
    head.save(update_fields=["last_seq", "last_hash", "mac"])
    for frame in info.frames:
        frame.events += 1
    return event


def record_read(
    action_name: str,
    obj: models.Model,
    *,
    by: User | None,
    role: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a sensitive read (a reporter's identity, an interview record …) from a GET view or API
    handler, in an action of its own: the event is committed even though nothing else changes."""
    with action_scope(action_name):
        return record(action_name, obj, by=by, role=role, details=details)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Field values for a before/after record; encrypted fields are never written to the audit."""
    from .fields import EncryptedTextField

    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, EncryptedTextField):
            values[field.name] = REDACTED
        else:
            values[field.name] = _jsonable(field.value_from_object(obj))
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value or value == REDACTED
    }


@dataclass(frozen=True)
class Anchor:
    """The signed chain head as written outside the database: one JSON line per anchor."""

    seq: int
    hmac: str
    at: str
    mac: str

    @classmethod
    def of_head(cls) -> "Anchor":
        """The current head, refused when its MAC does not match (an anchor must not bless a forgery)."""
        head = AuditChainHead.objects.filter(pk=1).first()
        seq, last_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
        if head is not None and not hmac.compare_digest(head.mac, head_mac(seq, last_hash)):
            raise ValueError("审计链头签名不符，拒绝写入锚点；请运行 xuncha audit verify 查明原因")
        at = timezone.now().isoformat()
        return cls(seq, last_hash, at, _mac("anchor", seq, last_hash, at))

    @classmethod
    def parse(cls, line: str) -> "Anchor":
        data = json.loads(line)
        return cls(int(data["seq"]), str(data["hmac"]), str(data["at"]), str(data["mac"]))

    def is_authentic(self) -> bool:
        return hmac.compare_digest(self.mac, _mac("anchor", self.seq, self.hmac, self.at))

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def append_anchor(anchor: Anchor, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as stream:
        stream.write(anchor.line() + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def send_anchor_to_syslog(anchor: Anchor) -> None:
    syslog.openlog("xuncha-audit", 0, syslog.LOG_AUTH)
    syslog.syslog(syslog.LOG_NOTICE, f"audit-anchor {anchor.line()}")


def latest_anchor(path: Path) -> Anchor | None:
    """The last anchor in the file; None when there is none yet. A garbled last line raises ValueError."""
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    try:
        return Anchor.parse(lines[-1])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"锚点文件 {path} 的最后一行无法解析") from exc


@task()
def anchor_chain_task() -> int:
    """Daily: append the signed head to XUNCHA_AUDIT_ANCHOR_FILE; returns the anchored seq."""
    anchor = Anchor.of_head()
    append_anchor(anchor, Path(settings.XUNCHA_AUDIT_ANCHOR_FILE))
    return anchor.seq


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 2000, anchor: Anchor | None = None) -> VerifyResult:
    """Recompute the chain, then check the head's MAC and, given an anchor, that the chain still reaches
    the anchored event with the anchored hmac."""
    expected_prev = "0" * 64
    expected_seq = 1
    checked = 0
    anchored_hmac = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"事件 #{expected_seq} 缺失（被删除）")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.seq, f"事件 #{event.seq} 的前序哈希不匹配")
        if not hmac.compare_digest(event.hmac, compute_hmac(event)):
            return VerifyResult(False, checked, event.seq, f"事件 #{event.seq} 的内容已被篡改")
        if anchor is not None and event.seq == anchor.seq:
            anchored_hmac = event.hmac
        expected_prev, expected_seq = event.hmac, expected_seq + 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return VerifyResult(False, checked, None, "审计链头缺失（被删除）")
    elif not hmac.compare_digest(head.mac, head_mac(head.last_seq, head.last_hash)):
        return VerifyResult(False, checked, head.last_seq, "审计链头的签名不符（链头被改写）")
    elif head.last_seq != checked:
        return VerifyResult(False, checked, checked + 1, f"事件 #{checked + 1} 之后的记录缺失（被删除）")
    elif head.last_hash != expected_prev:
        return VerifyResult(False, checked, checked, f"事件 #{checked} 与审计链头记录的哈希不符")
    if anchor is None or anchor.seq == 0:
        return VerifyResult(True, checked)
    if not anchor.is_authentic():
        return VerifyResult(False, checked, None, f"{anchor.at} 的锚点签名不符（锚点被伪造）")
    if anchor.seq > checked:
        missing = f"#{checked + 1}" if anchor.seq == checked + 1 else f"#{checked + 1}–#{anchor.seq}"
        return VerifyResult(
            False, checked, checked + 1, f"事件 {missing} 缺失：{anchor.at} 的锚点记录链尾为 #{anchor.seq}"
        )
    if anchored_hmac != anchor.hmac:
        return VerifyResult(
            False, checked, anchor.seq, f"事件 #{anchor.seq} 与 {anchor.at} 的锚点不符（其后的链被重写）"
        )
    return VerifyResult(True, checked)
