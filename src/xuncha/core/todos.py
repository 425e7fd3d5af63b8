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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone

from .models import User
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


def groups_of(todos: Iterable[Todo]) -> list[tuple[str, int]]:
    """Each group with how many to-dos it has, by name (the filter's choices)."""
    counts: dict[str, int] = {}
    for todo in todos:
        counts[todo.group] = counts.get(todo.group, 0) + 1
    return sorted(counts.items())


def chosen(todos: Iterable[Todo], today: datetime.date, *, group: str, overdue: bool) -> list[Todo]:
    """The to-dos of ``group`` (any group if empty), only the overdue ones if ``overdue``."""
    return [t for t in todos if (not group or t.group == group) and (not overdue or t.overdue(today))]
