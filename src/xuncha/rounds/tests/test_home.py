"""Home-page panels per role, the TOTP policy for team roles, and the team scope lookup."""

import datetime

import pytest
from django.urls import reverse

from xuncha.core.choices import ScopeType
from xuncha.core.otp import otp_required_for
from xuncha.core.scopes import describe
from xuncha.rounds.hooks import team_role_requires_totp
from xuncha.rounds.panels import rounds_panels

from .conftest import update_settings


def _titles(world, persona):
    return [panel.title for panel in rounds_panels(world.users[persona])]


@pytest.mark.parametrize(
    ("persona", "titles"),
    [
        ("office", ["巡察期限提醒", "进行中的巡察轮次"]),
        ("leader", ["巡察期限提醒", "进行中的巡察轮次"]),
        ("county_office", ["巡察期限提醒", "进行中的巡察轮次"]),
        ("t1_leader", ["我的巡察"]),
        ("t2_member", ["我的巡察"]),
        ("liaison1", ["本单位接受巡察情况"]),
        ("sysadmin", []),
        ("auditor", []),
        ("jiwei", []),
        ("outsider", []),
    ],
)
def test_panels_per_role(world, persona, titles):
    assert _titles(world, persona) == titles


def test_office_sees_overdue_and_due_soon_of_its_committee(world, client_for, set_today):
    due = world.inspection1.stage_due_on
    set_today(due - datetime.timedelta(days=2))
    home = client_for("office").get(reverse("home")).content.decode()
    assert "即将到期 <span" in home and "第一巡察组巡察市财政局" in home and "临期" in home
    set_today(due + datetime.timedelta(days=1))
    home = client_for("office").get(reverse("home")).content.decode()
    assert "逾期</span>" in home and "第一巡察组巡察市财政局" in home
    assert "市委第一轮巡察" in home  # the round in progress
    county = client_for("county_office").get(reverse("home")).content.decode()
    assert "第一巡察组巡察市财政局" not in county


def test_team_member_sees_my_inspections(world, client_for):
    home = client_for("t1_member").get(reverse("home")).content.decode()
    assert "我的巡察" in home and "第一巡察组巡察市财政局" in home and "了解" in home
    assert world.inspection1.stage_due_on.strftime("%Y年") in home
    assert "市交通运输局" not in home


def test_liaison_sees_its_units_inspection_and_stage(world, client_for):
    home = client_for("liaison1").get(reverse("home")).content.decode()
    assert "本单位接受巡察情况" in home and "市财政局" in home and "了解" in home
    assert "市交通运输局" not in home and "周敏" not in home


def test_team_roles_need_totp_when_the_committee_says_so(world, settings):
    settings.XUNCHA_DEMO = False
    users = world.users
    assert not team_role_requires_totp(users["t1_member"])
    update_settings(world.city, totp_roles=["team_member"])
    for persona in ("t1_member", "t2_member"):
        user = type(users[persona]).objects.get(pk=users[persona].pk)
        assert team_role_requires_totp(user) and otp_required_for(user), persona
    assert not team_role_requires_totp(users["t1_leader"])
    assert not team_role_requires_totp(users["liaison1"])
    update_settings(world.county_a, totp_roles=["team_leader"])  # another committee's setting
    assert not team_role_requires_totp(users["t1_leader"])


def test_team_scope_lookup(world):
    info = describe(ScopeType.TEAM, world.team1.pk)
    assert info is not None and info.committee_id == world.city.pk and "第一巡察组" in info.name
    assert describe(ScopeType.TEAM, 999999) is None
