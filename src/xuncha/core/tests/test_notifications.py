"""Notifications: once per user and key, mailed once after commit when SMTP is configured, own pages only."""

import re
import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from xuncha.core.audit import action_scope, record
from xuncha.core.choices import Role
from xuncha.core.models import Notification, User
from xuncha.core.notifications import (
    holders,
    mail_notification,
    mark_handled,
    notify,
    unread_count,
    usernames,
)
from xuncha.core.reminders import deadline_met

pytestmark = pytest.mark.django_db

KEY = "transfer-overdue:1:2026-03-01"
TITLE = "转交函江东巡转〔2026〕1号已逾期未报结果"
LINK = "/intake/transfers/1/"


@pytest.fixture
def smtp(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_HOST = "smtp.example.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.XUNCHA_SITE_URL = "https://xuncha.example.cn"
    return settings


def _with_email(world, *personas):  # type: ignore[no-untyped-def]
    users = [world.users[p] for p in personas]
    for user in users:
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return users


def test_holders_are_the_active_users_holding_a_role_on_the_scope(world):
    assert list(holders({Role.TEAM_LEADER: world.team1.pk})) == [world.users["t1_leader"]]
    both = holders({Role.RECEIVER: world.jiwei_dept.pk, Role.UNIT_LIAISON: world.unit1.pk})
    assert {u.username for u in both} == {"jiwei", "liaison1"}
    assert not holders({Role.TEAM_LEADER: world.team2.pk}).exists()
    assert not holders({}).exists()
    world.users["jiwei"].is_active = False
    world.users["jiwei"].save(update_fields=["is_active"])
    assert not holders({Role.RECEIVER: world.jiwei_dept.pk}).exists()


def test_notify_creates_one_per_user_and_key_however_often_it_is_called(world):
    users = [world.users["office"], world.users["t1_leader"], world.users["office"]]
    first = notify(users, key=KEY, title=TITLE, link=LINK)
    assert usernames(first) == ["office", "t1_leader"]
    assert notify(users, key=KEY, title=TITLE, link=LINK) == []
    again = notify([world.users["office"], world.users["leader"]], key=KEY, title=TITLE, link=LINK)
    assert usernames(again) == ["leader"]
    assert Notification.objects.filter(key=KEY).count() == 3
    assert notify([world.users["office"]], key=KEY + "-next", title=TITLE) != []


def test_notify_skips_inactive_users(world):
    world.users["office"].is_active = False
    assert notify([world.users["office"]], key=KEY, title=TITLE) == []


@pytest.mark.parametrize(
    ("key", "title", "link"),
    [
        ("", TITLE, LINK),
        ("k" * 201, TITLE, LINK),
        (KEY, " ", LINK),
        (KEY, "题" * 201, LINK),
        (KEY, "第一行\n第二行", LINK),
        (KEY, TITLE, "https://elsewhere.example/"),
        (KEY, TITLE, "//elsewhere.example/"),
        (KEY, TITLE, "/\\elsewhere.example/"),
        (KEY, TITLE, "intake/transfers/1/"),
    ],
)
def test_notify_refuses_bad_arguments(world, key, title, link):
    with pytest.raises(ValueError):
        notify([world.users["office"]], key=key, title=title, link=link)
    assert not Notification.objects.exists()


def test_notify_inside_an_action_is_rolled_back_with_it(world, smtp, django_capture_on_commit_callbacks):
    _with_email(world, "office")

    def failing_action() -> None:
        with action_scope("test.notify"):
            notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)
            record("test.notify", None, by=None)
            raise RuntimeError("the action fails after notifying")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_action()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_one_mail_per_new_notification_after_commit(world, smtp, django_capture_on_commit_callbacks):
    _with_email(world, "office", "t1_leader")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, action_scope("test.notify"):
        notify(
            [world.users["office"], world.users["t1_leader"], world.users["leader"]],
            key=KEY,
            title=TITLE,
            link=LINK,
        )
        record("test.notify", None, by=None)
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 2  # leader has no email address
    assert sorted(m.to[0] for m in mail.outbox) == ["office@example.cn", "t1_leader@example.cn"]
    message = mail.outbox[0]
    assert TITLE in message.subject
    assert message.body == f"{TITLE}\n\n请登录巡察工作平台查看：https://xuncha.example.cn{LINK}\n"
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_mail_without_a_site_address_or_link_says_where_to_look(
    world, smtp, django_capture_on_commit_callbacks
):
    smtp.XUNCHA_SITE_URL = ""
    _with_email(world, "office")
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)
        notify([world.users["office"]], key=KEY + "-plain", title=TITLE)
    assert [m.body for m in mail.outbox] == [
        f"{TITLE}\n\n请登录巡察工作平台查看：{LINK}\n",
        f"{TITLE}\n\n请登录巡察工作平台查看。\n",
    ]


def test_a_mail_task_run_twice_sends_once(world, smtp, django_capture_on_commit_callbacks):
    _with_email(world, "office")
    with django_capture_on_commit_callbacks(execute=True):
        (created,) = notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)
    assert mail_notification.call(created.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_released_for_a_rerun(world, smtp, monkeypatch):
    _with_email(world, "office")
    (created,) = notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("connection refused")

    monkeypatch.setattr("xuncha.core.notifications.send_mail", refuse)
    with pytest.raises(OSError):
        mail_notification.call(created.pk)
    created.refresh_from_db()
    assert created.emailed_at is None
    monkeypatch.undo()
    assert mail_notification.call(created.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_make_one_notification_and_one_mail_each(smtp):
    users = [User.objects.create(username=name, email=f"{name}@example.cn") for name in ("a", "b")]
    inserted = threading.Event()
    created: dict[str, list[Notification]] = {}

    def run(label: str, *, first: bool) -> None:
        try:
            if not first:
                inserted.wait(5)  # the first run holds its uncommitted rows: this one queues behind them
            with transaction.atomic():
                created[label] = notify(users, key=KEY, title=TITLE, link=LINK)
                if first:
                    inserted.set()
                    time.sleep(0.3)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("first",), kwargs={"first": True}),
        threading.Thread(target=run, args=("second",), kwargs={"first": False}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert usernames(created["first"]) == ["a", "b"]
    assert created["second"] == []
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.cn", "b@example.cn"]


def test_no_mail_without_smtp(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    _with_email(world, "office")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([world.users["office"]], key=KEY, title=TITLE, link=LINK)
    assert callbacks == []
    assert mail.outbox == []


def _without_tokens(content: bytes) -> str:
    """A page without its CSRF tokens, which differ on every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "", content.decode())


def _notice(world, persona: str, n: int = 1, link: str = LINK) -> Notification:  # type: ignore[no-untyped-def]
    (created,) = notify([world.users[persona]], key=f"test:{n}", title=f"第{n}条通知", link=link)
    return created


def test_the_list_shows_only_ones_own_unread_first(world, client_for):
    old = _notice(world, "office", 1)
    _notice(world, "office", 2)
    _notice(world, "t1_leader", 3)
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    client = client_for("office")
    unread = client.get("/notifications/").content.decode()  # the 未读 tab while anything is unread
    assert "第2条通知" in unread
    assert "第1条通知" not in unread
    assert "第3条通知" not in unread
    everything = client.get("/notifications/?show=all").content.decode()
    assert everything.index("第2条通知") < everything.index("第1条通知")
    assert "第3条通知" not in everything
    assert client.get("/notifications/?show=bogus&page=x").status_code == 200


def test_the_list_is_paginated(world, client_for):
    for n in range(30):
        _notice(world, "office", n)
    page2 = client_for("office").get("/notifications/?show=all&page=2").content.decode()
    assert "第 2 / 2 页，共 30 条" in page2


def test_the_navigation_bar_counts_unread(world, client_for):
    client = client_for("office")
    assert "text-bg-danger" not in client.get("/notifications/").content.decode()
    _notice(world, "office", 1)
    _notice(world, "office", 2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/rounds/").content.decode()
    assert '<span class="badge text-bg-danger">2</span>' in page
    assert sum("core_notification" in q["sql"] for q in queries.captured_queries) == 1


def test_reading_one_marks_it_read_and_follows_its_link(world, client_for):
    notification = _notice(world, "office")
    response = client_for("office").post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == LINK
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    client_for("office").post(f"/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_reading_one_without_a_link_goes_back_to_the_list(world, client_for):
    notification = _notice(world, "office", link="")
    response = client_for("office").post(f"/notifications/{notification.pk}/read/")
    assert response["Location"] == "/notifications/"


def test_nobody_reads_or_marks_another_users_notification(world, client_for):
    notification = _notice(world, "office")
    missing = client_for("t1_leader").post("/notifications/999999/read/")
    other = client_for("t1_leader").post(f"/notifications/{notification.pk}/read/")
    assert other.status_code == missing.status_code == 404
    assert _without_tokens(other.content) == _without_tokens(missing.content)
    client_for("t1_leader").post("/notifications/read-all/")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read(world, client_for):
    _notice(world, "office", 1)
    _notice(world, "office", 2)
    mine_elsewhere = _notice(world, "t1_leader", 3)
    response = client_for("office").post("/notifications/read-all/", follow=True)
    assert "已将 2 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.users["office"]).unread().exists()
    mine_elsewhere.refresh_from_db()
    assert mine_elsewhere.read_at is None


def test_anonymous_visitors_are_sent_to_login(world, client):
    notification = _notice(world, "office")
    for response in (
        client.get("/notifications/"),
        client.post(f"/notifications/{notification.pk}/read/"),
        client.post("/notifications/read-all/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_home_page_panel_shows_the_count_and_latest(world, client_for):
    assert "未读通知" not in client_for("office").get("/").content.decode()
    for n in range(7):
        _notice(world, "office", n)
    page = client_for("office").get("/").content.decode()
    assert "未读通知 7 条。" in page
    assert "第6条通知" in page
    assert "第1条通知" not in page  # the latest five only


def test_notifications_about_a_handled_object_are_marked_handled_and_no_longer_unread(world, client_for):
    office, leader = world.users["office"], world.users["leader"]
    about_1 = notify([office, leader], key="test:a", title="巡察一期限", link=LINK, subject=world.inspection1)
    notify([office], key="test:b", title="巡察二期限", link=LINK, subject=world.inspection2)
    notify([office], key="test:c", title="无对象的通知", link=LINK)
    assert {(n.subject_type, n.subject_id) for n in about_1} == {
        ("rounds.inspection", str(world.inspection1.pk))
    }
    assert unread_count(office) == 3

    assert mark_handled(world.inspection1) == 2
    assert mark_handled([world.inspection1]) == 0  # already handled: the first moment is kept
    assert mark_handled([]) == 0
    assert unread_count(office) == 2 and unread_count(leader) == 0
    handled = Notification.objects.filter(handled_at__isnull=False)
    assert set(handled.values_list("key", flat=True)) == {"test:a"}
    page = client_for("leader").get("/notifications/?show=all").content.decode()
    assert "巡察一期限" in page and "已处理</span>" in page and "未读</span>" not in page
    assert "巡察一期限" not in client_for("office").get("/notifications/?show=unread").content.decode()

    # A met deadline: its reminders of every phase, not those of a longer key that merely starts alike.
    for key in ("weekly-report:1:2026-11-23:2026-11-30:overdue", "weekly-report:1:2026-11-23:2026-11-30:day"):
        notify([office], key=key, title="周报提醒", link=LINK)
    notify([office], key="weekly-report:11:2026-11-23:2026-11-30:day", title="另一周报提醒", link=LINK)
    assert deadline_met("weekly-report:1:2026-11-23") == 2
    assert Notification.objects.get(key__startswith="weekly-report:11:").handled_at is None
