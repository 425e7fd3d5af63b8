"""TOTP: setup with a real code, verification, who must use it, and what an unverified session reaches."""

import base64
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.core import actions
from xuncha.core.choices import Role
from xuncha.core.models import AuditEvent
from xuncha.core.otp import otp_required_for, register_policy
from xuncha.core.permissions import NotAllowed

pytestmark = pytest.mark.django_db

PASSWORD = "Qingfeng-zhengqi-2026"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset
    return f"{totp.token():0{device.digits}d}"


def _new_office_user(world, username: str = "new_office") -> Client:
    user = actions.create_user(username=username, password=PASSWORD, by=None)
    actions.grant_role(user=user, role=Role.OFFICE, scope_id=world.city.pk, by=None)
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_office_without_a_device_is_sent_from_verify_to_setup(world):
    client = _new_office_user(world)
    first = client.get("/rounds/inspections/")
    assert first.status_code == 302
    assert first["Location"] == "/accounts/otp/verify/?next=%2Frounds%2Finspections%2F"
    second = client.get(first["Location"])
    assert second.status_code == 302
    assert second["Location"] == "/accounts/otp/setup/?next=%2Frounds%2Finspections%2F"


def _shown(page) -> TOTPDevice:
    """The authenticator the setup page asks the user to add, as the user's phone holds it."""
    return TOTPDevice(key=base64.b32decode(page.context["secret"]).hex())


def test_setup_page_writes_nothing_and_keeps_its_secret(world):
    client = _new_office_user(world)
    events, devices = AuditEvent.objects.count(), TOTPDevice.objects.count()
    first, second = client.get(reverse("otp-setup")), client.get(reverse("otp-setup"))
    assert first.status_code == second.status_code == 200
    assert first.context["secret"] == second.context["secret"]  # a reload shows the same secret
    assert first["Cache-Control"] == "private, no-store"  # the secret stays in no cache
    assert (AuditEvent.objects.count(), TOTPDevice.objects.count()) == (events, devices)


def test_setup_shows_secret_uri_and_qr_then_confirms_with_a_real_code(world):
    client = _new_office_user(world)
    page = client.get(reverse("otp-setup"))
    html = page.content.decode()
    assert page.context["secret"] in html
    assert "otpauth://totp/" in html and "issuer=" in html
    assert re.search(r"<svg[^>]*class=\"segno\"", html)
    assert not TOTPDevice.objects.filter(user__username="new_office").exists()
    phone = _shown(page)
    response = client.post(reverse("otp-setup"), {"token": _code(phone), "next": "/rounds/inspections/"})
    assert response.status_code == 302 and response["Location"] == "/rounds/inspections/"
    device = TOTPDevice.objects.get(user__username="new_office")
    assert device.confirmed and device.key == phone.key
    assert client.get("/").status_code == 200  # verified in this session
    actions_seen = list(AuditEvent.objects.filter(actor=device.user).values_list("action", flat=True))
    assert "otp.device_confirmed" in actions_seen
    # The code just used cannot log in again (a shoulder-surfed code).
    other = Client()
    other.post("/accounts/login/", {"username": "new_office", "password": PASSWORD})
    assert other.post(reverse("otp-verify"), {"token": _code(phone)}).status_code == 200
    assert other.get("/").status_code == 302


def test_setup_refuses_a_wrong_code_and_records_it(world):
    client = _new_office_user(world)
    phone = _shown(client.get(reverse("otp-setup")))
    wrong = f"{(int(_code(phone)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp-setup"), {"token": wrong})
    assert response.status_code == 200
    assert "动态口令不正确" in " ".join(response.context["form"].errors["token"])
    assert response.context["secret"] == base64.b32encode(phone.bin_key).decode()  # still the same secret
    assert not TOTPDevice.objects.filter(user__username="new_office").exists()
    assert AuditEvent.objects.filter(action="otp.confirmation_failed").exists()  # committed, not rolled back
    assert client.get("/").status_code == 302


def test_setup_cannot_replace_a_confirmed_device(world, client_for):
    client = Client()
    client.force_login(world.users["office"])  # has a confirmed device, not verified in this session
    response = client.get(reverse("otp-setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp-verify"))
    assert TOTPDevice.objects.filter(user=world.users["office"]).count() == 1


def test_verify_with_a_real_code(world):
    user = world.users["custodian"]
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 302
    device = TOTPDevice.objects.get(user=user)
    page = client.get(reverse("otp-verify"))
    assert "动态口令验证" in page.content.decode()
    wrong = client.post(reverse("otp-verify"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "动态口令不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="user.otp_failed", actor=user).exists()
    device.throttle_reset()  # the wrong code above started django-otp's back-off
    response = client.post(reverse("otp-verify"), {"token": _code(device), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client.get("/").status_code == 200


def test_verify_ignores_a_foreign_next(world):
    user = world.users["custodian"]
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("otp-verify"), {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unverified_session_reaches_only_the_otp_pages(world):
    client = Client()
    client.force_login(world.users["sysadmin"])
    for path in ("/", "/sysadmin/", reverse("password-change"), reverse("audit-list")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("otp-verify")), path
    response = client.get("/api/v1/me")  # the API answers in JSON rather than with a login page
    assert (response.status_code, response.json()) == (401, {"detail": "请先在网页上完成动态口令验证"})
    assert client.get(reverse("otp-verify")).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_who_must_use_totp(world):
    u = world.users
    for persona in ("office", "custodian", "sysadmin", "county_office"):
        assert otp_required_for(u[persona]), persona
    for persona in ("leader", "t1_member", "auditor", "jiwei", "liaison1"):
        assert not otp_required_for(u[persona]), persona
    with override_settings(XUNCHA_DEMO=True):
        assert not otp_required_for(u["office"])


def test_committee_policies_are_asked(world):
    u = world.users

    def team_members_must(user):
        return user.scopes.has(Role.TEAM_MEMBER)

    register_policy(team_members_must)
    try:
        assert otp_required_for(u["t1_member"])
        assert not otp_required_for(u["leader"])
    finally:
        from xuncha.core import otp

        otp._policies.remove(team_members_must)


@override_settings(XUNCHA_DEMO=True)
def test_demo_mode_does_not_ask_users_without_a_device(world):
    client = _new_office_user(world, "demo_office")
    assert client.get("/").status_code == 200


def test_a_user_who_set_up_totp_is_asked_for_it_even_if_not_required(world):
    user = world.users["leader"]  # has a confirmed device in the test world
    client = Client()
    client.force_login(user)
    assert client.get("/")["Location"].startswith(reverse("otp-verify"))


def test_sysadmin_resets_a_lost_device(world):
    user = world.users["custodian"]
    actions.reset_totp(user, by=world.users["sysadmin"])
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="otp.reset", object_id=str(user.pk)).exists()
    with pytest.raises(NotAllowed):
        actions.reset_totp(user, by=world.users["office"])
