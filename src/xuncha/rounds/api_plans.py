"""API of the work plan (``/round-plans``), the round's 动员部署会, and the inspectors' readiness
(``/training-sessions``, ``/commitments``): each verb calls the same action as the page.

The round's office, leading group and teams read; out of scope is the same 404 as a missing id. A refusal
of an action is a 422 with the field and the Chinese reason; a caller who reads but may not act gets 403.
"""

import datetime
from itertools import pairwise
from typing import Annotated, Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.api import inline_enum
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Inspector

from . import plan_views, plans, readiness, round_meeting
from .models import Commitment, Round, RoundMeeting, TeamMember, TrainingSession, WorkPlan, WorkPlanVersion
from .plan_choices import CommitmentKind, PlanStatus

router = Router(tags=["round-plans"])

PlanStatusField = Annotated[str, inline_enum(PlanStatus)]
CommitmentKindField = Annotated[str, inline_enum(CommitmentKind)]


class WorkPlanOut(Schema):
    id: int
    round_id: int
    status: PlanStatusField
    status_label: str
    stationing_on: datetime.date
    withdrawal_on: datetime.date
    focus: list[str]
    topic: str
    division: str
    requirements: str
    # TeamMember id → the member's task.
    tasks: dict[str, str]
    approved_by: str | None
    approved_at: datetime.datetime | None
    ratified_by_name: str
    ratified_on: datetime.date | None
    versions: int

    @staticmethod
    def resolve_status_label(obj: WorkPlan) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_approved_by(obj: WorkPlan) -> str | None:
        return obj.approved_by.username if obj.approved_by else None

    @staticmethod
    def resolve_versions(obj: WorkPlan) -> int:
        counted = getattr(obj, "version_count", None)  # annotated on lists (one query for the page)
        return obj.versions.count() if counted is None else int(counted)


class WorkPlanFilter(FilterSchema):
    round: Annotated[int | None, FilterLookup("round_id")] = None
    committee: Annotated[int | None, FilterLookup("round__committee_id")] = None
    status: Annotated[PlanStatusField | None, FilterLookup("status")] = None


class WorkPlanIn(Schema):
    stationing_on: datetime.date
    withdrawal_on: datetime.date
    focus: list[str] = []
    topic: str = ""
    division: str = ""
    requirements: str = ""
    tasks: dict[str, str] = {}


class WorkPlanCreateIn(WorkPlanIn):
    round: int


class WorkPlanDecisionIn(Schema):
    opinion: str = ""


class WorkPlanRatifyIn(Schema):
    ratified_by_name: str
    ratified_on: datetime.date


class WorkPlanVersionOut(Schema):
    number: int
    text: str
    submitted_by: str | None
    submitted_at: datetime.datetime
    decision: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    opinion: str
    # What changed since the previous version: lines starting with "+", "-", " " or "@@".
    diff: list[str]

    @staticmethod
    def resolve_submitted_by(obj: WorkPlanVersion) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_decided_by(obj: WorkPlanVersion) -> str | None:
        return obj.decided_by.username if obj.decided_by else None

    @staticmethod
    def resolve_diff(obj: WorkPlanVersion, context: dict[str, Any]) -> list[str]:
        previous = getattr(obj, "previous", None)
        if previous is None:
            return []
        return [
            f"{line.kind}{line.text}" if line.kind != "@" else line.text for line in plans.diff(previous, obj)
        ]


def _referenced_round(user: User, pk: int) -> Round:
    round_ = referenced(Round, user, pk, field="round", label="轮次")
    if round_ is None:
        raise Refused("请选择轮次。", field="round")
    return round_


def _plans(request: HttpRequest) -> Any:
    return (
        WorkPlan.objects.visible_to(acting_user(request))
        .select_related("round__committee", "approved_by")
        .annotate(version_count=Count("versions"))
    )


def _plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    return get_object_or_404(_plans(request), pk=plan_id)


@router.get("/round-plans/", response=list[WorkPlanOut])
@paginate
def round_plans(request: HttpRequest, filters: Query[WorkPlanFilter]) -> Any:
    return filters.filter(_plans(request))


@router.get("/round-plans/{plan_id}", response=WorkPlanOut)
def round_plan_detail(request: HttpRequest, plan_id: int) -> WorkPlan:
    return _plan(request, plan_id)


@router.post("/round-plans/", response={201: WorkPlanOut})
def create_round_plan(request: HttpRequest, payload: WorkPlanCreateIn) -> Status[WorkPlan]:
    """Draft the plan of a round (the office); a round has one plan."""
    user = acting_user(request)
    round_ = _referenced_round(user, payload.round)
    require(user, plans.editor_roles(round_), what="起草巡察工作方案")
    if WorkPlan.objects.filter(round=round_).exists():
        raise Refused("本轮已有巡察工作方案，请修改该方案。", field="round")
    data = payload.dict(exclude={"round"})
    return Status(201, perform(user, plans.save_plan, round_, **data))


@router.put("/round-plans/{plan_id}", response=WorkPlanOut)
def update_round_plan(request: HttpRequest, plan_id: int, payload: WorkPlanIn) -> WorkPlan:
    user = acting_user(request)
    plan = _plan(request, plan_id)
    return perform(user, plans.save_plan, plan.round, **payload.dict())


@router.post("/round-plans/{plan_id}/submit", response=WorkPlanOut)
def submit_round_plan(request: HttpRequest, plan_id: int) -> WorkPlan:
    return perform(acting_user(request), plans.submit_plan, _plan(request, plan_id))


@router.post("/round-plans/{plan_id}/approve", response=WorkPlanOut)
def approve_round_plan(request: HttpRequest, plan_id: int, payload: WorkPlanDecisionIn) -> WorkPlan:
    return perform(acting_user(request), plans.approve_plan, _plan(request, plan_id), opinion=payload.opinion)


@router.post("/round-plans/{plan_id}/return", response=WorkPlanOut)
def return_round_plan(request: HttpRequest, plan_id: int, payload: WorkPlanDecisionIn) -> WorkPlan:
    return perform(acting_user(request), plans.return_plan, _plan(request, plan_id), opinion=payload.opinion)


@router.post("/round-plans/{plan_id}/ratify", response=WorkPlanOut)
def ratify_round_plan(request: HttpRequest, plan_id: int, payload: WorkPlanRatifyIn) -> WorkPlan:
    plan = _plan(request, plan_id)
    return perform(acting_user(request), plans.ratify_plan, plan, **payload.dict())


@router.get("/round-plans/{plan_id}/versions", response=list[WorkPlanVersionOut])
def round_plan_versions(request: HttpRequest, plan_id: int) -> list[WorkPlanVersion]:
    plan = _plan(request, plan_id)
    versions = list(plan.versions.select_related("submitted_by", "decided_by").order_by("number"))
    for previous, version in pairwise(versions):
        version.previous = previous  # type: ignore[attr-defined]
    return versions


@router.get("/round-plans/{plan_id}/document")
def round_plan_document(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as an official document (.docx; ``?format=pdf`` for PDF), audited and watermarked."""
    plan = _plan(request, plan_id)
    return plan_views.plan_download(request, plan.round, plan)


@router.get("/round-plans/{plan_id}/teams/{team_id}/authorisation")
def round_plan_authorisation(request: HttpRequest, plan_id: int, team_id: int) -> HttpResponse:
    """The 授权决定 of one of the round's teams (.docx or PDF), audited and watermarked."""
    plan = _plan(request, plan_id)
    return plan_views.authorisation_download(request, plan.round, plan, team_id)


# The round's 动员部署会


class RoundMeetingOut(Schema):
    id: int
    round_id: int
    held_at: datetime.datetime
    place: str
    chair: str
    leading_group: str
    office: str
    teams: str
    units: str
    notes: str


class RoundMeetingIn(Schema):
    held_at: datetime.datetime
    place: str
    chair: str
    # Omitted lists are prefilled from the data.
    leading_group: str | None = None
    office: str | None = None
    teams: str | None = None
    units: str | None = None
    notes: str = ""


def _round(request: HttpRequest, round_id: int) -> Round:
    """The round, for its insiders; 404 for anyone else (as a missing id)."""
    user = acting_user(request)
    round_ = get_object_or_404(Round.objects.visible_to(user).select_related("committee"), pk=round_id)
    if not plan_views.insider(user, round_):
        raise Http404
    return round_


@router.get("/rounds/{round_id}/deployment-meeting", response=RoundMeetingOut)
def round_meeting_detail(request: HttpRequest, round_id: int) -> RoundMeeting:
    round_ = _round(request, round_id)
    return get_object_or_404(RoundMeeting.objects.visible_to(acting_user(request)), round=round_)


@router.put("/rounds/{round_id}/deployment-meeting", response=RoundMeetingOut)
def save_round_meeting(request: HttpRequest, round_id: int, payload: RoundMeetingIn) -> RoundMeeting:
    round_ = _round(request, round_id)
    data = payload.dict()
    prefilled = round_meeting.defaults(round_)
    for name in ("leading_group", "office", "teams", "units"):
        if data[name] is None:
            data[name] = prefilled[name]
    return perform(acting_user(request), round_meeting.save_round_meeting, round_, **data)


@router.get("/rounds/{round_id}/deployment-meeting/document")
def round_meeting_document(request: HttpRequest, round_id: int) -> HttpResponse:
    """The meeting's record (.docx or PDF), audited and watermarked."""
    round_ = _round(request, round_id)
    meeting = get_object_or_404(RoundMeeting.objects.visible_to(acting_user(request)), round=round_)
    return plan_views.meeting_download(request, round_, meeting)


# Readiness


class ReadinessOut(Schema):
    inspector_id: int
    inspector_name: str
    team_id: int
    team_name: str
    # What the inspector still lacks: 巡前培训, 保密承诺, 巡察干部行为规范承诺; empty when ready.
    missing: list[str]


@router.get("/rounds/{round_id}/readiness", response=list[ReadinessOut])
def round_readiness(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    round_ = _round(request, round_id)
    members = list(
        TeamMember.objects.filter(team__round=round_).select_related("team", "inspector").order_by("id")
    )
    missing = readiness.missing_by_inspector(round_.pk, [m.inspector for m in members])
    return [
        {
            "inspector_id": m.inspector_id,
            "inspector_name": m.inspector.name,
            "team_id": m.team_id,
            "team_name": m.team.name,
            "missing": missing[m.inspector_id],
        }
        for m in members
    ]


class TrainingSessionOut(Schema):
    id: int
    round_id: int
    held_on: datetime.date
    topic: str
    place: str
    attendees: list[int]

    @staticmethod
    def resolve_attendees(obj: TrainingSession) -> list[int]:
        return [i.pk for i in obj.attendees.all()]


class TrainingSessionFilter(FilterSchema):
    round: Annotated[int | None, FilterLookup("round_id")] = None


class TrainingSessionIn(Schema):
    round: int
    held_on: datetime.date
    topic: str
    place: str = ""
    attendees: list[int] = []


class AttendanceIn(Schema):
    attendees: list[int]


def _sessions(request: HttpRequest) -> Any:
    return (
        TrainingSession.objects.visible_to(acting_user(request))
        .select_related("round")
        .prefetch_related("attendees")
    )


def _inspectors(round_: Round, ids: list[int]) -> list[Inspector]:
    pool = {i.pk: i for i in readiness.round_inspectors(round_)}
    missing = [pk for pk in ids if pk not in pool]
    if missing:
        raise Refused("参训人员须为本轮巡察组成员。", field="attendees")
    return [pool[pk] for pk in ids]


@router.get("/training-sessions/", response=list[TrainingSessionOut])
@paginate
def training_sessions(request: HttpRequest, filters: Query[TrainingSessionFilter]) -> Any:
    return filters.filter(_sessions(request))


@router.get("/training-sessions/{session_id}", response=TrainingSessionOut)
def training_session_detail(request: HttpRequest, session_id: int) -> TrainingSession:
    return get_object_or_404(_sessions(request), pk=session_id)


@router.post("/training-sessions/", response={201: TrainingSessionOut})
def create_training_session(request: HttpRequest, payload: TrainingSessionIn) -> Status[TrainingSession]:
    user = acting_user(request)
    round_ = _referenced_round(user, payload.round)
    require(user, readiness.office_roles(round_), what="登记巡前培训")
    session = perform(
        user,
        readiness.record_training,
        round_,
        held_on=payload.held_on,
        topic=payload.topic,
        place=payload.place,
        attendees=_inspectors(round_, payload.attendees),
    )
    return Status(201, session)


@router.post("/training-sessions/{session_id}/attendance", response=TrainingSessionOut)
def set_training_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> TrainingSession:
    user = acting_user(request)
    session = get_object_or_404(_sessions(request), pk=session_id)
    require(user, readiness.office_roles(session.round), what="登记巡前培训参训人员")
    attendees = _inspectors(session.round, payload.attendees)
    return perform(user, readiness.set_attendance, session, attendees=attendees)


class CommitmentOut(Schema):
    id: int
    round_id: int
    inspector_id: int
    kind: CommitmentKindField
    text: str
    signed_at: datetime.datetime
    on_paper: bool


class CommitmentFilter(FilterSchema):
    round: Annotated[int | None, FilterLookup("round_id")] = None
    inspector: Annotated[int | None, FilterLookup("inspector_id")] = None


class CommitmentIn(Schema):
    round: int
    kind: CommitmentKindField
    # Omitted: the caller signs their own. Given (the office): the paper copy of an inspector without an
    # account.
    inspector: int | None = None


@router.get("/commitments/", response=list[CommitmentOut])
@paginate
def commitments(request: HttpRequest, filters: Query[CommitmentFilter]) -> Any:
    return filters.filter(Commitment.objects.visible_to(acting_user(request)))


@router.post("/commitments/", response={201: CommitmentOut})
def sign_commitment(request: HttpRequest, payload: CommitmentIn) -> Status[Commitment]:
    user = acting_user(request)
    round_ = _referenced_round(user, payload.round)
    inspector = None
    if payload.inspector is not None:
        pool = {i.pk: i for i in readiness.round_inspectors(round_)}
        inspector = pool.get(payload.inspector)
        if inspector is None:
            raise Refused("巡察干部不存在或不是本轮巡察组成员。", field="inspector")
    return Status(
        201, perform(user, readiness.sign_commitment, round_, kind=payload.kind, inspector=inspector)
    )
