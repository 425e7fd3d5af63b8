"""The navigation bar's 待办 badge (``core.todos.count_for``) is the length of the to-do list, kept per user
until anything it depends on changes: any write (the audit chain's head moves), the day, the user's roles
in force. A kept count costs one query. The deadline horizon is computed once for all providers."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core import todos
from xuncha.core.models import RoleAssignment, User
from xuncha.intake.tests.conftest import letter


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # roles read anew, as in a new request


def test_the_badge_counts_the_list_and_follows_every_write(world: SimpleNamespace) -> None:
    user = world.users["t1_member"]
    letter(world, "市财政局违规发放津贴")
    before = todos.count_for(_fresh(user))
    assert before == len(todos.todos_for(_fresh(user))) and before >= 1
    letter(world, "区教育局招生不公")  # a new petition to triage: an action, so the head moves
    assert todos.count_for(_fresh(user)) == before + 1 == len(todos.todos_for(_fresh(user)))


def test_a_kept_count_costs_one_query(world: SimpleNamespace, django_assert_num_queries: Any) -> None:
    user = _fresh(world.users["t1_member"])
    letter(world, "市财政局违规发放津贴")
    counted = todos.count_for(user)
    with django_assert_num_queries(1):  # the chain's head
        assert todos.count_for(user) == counted


def test_a_role_that_ended_without_a_write_is_not_counted_from_before(world: SimpleNamespace) -> None:
    user = world.users["t1_member"]
    letter(world, "市财政局违规发放津贴")
    assert todos.count_for(_fresh(user)) >= 1
    RoleAssignment.objects.filter(user=user).update(ends_at=timezone.now())  # its end came: no event
    assert todos.count_for(_fresh(user)) == 0 == len(todos.todos_for(_fresh(user)))


def test_the_deadline_horizon_is_read_once_for_all_providers(world: SimpleNamespace) -> None:
    user = _fresh(world.users["office"])
    user.scopes  # noqa: B018 - the roles, read before counting
    with CaptureQueriesContext(connection) as queries:
        todos.todos_for(user)
    horizons = [
        q["sql"] for q in queries.captured_queries if "due_soon_days" in q["sql"] and "MAX" in q["sql"]
    ]
    assert len(horizons) == 1
