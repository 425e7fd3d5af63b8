"""API of rounds: rounds, teams (with members) and inspections, and the verbs that change them.

Lists and reads go through ``visible_to`` (out of scope → the same 404 as a missing id). Stages change only
through ``POST /inspections/{id}/transition``, which calls the stage machine's action: a refusal is a 422
with the field and the Chinese reason, a visible inspection the caller may not move a 403.
"""

import datetime
from typing import Annotated, Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.choices import Role
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Committee, Inspector

from . import actions, archive_views
from .access import sees_conflicts, sees_members
from .choices import RoundKind, Stage
from .conflicts import busy_elsewhere
from .kinds import eligible_inspectors
from .models import Inspection, Round, Team, TeamMember, Term

router = Router(tags=["rounds"])


# Rounds


class RoundOut(Schema):
    id: int
    committee_id: int
    term_id: int | None
    number: int
    name: str
    kind: str
    topic: str
    planned_start: datetime.date
    planned_end: datetime.date
    lookback_of: list[int]

    @staticmethod
    def resolve_lookback_of(obj: Round) -> list[int]:
        return [inspection.pk for inspection in obj.lookback_of.all()]


class RoundFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("committee_id")] = None
    term: Annotated[int | None, FilterLookup("term_id")] = None
    kind: RoundKind | None = None


class RoundIn(Schema):
    committee: int
    number: int
    name: str
    kind: str
    planned_start: datetime.date
    planned_end: datetime.date
    topic: str = ""
    term: int | None = None
    lookback_of: list[int] = []


@router.get("/rounds/", response=list[RoundOut])
@paginate
def rounds(request: HttpRequest, filters: Query[RoundFilter]) -> Any:
    return filters.filter(Round.objects.visible_to(acting_user(request))).prefetch_related("lookback_of")


@router.get("/rounds/{round_id}", response=RoundOut)
def round_detail(request: HttpRequest, round_id: int) -> Round:
    return get_object_or_404(Round.objects.visible_to(acting_user(request)), pk=round_id)


@router.post("/rounds/", response={201: RoundOut})
def create_round(request: HttpRequest, payload: RoundIn) -> Status[Round]:
    user = acting_user(request)
    targets = [
        referenced(Inspection, user, pk, field="lookback_of", label="回头看对象")
        for pk in payload.lookback_of
    ]
    created = perform(
        user,
        actions.create_round,
        committee=referenced(Committee, user, payload.committee, field="committee", label="党委"),
        number=payload.number,
        name=payload.name,
        kind=payload.kind,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        topic=payload.topic,
        term=referenced(Term, user, payload.term, field="term", label="届期"),
        lookback_of=targets,
    )
    return Status(201, created)


# Teams


class MemberOut(Schema):
    id: int
    inspector_id: int
    inspector_name: str = Field(..., alias="inspector.name")
    role: str
    # Only for the committee's office and leading group; null for everyone else.
    conflict_reasons: list[str] | None
    override_reason: str | None

    @staticmethod
    def resolve_conflict_reasons(obj: TeamMember, context: dict[str, Any]) -> list[str] | None:
        return obj.conflict_reasons if _sees_conflicts_of(obj, context) else None

    @staticmethod
    def resolve_override_reason(obj: TeamMember, context: dict[str, Any]) -> str | None:
        return obj.override_reason if _sees_conflicts_of(obj, context) else None


def _sees_conflicts_of(member: TeamMember, context: dict[str, Any]) -> bool:
    return sees_conflicts(acting_user(context["request"]), member.team.round.committee_id)


class MemberAddedOut(MemberOut):
    # Not refusals: e.g. the inspector is already on another team that is stationed or in fieldwork.
    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj: TeamMember) -> list[str]:
        return busy_elsewhere(obj.team, obj.inspector)


class TeamOut(Schema):
    id: int
    round_id: int
    name: str
    # Null for those who see the team but not its internals (the unit's liaison).
    members: list[MemberOut] | None

    @staticmethod
    def resolve_members(obj: Team, context: dict[str, Any]) -> list[TeamMember] | None:
        return list(obj.members.all()) if sees_members(acting_user(context["request"]), obj) else None


class TeamFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("round__committee_id")] = None
    round: Annotated[int | None, FilterLookup("round_id")] = None


class MemberIn(Schema):
    inspector: int
    role: str
    override_reason: str = ""


def _teams(request: HttpRequest) -> Any:
    members = TeamMember.objects.select_related("inspector", "team__round")
    return (
        Team.objects.visible_to(acting_user(request))
        .select_related("round")
        .prefetch_related(Prefetch("members", queryset=members))
    )


@router.get("/teams/", response=list[TeamOut])
@paginate
def teams(request: HttpRequest, filters: Query[TeamFilter]) -> Any:
    return filters.filter(_teams(request))


@router.get("/teams/{team_id}", response=TeamOut)
def team_detail(request: HttpRequest, team_id: int) -> Team:
    return get_object_or_404(_teams(request), pk=team_id)


@router.post("/teams/{team_id}/members", response={201: MemberAddedOut})
def add_team_member(request: HttpRequest, team_id: int, payload: MemberIn) -> Status[TeamMember]:
    user = acting_user(request)
    team = get_object_or_404(Team.objects.visible_to(user).select_related("round"), pk=team_id)
    # The role before the body: who may not form this team gets 403 whatever inspector it names.
    require(user, {Role.OFFICE: team.round.committee_id}, what="调整巡察组成员")
    member = perform(
        user,
        actions.add_team_member,
        team=team,
        inspector=referenced(
            Inspector,
            user,
            payload.inspector,
            field="inspector",
            label="巡察干部",
            among=eligible_inspectors(team.round),
        ),
        role=payload.role,
        override_reason=payload.override_reason,
    )
    return Status(201, member)


# Inspections


class InspectionOut(Schema):
    id: int
    round_id: int
    team_id: int
    team_name: str = Field(..., alias="team.name")
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    stage: Stage
    stage_label: str = Field(..., alias="get_stage_display")
    stage_entered_at: datetime.datetime
    stage_due_on: datetime.date | None
    stationed_on: datetime.date | None
    fieldwork_ends_on: datetime.date | None
    feedback_on: datetime.date | None
    is_overdue: bool
    # "overdue", "due" (within the committee's reminder window) or "".
    deadline_state: str

    @staticmethod
    def resolve_is_overdue(obj: Inspection) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_deadline_state(obj: Inspection) -> str:
        return obj.deadline_state()


class InspectionFilter(FilterSchema):
    committee: Annotated[int | None, FilterLookup("round__committee_id")] = None
    round: Annotated[int | None, FilterLookup("round_id")] = None
    team: Annotated[int | None, FilterLookup("team_id")] = None
    unit: Annotated[int | None, FilterLookup("unit_id")] = None
    stage: Stage | None = None
    overdue: bool | None = None

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        overdue = Q(pk__in=Inspection.objects.overdue().values("pk"))
        return overdue if value else ~overdue


class TransitionIn(Schema):
    to: str
    note: str = ""


def _inspections(request: HttpRequest) -> Any:
    return Inspection.objects.visible_to(acting_user(request)).select_related(
        "round__committee__settings", "team", "unit"
    )


@router.get("/inspections/", response=list[InspectionOut])
@paginate
def inspections(request: HttpRequest, filters: Query[InspectionFilter]) -> Any:
    return filters.filter(_inspections(request))


@router.get("/inspections/{inspection_id}", response=InspectionOut)
def inspection_detail(request: HttpRequest, inspection_id: int) -> Inspection:
    return get_object_or_404(_inspections(request), pk=inspection_id)


@router.get("/inspections/{inspection_id}/archive-package")
def archive_package(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """The sealed archive package (zip with manifest.json): the committee's office and leading group."""
    inspection = get_object_or_404(_inspections(request), pk=inspection_id)
    return archive_views.package_response(request, inspection)


@router.post("/inspections/{inspection_id}/transition", response=InspectionOut)
def transition(request: HttpRequest, inspection_id: int, payload: TransitionIn) -> Inspection:
    user = acting_user(request)
    inspection = get_object_or_404(_inspections(request), pk=inspection_id)
    return perform(user, actions.transition_inspection, inspection, to=payload.to, note=payload.note)
