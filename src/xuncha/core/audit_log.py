"""The audit log as the auditor reads it (page, Excel and API alike): in Chinese, and without case content.

An event names its object by type and number, never by the stored ``object_repr`` (a clue's title, a name
and an allegation). Details of an event on a case object (a ``CaseModel``, or an event of a committee with
no object) show field names only: a value appears when it cannot be content — a count, a flag, a date, an
object's number, a user. Events on accounts (users, roles, tokens) and the installation's own events keep
their values: a username or a role is not case content.
"""

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.db.models import Q

from .audit_labels import (
    ACTORS,
    action_label,
    field_label,
    matching,
    object_numbers,
    object_type_label,
    people,
    person,
    register_audit_labels,
    register_object_numbers,
    role_label,
)
from .choices import ScopeType
from .models import ApiToken, AuditEvent, CaseModel, RoleAssignment, User
from .scopes import describe

HIDDEN = "（内容不显示）"
USER_KEYS = frozenset({"user", "requester", "notified"})
# Keys whose values are row ids of other objects: no number, nothing for a reader; not shown.
REFERENCE_KEYS = frozenset({"team", "inspector", "unit", "round", "reveal", "message", "scope_id"})
LOGOUT_REASONS = {"user": "主动退出", "idle_timeout": "闲置超时", "absolute_timeout": "会话到期"}
VALUE_LABELS = {("user.logged_out", "reason"): LOGOUT_REASONS}
FIELD_LIST_KEYS = frozenset({"fields"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}:\d{2}|Z)?)?$")


class Change(NamedTuple):
    field: str
    before: str
    after: str


class Detail(NamedTuple):
    name: str
    value: str


@dataclass
class Entry:
    seq: int
    created_at: datetime.datetime
    actor: str
    role: str
    action: str
    action_code: str
    object_type: str
    object_type_code: str
    object_id: str
    object_number: str
    committee_id: int | None
    request_id: str
    prev_hash: str
    hmac: str
    open: bool
    changes: list[Change] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)
    others: list[Detail] = field(default_factory=list)

    @property
    def object(self) -> str:
        """信访件 02-004-0001; the type alone when the object has no number."""
        return " ".join(part for part in (self.object_type, self.object_number) if part)

    @property
    def request(self) -> str:
        """The request's number; a command's or task's (stored as task-…) reads 后台任务 …."""
        kind, _, number = self.request_id.partition("-")
        return f"后台任务 {number}" if kind == "task" and number else self.request_id

    def details_text(self) -> str:
        """The details on one line, for the Excel ledger."""
        parts = [f"{name}：{before} → {after}" for name, before, after in self.changes]
        if self.changed_fields:
            parts.append("修改的字段：" + "、".join(self.changed_fields))
        parts += [f"{name}：{value}" for name, value in self.others]
        return "；".join(parts)


def _is_open(event: AuditEvent) -> bool:
    if not event.object_type:
        return event.committee_id is None
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return False
    return not issubclass(model, CaseModel)


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _users(value: Any, named: dict[int | str, str]) -> str:
    values = value if isinstance(value, list) else [value]
    return "、".join(named.get(item, HIDDEN) for item in values if isinstance(item, int | str)) or "—"


def _safe(key: str, value: Any) -> bool:
    """Whether a detail value of a case event can be shown: it cannot be content."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        return key.endswith("number") or bool(_DATE.match(value))
    if isinstance(value, list):
        return all(_safe(key, item) for item in value)
    return False


class _Explainer:
    """Details of a page of events, with every user they name read in one query."""

    def __init__(self, events: Sequence[AuditEvent]) -> None:
        ids: set[int] = {event.actor_id for event in events if event.actor_id is not None}
        names: set[str] = set()
        for event in events:
            for key in USER_KEYS & set(event.details):
                value = event.details[key]
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int) and not isinstance(item, bool):
                        ids.add(item)
                    elif isinstance(item, str):
                        names.add(item)
        self.named = people(ids, names)

    def value(self, event: AuditEvent, key: str, value: Any, open_: bool) -> str:
        if key in USER_KEYS:
            return _users(value, self.named)
        if key in FIELD_LIST_KEYS and isinstance(value, list):
            return "、".join(field_label(event.object_type, str(item)) for item in value) or "—"
        labels = VALUE_LABELS.get((event.action, key))
        if labels is not None and value in labels:
            return labels[value]
        if open_ and key == "role" and isinstance(value, str):
            return role_label(value)
        if open_ and key == "scope_type" and value in ScopeType.values:
            return str(ScopeType(value).label)
        if open_ or _safe(key, value):
            return _plain(value)
        return HIDDEN

    def actor(self, event: AuditEvent) -> str:
        if event.actor_id is not None:
            return self.named.get(event.actor_id, event.actor_name)
        return ACTORS.get(event.actor_name, event.actor_name)


def explain(events: Sequence[AuditEvent]) -> list[Entry]:
    """The events in Chinese: a fixed number of queries whatever their count (users, then one per object
    type for the numbers)."""
    explainer = _Explainer(events)
    numbers = object_numbers((event.object_type, event.object_id) for event in events)
    entries = []
    for event in events:
        kind, open_ = event.object_type, _is_open(event)
        entry = Entry(
            seq=event.seq,
            created_at=event.created_at,
            actor=explainer.actor(event),
            role=role_label(event.role) if event.role else "",
            action=action_label(event.action, kind),
            action_code=event.action,
            object_type=object_type_label(kind) if kind else "",
            object_type_code=kind,
            object_id=event.object_id,
            object_number=numbers.get((kind, event.object_id), ""),
            committee_id=event.committee_id,
            request_id=event.request_id,
            prev_hash=event.prev_hash,
            hmac=event.hmac,
            open=open_,
        )
        details = dict(event.details)
        changed = details.pop("changes", None)
        if isinstance(changed, dict):
            for name, pair in changed.items():
                label = field_label(kind, name)
                if not open_:
                    entry.changed_fields.append(label)
                elif isinstance(pair, list) and len(pair) == 2:
                    entry.changes.append(Change(label, _plain(pair[0]), _plain(pair[1])))
        entry.others = [
            Detail(field_label(kind, key), explainer.value(event, key, value, open_))
            for key, value in details.items()
            if key not in REFERENCE_KEYS and not key.endswith("_id")
        ]
        entries.append(entry)
    return entries


def selected(
    *,
    q: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> Q:
    """The events a filter of the page or the API selects: ``q`` by the names (or codes) of actions and
    object types, ``actor`` by name or username, ``until`` excluded."""
    found = Q()
    if q.strip():
        found &= matching(q)
    for name, value in (("action", action), ("object_type", object_type), ("object_id", object_id)):
        if value.strip():
            found &= Q(**{name: value.strip()})
    if actor.strip():
        found &= Q(actor_name__icontains=actor.strip()) | Q(actor__full_name__icontains=actor.strip())
    if since is not None:
        found &= Q(created_at__gte=since)
    if until is not None:
        found &= Q(created_at__lt=until)
    return found


def committee_name(committee_id: int | None) -> str:
    if committee_id is None:
        return "全系统"
    scope = describe(ScopeType.COMMITTEE, committee_id)
    return scope.name if scope is not None else "—"


EXPORTED = "audit.exported"


def register() -> None:
    """Core's names: the export's action, and its account objects by user (姓名（username）)."""
    register_audit_labels({EXPORTED: "导出审计日志"}, {"rows": "行数", "filters": "筛选条件"})
    register_object_numbers(
        User,
        lambda found: (
            (pk, person(u, name)) for pk, u, name in found.values_list("pk", "username", "full_name")
        ),
    )
    register_object_numbers(
        RoleAssignment,
        lambda found: (
            (pk, f"{person(u, name)} · {role_label(role)}")
            for pk, u, name, role in found.values_list("pk", "user__username", "user__full_name", "role")
        ),
    )
    register_object_numbers(
        ApiToken,
        lambda found: (
            (pk, f"{person(u, name)} · {token}")
            for pk, u, name, token in found.values_list("pk", "user__username", "user__full_name", "name")
        ),
    )
