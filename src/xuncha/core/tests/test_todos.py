"""The 待办 list: the owners' near deadlines and the apps' providers, overdue first, filters, the count
and the API."""

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from xuncha.core import reminders, todos
from xuncha.core.choices import Role
from xuncha.core.reminders import Deadline, escalation_roles
from xuncha.core.todos import Todo


def _deadline(world, n: int, due_on: datetime.date) -> Deadline:  # type: ignore[no-untyped-def]
    return Deadline(
        key=f"test-item:{n}",
        due_on=due_on,
        title=f"第{n}项测试事项",
        link=f"/test/{n}/",
        owners={Role.TEAM_LEADER: world.team1.pk},
        escalate_to=escalation_roles(world.city.pk),
        committee_id=world.city.pk,
        remind_days=7,
    )


@pytest.fixture
def sources(world, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Deadline]]:  # type: ignore[no-untyped-def]
    """Only the test's deadlines and one provider: team1's leader has a to-do without a deadline."""
    current: list[Deadline] = []
    monkeypatch.setattr(reminders, "_providers", {lambda today, reach: list(current): True})
    monkeypatch.setattr(todos, "_groups", {"test-item": "测试期限事项"})

    def provider(user):  # type: ignore[no-untyped-def]
        if not user.scopes.ids(Role.TEAM_LEADER):
            return []
        return [
            Todo(group="待审签的测试底稿", title="测试底稿1号", link="/test/draft/", subject="第一巡察组")
        ]

    monkeypatch.setattr(todos, "_providers", [provider])
    yield current


def test_the_owner_sees_overdue_first_then_by_deadline_then_those_without(world, sources, client_for):
    today = timezone.localdate()
    sources.append(_deadline(world, 1, today + datetime.timedelta(days=3)))
    sources.append(_deadline(world, 2, today - datetime.timedelta(days=2)))
    sources.append(_deadline(world, 3, today + datetime.timedelta(days=30)))  # not near yet
    found = todos.todos_for(world.users["t1_leader"], today)
    assert [t.title for t in found] == ["第2项测试事项", "第1项测试事项", "测试底稿1号"]
    assert [t.group for t in found] == ["测试期限事项", "测试期限事项", "待审签的测试底稿"]
    # The office is escalated to: the overdue deadline is its to-do too (to chase), the others are not.
    chased = todos.todos_for(world.users["office"], today)
    assert [(t.title, t.subject) for t in chased] == [("第2项测试事项", "逾期督促办理")]
    assert todos.todos_for(world.users["t2_member"], today) == []

    page = client_for("t1_leader").get("/todo/").content.decode()
    assert page.index("第2项测试事项") < page.index("第1项测试事项") < page.index("测试底稿1号")
    assert "已逾期" in page and "第3项测试事项" not in page
    overdue = client_for("t1_leader").get("/todo/", {"overdue": "1"}).content.decode()
    assert "第2项测试事项" in overdue and "第1项测试事项" not in overdue
    grouped = client_for("t1_leader").get("/todo/", {"group": "待审签的测试底稿"}).content.decode()
    assert "测试底稿1号" in grouped and "第2项测试事项" not in grouped


def test_the_navigation_bar_loads_the_count_after_the_page(world, sources, client_for):
    sources.append(_deadline(world, 1, timezone.localdate()))
    page = client_for("t1_leader").get("/notifications/").content.decode()
    assert 'hx-get="/todo/count/"' in page
    assert ">2</span>" in client_for("t1_leader").get("/todo/count/").content.decode()
    assert client_for("t2_member").get("/todo/count/").content.decode().strip() == ""


def test_the_api_gives_the_same_items(world, sources, client_for):
    today = timezone.localdate()
    sources.append(_deadline(world, 2, today - datetime.timedelta(days=2)))
    response = client_for("t1_leader").get("/api/v1/todos/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "group": "测试期限事项",
        "title": "第2项测试事项",
        "subject": "",
        "link": "/test/2/",
        "due_on": (today - datetime.timedelta(days=2)).isoformat(),
        "overdue": True,
    }
    only_overdue = client_for("t1_leader").get("/api/v1/todos/", {"overdue": "true"}).json()
    assert only_overdue["count"] == 1
    assert client_for("t2_member").get("/api/v1/todos/").json()["count"] == 0


def test_printing_shows_who_printed_and_hides_the_controls(world, sources, client_for):
    page = client_for("t1_leader").get("/todo/").content.decode()
    assert "打印人：t1_leader" in page and "data-print" in page
    assert "xuncha/page_tools.js" in page
