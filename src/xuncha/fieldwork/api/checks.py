"""API of personal-matters checks: the list, one check with its eligible list, seed, sample and results,
setting one up, and the verbs ``draw``, ``results`` (one person's result) and ``verify``.

Checks are found through ``visible_to`` (the team and the office; everyone else the same 404 as for a
missing id). A check's details of results are confidential: returning them is an audited read.
"""

import datetime
import uuid
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..actions import checks as actions
from ..choices import CheckResult
from ..models import CheckedPerson, PersonalMattersCheck, team_or_office

router = Router(tags=["了解工作"])


class CheckOut(Schema):
    id: int
    inspection_id: int
    title: str
    sample_size: int
    extra_persons: list[int]
    drawn: bool = Field(..., alias="is_drawn")
    seed: str
    eligible_ids: list[int]
    sample_ids: list[int]
    drawn_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_extra_persons(obj: PersonalMattersCheck) -> list[int]:
        return sorted(p.pk for p in obj.extra_persons.all())


class ResultOut(Schema):
    id: uuid.UUID
    person_id: int
    person_name: str = Field(..., alias="person.name")
    position: int
    result: CheckResult
    result_label: str = Field(..., alias="get_result_display")
    details: str
    to_finding: bool
    recorded_at: datetime.datetime | None


class CheckDetailOut(CheckOut):
    results: list[ResultOut]


class CheckFilter(Schema):
    inspection: int | None = None
    drawn: bool | None = None


class CheckIn(Schema):
    inspection: int
    title: str
    sample_size: int
    extra_persons: list[int] = Field(default_factory=list, max_length=500)


class ResultIn(Schema):
    person: int
    result: str
    details: str = ""
    to_finding: bool = False


class VerificationOut(Schema):
    matches: bool
    expected: list[int]
    stored: list[int]
    problems: list[str]


def _checks(user: User) -> QuerySet[PersonalMattersCheck]:
    return PersonalMattersCheck.objects.visible_to(user).select_related("inspection__round")


def _check(request: HttpRequest, check_id: int) -> PersonalMattersCheck:
    return get_object_or_404(_checks(acting_user(request)).prefetch_related("extra_persons"), pk=check_id)


def _results(user: User, check: PersonalMattersCheck) -> list[CheckedPerson]:
    return list(CheckedPerson.objects.visible_to(user).filter(matters_check=check).select_related("person"))


@router.get("/personal-matters-checks/", response=list[CheckOut])
@paginate
def checks(request: HttpRequest, filters: Query[CheckFilter]) -> Any:
    found = _checks(acting_user(request)).prefetch_related("extra_persons")
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.drawn is not None:
        found = found.filter(drawn_at__isnull=not filters.drawn)
    return found


@router.get("/personal-matters-checks/{check_id}", response=CheckDetailOut)
def check_detail(request: HttpRequest, check_id: int) -> PersonalMattersCheck:
    """The check with its results and their details (reading them is audited)."""
    user = acting_user(request)
    check = _check(request, check_id)
    results = _results(user, check)
    actions.details_read(check, results, by=user)
    check.results = results  # type: ignore[attr-defined]  # what CheckDetailOut returns
    return check


@router.post("/personal-matters-checks/", response={201: CheckOut})
def create_check(request: HttpRequest, payload: CheckIn) -> Status[PersonalMattersCheck]:
    user = acting_user(request)
    ours = Inspection.objects.filter(team_or_office(user)).select_related("round", "unit")
    # Never None: the body's id is required.
    inspection = cast(
        Inspection,
        referenced(Inspection, user, payload.inspection, field="inspection", label="巡察", among=ours),
    )
    require(user, actions.writer_roles(inspection), what="新建个人有关事项抽查")
    roster = actions.roster(inspection)
    extra = [
        person
        for pk in dict.fromkeys(payload.extra_persons)
        if (person := referenced(Person, user, pk, field="extra_persons", label="人员", among=roster))
    ]
    check = perform(
        user,
        actions.create_check,
        inspection,
        title=payload.title,
        sample_size=payload.sample_size,
        extra_persons=extra,
    )
    return Status(201, check)


@router.post("/personal-matters-checks/{check_id}/draw", response=CheckOut)
def draw(request: HttpRequest, check_id: int) -> PersonalMattersCheck:
    return perform(acting_user(request), actions.draw, _check(request, check_id))


@router.post("/personal-matters-checks/{check_id}/results", response=ResultOut)
def record_result(request: HttpRequest, check_id: int, payload: ResultIn) -> CheckedPerson:
    """One person's result, the person named by roster id (one of the sample)."""
    user = acting_user(request)
    check = _check(request, check_id)
    require(user, actions.writer_roles(check.inspection), what="记录核实结果")
    checked = (
        CheckedPerson.objects.filter(matters_check=check, person_id=payload.person)
        .select_related("person", "matters_check__inspection__round")
        .first()
    )
    if checked is None:
        raise Refused("该人员不在本次抽中人员中。", field="person")
    return perform(
        user,
        actions.record_result,
        checked,
        result=payload.result,
        details=payload.details,
        to_finding=payload.to_finding,
    )


@router.post("/personal-matters-checks/{check_id}/verify", response=VerificationOut)
def verify(request: HttpRequest, check_id: int) -> dict[str, Any]:
    found = actions.verify(_check(request, check_id), by=acting_user(request))
    return {
        "matches": found.matches,
        "expected": found.expected,
        "stored": found.stored,
        "problems": found.problems,
    }
