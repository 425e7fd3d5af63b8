"""What orgs tells core at start-up (see apps.py): what committee, unit and department scopes are, and when
the roles held on them need TOTP. Team roles are rounds' business (rounds/hooks.py)."""

from collections import defaultdict

from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.scopes import ScopeInfo

from .models import Committee, CommitteeSettings, Department, Unit

COMMITTEE_ROLES = (Role.OFFICE, Role.LEADING_GROUP, Role.CUSTODIAN, Role.AUDITOR, Role.SYSADMIN)


def describe_committee(committee_id: int) -> ScopeInfo | None:
    committee = Committee.objects.filter(pk=committee_id).first()
    return ScopeInfo(name=committee.name, committee_id=committee.pk) if committee else None


def describe_unit(unit_id: int) -> ScopeInfo | None:
    unit = Unit.objects.filter(pk=unit_id).first()
    return ScopeInfo(name=unit.name, committee_id=unit.committee_id) if unit else None


def describe_department(department_id: int) -> ScopeInfo | None:
    department = Department.objects.filter(pk=department_id).first()
    return ScopeInfo(name=department.name, committee_id=department.committee_id) if department else None


def org_role_requires_totp(user: User) -> bool:
    """True when the committee owning a scope the user holds a role on lists that role in its totp_roles:
    a committee role → that committee; unit_liaison → the unit's committee; receiver → the department's."""
    scopes = user.scopes
    roles_by_committee: dict[int, set[str]] = defaultdict(set)
    for role in COMMITTEE_ROLES:
        for committee_id in scopes.ids(role):
            roles_by_committee[committee_id].add(role)
    owners = (
        (Role.UNIT_LIAISON, Unit.objects.filter(pk__in=scopes.ids(Role.UNIT_LIAISON))),
        (Role.RECEIVER, Department.objects.filter(pk__in=scopes.ids(Role.RECEIVER))),
    )
    for role, scoped in owners:
        for committee_id in scoped.values_list("committee_id", flat=True):
            roles_by_committee[committee_id].add(role)
    if not roles_by_committee:
        return False
    required = CommitteeSettings.objects.filter(committee_id__in=roles_by_committee)
    return any(
        roles_by_committee[committee_id] & set(totp_roles or [])
        for committee_id, totp_roles in required.values_list("committee_id", "totp_roles")
    )
