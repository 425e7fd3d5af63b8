"""API of reports and feedback: team and comprehensive reports (``kind`` in each, and a filter), one report
with its versions and the hearing's decisions, assembling a team report
(``POST /inspections/{id}/report``), content edits (``PATCH``, never the status), the leadership
members' sections (``PUT /reports/{id}/leaders``), ``submit``, a round's
hearing (``POST /rounds/{id}/hearings``); feedback with its problem list and ``deliver``.

Out of scope is the same 404 as a missing id; bad input is 422 with the field and a Chinese message.
"""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from xuncha.core.errors import Refused
from xuncha.core.pagination import BoundedPagination
from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform
from xuncha.findings.api import VersionOut
from xuncha.findings.models import finding_inspections
from xuncha.rounds.models import Round

from . import actions
from .choices import Decision, FeedbackStatus, Recipient, ReportKind, ReportStatus
from .models import READERS, Feedback, Hearing, Report

router = Router(tags=["巡察报告与反馈"])


class DecisionOut(Schema):
    hearing_id: int
    held_on: datetime.date = Field(..., alias="hearing.held_on")
    decision: str
    opinion: str


class ReportOut(Schema):
    id: int
    kind: ReportKind
    round_id: int
    inspection_id: int | None
    title: str
    status: ReportStatus
    status_label: str = Field(..., alias="get_status_display")
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    final_at: datetime.datetime | None


class LeaderOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    post: str = Field(..., alias="person.post")
    positive: str
    negative: str


class ReportDetailOut(ReportOut):
    basics: str
    problems: str
    clues: str
    evaluation: str
    suggestions: str
    return_opinion: str
    finding_ids: list[int]
    decisions: list[DecisionOut]
    versions: list[VersionOut]
    leaders: list[LeaderOut]

    @staticmethod
    def resolve_leaders(obj: Report) -> list[Any]:
        return list(obj.leaders.select_related("person").order_by("position"))

    @staticmethod
    def resolve_finding_ids(obj: Report) -> list[int]:
        return list(obj.findings.order_by("pk").values_list("pk", flat=True))

    @staticmethod
    def resolve_decisions(obj: Report) -> list[Any]:
        return list(obj.decisions.select_related("hearing").order_by("hearing__held_on", "pk"))

    @staticmethod
    def resolve_versions(obj: Report) -> list[Any]:
        return list(obj.versions.select_related("by").order_by("number"))


class ReportFilter(FilterSchema):
    kind: ReportKind | None = None
    status: ReportStatus | None = None
    round: Annotated[int | None, FilterLookup("round_id")] = None
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None


class ReportPatch(Schema):
    """Sections only: a status in the body is ignored, as any unknown key is."""

    title: str | None = Field(None, max_length=actions.TITLE_LIMIT)
    basics: str | None = Field(None, max_length=actions.TEXT_LIMIT)
    problems: str | None = Field(None, max_length=actions.TEXT_LIMIT)
    clues: str | None = Field(None, max_length=actions.TEXT_LIMIT)
    evaluation: str | None = Field(None, max_length=actions.TEXT_LIMIT)
    suggestions: str | None = Field(None, max_length=actions.TEXT_LIMIT)


class LeaderIn(Schema):
    id: int
    positive: str = Field("", max_length=actions.TEXT_LIMIT)
    negative: str = Field("", max_length=actions.TEXT_LIMIT)


class LeadersIn(Schema):
    leaders: list[LeaderIn]


class DecisionIn(Schema):
    report: int
    decision: Decision
    opinion: str = Field("", max_length=actions.NOTE_LIMIT)


class HearingIn(Schema):
    held_on: datetime.date
    attendees: str = Field(..., max_length=actions.NOTE_LIMIT)
    decisions: list[DecisionIn] = Field(..., min_length=1)


class HearingOut(Schema):
    id: int
    round_id: int
    held_on: datetime.date
    attendees: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj: Hearing) -> list[Any]:
        return list(obj.decisions.select_related("hearing").order_by("report_id"))


class ProblemOut(Schema):
    id: int
    sequence: int
    number: str
    title: str
    description: str
    category_id: int | None
    responsible: str
    finding_ids: list[int]

    @staticmethod
    def resolve_finding_ids(obj: Any) -> list[int]:
        return [f.pk for f in obj.findings.all()]


class FeedbackOut(Schema):
    id: int
    inspection_id: int
    recipient: Recipient
    title: str
    status: FeedbackStatus
    status_label: str = Field(..., alias="get_status_display")
    meeting_on: datetime.date | None
    delivered_at: datetime.datetime | None


class FeedbackDetailOut(FeedbackOut):
    summary: str
    requirements: str
    meeting_place: str
    attendees: str
    delivered_by: str = Field(..., alias="delivered_by_name")
    problems: list[ProblemOut]

    @staticmethod
    def resolve_problems(obj: Feedback) -> list[Any]:
        return list(obj.problems.prefetch_related("findings").order_by("sequence"))


class FeedbackFilter(FilterSchema):
    recipient: Recipient | None = None
    status: FeedbackStatus | None = None
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None


class DeliverIn(Schema):
    meeting_on: datetime.date
    place: str = Field(..., max_length=actions.SHORT_LIMIT)
    attendees: str = Field(..., max_length=actions.NOTE_LIMIT)
    delivered_by: str = Field(..., max_length=actions.SHORT_LIMIT)


def _report(request: HttpRequest, report_id: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(acting_user(request)).select_related("round", "inspection"), pk=report_id
    )


@router.get("/reports/", response=list[ReportOut])
@paginate(BoundedPagination)
def reports(request: HttpRequest, filters: Query[ReportFilter]) -> Any:
    return filters.filter(Report.objects.visible_to(acting_user(request)))


@router.get("/reports/{report_id}", response=ReportDetailOut)
def report_detail(request: HttpRequest, report_id: int) -> Report:
    return _report(request, report_id)


@router.post("/inspections/{inspection_id}/report", response=ReportDetailOut)
def assemble(request: HttpRequest, inspection_id: int) -> Report:
    user = acting_user(request)
    inspection = get_object_or_404(finding_inspections(user).select_related("round"), pk=inspection_id)
    return perform(user, actions.assemble_report, inspection)


@router.patch("/reports/{report_id}", response=ReportDetailOut)
def update(request: HttpRequest, report_id: int, payload: ReportPatch) -> Report:
    user = acting_user(request)
    report = _report(request, report_id)
    require(user, actions.writer_roles(report), what="修改报告")
    current = {name: getattr(report, name) for name in actions.SECTIONS}
    data = actions.ReportInput(**{**current, **payload.model_dump(exclude_unset=True, exclude_none=True)})
    return perform(user, actions.update_report, report, data=data)


@router.put("/reports/{report_id}/leaders", response=ReportDetailOut)
def update_leaders(request: HttpRequest, report_id: int, payload: LeadersIn) -> Report:
    """The 正面、负面反映 of the listed members of the leadership team (ids from ``leaders``)."""
    user = acting_user(request)
    report = _report(request, report_id)
    require(user, actions.writer_roles(report), what="修改领导班子成员情况")
    wanted = payload.leaders
    found = report.leaders.select_related("person").in_bulk([row.id for row in wanted])
    if len(found) != len({row.id for row in wanted}):
        raise Refused("班子成员不属于本报告。", field="leaders")
    rows = [actions.LeaderInput(found[row.id], row.positive, row.negative) for row in wanted]
    return perform(user, actions.update_leaders, report, rows=rows)


@router.post("/reports/{report_id}/submit", response=ReportDetailOut)
def submit(request: HttpRequest, report_id: int) -> Report:
    return perform(acting_user(request), actions.submit_report, _report(request, report_id))


@router.post("/rounds/{round_id}/hearings", response=HearingOut)
def hear(request: HttpRequest, round_id: int, payload: HearingIn) -> Hearing:
    user = acting_user(request)
    round_ = get_object_or_404(Round.objects.filter(committee_id__in=user.scopes.ids(*READERS)), pk=round_id)
    require(user, actions.hearing_roles(round_), what="记录领导小组听取汇报")
    found = {
        r.pk: r for r in Report.objects.filter(round=round_, pk__in=[d.report for d in payload.decisions])
    }
    if len(found) != len({d.report for d in payload.decisions}):
        raise Refused("巡察报告不存在或不属于本轮。", field="decisions")
    items = [actions.HearingItem(found[d.report], d.decision, d.opinion) for d in payload.decisions]
    return perform(
        user,
        actions.record_hearing,
        round_,
        held_on=payload.held_on,
        attendees=payload.attendees,
        items=items,
    )


def _feedback(request: HttpRequest, feedback_id: int) -> Feedback:
    return get_object_or_404(
        Feedback.objects.visible_to(acting_user(request)).select_related("inspection__round"), pk=feedback_id
    )


@router.get("/feedbacks/", response=list[FeedbackOut])
@paginate(BoundedPagination)
def feedbacks(request: HttpRequest, filters: Query[FeedbackFilter]) -> Any:
    return filters.filter(Feedback.objects.visible_to(acting_user(request)))


@router.get("/feedbacks/{feedback_id}", response=FeedbackDetailOut)
def feedback_detail(request: HttpRequest, feedback_id: int) -> Feedback:
    return _feedback(request, feedback_id)


@router.post("/feedbacks/{feedback_id}/deliver", response=FeedbackDetailOut)
def deliver(request: HttpRequest, feedback_id: int, payload: DeliverIn) -> Feedback:
    feedback = _feedback(request, feedback_id)
    return perform(acting_user(request), actions.deliver_feedback, feedback, **payload.model_dump())
