import pytest

from xuncha.core import actions
from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role, ScopeType
from xuncha.core.errors import Refused
from xuncha.core.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed

pytestmark = pytest.mark.django_db

GOOD = "Qingfeng-zhengqi-2026"


def _new_user(by=None, username="newbie"):
    return actions.create_user(username=username, password=GOOD, full_name="新用户", by=by)


def test_sysadmin_creates_a_user_and_the_event_holds_no_password(world):
    user = _new_user(by=world.users["sysadmin"])
    assert user.check_password(GOOD)
    assert user.password_changed_at is not None
    event = AuditEvent.objects.get(action="user.created")
    assert (event.actor, event.role, event.object_id) == (
        world.users["sysadmin"],
        Role.SYSADMIN,
        str(user.pk),
    )
    assert GOOD not in str(event.details) and user.password not in str(event.details)
    assert verify_chain().ok


@pytest.mark.parametrize("persona", ["office", "auditor", "custodian", "t1_leader", "outsider"])
def test_only_sysadmin_manages_users(world, persona):
    by = world.users[persona]
    with pytest.raises(NotAllowed):
        _new_user(by=by)
    with pytest.raises(NotAllowed):
        actions.grant_role(user=by, role=Role.OFFICE, scope_id=world.city.pk, by=by)
    with pytest.raises(NotAllowed):
        actions.disable_user(world.users["t2_member"], by=by)
    with pytest.raises(NotAllowed):
        actions.set_password(world.users["t2_member"], password=GOOD, by=by)
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("1", "太短"), ("1234567890123", "只包含数字"), ("password1234", "太常见"), ("newbie12345", "相似")],
)
def test_password_policy_refuses_in_chinese(db, password, fragment):
    with pytest.raises(Refused) as caught:
        actions.create_user(username="newbie", password=password, full_name="新用户", by=None)
    assert caught.value.field == "password"
    assert fragment in caught.value.message
    assert not User.objects.exists()


def test_duplicate_or_invalid_username_is_refused(world):
    with pytest.raises(Refused) as caught:
        actions.create_user(username="office", password=GOOD, by=None)
    assert caught.value.field == "username"
    with pytest.raises(Refused) as caught:
        actions.create_user(username="坏 名字!", password=GOOD, by=None)
    assert caught.value.field == "username"


def test_grant_role_takes_scope_type_from_the_role_and_is_idempotent(world):
    user = _new_user()
    first = actions.grant_role(user=user, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=None)
    again = actions.grant_role(user=user, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=None)
    assert first.pk == again.pk and first.scope_type == ScopeType.UNIT
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert [
        e.details["changed"] for e in AuditEvent.objects.filter(action="role.granted").order_by("seq")
    ] == [
        True,
        False,
    ]
    with pytest.raises(Refused):
        actions.grant_role(user=user, role="emperor", scope_id=1, by=None)


def test_end_role_and_regrant(world):
    sysadmin = world.users["sysadmin"]
    assignment = RoleAssignment.objects.get(user=world.users["office"])
    with pytest.raises(Refused) as caught:
        actions.end_role(assignment, reason=" ", by=sysadmin)
    assert caught.value.field == "reason"
    actions.end_role(assignment, reason="调离", by=sysadmin)
    assert not User.objects.get(username="office").scopes.has(Role.OFFICE)
    with pytest.raises(Refused):
        actions.end_role(assignment, reason="调离", by=sysadmin)
    regranted = actions.grant_role(
        user=world.users["office"], role=Role.OFFICE, scope_id=world.city.pk, by=None
    )
    assert regranted.pk == assignment.pk and regranted.active and regranted.ends_at is None
    own = RoleAssignment.objects.get(user=sysadmin)
    with pytest.raises(Refused):
        actions.end_role(own, reason="调离", by=sysadmin)


def test_disable_and_enable(world):
    sysadmin, victim = world.users["sysadmin"], world.users["t1_member"]
    actions.create_api_token(user=victim, name="脚本", by=None)
    actions.disable_user(victim, by=sysadmin)
    victim.refresh_from_db()
    assert not victim.is_active
    assert not ApiToken.objects.filter(user=victim, revoked_at__isnull=True).exists()
    with pytest.raises(Refused):
        actions.disable_user(sysadmin, by=sysadmin)
    actions.enable_user(victim, by=sysadmin)
    victim.refresh_from_db()
    assert victim.is_active


def test_set_password_by_self_revokes_tokens(world):
    user = world.users["t1_member"]
    token, raw = actions.create_api_token(user=user, name="脚本", by=user)
    assert ApiToken.objects.authenticate(raw) == user
    actions.set_password(user, password=GOOD, by=user)
    assert ApiToken.objects.authenticate(raw) is None
    user.refresh_from_db()
    assert user.check_password(GOOD)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_api_token_is_stored_as_digest_only(world):
    user = world.users["office"]
    token, raw = actions.create_api_token(user=user, name="对接", by=user)
    assert raw.startswith("xc_") and raw not in token.digest
    assert raw not in str(AuditEvent.objects.get(action="token.created").details)
    with pytest.raises(NotAllowed):
        actions.create_api_token(user=user, name="x", by=world.users["t1_member"])
    with pytest.raises(NotAllowed):
        actions.revoke_api_token(token, by=world.users["t1_member"])
    actions.revoke_api_token(token, by=user)
    assert ApiToken.objects.authenticate(raw) is None
    with pytest.raises(Refused):
        actions.revoke_api_token(token, by=user)


def test_update_user_records_before_and_after(world):
    user = world.users["jiwei"]
    actions.update_user(user, username="jiwei", full_name="纪委联络员", email="", by=world.users["sysadmin"])
    event = AuditEvent.objects.get(action="user.updated")
    assert event.details == {"changes": {"full_name": ["jiwei", "纪委联络员"]}}
    with pytest.raises(Refused) as caught:
        actions.update_user(user, username="office", full_name="", email="", by=None)
    assert caught.value.field == "username"
    with pytest.raises(Refused) as caught:
        actions.update_user(user, username="jiwei", full_name="", email="not-an-email", by=None)
    assert caught.value.field == "email"


def test_role_events_belong_to_the_scopes_committee(world):
    user = _new_user()
    actions.grant_role(user=user, role=Role.UNIT_LIAISON, scope_id=world.county_unit.pk, by=None)
    event = AuditEvent.objects.get(action="role.granted")
    assert event.committee_id == world.county_a.pk
    assert event.details["scope"] == "东安县农业农村局"
    assert AuditEvent.objects.get(action="user.created").committee_id is None  # installation-level


@pytest.mark.parametrize("role", [Role.OFFICE, Role.UNIT_LIAISON, Role.RECEIVER])
def test_grant_on_a_scope_that_does_not_exist_is_refused(world, role):
    user = _new_user()
    with pytest.raises(Refused) as caught:
        actions.grant_role(user=user, role=role, scope_id=987654, by=None)
    assert caught.value.field == "scope_id"
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_unlock_user_lifts_the_lockout(world):
    from django.test import Client

    def attempt(password):
        return Client().post(
            "/accounts/login/", {"username": "leader", "password": password}, REMOTE_ADDR="10.1.1.1"
        )

    for _ in range(5):
        attempt("wrong-password-1")
    assert attempt("Xuncha-test-2026").status_code == 429
    actions.unlock_user(world.users["leader"], by=world.users["sysadmin"])
    assert attempt("Xuncha-test-2026").status_code == 302
    assert AuditEvent.objects.get(action="user.unlocked").details == {"cleared_attempts": 1}
    with pytest.raises(NotAllowed):
        actions.unlock_user(world.users["leader"], by=world.users["office"])
