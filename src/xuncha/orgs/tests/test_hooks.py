import pytest
from django.test import Client
from django.urls import reverse

from xuncha.core import actions as core_actions
from xuncha.core.choices import Role, ScopeType
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, User
from xuncha.core.otp import otp_required_for
from xuncha.core.scopes import describe
from xuncha.orgs import actions
from xuncha.orgs.hooks import org_role_requires_totp


def require_totp(committee, *roles):
    actions.update_committee_settings(committee.settings, totp_roles=list(roles), by=None)


@pytest.mark.parametrize(
    ("persona", "role", "committee"),
    [
        ("leader", Role.LEADING_GROUP, "city"),
        ("auditor", Role.AUDITOR, "city"),
        ("liaison1", Role.UNIT_LIAISON, "city"),  # the unit's committee
        ("jiwei", Role.RECEIVER, "city"),  # the department's committee
    ],
)
def test_a_committee_can_require_totp_for_a_role(world, persona, role, committee):
    user = world.users[persona]
    assert not org_role_requires_totp(user)
    require_totp(world.county_a, role)  # another committee's setting does not reach this user
    assert not org_role_requires_totp(user)
    require_totp(getattr(world, committee), role)
    user = type(user).objects.get(pk=user.pk)  # roles are cached per user object
    assert org_role_requires_totp(user)
    assert otp_required_for(user)


def test_a_listed_role_the_user_does_not_hold_changes_nothing(world):
    require_totp(world.city, Role.RECEIVER, Role.AUDITOR)
    for persona in ("leader", "liaison1", "t1_member", "outsider"):
        assert not org_role_requires_totp(world.users[persona]), persona


def test_the_policy_is_enforced_on_pages(world):
    liaison = User.objects.create_user("liaison_b", password="Xuncha-test-2026")  # no TOTP device yet
    RoleAssignment.objects.create(
        user=liaison, role=Role.UNIT_LIAISON, scope_type=ScopeType.UNIT, scope_id=world.unit2.pk
    )
    client = Client()
    client.force_login(liaison)  # logged in with a password only
    assert client.get(reverse("orgs:unit-list")).status_code == 200
    require_totp(world.city, Role.UNIT_LIAISON)
    response = client.get(reverse("orgs:unit-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")


def test_scopes_of_orgs_are_described_for_role_grants(world):
    assert describe(ScopeType.UNIT, world.unit1.pk).committee_id == world.city.pk
    assert describe(ScopeType.DEPARTMENT, world.jiwei_dept.pk).name == "市纪委监委"
    assert describe(ScopeType.COMMITTEE, world.county_a.pk).committee_id == world.county_a.pk
    assert describe(ScopeType.UNIT, 987654) is None
    with pytest.raises(Refused, match="授权范围不存在"):
        core_actions.grant_role(
            user=world.users["outsider"], role=Role.UNIT_LIAISON, scope_id=987654, by=None
        )
