"""Login: lockout per account and client (behind a trusted proxy too) that cannot lock an account for
everyone, the same answers for unknown users, session rotation."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from xuncha.conftest import PASSWORD
from xuncha.core import lockout
from xuncha.core.clients import client_address
from xuncha.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


WRONG = "wrong-password-1"


def _attempt(client: Client, username: str, password: str = WRONG, ip: str = "10.0.0.1", forwarded: str = ""):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, headers=headers)


@pytest.fixture(autouse=True)
def pauses(monkeypatch) -> list[float]:
    """The soft delays asked for, instead of sleeping through them."""
    asked: list[float] = []
    monkeypatch.setattr(lockout, "pause", asked.append)
    return asked


PROXY = "10.9.0.1"


@pytest.fixture
def behind_proxy(settings) -> None:
    settings.XUNCHA_FORWARDED_ALLOW_IPS = [PROXY]


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


def test_failures_from_many_clients_behind_the_proxy_only_slow_the_account_down(world, behind_proxy, pauses):
    for n in range(1, 13):
        response = _attempt(Client(), "office", ip=PROXY, forwarded=f"198.51.100.{n}")
        assert response.status_code == 200, n
    client = Client()
    assert _attempt(client, "office", PASSWORD, ip=PROXY, forwarded="198.51.100.200").status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["office"].pk)
    # From the sixth attempt on, each waited before its password was checked: doubling, capped.
    assert pauses == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]


def test_one_client_behind_the_proxy_is_locked_out_of_the_account_alone(world, behind_proxy):
    answers = [_attempt(Client(), "office", ip=PROXY, forwarded=f"6.6.6.{n}, 198.51.100.7") for n in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert _attempt(Client(), "office", PASSWORD, ip=PROXY, forwarded="198.51.100.7").status_code == 429
    assert _attempt(Client(), "office", PASSWORD, ip=PROXY, forwarded="198.51.100.8").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_forwarded_for_from_an_untrusted_peer_is_ignored(world, behind_proxy):
    for n in range(5):
        _attempt(Client(), "office", ip="192.0.2.50", forwarded=f"198.51.100.{n}")
    assert (
        _attempt(Client(), "office", PASSWORD, ip="192.0.2.50", forwarded="198.51.100.99").status_code == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}


def test_a_client_guessing_across_usernames_is_capped(world, behind_proxy, settings):
    settings.XUNCHA_LOGIN_FAILURES_PER_CLIENT = 6
    answers = [_attempt(Client(), f"guess-{n}", ip=PROXY, forwarded="203.0.113.9") for n in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    # Every account is now closed to this client, the real user's too; not to anyone else.
    assert _attempt(Client(), "leader", PASSWORD, ip=PROXY, forwarded="203.0.113.9").status_code == 429
    assert _attempt(Client(), "leader", PASSWORD, ip=PROXY, forwarded="203.0.113.10").status_code == 302


def test_the_client_is_the_right_most_untrusted_hop(settings):
    settings.XUNCHA_FORWARDED_ALLOW_IPS = ["10.0.0.0/8", "127.0.0.1"]
    factory = RequestFactory()

    def seen(remote: str, forwarded: str) -> str:
        return client_address(factory.get("/", REMOTE_ADDR=remote, headers={"X-Forwarded-For": forwarded}))

    assert seen("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.1.2.3") == "203.0.113.5"  # two proxies of ours
    assert seen("127.0.0.1", "10.0.0.7") == "10.0.0.7"  # nothing but proxies: the farthest one
    assert seen("127.0.0.1", "1.2.3.4, not-an-address") == "127.0.0.1"
    assert seen("203.0.113.80", "1.2.3.4") == "203.0.113.80"
    settings.XUNCHA_FORWARDED_ALLOW_IPS = ["*"]  # any peer, but only for the hop it appended
    assert seen("203.0.113.80", "1.2.3.4, 198.51.100.3") == "198.51.100.3"


def test_an_ipv6_client_is_locked_by_its_64(world):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::9")
    assert lockout.client_ip(request) == "2001:db8:1:2::"
    for n in range(5):
        _attempt(Client(), "office", ip=f"2001:db8:1:2::{n + 1}")
    assert _attempt(Client(), "office", PASSWORD, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert _attempt(Client(), "office", PASSWORD, ip="2001:db8:1:3::1").status_code == 302
