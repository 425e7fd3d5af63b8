"""API of the organisation data: committees, units, people, inspectors, departments.

Lists and reads go through ``visible_to`` (out of scope → the same 404 as a missing id); creations go through
the actions. Inspector output never carries declared relatives.
"""

from typing import Annotated, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform

from . import actions
from .choices import CommitteeLevel, DepartmentKind, Expertise, PostCategory, UnitType
from .models import Committee, Department, Inspector, Person, Unit

router = Router(tags=["orgs"])
M = TypeVar("M", bound=Model)


def _visible(model: type[M], request: HttpRequest) -> "QuerySet[M]":
    return model.objects.visible_to(acting_user(request))  # type: ignore[attr-defined]


def _reference(model: type[M], user: User, pk: int | None, *, field: str, label: str) -> M | None:
    """An object named in a request body; missing and out of scope are the same refusal."""
    if pk is None:
        return None
    found: M | None = model.objects.visible_to(user).filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise Refused(f"{label}不存在或无权访问。", field=field)
    return found


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
    return filters.filter(_visible(Committee, request))


@router.get("/committees/{committee_id}", response=CommitteeOut)
def committee(request: HttpRequest, committee_id: int) -> Committee:
    return get_object_or_404(_visible(Committee, request), pk=committee_id)


# Units


class UnitOut(Schema):
    id: int
    committee_id: int
    parent_id: int | None
    name: str
    code: str
    unit_type: str
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
    parent: int | None = None
    code: str = ""


@router.get("/units/", response=list[UnitOut])
@paginate
def units(request: HttpRequest, filters: Query[UnitFilter]) -> Any:
    return filters.filter(_visible(Unit, request))


@router.get("/units/{unit_id}", response=UnitOut)
def unit(request: HttpRequest, unit_id: int) -> Unit:
    return get_object_or_404(_visible(Unit, request), pk=unit_id)


@router.post("/units/", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    user = acting_user(request)
    created = perform(
        user,
        actions.create_unit,
        committee=_reference(Committee, user, payload.committee, field="committee", label="党委"),
        parent=_reference(Unit, user, payload.parent, field="parent", label="上级单位"),
        name=payload.name,
        unit_type=payload.unit_type,
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
    return filters.filter(_visible(Person, request))


@router.get("/people/{person_id}", response=PersonOut)
def person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(_visible(Person, request), pk=person_id)


@router.post("/people/", response={201: PersonOut})
def add_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = acting_user(request)
    added = perform(
        user,
        actions.add_person,
        unit=_reference(Unit, user, payload.unit, field="unit", label="单位"),
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
    return filters.filter(_visible(Inspector, request))


@router.get("/inspectors/{inspector_id}", response=InspectorOut)
def inspector(request: HttpRequest, inspector_id: int) -> Inspector:
    return get_object_or_404(_visible(Inspector, request), pk=inspector_id)


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
    return filters.filter(_visible(Department, request))


@router.get("/departments/{department_id}", response=DepartmentOut)
def department(request: HttpRequest, department_id: int) -> Department:
    return get_object_or_404(_visible(Department, request), pk=department_id)
