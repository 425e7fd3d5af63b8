"""The 待办 list: every open to-do of a user across apps, on one page (/todo/), in the API (/api/v1/todos/)
and as a count in the navigation bar.

Two sources, so no app asks the database twice for the same thing:

- the deadline engine (``core.reminders``): every near or overdue deadline the user must act on (its
  ``owners``), and every overdue one escalated to the user, whether or not the home page shows it; an app
  names its deadlines' group by key prefix
  (``register_deadline_groups({"document-request": "调阅资料期限"})``);
- providers registered by apps for to-dos without a deadline (a petition to triage, a plan to review):
  ``register_todos(provider)``, ``provider(user)`` → its ``Todo`` items. An app builds the queryset once
  and uses it for its home panel too.
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .models import AuditChainHead, User
from .permissions import holds
from .reminders import Reach, near

DEADLINES = "期限事项"  # the group of a deadline whose app named none


@dataclass(frozen=True)
class Todo:
    group: str  # what kind of to-do: 待分拣的信访件, 待审核的整改方案 …
    title: str  # a number or name and what is due; no sensitive content (as a deadline's title)
    link: str
    subject: str = ""  # what it concerns, when the title does not say: the inspection, the unit
    due_on: datetime.date | None = None

    def overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today


TodoProvider = Callable[[User], Iterable[Todo]]
_providers: list[TodoProvider] = []
_groups: dict[str, str] = {}


def register_todos(provider: TodoProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def register_deadline_groups(groups: Mapping[str, str]) -> None:
    """Deadline key prefix (``<kind>`` of ``<kind>:<pk>``) → the 待办 group its deadlines show in."""
    _groups.update(groups)


def _deadline_todos(user: User, today: datetime.date) -> list[Todo]:
    """The near deadlines the user must act on, and the overdue ones escalated to the user, who must chase
    them (督促办理)."""
    found = []
    for deadline in near(today, reach=Reach.of(user)):
        if holds(user, deadline.owners):
            subject = ""
        elif deadline.due_on < today and holds(user, deadline.escalate_to):
            subject = "逾期督促办理"
        else:
            continue
        group = _groups.get(deadline.key.split(":", 1)[0], DEADLINES)
        found.append(Todo(group, deadline.title, deadline.link, subject=subject, due_on=deadline.due_on))
    return found


def todos_for(user: User, today: datetime.date | None = None) -> list[Todo]:
    """The user's to-dos: overdue first, then by deadline (those without one last), then by group."""
    day = today or timezone.localdate()
    found = [*_deadline_todos(user, day), *(todo for provider in _providers for todo in provider(user))]
    return sorted(
        found,
        key=lambda t: (not t.overdue(day), t.due_on is None, t.due_on or day, t.group, t.title),
    )


COUNT_SECONDS = 300  # how long a badge count is kept (it is only ever read for the same state, see below)


def _count_key(user: User, today: datetime.date) -> str:
    """What the user's to-dos depend on: the user, the day, the roles in force (a role may end at any
    moment, with no write) and the audit chain's head, which every action moves (every change of case
    data, settings or roles appends an event in the same transaction): a count stored under this key is
    never read once anything it was computed from has changed."""
    head = AuditChainHead.objects.values_list("last_seq", "last_hash").first()
    roles = sorted((role, sorted(user.scopes.ids(role))) for role in user.scopes.roles)
    state = json.dumps([user.pk, today.isoformat(), head, roles])
    return f"todo-count:{hashlib.sha256(state.encode()).hexdigest()}"


def count_for(user: User, today: datetime.date | None = None) -> int:
    """How many to-dos the user has (the navigation bar's badge, asked after every page): computed as
    ``todos_for`` does, and kept per user for as long as nothing has been written since (one query for
    the chain's head otherwise)."""
    day = today or timezone.localdate()
    key = _count_key(user, day)
    count = cache.get(key)
    if count is None:
        count = len(todos_for(user, day))
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def groups_of(todos: Iterable[Todo]) -> list[tuple[str, int]]:
    """Each group with how many to-dos it has, by name (the filter's choices)."""
    counts: dict[str, int] = {}
    for todo in todos:
        counts[todo.group] = counts.get(todo.group, 0) + 1
    return sorted(counts.items())


def chosen(todos: Iterable[Todo], today: datetime.date, *, group: str, overdue: bool) -> list[Todo]:
    """The to-dos of ``group`` (any group if empty), only the overdue ones if ``overdue``."""
    return [t for t in todos if (not group or t.group == group) and (not overdue or t.overdue(today))]
