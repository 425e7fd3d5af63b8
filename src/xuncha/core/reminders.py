"""Deadline reminders and escalation: one engine for every app's deadlines.

An app that knows deadlines registers a provider from its ``AppConfig.ready``::

    from xuncha.core.reminders import Deadline, register_deadlines

    def plan_deadlines(today: datetime.date, reach: Reach) -> list[Deadline]:
        # Open deadlines only, due by today + the committee's due-soon days (overdue ones of any age),
        # in a fixed number of queries (select_related what the titles and roles need), and only those
        # whose owners or escalate_to ``reach`` may hold (everyone's for the daily job; a user's for 待办).
        plans = Plan.objects.filter(reach.q({Role.UNIT_LIAISON: "unit_id", Role.OFFICE: "committee_id"}))
        return [
            Deadline(
                key=f"rectification-plan:{plan.pk}",
                due_on=plan.due_on,
                title=f"{plan.unit.name}整改方案",
                link=reverse("rectification:plan-detail", args=[plan.pk]),
                owners={Role.UNIT_LIAISON: plan.unit_id},
                escalate_to=escalation_roles(committee_id),
                committee_id=committee_id,
                remind_days=settings_for(committee).due_soon_days,
            )
            for plan in plans
        ]

    register_deadlines(plan_deadlines)

The daily job ``send_reminders`` asks every provider and sends through ``notifications.notify``: to the
owners a notice ``remind_days`` before, one on the day, and one when overdue; when overdue also an
escalation to ``escalate_to`` (the committee's office and leading group). Each goes once per deadline: the
key is ``<key>:<due_on>:before|day|overdue|escalation``, so running the job twice, or a day late, sends
nothing twice, and a moved deadline (new due date) is a new deadline. Only the current phase is sent: a
notice the job missed (it did not run that day) is not sent late. One ``reminder.sent`` event per notice,
on ``subject`` when given; ``on_sent`` may mark the subject (a transfer's ``last_chased_at``). The title
says what is due, never a reporter, a clue's or a petition's content. The home page's 逾期事项 / 即将到期
panels come from the same providers, so what is escalated is what the office sees
(``register_deadlines(provider, on_home=False)`` for deadlines that an app's own panel lists already, e.g.
rounds' 巡察期限提醒: the home page then does not ask that provider at all).

``reach`` keeps a page's work bounded by the user: the 待办 list (``core.todos``) asks each provider with
``Reach.of(user)``, so a provider queries only the rows whose owners or escalation roles are among the
user's scopes (a superset of what the user holds; the engine then keeps exactly those ``holds`` accepts),
in the same fixed number of queries whatever the installation's size.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django_tasks import task

from .audit import action_scope, record
from .choices import Role
from .home import Panel
from .models import Notification, RoleAssignment, User
from .notifications import notify, usernames
from .permissions import SYSTEM, holds

AUDIT_ACTIONS = {"reminder.sent": "发送期限提醒"}
AUDIT_DETAILS = {"deadline": "期限事项", "phase": "提醒类型", "notified": "已通知"}

BEFORE, DAY, OVERDUE, ESCALATION = "before", "day", "overdue", "escalation"
PANEL_LIMIT = 10
KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Deadline:
    key: str  # what is due, stable across runs: "<kind>:<pk>[:<part>]"
    due_on: datetime.date
    title: str  # a number or name and what is due; no sensitive content
    link: str
    owners: Mapping[str, int]  # who must act: role → scope id
    escalate_to: Mapping[str, int]  # told when overdue: role → scope id
    committee_id: int
    remind_days: int  # the committee's due-soon days
    subject: Model | None = None  # what is due: its history shows the reminders
    on_sent: Callable[[str], None] | None = None  # called with the phase, in the sending action

    def phase(self, today: datetime.date) -> str:
        """``overdue``, ``day``, ``before`` (within ``remind_days``) or "" (not near yet)."""
        if today > self.due_on:
            return OVERDUE
        if today == self.due_on:
            return DAY
        if today >= self.due_on - datetime.timedelta(days=self.remind_days):
            return BEFORE
        return ""


@dataclass(frozen=True)
class Reach:
    """Whose deadlines a provider lists: every one (``EVERYONE``, the daily job) or only those a user may
    own or be escalated to (``Reach.of(user)``: role → the scope ids the user holds it on)."""

    scopes: Mapping[str, frozenset[int]] | None

    @classmethod
    def of(cls, user: User) -> "Reach":
        return cls({role: frozenset(user.scopes.ids(role)) for role in user.scopes.roles})

    def q(self, lookups: Mapping[str, str | tuple[str, ...]]) -> Q:
        """The rows whose deadline may concern the reach: for a role → lookup(s) of ``lookups`` (the path
        to the scope id a deadline's owners or escalate_to name for that role), the value is one of the
        scope ids the reach holds that role on; every row for ``EVERYONE``, none when no role matches."""
        if self.scopes is None:
            return Q()
        found = Q(pk__in=[])
        for role, paths in lookups.items():
            if ids := self.scopes.get(role):
                for path in (paths,) if isinstance(paths, str) else paths:
                    found |= Q(**{f"{path}__in": sorted(ids)})
        return found

    def holds_any(self, *roles: str) -> bool:
        """Whether the reach has any of ``roles`` (always for ``EVERYONE``): a provider whose deadlines
        only those roles own or are escalated to skips its queries otherwise."""
        return self.scopes is None or any(self.scopes.get(role) for role in roles)


EVERYONE = Reach(None)

Provider = Callable[[datetime.date, Reach], Iterable[Deadline]]
_providers: dict[Provider, bool] = {}  # provider → whether the engine's home panels show its deadlines


def register_deadlines(provider: Provider, *, on_home: bool = True) -> None:
    _providers.setdefault(provider, on_home)


def escalation_roles(committee_id: int) -> dict[str, int]:
    """The usual ``escalate_to``: the committee's office and leading group."""
    return {Role.OFFICE: committee_id, Role.LEADING_GROUP: committee_id}


T = TypeVar("T")
_shared: ContextVar[dict[Hashable, Any] | None] = ContextVar("reminders_shared", default=None)


def shared(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once for every provider asked by the same ``near`` call (e.g. the horizon of due
    dates, which every provider filters by): the first provider computes it, the others reuse it. Outside
    ``near`` it is simply computed."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def near(today: datetime.date, *, home: bool = False, reach: Reach = EVERYONE) -> list[Deadline]:
    """Every provider's (with ``home``: those shown on the home page) open deadlines that are due soon,
    today or overdue, the most overdue first; with ``reach``, at least those it may hold (a superset)."""
    asked = [provider for provider, on_home in _providers.items() if on_home or not home]
    token = _shared.set({})
    try:
        found = [d for provider in asked for d in provider(today, reach) if d.phase(today)]
    finally:
        _shared.reset(token)
    return sorted(found, key=lambda d: (d.due_on, d.key))


def _titles(deadline: Deadline, today: datetime.date) -> dict[str, str]:
    due = f"{deadline.due_on:%Y-%m-%d}"
    late = (today - deadline.due_on).days
    return {
        BEFORE: f"即将到期：{deadline.title}（期限 {due}）",
        DAY: f"今日到期：{deadline.title}",
        OVERDUE: f"已逾期：{deadline.title}（期限 {due}）",
        ESCALATION: f"逾期督办：{deadline.title}（期限 {due}，已逾期{late}天）",
    }


def _holders_of(deadlines: list[Deadline]) -> dict[tuple[str, int], list[User]]:
    """(role, scope id) → its active holders, for every role the deadlines name, in one query."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for deadline in deadlines:
        for role, scope_id in [*deadline.owners.items(), *deadline.escalate_to.items()]:
            wanted[role].add(scope_id)
    if not wanted:
        return {}
    q = Q()
    for role, scope_ids in wanted.items():
        q |= Q(role=role, scope_id__in=scope_ids)
    found: dict[tuple[str, int], list[User]] = defaultdict(list)
    assignments = RoleAssignment.objects.in_force().filter(q, user__is_active=True).select_related("user")
    for assignment in assignments.order_by("user_id"):
        found[(assignment.role, assignment.scope_id)].append(assignment.user)
    return found


def deadline_met(key: str) -> int:
    """The deadline ``key`` is met (its object has no subject to mark, e.g. a week's 周报 not yet begun):
    its reminders, whatever their due date and phase, are marked handled; how many. Called by the action
    that meets it, inside its transaction."""
    reminders = Notification.objects.filter(key__startswith=f"{key}:").unhandled()
    return reminders.update(handled_at=timezone.now())


def send_reminders(today: datetime.date | None = None) -> list[Notification]:
    """Send every notice due ``today`` (the system's act) and record one ``reminder.sent`` event per notice
    that reached someone new; the notifications created. Idempotent: a second run sends nothing."""
    day = today or timezone.localdate()
    deadlines = near(day)
    holders = _holders_of(deadlines)

    def users(roles: Mapping[str, int]) -> list[User]:
        return [user for role, scope_id in roles.items() for user in holders.get((role, scope_id), [])]

    occasions: list[tuple[Deadline, str, list[User]]] = []
    for deadline in deadlines:
        phase = deadline.phase(day)
        occasions.append((deadline, phase, users(deadline.owners)))
        if phase == OVERDUE:
            occasions.append((deadline, ESCALATION, users(deadline.escalate_to)))
    # Skip those already told, in a query per KEYS_PER_QUERY keys (SQLite limits a query's parameters): a
    # daily rerun then costs no query per deadline.
    keys = sorted({f"{d.key}:{d.due_on.isoformat()}:{phase}" for d, phase, _ in occasions})
    told: set[tuple[int, str]] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        told.update(Notification.objects.filter(key__in=chunk).values_list("recipient_id", "key"))
    sent: list[Notification] = []
    for deadline, phase, recipients in occasions:
        key = f"{deadline.key}:{deadline.due_on.isoformat()}:{phase}"
        new = [user for user in recipients if (user.pk, key) not in told]
        if not new:
            continue
        with transaction.atomic():
            title = _titles(deadline, day)[phase]
            created = notify(new, key=key, title=title, link=deadline.link, subject=deadline.subject)
            if not created:
                continue  # told by a concurrent run: nothing happened, so no event either
            with action_scope("send_reminders"):
                if deadline.on_sent is not None:
                    deadline.on_sent(phase)
                record(
                    "reminder.sent",
                    deadline.subject,
                    by=None,
                    role=SYSTEM,
                    committee_id=deadline.committee_id,
                    details={"deadline": key, "phase": phase, "notified": usernames(created)},
                )
        sent.extend(created)
    return sent


@task()
def send_reminders_task(today: str | None = None) -> int:
    """The daily job; ``today`` as YYYY-MM-DD, for reruns. How many notifications were sent."""
    return len(send_reminders(datetime.date.fromisoformat(today) if today else None))


def home_panels(user: User) -> list[Panel]:
    """逾期事项 and 即将到期: the near deadlines ``user`` must act on or is escalated to."""
    today = timezone.localdate()
    reach = Reach.of(user)
    mine = [
        d for d in near(today, home=True, reach=reach) if holds(user, d.owners) or holds(user, d.escalate_to)
    ]
    overdue = [d for d in mine if d.phase(today) == OVERDUE]
    due = [d for d in mine if d.phase(today) != OVERDUE]
    panels = []
    for title, items, order in (("逾期事项", overdue, 5), ("即将到期", due, 6)):
        if items:
            context = {"items": items[:PANEL_LIMIT], "count": len(items), "today": today}
            panels.append(Panel(title, "core/panels/deadlines.html", context, order=order))
    return panels
