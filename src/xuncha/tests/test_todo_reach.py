"""The 待办 list asks each deadline provider only for what the user may hold (``Reach.of(user)``), and
that changes nothing: on the demo data, at several dates (so that more deadlines are near and overdue),
every persona's to-dos are exactly those of the unbounded computation (every provider's every deadline,
then filtered by ``holds``), and each provider's answer for a user is a superset of what the user holds."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xuncha.core import reminders, todos
from xuncha.core.models import User
from xuncha.core.permissions import holds
from xuncha.core.reminders import EVERYONE, Reach

pytestmark = pytest.mark.django_db

DAYS_AHEAD = (0, 20, 60, 200)


def _unbounded(monkeypatch: pytest.MonkeyPatch, user: User, day: datetime.date) -> list[todos.Todo]:
    """The computation before providers took a reach: every deadline, then the user's."""
    with monkeypatch.context() as patched:
        patched.setattr(Reach, "of", classmethod(lambda cls, user: EVERYONE))
        return todos.todos_for(user, day)


def test_a_users_reach_gives_exactly_the_unbounded_to_dos(monkeypatch: pytest.MonkeyPatch) -> None:
    call_command("demo-data", stdout=io.StringIO())
    users = list(User.objects.filter(is_active=True).order_by("username"))
    seen_deadlines = 0
    for ahead in DAYS_AHEAD:
        day = timezone.localdate() + datetime.timedelta(days=ahead)
        everyone = {provider: list(provider(day, EVERYONE)) for provider in reminders._providers}
        for user in users:
            reach = Reach.of(user)
            for provider, all_deadlines in everyone.items():
                concerned = {
                    d.key for d in all_deadlines if holds(user, d.owners) or holds(user, d.escalate_to)
                }
                reached = {d.key for d in provider(day, reach)}
                assert concerned <= reached, (user.username, provider.__qualname__, day)
                seen_deadlines += len(concerned)
            assert todos.todos_for(user, day) == _unbounded(monkeypatch, user, day), (user.username, day)
    assert seen_deadlines > 0  # the demo has deadlines its personas hold, so the comparison means something
