"""The office's people and roles: appointments with new or existing accounts, one-time passwords and the
forced change at first login, approvals by a second person, ends of roles, and the page's scope."""

import datetime

import pytest
from django.contrib.auth import password_validation
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuncha.conftest import PASSWORD
from xuncha.core import actions as accounts
from xuncha.core.choices import Role, RoleStatus
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.orgs import actions
from xuncha.orgs.access import committee_accounts

URL = "/orgs/people-access/"


def appoint_liaison(world, **kwargs):
    return actions.appoint(
        role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=world.users["office"], **kwargs
    )


def test_one_time_passwords_meet_the_policy_and_differ():
    user = User(username="wangfang", full_name="王芳")
    passwords = {actions.one_time_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        password_validation.validate_password(password, user)


def test_the_office_appoints_a_liaison_with_a_new_account_that_must_change_its_password(world):
    done = appoint_liaison(world, username="wangfang", full_name="王芳")
    user = done.assignment.user
    assert (user.username, user.full_name, user.must_change_password) == ("wangfang", "王芳", True)
    assert user.check_password(done.password)
    assert done.assignment.status() == RoleStatus.IN_FORCE
    assert user.scopes.has(Role.UNIT_LIAISON, world.unit2.pk)
    created = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert created.committee_id == world.city.pk and created.role == Role.OFFICE
    assert done.password not in str(created.details)
    assert AuditEvent.objects.filter(action="role.granted", object_id=str(done.assignment.pk)).exists()


def test_an_appointment_whose_grant_is_refused_leaves_no_account_behind(world):
    with pytest.raises(Refused):
        appoint_liaison(world, username="wangfang", full_name="王芳", ends_on=datetime.date(2020, 1, 1))
    assert not User.objects.filter(username="wangfang").exists()


def test_only_accounts_of_the_committee_may_be_picked(world):
    # liaison1 holds a role on a city unit; county_office only on the county.
    known = committee_accounts([world.city.pk])
    assert known.filter(username="liaison1").exists()
    assert not known.filter(username="county_office").exists()
    done = appoint_liaison(world, account=world.users["liaison1"])
    assert done.password == "" and done.assignment.user == world.users["liaison1"]
    with pytest.raises(Refused, match="不属于本党委"):
        appoint_liaison(world, account=world.users["county_office"])


def test_no_office_appoints_on_another_committee(world):
    with pytest.raises(NotAllowed):
        actions.appoint(
            role=Role.UNIT_LIAISON,
            scope_id=world.county_unit.pk,
            username="zhaolei",
            full_name="赵磊",
            by=world.users["office"],
        )
    assert not User.objects.filter(username="zhaolei").exists()


def test_a_custodian_waits_for_a_second_person(world, client_for):
    done = actions.appoint(
        role=Role.CUSTODIAN,
        scope_id=world.city.pk,
        username="qianli",
        full_name="钱力",
        by=world.users["office"],
    )
    assignment = done.assignment
    assert assignment.status() == RoleStatus.PENDING
    assert not done.assignment.user.scopes.has(Role.CUSTODIAN)
    page = client_for("office").get(URL).content.decode()
    assert "待审批" in page and "待另一人审批" in page
    assert client_for("office").post(f"{URL}{assignment.pk}/approve/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.status() == RoleStatus.PENDING  # the granter may not approve
    assert client_for("sysadmin").post(f"{URL}{assignment.pk}/approve/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.status() == RoleStatus.IN_FORCE and assignment.approved_by == world.users["sysadmin"]


def test_the_page_lists_the_committee_s_roles_by_name_and_not_another_committee_s(world, client_for):
    accounts.grant_role(
        user=world.users["outsider"], role=Role.UNIT_LIAISON, scope_id=world.county_unit.pk, by=None
    )
    page = client_for("office").get(URL).content.decode()
    assert "市财政局" in page and "liaison1" in page and "市纪委监委" in page
    assert "东安县农业农村局" not in page and "outsider" not in page
    own = RoleAssignment.objects.get(user=world.users["office"])
    liaison = RoleAssignment.objects.get(user=world.users["liaison1"])
    assert f"{URL}{own.pk}/end/" not in page and f"{URL}{liaison.pk}/end/" in page
    sysadmin = RoleAssignment.objects.get(user=world.users["sysadmin"])
    assert f"{URL}{sysadmin.pk}/end/" not in page  # the office does not end the installation's role
    assert f"{URL}{sysadmin.pk}/end/" not in client_for("sysadmin").get(URL).content.decode()  # its own
    filtered = client_for("office").get(URL, {"role": Role.RECEIVER}).content.decode()
    assert "jiwei" in filtered and "liaison1" not in filtered
    by_unit = client_for("office").get(URL, {"scope": f"unit:{world.unit1.pk}"}).content.decode()
    assert "liaison1" in by_unit and "jiwei" not in by_unit
    assert client_for("office").get(URL, {"scope": "unit:" + "9" * 30, "state": "pending"}).status_code == 200
    county = RoleAssignment.objects.get(user=world.users["outsider"])
    assert client_for("office").get(f"{URL}{county.pk}/end/").status_code == 404
    assert client_for("county_office").get(f"{URL}{county.pk}/end/").status_code == 200


def test_the_page_is_the_office_s_and_the_sysadmin_s(world, client_for):
    for persona in ("leader", "liaison1", "auditor", "t1_leader"):
        assert client_for(persona).get(URL).status_code == 403
    assert client_for("sysadmin").get(URL).status_code == 200
    assert client_for("sysadmin").get(f"{URL}appoint/liaison/").status_code == 403


def test_appointing_on_the_page_shows_the_one_time_password_once(world, client_for):
    office = client_for("office")
    form = office.get(f"{URL}appoint/liaison/").content.decode()
    assert "市交通运输局 · 暂无联络人" in form and "市财政局 · 暂无联络人" not in form
    person = {"scope": world.unit2.pk, "username": "wangfang", "full_name": "王芳"}
    response = office.post(f"{URL}appoint/liaison/", {**person, "phone": "电话号码"})
    assert "电话号码只能包含数字" in response.content.decode()  # refused on the form, nothing saved
    assert not User.objects.filter(username="wangfang").exists()
    response = office.post(f"{URL}appoint/liaison/", {**person, "phone": "0571-8765 4321"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    password = response.context["done"].password
    assert password in response.content.decode() and "只显示这一次" in response.content.decode()
    wangfang = User.objects.get(username="wangfang")
    assert wangfang.check_password(password) and wangfang.phone == "0571-8765 4321"


def test_the_appointment_form_asks_for_a_person(world, client_for):
    office = client_for("office")
    response = office.post(f"{URL}appoint/liaison/", {"scope": world.unit2.pk})
    assert "请选择已有账号，或填写新账号的用户名和姓名。" in response.content.decode()
    response = office.post(
        f"{URL}appoint/receiver/", {"scope": world.jiwei_dept.pk, "username": "office", "full_name": "重名"}
    )
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert office.get(f"{URL}appoint/nothing/").status_code == 404


def test_ending_a_role_now_or_on_a_day(world, client_for):
    assignment = RoleAssignment.objects.get(user=world.users["liaison1"])
    office = client_for("office")
    response = office.post(f"{URL}{assignment.pk}/end/", {"reason": "", "on": ""})
    assert "必填" in response.content.decode() or "请填写" in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert (
        office.post(f"{URL}{assignment.pk}/end/", {"reason": "任期届满", "on": tomorrow}).status_code == 302
    )
    assignment.refresh_from_db()
    assert assignment.status() == RoleStatus.IN_FORCE and assignment.ends_at is not None
    receiver = RoleAssignment.objects.get(user=world.users["jiwei"])
    assert office.post(f"{URL}{receiver.pk}/end/", {"reason": "工作调动"}).status_code == 302
    receiver.refresh_from_db()
    assert receiver.status() == RoleStatus.ENDED and receiver.ended_reason == "工作调动"
    assert client_for("jiwei").get("/").status_code == 200  # no role, still an account


def test_refusing_a_pending_grant_on_the_page(world, client_for):
    done = actions.appoint(
        role=Role.AUDITOR, scope_id=world.city.pk, account=world.users["leader"], by=world.users["office"]
    )
    response = client_for("sysadmin").post(f"{URL}{done.assignment.pk}/refuse/", {"reason": "人选另定"})
    assert response.status_code == 302
    done.assignment.refresh_from_db()
    assert done.assignment.status() == RoleStatus.ENDED


def test_a_new_account_must_change_its_password_before_anything_else(world):
    done = appoint_liaison(world, username="wangfang", full_name="王芳")
    client = Client()
    response = client.post("/accounts/login/", {"username": "wangfang", "password": done.password})
    assert response.status_code == 302
    assert client.get("/")["Location"] == reverse("password-change")
    inspection = f"/rounds/inspections/{world.inspection2.pk}/"
    assert client.get(inspection)["Location"] == reverse("password-change")
    assert client.get("/api/v1/me").status_code == 403
    response = client.post(
        reverse("password-change"),
        {"old_password": done.password, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    assert not User.objects.get(username="wangfang").must_change_password
    assert client.get(inspection).status_code == 200


def test_a_new_account_whose_role_needs_totp_sets_it_up_first(world):
    done = actions.appoint(
        role=Role.CUSTODIAN,
        scope_id=world.city.pk,
        username="qianli",
        full_name="钱力",
        by=world.users["office"],
    )
    accounts.approve_role(done.assignment, by=world.users["sysadmin"])
    client = Client()
    client.post("/accounts/login/", {"username": "qianli", "password": done.password})
    assert client.get("/")["Location"].startswith(reverse("otp-verify"))
    assert client.get(reverse("password-change"))["Location"].startswith(reverse("otp-verify"))
    assert client.get(reverse("otp-setup")).status_code == 200  # the authenticator first, then the password


def test_the_api_appoints_as_the_page_does(world, client_for):
    office = client_for("office")
    body = {"role": "unit_liaison", "scope_id": world.unit2.pk, "username": "wangfang", "full_name": "王芳"}
    response = office.post("/api/v1/appointments/", body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["assignment"]["scope_name"] == "市交通运输局" and data["assignment"]["status"] == "in_force"
    assert User.objects.get(username="wangfang").check_password(data["one_time_password"])
    other = {"role": "unit_liaison", "scope_id": world.unit2.pk, "account": world.users["county_office"].pk}
    response = office.post("/api/v1/appointments/", other, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "account"


def test_the_page_s_queries_do_not_grow_with_its_rows(world, client_for):
    office = client_for("office")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(URL).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for n in range(5):
        actions.appoint(
            role=Role.UNIT_LIAISON if n % 2 else Role.AUDITOR,
            scope_id=world.unit3.pk if n % 2 else world.city.pk,
            username=f"lianluo{n}",
            full_name=f"联络员{n}",
            by=world.users["office"],
        )
    assert queries() == before


def test_a_liaison_is_picked_from_the_unit_s_roster(world, client_for):
    office = client_for("office")
    form = office.get(f"{URL}appoint/liaison/?scope={world.unit2.pk}").content.decode()
    assert f"{world.principal2.name}（{world.principal2.post}）" in form
    assert world.principal1.name not in form  # another unit's roster
    other_unit = {"scope": world.unit2.pk, "person": world.principal1.pk, "username": "wangfang"}
    response = office.post(f"{URL}appoint/liaison/", other_unit)
    assert response.status_code == 200 and not User.objects.filter(username="wangfang").exists()
    response = office.post(f"{URL}appoint/liaison/", {**other_unit, "person": world.principal2.pk})
    assert response.status_code == 200 and response.context["done"].password
    assert User.objects.get(username="wangfang").full_name == world.principal2.name
