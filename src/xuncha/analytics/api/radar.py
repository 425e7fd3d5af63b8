"""API of the key-person radar (重点人) and the unit portrait (政治生态画像).

``GET /key-persons/?committee=ID`` lists the persons who reach the committee's threshold, each with the
contributions that make up the score; ``GET /key-persons/{id}`` is one person (whoever the scope reflects,
listed or not); ``GET|PUT /radar-settings/{committee_id}`` the threshold and weights (the office);
``GET /units/{id}/portrait`` the portrait's numbers and ``GET /units/{id}/portrait/report`` its 研判报告
(.docx, the office). The same functions as the pages; the same audit events; the same 404 for anyone who
may not read them. No reporter identity is ever part of an answer.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from xuncha.core.api import ErrorOut
from xuncha.core.audit import record_read
from xuncha.core.permissions import acting_user
from xuncha.orgs.choices import PostCategory
from xuncha.rounds.choices import Stage

from .. import portrait, radar
from ..models.radar import MAX_SCORE, MAX_WEIGHT, RadarSettings
from ..views.portrait import download_response

router = Router(tags=["统计分析"])


class KeyPersonContributionOut(Schema):
    kind: str = Field(..., description="petitions、channels、interviews、findings、clues、rounds")
    count: int
    points: int
    text: str


class KeyPersonOut(Schema):
    person_id: int
    name: str
    post: str
    unit_id: int
    unit: str
    score: int
    listed: bool
    explanation: str
    contributions: list[KeyPersonContributionOut]
    rounds: list[str]
    years: list[int]


class KeyPersonListOut(Schema):
    committee_id: int
    min_score: int
    items: list[KeyPersonOut]
    count: int


class RadarSettingsOut(Schema):
    committee_id: int
    min_score: int
    matter_weight: int
    channel_weight: int
    round_weight: int
    interview_weight: int
    finding_weight: int
    clue_weight: int


class RadarSettingsIn(Schema):
    min_score: int = Field(..., ge=1, le=MAX_SCORE)
    matter_weight: int = Field(..., ge=0, le=MAX_WEIGHT)
    channel_weight: int = Field(..., ge=0, le=MAX_WEIGHT)
    round_weight: int = Field(..., ge=0, le=MAX_WEIGHT)
    interview_weight: int = Field(..., ge=0, le=MAX_WEIGHT)
    finding_weight: int = Field(..., ge=0, le=MAX_WEIGHT)
    clue_weight: int = Field(..., ge=0, le=MAX_WEIGHT)


class PortraitCountOut(Schema):
    name: str
    count: int


class PortraitInspectionOut(Schema):
    inspection_id: int
    round: str
    year: int
    stage: Stage
    evaluation_favourable_rate: float | None = Field(..., description="领导班子总体评价好和较好率（%）")
    evaluation_votes: int
    petitions: int
    petition_matters: int
    findings: int
    clues: int
    rectification_items: int
    rectification_closed: int


class PortraitPetitionsOut(Schema):
    pieces: int
    matters: int = Field(..., description="重复件归并后的件数")
    by_channel: list[PortraitCountOut]


class PortraitFindingsOut(Schema):
    count: int
    by_focus: list[PortraitCountOut]
    by_discipline: list[PortraitCountOut]
    by_nature: list[PortraitCountOut]
    by_four_winds: list[PortraitCountOut]


class PortraitCluesOut(Schema):
    count: int
    transferred: int
    by_kind: list[PortraitCountOut]
    by_outcome: list[PortraitCountOut]


class PortraitRectificationOut(Schema):
    items: int
    closed: int
    closed_on_time: int
    overdue: int
    closure_rate: float | None
    on_time_rate: float | None


class PortraitLookbackOut(Schema):
    checks: int
    by_verdict: list[PortraitCountOut]
    false_rate: float | None = Field(..., description="虚假整改率（%）")
    relapsed_rate: float | None = Field(..., description="反弹回潮率（%）")


class PortraitEvaluationOut(Schema):
    round: str
    favourable_rate: float | None


class PortraitLeaderOut(Schema):
    person_id: int
    name: str
    post: str
    category: PostCategory
    petitions: int
    findings: int
    clues: int
    rectification_items: int
    rectification_closed: int
    evaluations: list[PortraitEvaluationOut]


class UnitPortraitOut(Schema):
    unit_id: int
    unit: str
    committee_id: int
    inspections: list[PortraitInspectionOut]
    petitions: PortraitPetitionsOut
    findings: PortraitFindingsOut
    clues: PortraitCluesOut
    rectification: PortraitRectificationOut
    lookback: PortraitLookbackOut
    leaders: list[PortraitLeaderOut]


def _out(k: radar.KeyPerson) -> dict[str, Any]:
    return {
        "person_id": k.person.pk,
        "name": k.person.name,
        "post": k.person.post,
        "unit_id": k.person.unit_id,
        "unit": k.person.unit.name,
        "score": k.score,
        "listed": k.listed,
        "explanation": k.explanation,
        "contributions": [vars(c) for c in k.contributions],
        "rounds": k.rounds,
        "years": k.years,
    }


def _scope(request: HttpRequest, committee: int | None) -> radar.RadarScope:
    user = acting_user(request)
    return radar.scope_for(user, committee or radar.default_committee_id(user))


@router.get("/key-persons/", response={200: KeyPersonListOut, 404: ErrorOut}, operation_id="key_persons_list")
def key_persons(request: HttpRequest, committee: int | None = None) -> dict[str, Any]:
    """重点人：达到本级阈值的人员，按分值排序，每项分值的依据（巡察办；组长仅本组巡察）。"""
    scope = _scope(request, committee)
    listed = radar.listed(scope)
    record_read(
        "key_person.radar_read",
        scope.committee,
        by=scope.user,
        role=scope.role,
        details={"listed": len(listed)},
    )
    return {
        "committee_id": scope.committee.pk,
        "min_score": radar.settings_for(scope.committee).min_score,
        "items": [_out(k) for k in listed],
        "count": len(listed),
    }


@router.get("/key-persons/{person_id}", response=KeyPersonOut, operation_id="key_person_detail")
def key_person(request: HttpRequest, person_id: int, committee: int | None = None) -> dict[str, Any]:
    """一名人员的研判分值和每项依据。"""
    scope = _scope(request, committee)
    entry = radar.key_person(scope, person_id)
    record_read(
        "key_person.read",
        entry.person,
        by=scope.user,
        role=scope.role,
        details={"score": entry.score, "committee": scope.committee.pk},
    )
    return _out(entry)


def _settings_out(settings: RadarSettings) -> dict[str, Any]:
    return {
        "committee_id": settings.committee_id,
        **{name: getattr(settings, name) for name in RadarSettingsIn.model_fields},
    }


@router.get("/radar-settings/{committee_id}", response=RadarSettingsOut, operation_id="radar_settings_read")
def radar_settings(request: HttpRequest, committee_id: int) -> dict[str, Any]:
    """本级重点人研判设置（巡察办）。"""
    committee = radar.settings_committee(acting_user(request), committee_id)
    return _settings_out(radar.settings_for(committee))


@router.put("/radar-settings/{committee_id}", response=RadarSettingsOut, operation_id="radar_settings_update")
def update_radar_settings(
    request: HttpRequest, committee_id: int, payload: RadarSettingsIn
) -> dict[str, Any]:
    """修改阈值和各项分值（巡察办）。"""
    user = acting_user(request)
    committee = radar.settings_committee(user, committee_id)
    return _settings_out(radar.update_radar_settings(committee, by=user, **payload.dict()))


@router.get("/units/{unit_id}/portrait", response=UnitPortraitOut, operation_id="unit_portrait")
def unit_portrait(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """单位政治生态画像的数字（巡察办、领导小组）：与页面相同。"""
    user = acting_user(request)
    unit, role = portrait.portrait_unit(user, unit_id)
    data = portrait.as_json(portrait.build(unit, user))
    record_read("unit_portrait.read", unit, by=user, role=role)
    return data


@router.get("/units/{unit_id}/portrait/report", operation_id="unit_portrait_report")
def unit_portrait_report(request: HttpRequest, unit_id: int) -> HttpResponse:
    """政治生态研判报告（.docx；?format=pdf 为 PDF）：巡察办下载，留痕并加水印。"""
    user = acting_user(request)
    unit, role = portrait.portrait_unit(user, unit_id)
    return download_response(request, unit, role)
