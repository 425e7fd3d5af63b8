"""Login: lockout per account and IP, the same answers for unknown users, session rotation."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from xuncha.conftest import PASSWORD
from xuncha.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


WRONG = "wrong-password-1"


def _attempt(client: Client, username: str, password: str = WRONG, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _page(response) -> str:
    """The answer as the visitor sees it, minus the per-request CSRF tokens."""
    return CSRF.sub("", response.content.decode())


def test_login_page_is_chinese(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert "登录巡察工作平台" in response.content.decode()


def test_wrong_password_and_unknown_user_get_the_same_answer(world):
    known = _attempt(Client(), "office")
    unknown = _attempt(Client(), "nobody-here")
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)
    assert "请输入一个正确的用户名和密码" in _page(known)


def test_disabled_account_gets_the_wrong_password_answer(world):
    from xuncha.core.actions import disable_user

    disable_user(world.users["t1_member"], by=None)
    disabled = _attempt(Client(), "t1_member", PASSWORD)
    unknown = _attempt(Client(), "nobody-here", PASSWORD)
    assert disabled.status_code == 200
    assert _page(disabled) == _page(unknown)


def test_lockout_after_five_failures_is_the_same_for_unknown_users(world):
    known, unknown = Client(), Client()
    answers = []
    for _ in range(5):
        answers.append((_attempt(known, "office"), _attempt(unknown, "nobody-here")))
    for a, b in answers:
        assert a.status_code == b.status_code
        assert _page(a) == _page(b)
    assert [a.status_code for a, _ in answers] == [200, 200, 200, 200, 429]
    # Locked: even the right password is refused, with the same page as for the unknown name.
    locked = _attempt(known, "office", PASSWORD)
    locked_unknown = _attempt(unknown, "nobody-here", PASSWORD)
    assert locked.status_code == locked_unknown.status_code == 429
    assert _page(locked) == _page(locked_unknown)
    assert "登录失败次数过多" in _page(locked)
    assert "_auth_user_id" not in known.session


def test_lockout_is_per_account_and_ip(world):
    for _ in range(5):
        _attempt(Client(), "office", ip="10.0.0.1")
    assert _attempt(Client(), "office", PASSWORD, ip="10.0.0.1").status_code == 429
    # The same account from another address, and another account from the same address, still log in.
    assert _attempt(Client(), "office", PASSWORD, ip="10.0.0.2").status_code == 302
    assert _attempt(Client(), "leader", PASSWORD, ip="10.0.0.1").status_code == 302


def test_session_id_is_rotated_at_login_and_the_login_is_audited(world):
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    response = _attempt(client, "leader", PASSWORD)
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"] == str(world.users["leader"].pk)
    event = AuditEvent.objects.filter(action="user.logged_in").latest("seq")
    assert event.actor == world.users["leader"]
    assert event.request_id and not event.request_id.startswith("task-")


def test_logout_is_audited_and_ends_the_session(world, client_for):
    client = client_for("leader")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="user.logged_out").latest("seq")
    assert (event.actor, event.details) == (world.users["leader"], {"reason": "user"})
    assert client.get("/").status_code == 302


def test_logged_in_user_without_totp_lands_on_home(world):
    from xuncha.core import actions

    actions.grant_role(
        user=actions.create_user(username="newleader", password="Qingfeng-zhengqi-2026", by=None),
        role="leading_group",
        scope_id=world.city.pk,
        by=None,
    )
    client = Client()
    response = client.post(LOGIN, {"username": "newleader", "password": "Qingfeng-zhengqi-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "工作台" in response.content.decode()
