"""The admin at /sysadmin/: only the sysadmin role enters, and every change there is audited."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.conftest import login_verified
from xuncha.core import actions
from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role, RoleStatus, ScopeType
from xuncha.core.models import ApiToken, AuditEvent, RoleAssignment, User

pytestmark = pytest.mark.django_db

NEW = "Qingfeng-zhengqi-2026"


def _inline(prefix: str = "role_assignments", total: int = 0, initial: int = 0, rows=()) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_only_the_sysadmin_role_enters(world, client_for):
    assert client_for("sysadmin").get("/sysadmin/").status_code == 200
    for persona in ("office", "auditor", "custodian", "t1_leader", "outsider"):
        assert client_for(persona).get("/sysadmin/").status_code == 404, persona
        assert client_for(persona).get("/sysadmin/core/user/").status_code == 404, persona
    anonymous = Client().get("/sysadmin/core/user/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/accounts/login/?next=/sysadmin/core/user/"
    assert Client().get("/sysadmin/login/")["Location"].startswith("/accounts/login/")


def test_staff_and_superuser_flags_grant_nothing(world, client_for):
    outsider = world.users["outsider"]
    User.objects.filter(pk=outsider.pk).update(is_staff=True, is_superuser=True)
    assert client_for("outsider").get("/sysadmin/").status_code == 404
    assert not User.objects.get(pk=outsider.pk).has_perm("core.change_user")
    # Django permissions (used by the admin only) follow the role instead.
    assert world.users["sysadmin"].has_perm("core.change_user")
    assert world.users["sysadmin"].has_module_perms("core")


def test_revoked_sysadmin_role_closes_the_door(world, client_for):
    client = client_for("sysadmin")
    assignment = RoleAssignment.objects.get(user=world.users["sysadmin"])
    other = actions.create_user(username="sysadmin2", password=NEW, by=None)
    actions.grant_role(user=other, role=Role.SYSADMIN, scope_id=world.city.pk, by=None)
    actions.end_role(assignment, reason="调离", by=other)
    assert client.get("/sysadmin/").status_code == 404


def test_the_admin_lists_configuration_not_secrets(world, client_for):
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert {"core.user", "core.apitoken"} <= registered
    for hidden in (
        "otp_totp.totpdevice",
        "axes.accessattempt",
        "axes.accesslog",
        "auth.group",
        "core.auditevent",
    ):
        assert hidden not in registered
    client = client_for("sysadmin")
    page = client.get("/sysadmin/core/user/")
    assert page.status_code == 200
    assert "office" in page.content.decode()
    assert client.get("/sysadmin/core/user/add/").status_code == 200
    change = client.get(f"/sysadmin/core/user/{world.users['t1_member'].pk}/change/")
    assert change.status_code == 200
    assert "第一巡察组" in change.content.decode()  # the scope's name, from the rounds lookup


def test_admin_password_link_goes_to_the_normal_page(world, client_for):
    response = client_for("sysadmin").get("/sysadmin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("password-change")


def test_adding_a_user_with_a_role_through_the_admin_is_audited(world, client_for):
    client = client_for("sysadmin")
    data = {
        "username": "new_member",
        "full_name": "新组员",
        "email": "",
        "password1": NEW,
        "password2": NEW,
        **_inline(total=1, rows=[{"role": Role.UNIT_LIAISON, "scope": f"unit:{world.unit2.pk}"}]),
    }
    response = client.post("/sysadmin/core/user/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user = User.objects.get(username="new_member")
    assert user.check_password(NEW) and user.full_name == "新组员"
    assert user.scopes.has(Role.UNIT_LIAISON, world.unit2.pk)
    events = (
        AuditEvent.objects.filter(actor=world.users["sysadmin"])
        .exclude(action="user.logged_in")
        .order_by("seq")
    )
    assert [e.action for e in events] == ["user.created", "role.granted"]
    granted = events[1]
    assert granted.committee_id == world.city.pk  # the unit's committee, via the orgs scope lookup
    assert verify_chain().ok


def test_admin_add_refuses_a_weak_password_in_chinese(world, client_for):
    data = {"username": "weak", "password1": "12345678", "password2": "12345678", **_inline()}
    response = client_for("sysadmin").post("/sysadmin/core/user/add/", data)
    assert response.status_code == 200
    assert "密码太短" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def _change(target: User, *rows: dict, initial: int = 0) -> dict:
    return {
        "username": target.username,
        "full_name": target.full_name,
        "email": "",
        "is_active": "on",
        **_inline(total=len(rows), initial=initial, rows=rows),
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"role": Role.UNIT_LIAISON, "scope": "unit:999999"}, "选择一个有效的选项"),  # not offered
        ({"role": Role.UNIT_LIAISON, "scope": "committee:{city}"}, "该角色只能授予在“被巡察单位”上"),
        ({"role": Role.TEAM_MEMBER, "scope": "unit:{unit}"}, "选择一个有效的选项"),  # teams follow rounds
        ({"role": Role.UNIT_LIAISON}, "请选择范围"),
    ],
)
def test_admin_grant_of_a_scope_not_offered_is_refused(world, client_for, row, message):
    target = world.users["outsider"]
    row = {k: v.format(city=world.city.pk, unit=world.unit2.pk) for k, v in row.items()}
    response = client_for("sysadmin").post(f"/sysadmin/core/user/{target.pk}/change/", _change(target, row))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RoleAssignment.objects.filter(user=target).exists()


def test_the_admin_picks_scopes_by_name_and_shows_no_english(world, client_for):
    page = client_for("sysadmin").get(f"/sysadmin/core/user/{world.users['outsider'].pk}/change/")
    html = page.content.decode()
    assert f'<option value="unit:{world.unit1.pk}">市财政局 (江东市委)</option>' in html
    assert f'<option value="department:{world.jiwei_dept.pk}">市纪委监委 (江东市委)</option>' in html
    assert f'<option value="committee:{world.county_a.pk}">江东市东安县委</option>' in html
    for english in ("scope_id", "Delete", "Role assignment", "unit_liaison</option>", "Save"):
        assert english not in html, english


def test_the_sysadmin_cannot_grant_itself_a_role_in_the_admin(world, client_for):
    me = world.users["sysadmin"]
    row = {"role": Role.OFFICE, "scope": f"committee:{world.city.pk}"}
    response = client_for("sysadmin").post(f"/sysadmin/core/user/{me.pk}/change/", _change(me, row))
    assert response.status_code == 200
    assert "不能给自己授予角色" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=me, role=Role.OFFICE).exists()
    assert not AuditEvent.objects.filter(action="role.granted").exists()  # the trial run left nothing


def test_an_office_grant_in_the_admin_waits_for_another_sysadmin(world, client_for):
    target, sysadmin = world.users["outsider"], world.users["sysadmin"]
    row = {"role": Role.OFFICE, "scope": f"committee:{world.city.pk}"}
    url = f"/sysadmin/core/user/{target.pk}/change/"
    assert client_for("sysadmin").post(url, _change(target, row)).status_code == 302
    pending = RoleAssignment.objects.get(user=target, role=Role.OFFICE)
    assert pending.status() == RoleStatus.PENDING and not target.scopes.has(Role.OFFICE)
    decided = {"id": str(pending.pk), "user": str(target.pk), "decision": "approve"}
    mine = client_for("sysadmin").post(url, _change(target, decided, initial=1))
    assert mine.status_code == 200 and "另一人审批" in mine.content.decode()
    second = actions.create_user(username="sysadmin2", password=NEW, full_name="第二管理员", by=None)
    actions.grant_role(user=second, role=Role.SYSADMIN, scope_id=world.city.pk, by=None)
    TOTPDevice.objects.create(user=second, name="测试设备", confirmed=True)
    world.users["sysadmin2"] = second
    assert client_for("sysadmin2").post(url, _change(target, decided, initial=1)).status_code == 302
    approved = RoleAssignment.objects.get(pk=pending.pk)
    assert approved.status() == RoleStatus.IN_FORCE and approved.approved_by == second
    assert approved.granted_by == sysadmin


def test_changing_a_user_in_the_admin_calls_the_actions(world, client_for):
    target = world.users["t2_member"]
    assignment = RoleAssignment.objects.get(user=target)
    data = {
        "username": "t2_member",
        "full_name": "吴涛",
        "email": "wutao@example.cn",
        # is_active unticked: disable
        **_inline(
            total=2,
            initial=1,
            rows=[
                {"id": str(assignment.pk), "user": str(target.pk), "decision": "end", "reason": "调离"},
                {"role": Role.UNIT_LIAISON, "scope": f"unit:{world.unit2.pk}"},
            ],
        ),
    }
    response = client_for("sysadmin").post(f"/sysadmin/core/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert (target.full_name, target.email, target.is_active) == ("吴涛", "wutao@example.cn", False)
    assignment.refresh_from_db()
    assert not assignment.active and assignment.ended_reason == "调离"  # ended, kept as history
    done = AuditEvent.objects.filter(actor=world.users["sysadmin"]).exclude(action="user.logged_in")
    actions_done = [e.action for e in done.order_by("seq")]
    assert actions_done == ["user.updated", "user.disabled", "role.ended", "role.granted"]
    updated = AuditEvent.objects.get(action="user.updated")
    assert updated.details["changes"] == {
        "full_name": ["t2_member", "吴涛"],
        "email": ["", "wutao@example.cn"],
    }


def test_sysadmin_cannot_disable_themselves_or_drop_their_own_role(world, client_for):
    me = world.users["sysadmin"]
    mine = RoleAssignment.objects.get(user=me)
    data = {
        "username": "sysadmin",
        "full_name": "sysadmin",
        "email": "",
        **_inline(
            total=1,
            initial=1,
            rows=[{"id": str(mine.pk), "user": str(me.pk), "decision": "end", "reason": "调离"}],
        ),
    }
    response = client_for("sysadmin").post(f"/sysadmin/core/user/{me.pk}/change/", data)
    assert response.status_code == 200
    assert "不能终止自己的系统管理员角色" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active and RoleAssignment.objects.get(pk=mine.pk).active


def test_admin_password_reset_revokes_tokens(world, client_for):
    target = world.users["jiwei"]
    _, raw = actions.create_api_token(user=target, name="对接", by=None)
    client = client_for("sysadmin")
    url = f"/sysadmin/core/user/{target.pk}/password/"
    assert client.get(url).status_code == 200
    weak = client.post(url, {"password1": "abc", "password2": "abc"})
    assert weak.status_code == 200 and "密码太短" in weak.content.decode()
    response = client.post(url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW)
    assert ApiToken.objects.authenticate(raw) is None
    event = AuditEvent.objects.filter(action="user.password_set").latest("seq")
    assert (event.actor, event.role) == (world.users["sysadmin"], Role.SYSADMIN)


def test_admin_bulk_actions_are_audited(world, client_for):
    client = client_for("sysadmin")
    ids = [str(world.users["t1_member"].pk), str(world.users["t2_member"].pk)]
    for name, action_name in (
        ("disable_users", "user.disabled"),
        ("enable_users", "user.enabled"),
        ("unlock_users", "user.unlocked"),
        ("reset_totp", "otp.reset"),
    ):
        response = client.post("/sysadmin/core/user/", {"action": name, "_selected_action": ids})
        assert response.status_code == 302, name
        assert AuditEvent.objects.filter(action=action_name).count() == 2, name
    assert verify_chain().ok


def test_tokens_are_revoked_not_edited_in_the_admin(world, client_for):
    token, raw = actions.create_api_token(user=world.users["office"], name="对接", by=None)
    client = client_for("sysadmin")
    assert client.get("/sysadmin/core/apitoken/").status_code == 200
    assert client.get("/sysadmin/core/apitoken/add/").status_code == 403
    response = client.post(
        "/sysadmin/core/apitoken/", {"action": "revoke", "_selected_action": [str(token.pk)]}
    )
    assert response.status_code == 302
    assert ApiToken.objects.authenticate(raw) is None
    assert AuditEvent.objects.filter(action="token.revoked", actor=world.users["sysadmin"]).exists()


def test_me_works_for_the_sysadmin(world, client_for):
    response = client_for("sysadmin").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["roles"] == [
        {"role": Role.SYSADMIN, "scope_type": ScopeType.COMMITTEE, "scope_id": world.city.pk}
    ]


def test_sysadmin_reads_no_case_content(world, client_for):
    client = client_for("sysadmin")
    assert client.get(f"/api/v1/inspections/{world.inspection1.pk}").status_code == 404
    assert client.get("/audit/").status_code == 404


def test_sysadmin_session_via_login_verified(world):
    client = login_verified(Client(), world.users["sysadmin"])
    assert client.get("/sysadmin/core/user/").status_code == 200
