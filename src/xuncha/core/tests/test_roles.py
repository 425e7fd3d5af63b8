"""Granting, approving, refusing and ending roles (core.actions), who may, and what an ended role leaves."""

import datetime

import pytest
from django.utils import timezone

from xuncha.core import actions
from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role, RoleStatus
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.actions.transfers import transfer_petition
from xuncha.intake.tests.test_transfers import decide_transfer

pytestmark = pytest.mark.django_db

PASSWORD = "Qingfeng-zhengqi-2026"


def _account(username: str = "newbie") -> User:
    return actions.create_user(username=username, password=PASSWORD, full_name="新同志", by=None)


def _fresh(user: User) -> User:
    """The user as the next request loads it (its roles are read once per request)."""
    return User.objects.get(pk=user.pk)


def _held(assignment: RoleAssignment) -> RoleAssignment:
    return RoleAssignment.objects.get(pk=assignment.pk)


def test_nobody_grants_a_role_to_themselves(world):
    sysadmin, office = world.users["sysadmin"], world.users["office"]
    with pytest.raises(Refused, match="不能给自己授予角色"):
        actions.grant_role(user=sysadmin, role=Role.OFFICE, scope_id=world.city.pk, by=sysadmin)
    with pytest.raises(Refused, match="不能给自己授予角色"):
        actions.grant_role(user=office, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=office)
    assert not RoleAssignment.objects.filter(user=sysadmin, role=Role.OFFICE).exists()
    assert not RoleAssignment.objects.filter(user=office, role=Role.UNIT_LIAISON).exists()


def test_the_office_role_needs_a_second_persons_approval(world):
    sysadmin, office = world.users["sysadmin"], world.users["office"]
    user = _account()
    pending = actions.grant_role(user=user, role=Role.OFFICE, scope_id=world.city.pk, by=sysadmin)
    assert pending.status() == RoleStatus.PENDING and pending.granted_by == sysadmin
    assert not _fresh(user).scopes.has(Role.OFFICE)
    assert RoleAssignment.objects.pending().filter(pk=pending.pk).exists()
    # Granting again while it waits changes nothing.
    again = actions.grant_role(user=user, role=Role.OFFICE, scope_id=world.city.pk, by=sysadmin)
    assert again.pk == pending.pk and again.status() == RoleStatus.PENDING
    with pytest.raises(Refused, match="另一人审批"):
        actions.approve_role(pending, by=sysadmin)
    # The grantee is no sysadmin nor office yet: not allowed at all.
    with pytest.raises(NotAllowed):
        actions.approve_role(pending, by=user)
    # The county's office is not the office of the city.
    with pytest.raises(NotAllowed):
        actions.approve_role(pending, by=world.users["county_office"])
    approved = actions.approve_role(pending, by=office)
    assert approved.status() == RoleStatus.IN_FORCE
    assert approved.approved_by == office and approved.approved_at is not None
    assert _fresh(user).scopes.has(Role.OFFICE, world.city.pk)
    with pytest.raises(Refused, match="不在待审批状态"):
        actions.approve_role(approved, by=office)
    events = AuditEvent.objects.filter(action__in=["role.granted", "role.approved"]).order_by("seq")
    assert [(e.action, e.actor_id, e.committee_id) for e in events] == [
        ("role.granted", sysadmin.pk, world.city.pk),
        ("role.granted", sysadmin.pk, world.city.pk),
        ("role.approved", office.pk, world.city.pk),
    ]
    assert events[0].details["status"] == RoleStatus.PENDING
    assert verify_chain().ok


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.CUSTODIAN, Role.AUDITOR])
def test_another_sysadmin_approves_a_sensitive_grant(world, role):
    sysadmin = world.users["sysadmin"]
    second = _account("sysadmin2")
    actions.grant_role(user=second, role=Role.SYSADMIN, scope_id=world.city.pk, by=None)  # the system's
    user = _account()
    pending = actions.grant_role(user=user, role=role, scope_id=world.city.pk, by=sysadmin)
    assert not _fresh(user).scopes.has(role)
    actions.approve_role(pending, by=_fresh(second))
    assert _fresh(user).scopes.has(role, world.city.pk)


def test_a_refused_grant_never_comes_in_force(world):
    sysadmin, office = world.users["sysadmin"], world.users["office"]
    user = _account()
    pending = actions.grant_role(user=user, role=Role.AUDITOR, scope_id=world.city.pk, by=sysadmin)
    with pytest.raises(Refused) as caught:
        actions.refuse_role(pending, reason=" ", by=office)
    assert caught.value.field == "reason"
    refused = actions.refuse_role(pending, reason="未经党委研究", by=office)
    assert refused.status() == RoleStatus.ENDED and refused.ended_reason == "未经党委研究"
    assert not _fresh(user).scopes.has(Role.AUDITOR)
    with pytest.raises(Refused, match="不在待审批状态"):
        actions.approve_role(refused, by=office)
    event = AuditEvent.objects.get(action="role.refused")
    assert event.details["reason"] == "未经党委研究" and event.committee_id == world.city.pk
    # A new grant after a refusal waits for approval again.
    regranted = actions.grant_role(user=user, role=Role.AUDITOR, scope_id=world.city.pk, by=sysadmin)
    assert regranted.pk == pending.pk and regranted.status() == RoleStatus.PENDING


def test_the_office_grants_within_its_committee_only(world):
    office = world.users["office"]
    user = _account()
    liaison = actions.grant_role(user=user, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=office)
    assert liaison.status() == RoleStatus.IN_FORCE  # no second person for a liaison
    receiver = actions.grant_role(user=user, role=Role.RECEIVER, scope_id=world.jiwei_dept.pk, by=office)
    leader = actions.grant_role(user=user, role=Role.LEADING_GROUP, scope_id=world.city.pk, by=office)
    custodian = actions.grant_role(user=user, role=Role.CUSTODIAN, scope_id=world.city.pk, by=office)
    assert [receiver.status(), leader.status(), custodian.status()] == [
        RoleStatus.IN_FORCE,
        RoleStatus.IN_FORCE,
        RoleStatus.PENDING,
    ]
    assert AuditEvent.objects.filter(action="role.granted", role=Role.OFFICE).count() == 4
    for role, scope_id in (
        (Role.UNIT_LIAISON, world.county_unit.pk),  # another committee's unit
        (Role.LEADING_GROUP, world.county_a.pk),
        (Role.OFFICE, world.city.pk),  # only the sysadmin grants the office role
        (Role.SYSADMIN, world.city.pk),
    ):
        with pytest.raises(NotAllowed):
            actions.grant_role(user=user, role=role, scope_id=scope_id, by=office)
    for persona in ("leader", "liaison1", "auditor", "custodian"):
        with pytest.raises(NotAllowed):
            actions.grant_role(
                user=user, role=Role.UNIT_LIAISON, scope_id=world.unit3.pk, by=world.users[persona]
            )


def test_team_roles_follow_team_membership_not_grants(world):
    with pytest.raises(Refused, match="巡察组管理") as caught:
        actions.grant_role(user=_account(), role=Role.TEAM_MEMBER, scope_id=world.team2.pk, by=None)
    assert caught.value.field == "role"


def test_a_role_granted_until_a_day_is_in_force_that_whole_day(world):
    today = timezone.localdate()
    user = _account()
    with pytest.raises(Refused) as caught:
        actions.grant_role(
            user=user,
            role=Role.UNIT_LIAISON,
            scope_id=world.unit2.pk,
            by=world.users["office"],
            ends_on=today - datetime.timedelta(days=1),
        )
    assert caught.value.field == "ends_on"
    assignment = actions.grant_role(
        user=user, role=Role.UNIT_LIAISON, scope_id=world.unit2.pk, by=world.users["office"], ends_on=today
    )
    midnight = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    )
    assert assignment.ends_at == midnight
    in_force = RoleAssignment.objects.in_force
    assert in_force(midnight - datetime.timedelta(seconds=1)).filter(pk=assignment.pk).exists()
    assert not in_force(midnight).filter(pk=assignment.pk).exists()
    assert RoleAssignment.objects.ended(midnight).filter(pk=assignment.pk).exists()
    assert assignment.status(midnight) == RoleStatus.ENDED


def test_end_role_with_a_date_and_who_may(world):
    office = world.users["office"]
    liaison = RoleAssignment.objects.get(user=world.users["liaison1"], role=Role.UNIT_LIAISON)
    for persona in ("county_office", "leader", "liaison1", "auditor"):
        with pytest.raises(NotAllowed):
            actions.end_role(liaison, reason="调离", by=world.users[persona])
    today = timezone.localdate()
    with pytest.raises(Refused) as caught:
        actions.end_role(liaison, reason="", by=office, on=today - datetime.timedelta(days=1))
    assert caught.value.field == "on"
    ended = actions.end_role(liaison, reason="", by=office, on=today)  # a date needs no reason
    assert ended.active and ended.ends_at is not None and ended.status() == RoleStatus.IN_FORCE
    assert _fresh(world.users["liaison1"]).scopes.has(Role.UNIT_LIAISON, world.unit1.pk)
    event = AuditEvent.objects.get(action="role.ended")
    assert event.committee_id == world.city.pk and event.role == Role.OFFICE


def test_the_office_sees_the_assignments_of_its_committee(world):
    office = world.users["office"]
    seen = set(RoleAssignment.objects.visible_to(office).values_list("user__username", flat=True))
    assert {"office", "leader", "t1_leader", "t1_member", "t2_member", "liaison1", "jiwei", "auditor"} <= seen
    assert "county_office" not in seen
    assert set(
        RoleAssignment.objects.visible_to(world.users["county_office"]).values_list(
            "user__username", flat=True
        )
    ) == {"county_office"}
    assert RoleAssignment.objects.visible_to(world.users["liaison1"]).get().role == Role.UNIT_LIAISON
    assert (
        RoleAssignment.objects.visible_to(world.users["sysadmin"]).count() == RoleAssignment.objects.count()
    )


# An ended role gives no access from the next request -------------------------------------------------


def _passes(assignment: RoleAssignment) -> None:
    """The end date of ``assignment`` passes (the clock reaches the midnight it ends at)."""
    RoleAssignment.objects.filter(pk=assignment.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_the_office_with_an_end_date_loses_access_when_it_passes(world, client_for):
    client = client_for("office")
    page, api = f"/rounds/inspections/{world.inspection1.pk}/", f"/api/v1/inspections/{world.inspection1.pk}"
    assignment = RoleAssignment.objects.get(user=world.users["office"], role=Role.OFFICE)
    actions.end_role(assignment, reason="任期届满", by=world.users["sysadmin"], on=timezone.localdate())
    assert client.get(page).status_code == 200 and client.get(api).status_code == 200
    _passes(assignment)
    assert client.get(page).status_code == 404
    assert client.get(api).status_code == 404


def test_a_receiver_with_an_end_date_loses_access_when_it_passes(world, client_for):
    member, leader = world.users["t1_member"], world.users["t1_leader"]
    petition = register_petition(
        world.inspection1, data=PetitionInput(content="反映单位拖欠工资。", channel="letter"), by=member
    )
    transfer = transfer_petition(
        decide_transfer(petition, by=member),
        department=world.jiwei_dept,
        reason="不属于巡察受理范围。",
        by=leader,
    )
    client = client_for("jiwei")
    page, api = f"/intake/transfers/{transfer.pk}/", f"/api/v1/petition-transfers/{transfer.pk}"
    assignment = RoleAssignment.objects.get(user=world.users["jiwei"], role=Role.RECEIVER)
    actions.end_role(assignment, reason="机构调整", by=world.users["office"], on=timezone.localdate())
    assert client.get(page).status_code == 200 and client.get(api).status_code == 200
    _passes(assignment)
    assert client.get(page).status_code == 404
    assert client.get(api).status_code == 404


def test_a_withdrawn_liaison_loses_access_at_the_next_request(world, client_for):
    client = client_for("liaison1")
    page, api = f"/orgs/units/{world.unit1.pk}/", f"/api/v1/inspections/{world.inspection1.pk}"
    assert client.get(page).status_code == 200 and client.get(api).status_code == 200
    assignment = RoleAssignment.objects.get(user=world.users["liaison1"], role=Role.UNIT_LIAISON)
    actions.end_role(assignment, reason="工作调动", by=world.users["office"])
    assert _held(assignment).status() == RoleStatus.ENDED
    assert client.get(page).status_code == 404
    assert client.get(api).status_code == 404


def test_the_office_does_not_end_the_sysadmins_role(world):
    sysadmin = RoleAssignment.objects.get(user=world.users["sysadmin"], role=Role.SYSADMIN)
    assert sysadmin.scope_id == world.city.pk  # on the office's own committee
    with pytest.raises(NotAllowed):
        actions.end_role(sysadmin, reason="越权", by=world.users["office"])
    assert _held(sysadmin).status() == RoleStatus.IN_FORCE
