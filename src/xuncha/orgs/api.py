"""API of the organisation data: committees, units, people, inspectors, departments, and the office's
appointments (a role for an account of the committee, or for a new account with a one-time password).

Lists and reads go through ``visible_to`` (out of scope → the same 404 as a missing id); creations go through
the actions. Inspector output never carries declared relatives.
"""

import datetime
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api_roles import RoleAssignmentOut
from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform, referenced, visible

from . import access, actions
from .choices import CommitteeLevel, DepartmentKind, Expertise, PostCategory, UnitType
from .models import Committee, CommitteeSettings, Department, Inspector, Person, Unit

router = Router(tags=["orgs"])


# Committees


class CommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    level: str
    parent_id: int | None


class CommitteeFilter(FilterSchema):
    level: CommitteeLevel | None = None
    parent: Annotated[int | None, FilterLookup("parent_id")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "short_name__icontains"])] = None


@router.get("/committees/", response=list[CommitteeOut])
@paginate
def committees(request: HttpRequest, filters: Query[CommitteeFilter]) -> Any:
    return filters.filter(visible(Committee, acting_user(request)))


@router.get("/committees/{committee_id}", response=CommitteeOut)
def committee(request: HttpRequest, committee_id: int) -> Committee:
    return get_object_or_404(visible(Committee, acting_user(request)), pk=committee_id)


class CommitteeSettingsOut(Schema):
    committee_id: int
    stationing_days: int
    fieldwork_days: int
    report_days: int
    feedback_days: int
    plan_days: int
    rectification_report_days: int
    review_days: int
    transfer_report_back_days: int
    due_soon_days: int
    petition_elsewhere: str
    reveal_hours: int
    learned_triage_min_samples: int
    archive_interview_records: bool
    archive_petition_attachments: bool
    secretary_meeting_required: bool
    totp_roles: list[str]


class CommitteeSettingsIn(Schema):
    """Only the fields given change (the page's 党委设置 form, field by field)."""

    stationing_days: int | None = None
    fieldwork_days: int | None = None
    report_days: int | None = None
    feedback_days: int | None = None
    plan_days: int | None = None
    rectification_report_days: int | None = None
    review_days: int | None = None
    transfer_report_back_days: int | None = None
    due_soon_days: int | None = None
    petition_elsewhere: str | None = None
    reveal_hours: int | None = None
    learned_triage_min_samples: int | None = None
    archive_interview_records: bool | None = None
    archive_petition_attachments: bool | None = None
    secretary_meeting_required: bool | None = None
    totp_roles: list[str] | None = None


def _settings(request: HttpRequest, committee_id: int) -> CommitteeSettings:
    return get_object_or_404(
        CommitteeSettings.objects.visible_to(acting_user(request)), committee_id=committee_id
    )


@router.get("/committees/{committee_id}/settings", response=CommitteeSettingsOut)
def committee_settings(request: HttpRequest, committee_id: int) -> CommitteeSettings:
    """The committee's 党委设置 (periods, thresholds, what the archive takes in): its office and sysadmin."""
    return _settings(request, committee_id)


@router.patch("/committees/{committee_id}/settings", response=CommitteeSettingsOut)
def update_committee_settings(
    request: HttpRequest, committee_id: int, payload: CommitteeSettingsIn
) -> CommitteeSettings:
    updates = {
        name: value for name, value in payload.model_dump(exclude_unset=True).items() if value is not None
    }
    return perform(
        acting_user(request), actions.update_committee_settings, _settings(request, committee_id), **updates
    )


# Units


class UnitOut(Schema):
    id: int
    committee_id: int
    parent_id: int | None
    name: str
    code: str
    unit_type: str
    party_org_kind: str
    party_organisation: str  # as it signs documents: 中共江州市财政局党组
    is_active: bool


class UnitFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("committee_id")] = None
    parent: Annotated[int | None, FilterLookup("parent_id")] = None
    unit_type: UnitType | None = None
    is_active: bool | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__icontains"])] = None


class UnitIn(Schema):
    committee: int
    name: str
    unit_type: str
    party_org_kind: str = ""
    parent: int | None = None
    code: str = ""


@router.get("/units/", response=list[UnitOut])
@paginate
def units(request: HttpRequest, filters: Query[UnitFilter]) -> Any:
    return filters.filter(visible(Unit, acting_user(request)))


@router.get("/units/{unit_id}", response=UnitOut)
def unit(request: HttpRequest, unit_id: int) -> Unit:
    return get_object_or_404(visible(Unit, acting_user(request)), pk=unit_id)


@router.post("/units/", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    user = acting_user(request)
    created = perform(
        user,
        actions.create_unit,
        committee=referenced(Committee, user, payload.committee, field="committee", label="党委"),
        parent=referenced(Unit, user, payload.parent, field="parent", label="上级单位"),
        name=payload.name,
        unit_type=payload.unit_type,
        party_org_kind=payload.party_org_kind,
        code=payload.code,
    )
    return Status(201, created)


# People (rosters)


class PersonOut(Schema):
    id: int
    unit_id: int
    name: str
    post: str
    category: str
    is_active: bool


class PersonFilter(FilterSchema):
    unit: Annotated[int | None, FilterLookup("unit_id")] = None
    committee: Annotated[int | None, FilterLookup("unit__committee_id")] = None
    category: PostCategory | None = None
    is_active: bool | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "post__icontains"])] = None


class PersonIn(Schema):
    unit: int
    name: str
    post: str
    category: str


@router.get("/people/", response=list[PersonOut])
@paginate
def people(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    return filters.filter(visible(Person, acting_user(request)))


@router.get("/people/{person_id}", response=PersonOut)
def person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(visible(Person, acting_user(request)), pk=person_id)


@router.post("/people/", response={201: PersonOut})
def add_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = acting_user(request)
    added = perform(
        user,
        actions.add_person,
        unit=referenced(Unit, user, payload.unit, field="unit", label="单位"),
        name=payload.name,
        post=payload.post,
        category=payload.category,
    )
    return Status(201, added)


# Inspectors


class InspectorOut(Schema):
    id: int
    committee_id: int
    name: str
    home_unit_id: int | None
    post: str
    expertise: list[str]
    is_active: bool


class InspectorFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("committee_id")] = None
    expertise: Expertise | None = None
    is_active: bool | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "post__icontains"])] = None

    def filter_expertise(self, value: Expertise | None) -> Q:
        # The quoted code inside the JSON list: works on SQLite and PostgreSQL alike.
        return Q(expertise__icontains=f'"{value.value}"') if value else Q()


@router.get("/inspectors/", response=list[InspectorOut])
@paginate
def inspectors(request: HttpRequest, filters: Query[InspectorFilter]) -> Any:
    return filters.filter(visible(Inspector, acting_user(request)))


@router.get("/inspectors/{inspector_id}", response=InspectorOut)
def inspector(request: HttpRequest, inspector_id: int) -> Inspector:
    return get_object_or_404(visible(Inspector, acting_user(request)), pk=inspector_id)


# Departments


class DepartmentOut(Schema):
    id: int
    committee_id: int
    name: str
    kind: str


class DepartmentFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("committee_id")] = None
    kind: DepartmentKind | None = None
    q: Annotated[str | None, FilterLookup("name__icontains")] = None


@router.get("/departments/", response=list[DepartmentOut])
@paginate
def departments(request: HttpRequest, filters: Query[DepartmentFilter]) -> Any:
    return filters.filter(visible(Department, acting_user(request)))


@router.get("/departments/{department_id}", response=DepartmentOut)
def department(request: HttpRequest, department_id: int) -> Department:
    return get_object_or_404(visible(Department, acting_user(request)), pk=department_id)


# Appointments (the office's people and roles page): a role for an account of the committee or a new one


class AppointmentIn(Schema):
    role: Role
    scope_id: int = Field(..., ge=1)
    account: int | None = None  # an account of the committee; without it, a new account is created
    username: str = Field("", max_length=150)
    full_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=30)
    ends_on: datetime.date | None = None


class AppointmentOut(Schema):
    assignment: RoleAssignmentOut
    one_time_password: str  # a new account's initial password, returned this once ("" otherwise)


@router.post("/appointments/", response={201: AppointmentOut})
def appoint(request: HttpRequest, payload: AppointmentIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    known = access.committee_accounts(user.scopes.ids(Role.OFFICE))
    done = actions.appoint(
        role=payload.role,
        scope_id=payload.scope_id,
        account=referenced(User, user, payload.account, field="account", label="账号", among=known),
        username=payload.username,
        full_name=payload.full_name,
        phone=payload.phone,
        ends_on=payload.ends_on,
        by=user,
    )
    return Status(201, {"assignment": done.assignment, "one_time_password": done.password})
