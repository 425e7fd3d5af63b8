"""Sessions: idle and absolute timeouts (patched clock), disabled accounts, password change."""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from xuncha.conftest import PASSWORD, login_verified
from xuncha.core import actions
from xuncha.core.middleware import LOGIN_AT, SEEN_AT
from xuncha.core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Qingfeng-zhengqi-2026"


class Clock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("xuncha.core.middleware.now", clock), mock.patch("xuncha.core.signals.now", clock):
        yield clock


def _logged_in(world, persona: str) -> Client:
    return login_verified(Client(), world.users[persona])


@override_settings(XUNCHA_IDLE_TIMEOUT=30 * 60)
def test_idle_timeout_logs_out(world, clock):
    client = _logged_in(world, "leader")
    assert client.get("/").status_code == 200
    clock.now += 29 * 60
    assert client.get("/").status_code == 200  # activity resets the idle clock
    clock.now += 29 * 60
    assert client.get("/").status_code == 200
    clock.now += 31 * 60
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?timeout=1"
    assert "_auth_user_id" not in client.session
    assert "会话已超时" in client.get(response["Location"]).content.decode()
    event = AuditEvent.objects.filter(action="user.logged_out").latest("seq")
    assert event.details == {"reason": "idle_timeout"}


@override_settings(XUNCHA_IDLE_TIMEOUT=30 * 60, XUNCHA_ABSOLUTE_TIMEOUT=2 * 3600)
def test_absolute_timeout_logs_out_even_an_active_session(world, clock):
    client = _logged_in(world, "leader")
    assert client.session[LOGIN_AT] == clock.now
    for _ in range(7):  # active every 20 minutes for 2h20
        clock.now += 20 * 60
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?timeout=1"
    assert AuditEvent.objects.filter(action="user.logged_out").latest("seq").details == {
        "reason": "absolute_timeout"
    }


def test_the_idle_timeout_setting_comes_from_the_environment():
    from django.conf import settings

    assert settings.XUNCHA_IDLE_TIMEOUT == 30 * 60  # XUNCHA_IDLE_TIMEOUT_MINUTES, default 30


def test_disabled_account_loses_its_session_on_the_next_request(world, client_for):
    client = client_for("t1_member")
    assert client.get("/").status_code == 200
    session_key = client.session.session_key
    actions.disable_user(world.users["t1_member"], by=world.users["sysadmin"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/api/v1/me").status_code == 401


def test_password_change_page_revokes_tokens_and_ends_other_sessions(world, client_for):
    user = world.users["t1_member"]
    _, raw = actions.create_api_token(user=user, name="脚本", by=user)
    other_browser = client_for("t1_member")
    assert other_browser.get("/").status_code == 200
    client = client_for("t1_member")
    page = client.get(reverse("password-change"))
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session stays
    assert other_browser.get("/").status_code == 302  # the other one is over
    assert ApiToken.objects.authenticate(raw) is None
    user.refresh_from_db()
    assert user.check_password(NEW) and user.password_changed_at is not None
    event = AuditEvent.objects.filter(action="user.password_set").latest("seq")
    assert (event.actor, event.details) == (user, {"revoked_tokens": 1})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
            "old_password",
            "旧密码不正确",
        ),
        (
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
            "new_password2",
            "不一致",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
            "new_password2",
            "太短",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "1234567890123", "new_password2": "1234567890123"},
            "new_password2",
            "只包含数字",
        ),
    ],
)
def test_password_change_errors_are_chinese_and_change_nothing(world, client_for, data, field, message):
    client = client_for("t1_member")
    response = client.post(reverse("password-change"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    world.users["t1_member"].refresh_from_db()
    assert world.users["t1_member"].check_password(PASSWORD)


def test_password_page_needs_the_second_factor_first(world):
    client = Client()
    client.force_login(world.users["office"])  # password only, TOTP not entered
    response = client.get(reverse("password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-verify"))


def test_a_plain_page_view_writes_the_session_at_most_once_a_minute(world, clock):
    client = _logged_in(world, "leader")

    def stored() -> str:
        return Session.objects.get(pk=client.session.session_key).session_data

    assert client.get("/").status_code == 200
    before = stored()
    clock.now += 59
    assert client.get("/").status_code == 200
    assert stored() == before  # nothing written
    clock.now += 1
    assert client.get("/").status_code == 200
    assert stored() != before and client.session[SEEN_AT] == clock.now
