"""API of surveys: the list and one survey with its tallies, creating from a template, the verbs ``open``,
``close``, ``tokens`` (the codes are in this one answer only) and ``paper``; and the public, token-based
``POST /public/surveys/form`` (the questions a token answers) and ``POST /public/surveys/respond`` (no
login; the token only in the body; throttled like the public pages).

Surveys are found through ``visible_to``: the unit's liaison and anyone outside the inspection's committee
office, leading group and team get the same 404 as for a missing id. Free-text answers are never in the
API, only how many there are.
"""

import datetime
from typing import Annotated, Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core import throttle
from xuncha.core.api import ErrorOut
from xuncha.core.errors import Refused
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import ensure_visible, perform, referenced
from xuncha.rounds.models import Inspection

from ..actions import surveys as actions
from ..choices import Distribution, SurveyKind, SurveyStatus
from ..models import Survey, Token
from ..views.public import THROTTLED

router = Router(tags=["了解工作"])


class SurveyOut(Schema):
    id: int
    inspection_id: int
    kind: SurveyKind
    kind_label: str = Field(..., alias="get_kind_display")
    title: str
    instructions: str
    status: SurveyStatus
    status_label: str = Field(..., alias="get_status_display")
    distribution: str
    public_code: str
    created_at: datetime.datetime
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class OptionOut(Schema):
    option: str
    count: int
    percent: float


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    options: list[str]
    required: bool
    person_id: int | None


class QuestionTallyOut(QuestionOut):
    answered: int
    counts: list[OptionOut]
    favourable_percent: float | None = Field(None, description="好+较好（满意+基本满意）占比")
    text_answers: int = Field(0, description="文字意见条数（内容不经 API 提供）")


class SurveyDetailOut(SurveyOut):
    responses: int
    paper_responses: int
    tokens_issued: int
    tokens_used: int
    questions: list[QuestionTallyOut]


class SurveyFilter(FilterSchema):
    inspection: Annotated[int | None, FilterLookup("inspection_id")] = None
    status: SurveyStatus | None = None
    kind: SurveyKind | None = None


class SurveyIn(Schema):
    inspection: int
    kind: SurveyKind
    title: str = ""
    distribution: Distribution = Distribution.CARDS


class TokensIn(Schema):
    count: int


class TokensOut(Schema):
    count: int
    codes: list[str] = Field(..., description="测评码只在本次应答中出现，系统只保存其哈希")


class AnswersIn(Schema):
    answers: dict[str, str | list[str]] = Field(..., description="题目 id → 选项（多选为列表）或文字意见")


class PublicTokenIn(Schema):
    token: str = ""


class PublicRespondIn(AnswersIn):
    token: str = ""


class PublicFormOut(Schema):
    title: str
    instructions: str
    questions: list[QuestionOut]


class SurveyMessageOut(Schema):
    message: str


def _surveys(request: HttpRequest) -> Any:
    return Survey.objects.visible_to(acting_user(request)).select_related("inspection__round")


def _detail(survey: Survey) -> dict[str, Any]:
    result = actions.tally(survey)
    tokens = Token.objects.filter(survey=survey).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    data = SurveyOut.from_orm(survey).model_dump(by_alias=True)
    return data | {
        "responses": result.responses,
        "paper_responses": result.paper,
        "tokens_issued": tokens["issued"],
        "tokens_used": tokens["used"],
        "questions": [
            {
                **QuestionOut.from_orm(t.question).model_dump(),
                "answered": t.answered,
                "counts": [o.__dict__ for o in t.options],
                "favourable_percent": t.favourable,
                "text_answers": t.texts,
            }
            for t in result.questions
        ],
    }


@router.get("/surveys/", response=list[SurveyOut])
@paginate
def surveys(request: HttpRequest, filters: Query[SurveyFilter]) -> Any:
    return filters.filter(_surveys(request))


@router.post("/surveys/", response={201: SurveyDetailOut})
def create(request: HttpRequest, payload: SurveyIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    inspection = referenced(Inspection, user, payload.inspection, field="inspection", label="巡察")
    assert inspection is not None  # noqa: S101 - an id is required by the schema
    survey = perform(
        user,
        actions.create_survey,
        inspection,
        kind=payload.kind,
        title=payload.title,
        distribution=payload.distribution,
    )
    return Status(201, _detail(survey))


@router.get("/surveys/{survey_id}", response=SurveyDetailOut)
def survey_detail(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _detail(get_object_or_404(_surveys(request), pk=survey_id))


@router.post("/surveys/{survey_id}/open", response=SurveyOut)
def open_survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = get_object_or_404(_surveys(request), pk=survey_id)
    return perform(acting_user(request), actions.open_survey, survey)


@router.post("/surveys/{survey_id}/close", response=SurveyOut)
def close_survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = get_object_or_404(_surveys(request), pk=survey_id)
    return perform(acting_user(request), actions.close_survey, survey)


@router.post("/surveys/{survey_id}/tokens", response={201: TokensOut})
def tokens(request: HttpRequest, survey_id: int, payload: TokensIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    survey = get_object_or_404(_surveys(request), pk=survey_id)
    # The action answers the codes, not a model: the survey was found in scope and stays there.
    codes = actions.issue_tokens(survey, count=payload.count, by=user)
    ensure_visible(survey, user)
    return Status(201, {"count": len(codes), "codes": codes})


@router.post("/surveys/{survey_id}/paper", response={201: SurveyDetailOut})
def paper(request: HttpRequest, survey_id: int, payload: AnswersIn) -> Status[dict[str, Any]]:
    survey = get_object_or_404(_surveys(request), pk=survey_id)
    perform(acting_user(request), actions.enter_paper_response, survey, answers=payload.answers)
    return Status(201, _detail(survey))


# Public ---------------------------------------------------------------------------------------------------


def _throttle(request: HttpRequest) -> None:
    if not throttle.allow(request, throttle.SURVEY):
        raise throttle.Throttled(THROTTLED)


@router.post("/public/surveys/form", auth=None, response={200: PublicFormOut, 429: ErrorOut})
def public_form(request: HttpRequest, payload: PublicTokenIn) -> dict[str, Any]:
    _throttle(request)
    found = actions.find_token(payload.token)
    if found is None:
        raise Refused(actions.CODE_REFUSED, field="token")
    survey = found.survey
    if not survey.is_open:
        raise Refused(actions.CLOSED, field="token")
    return {
        "title": survey.title,
        "instructions": survey.instructions,
        "questions": list(survey.questions.order_by("position")),
    }


@router.post("/public/surveys/respond", auth=None, response={201: SurveyMessageOut, 429: ErrorOut})
def public_respond(request: HttpRequest, payload: PublicRespondIn) -> Status[dict[str, str]]:
    _throttle(request)
    actions.respond(token=payload.token, answers=payload.answers)
    return Status(201, {"message": "提交成功，感谢您的参与。"})
