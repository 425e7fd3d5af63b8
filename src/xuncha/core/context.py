"""Per-request and per-action context: who is acting, under which request id, inside which action."""

import contextvars
from dataclasses import dataclass, field


class AuditMissing(Exception):
    """A change was attempted, or an action finished, without its audit event."""


@dataclass
class ActionFrame:
    name: str
    events: int = 0


@dataclass
class RequestInfo:
    request_id: str = ""
    frames: list[ActionFrame] = field(default_factory=list)


_request: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("xuncha_request", default=None)


def current() -> RequestInfo:
    info = _request.get()
    if info is None:
        info = RequestInfo()
        _request.set(info)
    return info


def bind_request(request_id: str) -> contextvars.Token[RequestInfo | None]:
    return _request.set(RequestInfo(request_id=request_id))


def unbind_request(token: contextvars.Token[RequestInfo | None]) -> None:
    _request.reset(token)


def in_action() -> bool:
    return bool(current().frames)
