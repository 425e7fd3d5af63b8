"""API of interviews: the list with the pages' filters, one interview, adding one or generating the plan from
the roster, and the verbs schedule, cancel, confirm, conflict, record (write, and read with an audit event)
and problems.

Each interview is given in the shape its reader may see: the office, the leading group and the team get
``InterviewOut`` (topics, inspectors, the petition mark); the unit's liaison gets ``ScheduleOut``, who, when
and where only — no topics, no inspectors, no record. The record itself is read at ``/record``, by the team
and the office, each read audited. Out of scope is the same 404 as a missing id.
"""

import datetime
import uuid
from typing import Annotated, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Discriminator, Tag

from xuncha.core.audit import record_read
from xuncha.core.dates import aware
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Inspector, Person
from xuncha.rounds.models import Inspection

from ..actions import interviews as actions
from ..choices import InterviewStatus, ProblemKind
from ..models import Interview, InterviewRecord

router = Router(tags=["了解工作"])


class ScheduleOut(Schema):
    """What the unit's liaison reads of an interview of its people."""

    id: uuid.UUID
    inspection_id: int
    name: str
    post: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    place: str
    status: InterviewStatus
    status_label: str = Field(..., alias="get_status_display")
    confirmed_at: datetime.datetime | None
    conflict_note: str
    conflict_at: datetime.datetime | None


class InterviewInspectorOut(Schema):
    id: int
    name: str


class InterviewOut(ScheduleOut):
    """The whole plan entry, for the office, the leading group and the team."""

    person_id: int | None
    category: str
    source: str
    inspectors: list[InterviewInspectorOut]
    topics: list[str] = Field(..., alias="topic_points")
    cancel_reason: str
    named_in_petitions: bool
    has_record: bool

    @staticmethod
    def resolve_inspectors(obj: Interview) -> list[Inspector]:
        return list(obj.inspectors.all())


class InterviewFilter(Schema):
    inspection: int | None = None
    status: InterviewStatus | None = None
    date: datetime.date | None = None
    person: str = Field("", max_length=50)


class ScheduleIn(Schema):
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    place: str = ""
    inspectors: list[int] = []
    topics: str = ""
    name: str | None = None
    post: str | None = None


class InterviewIn(ScheduleIn):
    inspection: int
    person: int | None = None


class GenerateIn(Schema):
    inspection: int


class GeneratedOut(Schema):
    added: int
    planned: int


class InterviewReasonIn(Schema):
    reason: str


class InterviewNoteIn(Schema):
    note: str


class RecordIn(Schema):
    text: str


class ProblemIn(Schema):
    kind: ProblemKind
    text: str


class InterviewProblemOut(Schema):
    id: uuid.UUID
    kind: ProblemKind
    kind_label: str = Field(..., alias="get_kind_display")
    text: str
    added_at: datetime.datetime


class RecordOut(Schema):
    text: str
    written_at: datetime.datetime
    problems: list[InterviewProblemOut]

    @staticmethod
    def resolve_problems(obj: InterviewRecord) -> list[Any]:
        return list(obj.interview.problems.all())


def _view_of(value: Any) -> str:
    """Which shape an interview is given in, as ``_shaped`` marked it (the liaison's when unmarked)."""
    if isinstance(value, Schema):  # serialising what was validated: the schema it was validated as
        return "internal" if isinstance(value, InterviewOut) else "schedule"
    return str(getattr(value, "api_view", "schedule"))


# The discriminator picks the schema per object, so the liaison's items never pass through InterviewOut.
Shaped = Annotated[
    Annotated[InterviewOut, Tag("internal")] | Annotated[ScheduleOut, Tag("schedule")],
    Discriminator(_view_of),
]


def _shaped(user: User, interview: Interview) -> Interview:
    internal = holds(user, actions.internal_roles(interview.inspection))
    interview.api_view = "internal" if internal else "schedule"  # type: ignore[attr-defined]
    return interview


def _visible(user: User) -> QuerySet[Interview]:
    return (
        Interview.objects.visible_to(user)
        .with_petition_mark()
        .annotate(has_record=Exists(InterviewRecord.objects.filter(interview=OuterRef("pk"))))
        .select_related("inspection__round", "inspection__team", "inspection__unit")
    )


def _interview(request: HttpRequest, interview_id: uuid.UUID) -> Interview:
    return get_object_or_404(_visible(acting_user(request)), pk=interview_id)


def _inspectors(user: User, inspection: Inspection, ids: list[int]) -> list[Inspector]:
    among = actions.team_inspectors(inspection)
    found = [
        referenced(Inspector, user, pk, field="inspectors", label="谈话人", among=among)
        for pk in dict.fromkeys(ids)
    ]
    return [i for i in found if i is not None]


@router.get("/interviews/", response=list[Shaped])
@paginate
def interviews(request: HttpRequest, filters: Query[InterviewFilter]) -> Any:
    user = acting_user(request)
    found = _visible(user).prefetch_related("inspectors")
    if filters.inspection is not None:
        found = found.filter(inspection_id=filters.inspection)
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.date is not None:
        found = found.filter(starts_at__date=filters.date)
    if filters.person.strip():
        found = found.filter(name__icontains=filters.person.strip())
    return _Shaped(user, found)


class _Shaped:
    """A queryset whose slices are shaped per reader, so the paginator counts and slices in the database."""

    def __init__(self, user: User, queryset: QuerySet[Interview]) -> None:
        self.user, self.queryset = user, queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Interview]:
        return [_shaped(self.user, i) for i in self.queryset[index]]


@router.get("/interviews/{uuid:interview_id}", response=Shaped)
def interview_detail(request: HttpRequest, interview_id: uuid.UUID) -> Interview:
    return _shaped(acting_user(request), _interview(request, interview_id))


@router.post("/interviews/", response={201: InterviewOut})
def interview_create(request: HttpRequest, payload: InterviewIn) -> Status[Interview]:
    user = acting_user(request)
    inspection = get_object_or_404(Inspection.objects.visible_to(user), pk=payload.inspection)
    require(user, actions.planner_roles(inspection), what="安排个别谈话")
    unit = inspection.unit
    people = Person.objects.filter(unit_id__in={unit.pk} | unit.descendant_ids())
    interview = perform(
        user,
        actions.add_interview,
        inspection,
        person=referenced(Person, user, payload.person, field="person", label="谈话对象", among=people),
        name=payload.name or "",
        post=payload.post or "",
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        place=payload.place,
        inspectors=_inspectors(user, inspection, payload.inspectors),
        topics=payload.topics,
    )
    return Status(201, _visible(user).get(pk=interview.pk))


@router.post("/interviews/generate", response=GeneratedOut)
def interview_generate(request: HttpRequest, payload: GenerateIn) -> GeneratedOut:
    user = acting_user(request)
    inspection = get_object_or_404(Inspection.objects.visible_to(user), pk=payload.inspection)
    require(user, actions.planner_roles(inspection), what="生成谈话安排")
    before = Interview.objects.filter(inspection=inspection).count()
    perform(user, actions.generate_plan, inspection)
    planned = Interview.objects.filter(inspection=inspection).count()
    return GeneratedOut(added=planned - before, planned=planned)


@router.post("/interviews/{uuid:interview_id}/schedule", response=InterviewOut)
def interview_schedule(request: HttpRequest, interview_id: uuid.UUID, payload: ScheduleIn) -> Interview:
    user = acting_user(request)
    interview = _interview(request, interview_id)
    require(user, actions.planner_roles(interview.inspection), what="修改谈话安排")
    perform(
        user,
        actions.update_interview,
        interview,
        name=payload.name,
        post=payload.post,
        starts_at=aware(payload.starts_at),
        ends_at=aware(payload.ends_at),
        place=payload.place,
        inspectors=_inspectors(user, interview.inspection, payload.inspectors),
        topics=payload.topics,
    )
    return _interview(request, interview_id)


@router.post("/interviews/{uuid:interview_id}/cancel", response=InterviewOut)
def interview_cancel(request: HttpRequest, interview_id: uuid.UUID, payload: InterviewReasonIn) -> Interview:
    user = acting_user(request)
    interview = _interview(request, interview_id)
    perform(user, actions.cancel_interview, interview, reason=payload.reason)
    return _interview(request, interview_id)


@router.post("/interviews/{uuid:interview_id}/confirm", response=ScheduleOut)
def interview_confirm(request: HttpRequest, interview_id: uuid.UUID) -> Interview:
    user = acting_user(request)
    return perform(user, actions.confirm_interview, _interview(request, interview_id))


@router.post("/interviews/{uuid:interview_id}/conflict", response=ScheduleOut)
def interview_conflict(request: HttpRequest, interview_id: uuid.UUID, payload: InterviewNoteIn) -> Interview:
    user = acting_user(request)
    return perform(user, actions.report_conflict, _interview(request, interview_id), note=payload.note)


@router.get("/interviews/{uuid:interview_id}/record", response=RecordOut)
def interview_record(request: HttpRequest, interview_id: uuid.UUID) -> InterviewRecord:
    """The record and the problems raised; the team and the office only, each read an audit event."""
    user = acting_user(request)
    interview = _interview(request, interview_id)
    role = require(user, actions.record_reader_roles(interview.inspection), what="查看谈话记录")
    entry = InterviewRecord.objects.visible_to(user).filter(interview=interview).first()
    if entry is None:
        raise Refused("该谈话尚无记录。", field="interview")
    record_read("interview.record_read", interview, by=user, role=role, details={"name": interview.name})
    return entry


@router.post("/interviews/{uuid:interview_id}/record", response=InterviewOut)
def interview_write_record(request: HttpRequest, interview_id: uuid.UUID, payload: RecordIn) -> Interview:
    user = acting_user(request)
    perform(user, actions.record_interview, _interview(request, interview_id), text=payload.text)
    return _interview(request, interview_id)


@router.post("/interviews/{uuid:interview_id}/problems", response={201: InterviewProblemOut})
def interview_problem(request: HttpRequest, interview_id: uuid.UUID, payload: ProblemIn) -> Status[Any]:
    user = acting_user(request)
    interview = _interview(request, interview_id)
    return Status(201, perform(user, actions.add_problem, interview, kind=payload.kind, text=payload.text))
