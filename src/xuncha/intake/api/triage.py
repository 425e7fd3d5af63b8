"""API of triage: a petition's suggestions, and the decision (the same action as the page).

Out of scope is the same 404 as a missing id; who sees the petition but may not decide gets 403; a bad
body or a refused decision is a 422 naming the field, in Chinese.
"""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from xuncha.core.permissions import acting_user, require
from xuncha.core.scoping import perform, referenced
from xuncha.orgs.models import Person
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..actions import triage as actions
from ..choices import Status as PetitionStatus
from ..choices import SuggestionField, SuggestionSource
from ..listing import listed
from ..models import Petition, Suggestion
from ..triage import ranking

router = Router(tags=["信访受理"])


class SuggestionOut(Schema):
    id: int
    field: SuggestionField
    field_label: str = Field(..., alias="get_field_display")
    value: str
    label: str
    source: SuggestionSource
    source_label: str = Field(..., alias="get_source_display")
    reason: str
    score: float = Field(
        ..., description="置信度（0—1）：模型的校准概率、规则在语料上的准确率或花名册匹配的确定程度"
    )
    rule_id: int | None
    rank: int = Field(..., description="该值在本建议项中的名次（1 为表单预填的值；同一值的多条依据名次相同）")
    prefilled: bool = Field(..., description="表单是否预填此建议")


class TriageIn(Schema):
    decision: str
    scope: str
    scope_reason: str
    discipline: int | None = None
    focus: int | None = None
    persons: list[int] = []
    important: bool = False
    note: str = Field("", max_length=5_000)


class TriageOut(Schema):
    id: uuid.UUID
    number: str
    status: PetitionStatus
    status_label: str = Field(..., alias="get_status_display")
    decision: str
    scope: str
    scope_reason: str
    discipline_id: int | None
    focus_id: int | None
    persons: list[int]
    important: bool
    decision_note: str
    decided_by: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_persons(obj: Petition) -> list[int]:
        return sorted(person.pk for person in obj.persons.all())

    @staticmethod
    def resolve_decided_by(obj: Petition) -> str:
        return obj.decided_by.username if obj.decided_by else ""


def _petition(request: HttpRequest, petition_id: uuid.UUID) -> Petition:
    return get_object_or_404(listed(acting_user(request)).select_related("decided_by"), pk=petition_id)


@router.get("/petitions/{petition_id}/suggestions", response=list[SuggestionOut])
@paginate
def suggestions(request: HttpRequest, petition_id: uuid.UUID) -> Any:
    """Each field's suggestions in the order the form ranks them (受理范围, 被反映人, 六项纪律, 三个聚焦,
    重要问题): the field's first value is what the decision form prefills; every suggestion has its
    confidence (``score``) and reason."""
    petition = _petition(request, petition_id)
    found = list(Suggestion.objects.visible_to(acting_user(request)).filter(petition=petition))
    listed = []
    for field in ranking.FIELD_ORDER:
        for rank, group in enumerate(ranking.values(found, field), start=1):
            for s in group:
                s.rank = rank  # type: ignore[attr-defined]
                s.prefilled = rank == 1 or field == SuggestionField.PERSON  # type: ignore[attr-defined]
                listed.append(s)
    return listed


def _category(user: Any, pk: int | None, kind: str, field: str, label: str) -> Category | None:
    among = Category.objects.filter(scheme__kind=kind).select_related("scheme")
    return referenced(Category, user, pk, field=field, label=label, among=among)


@router.post("/petitions/{petition_id}/triage", response=TriageOut)
def triage(request: HttpRequest, petition_id: uuid.UUID, payload: TriageIn) -> Petition:
    """Confirm or override the suggestions: 受理 (accept), 转交 (transfer) or 存查 (file)."""
    user = acting_user(request)
    petition = _petition(request, petition_id)
    # The role before the body's references: who may not decide gets 403 whatever the body names.
    require(user, actions.triage_roles(petition), what="分拣信访件")
    roster = actions.roster_persons(petition)
    persons: list[Person] = [
        person
        for pk in dict.fromkeys(payload.persons)
        if (person := referenced(Person, user, pk, field="persons", label="被反映人", among=roster))
        is not None
    ]
    return perform(
        user,
        actions.triage_petition,
        petition,
        decision=payload.decision,
        scope=payload.scope,
        scope_reason=payload.scope_reason,
        discipline=_category(user, payload.discipline, SchemeKind.DISCIPLINE, "discipline", "六项纪律"),
        focus=_category(user, payload.focus, SchemeKind.FOCUS, "focus", "三个聚焦"),
        persons=persons,
        important=payload.important,
        note=payload.note,
    )


class HandToOfficeIn(Schema):
    note: str = Field(..., max_length=5_000)


@router.post("/petitions/{petition_id}/hand-to-office", response={204: None})
def hand_to_office(request: HttpRequest, petition_id: uuid.UUID, payload: HandToOfficeIn) -> Status:
    """A petition about the team or its inspectors goes to the office, which alone sees it from then on (so
    the caller's scope is not re-checked: a team member no longer sees it)."""
    petition = _petition(request, petition_id)
    actions.hand_to_office(petition, note=payload.note, by=acting_user(request))
    return Status(204, None)
