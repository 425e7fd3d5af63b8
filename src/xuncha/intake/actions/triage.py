"""Triage decisions and triage rules.

A member of the team, or the office, confirms or overrides the suggestions (受理 / 转交 / 存查): who and when
are kept on the petition, and the audit event says which suggestions were taken and which overridden (by
field, source and value; never anything of the reporter). 受理 → 已受理; 存查 → 存查 (disposed of); 转交 →
stays 待分拣 until the transfer is made (actions/transfers.py). A decision that changes the labels the
learned model learns from queues its retraining.

Rules are the office's data: created, updated, deactivated (and activated again), each checked as in
triage/rules.py; the default rules of triage/defaults.py are loaded on request.
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, holds, require
from xuncha.core.text import clean_text
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Committee, Person, Unit
from xuncha.rounds.choices import Stage
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from ..choices import IN_SCOPE_REASONS, Decision, Scope, ScopeReason, Status, SuggestionField
from ..models import Petition, Suggestion, TriageRule
from ..tasks import queue_training
from ..triage import defaults as default_rules
from ..triage.base import IMPORTANT, OUT_OF_SCOPE_REASONS, RULE_SCOPE_VALUES, scope_value
from ..triage.rules import clean_patterns
from .petitions import member_roles

NOTE_LIMIT = 2_000
# Chinese names of this area's audit codes and detail keys (registered in apps.py).
AUDIT_ACTIONS = {
    "petition.triaged": "分拣信访件",
    "petition.handed_to_office": "移交巡察办（反映巡察组或巡察干部）",
    "triage_rule.created": "新建分拣规则",
    "triage_rule.updated": "修改分拣规则",
    "triage_rule.deactivated": "停用分拣规则",
    "triage_rule.activated": "启用分拣规则",
    "triage_rule.defaults_installed": "载入默认分拣规则",
    "triage.model_trained": "训练分拣学习模型",
}
AUDIT_DETAILS = {
    "decision": "分拣意见",
    "accepted": "采纳的建议",
    "overridden": "未采纳的建议",
    "samples": "样本数",
    "classes": "类别数",
    "created": "新建规则数",
    "skipped": "已有同名规则",
}
_DECIDED = ["decision", "scope", "scope_reason", "discipline", "focus", "important", "status", "decided_by"]
_LEARNED = ("scope", "scope_reason", "discipline", "focus")
# Which post categories each in-scope reason needs among the persons chosen.
_REASON_PERSONS = {
    ScopeReason.LEADERSHIP: (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP),
    ScopeReason.NEXT_LEVEL_PRINCIPAL: (PostCategory.NEXT_LEVEL_PRINCIPAL,),
    ScopeReason.KEY_POST: (PostCategory.KEY_POST,),
}


def triage_roles(petition: Petition) -> dict[str, int]:
    """Who decides: the team and the office; for a petition about the inspectors, the office alone."""
    inspection = petition.inspection
    if petition.about_inspectors:
        return {Role.OFFICE: inspection.round.committee_id}
    return member_roles(inspection)


def may_triage(user: User, petition: Petition) -> bool:
    return holds(user, triage_roles(petition))


def roster_persons(petition: Petition) -> Any:
    """The persons a petition may be about: the roster of the inspected unit and of the units below it."""
    unit = Unit(pk=petition.inspection.unit_id)
    return Person.objects.filter(unit_id__in={unit.pk} | unit.descendant_ids()).select_related("unit")


def _check_scope(decision: str, scope: str, scope_reason: str) -> None:
    if decision not in Decision.values:
        raise Refused("请选择分拣意见（受理、转交或存查）。", field="decision")
    if scope not in Scope.values:
        raise Refused("请选择是否属于受理范围。", field="scope")
    if scope_reason not in ScopeReason.values:
        raise Refused("请选择受理范围的依据。", field="scope_reason")
    if scope == Scope.IN and scope_reason not in IN_SCOPE_REASONS:
        raise Refused(
            "属于受理范围时，依据应为反映领导班子、下一级主要负责人、重要岗位干部或六项纪律问题。",
            field="scope_reason",
        )
    if scope == Scope.OUT and scope_reason not in OUT_OF_SCOPE_REASONS:
        raise Refused(
            "不属于受理范围时，依据应为个人诉求、涉法涉诉、其他事项或反映巡察干部。", field="scope_reason"
        )
    if decision == Decision.ACCEPT and scope != Scope.IN and scope_reason != ScopeReason.ABOUT_INSPECTORS:
        raise Refused("不属于受理范围的信访件不能受理，请选择转交或存查。", field="decision")
    if decision == Decision.TRANSFER and scope != Scope.OUT:
        raise Refused("属于受理范围的信访件应予受理，不能转交。", field="decision")


def _check_category(category: Category | None, kind: str, field: str, label: str) -> None:
    if category is not None and category.scheme.kind != kind:
        raise Refused(f"请从{label}分类中选择。", field=field)


def _check_persons(petition: Petition, persons: Sequence[Person], scope_reason: str) -> None:
    allowed = set(roster_persons(petition).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in persons):
        raise Refused("被反映人须是被巡察单位（含下属单位）花名册中的人员。", field="persons")
    needed = _REASON_PERSONS.get(ScopeReason(scope_reason))
    if needed and not any(p.category in needed for p in persons):
        label = ScopeReason(scope_reason).label
        raise Refused(f"依据为“{label}”时，请在被反映人中选择相应的人员。", field="persons")


def _review(
    petition: Petition, persons: Sequence[Person]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The suggestions the decision took and those it overrode (field, source, value: no identity)."""
    chosen = {
        SuggestionField.SCOPE: {scope_value(petition.scope, petition.scope_reason)},
        SuggestionField.DISCIPLINE: {str(petition.discipline_id)} if petition.discipline_id else set(),
        SuggestionField.FOCUS: {str(petition.focus_id)} if petition.focus_id else set(),
        SuggestionField.PERSON: {str(p.pk) for p in persons},
        SuggestionField.IMPORTANT: {IMPORTANT} if petition.important else set(),
    }
    accepted: list[dict[str, str]] = []
    overridden: list[dict[str, str]] = []
    for s in Suggestion.objects.filter(petition=petition).only("field", "source", "value"):
        entry = {"field": s.field, "source": s.source, "value": s.value}
        (accepted if s.value in chosen.get(SuggestionField(s.field), set()) else overridden).append(entry)
    return accepted, overridden


@action
def triage_petition(
    petition: Petition,
    *,
    decision: str,
    scope: str,
    scope_reason: str,
    discipline: Category | None = None,
    focus: Category | None = None,
    persons: Sequence[Person] = (),
    important: bool = False,
    note: str = "",
    by: User | None,
) -> Petition:
    """Confirm or override the suggestions: 受理, 转交 or 存查, with the scope and its reason, the discipline,
    the 三个聚焦 item, the roster persons and whether it is important (约谈)."""
    if by is None:
        raise NotAllowed("分拣须由巡察组成员或巡察办人员确认。")
    role = require(by, triage_roles(petition), what="分拣信访件")
    inspection = petition.inspection
    if inspection.stage == Stage.ARCHIVED:
        raise Refused("该巡察已归档，信访件不能再分拣。", field="decision")
    if petition.status not in (Status.NEW, Status.ACCEPTED, Status.FILED):
        raise Refused(f"该信访件{petition.get_status_display()}，不能重新分拣。", field="decision")
    _check_scope(decision, scope, scope_reason)
    if scope_reason == ScopeReason.ABOUT_INSPECTORS and not petition.about_inspectors:
        raise Refused("反映巡察组或巡察干部的信访件由巡察办处理，请移交巡察办。", field="scope_reason")
    _check_category(discipline, SchemeKind.DISCIPLINE, "discipline", "六项纪律")
    _check_category(focus, SchemeKind.FOCUS, "focus", "三个聚焦")
    if scope_reason == ScopeReason.DISCIPLINE and discipline is None:
        raise Refused("依据为反映违反六项纪律问题时，请选择所涉纪律。", field="discipline")
    _check_persons(petition, persons, scope_reason)
    if important and petition.anonymous:
        raise Refused("匿名反映无法约谈反映人，不能标记为须及时约谈。", field="important")
    text = clean_text(note, label="分拣说明", field="note", limit=NOTE_LIMIT, required=False, multiline=True)
    if decision == Decision.FILE and not text:
        raise Refused("存查时请填写分拣说明（为何不予受理也不转交）。", field="note")

    before = snapshot(petition, _DECIDED)
    learned_before = [
        getattr(petition, f"{name}_id" if name in ("discipline", "focus") else name) for name in _LEARNED
    ]
    first = petition.decided_by_id is None
    petition.decision, petition.scope, petition.scope_reason = decision, scope, scope_reason
    petition.discipline, petition.focus, petition.important = discipline, focus, bool(important)
    petition.decision_note = text
    petition.decided_by, petition.decided_at = by, timezone.now()
    petition.status = {Decision.ACCEPT: Status.ACCEPTED, Decision.FILE: Status.FILED}.get(
        Decision(decision), Status.NEW
    )
    petition.save(update_fields=[*_DECIDED, "decision_note", "decided_at"])
    petition.persons.set(persons)
    accepted, overridden = _review(petition, persons)
    record(
        "petition.triaged",
        petition,
        by=by,
        role=role,
        details={
            "decision": decision,
            "persons": sorted(p.pk for p in persons),
            "accepted": accepted,
            "overridden": overridden,
            "changes": changes(before, snapshot(petition, _DECIDED)),
        },
    )
    learned_after = [petition.scope, petition.scope_reason, petition.discipline_id, petition.focus_id]
    if first or learned_after != learned_before:
        committee_id = inspection.round.committee_id
        transaction.on_commit(lambda: queue_training(committee_id))
    return petition


@action
def hand_to_office(petition: Petition, *, note: str, by: User | None) -> Petition:
    """A petition found by a person to be about the team or its inspectors goes to the office (监督者更要接受
    监督): from now on the office alone sees and decides it, and any decision the team made is undone. The
    team loses sight of it in the same transaction, so callers do not re-check its scope."""
    role = require(by, triage_roles(petition), what="移交巡察办")
    if petition.about_inspectors:
        raise Refused("该信访件已由巡察办处理。", field="scope_reason")
    if petition.status not in (Status.NEW, Status.ACCEPTED, Status.FILED):
        raise Refused(f"该信访件{petition.get_status_display()}，不能移交巡察办。", field="scope_reason")
    text = clean_text(note, label="移交说明", field="note", limit=NOTE_LIMIT, required=True, multiline=True)
    before = snapshot(petition, _DECIDED)
    petition.about_inspectors = True
    petition.decision, petition.scope, petition.scope_reason = "", "", ""
    petition.status, petition.decided_by, petition.decided_at = Status.NEW, None, None
    petition.decision_note = text
    petition.save(update_fields=[*_DECIDED, "about_inspectors", "decision_note", "decided_at"])
    record(
        "petition.handed_to_office",
        petition,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(petition, _DECIDED))},
    )
    return petition


# Rules ------------------------------------------------------------------------------------------------

_RULE_FIELDS = ["name", "field", "value", "match", "patterns", "threshold", "on_misconduct", "is_active"]
RULE_FIELDS = (
    SuggestionField.SCOPE,
    SuggestionField.DISCIPLINE,
    SuggestionField.FOCUS,
    SuggestionField.IMPORTANT,
)
_CATEGORY_KINDS = {SuggestionField.DISCIPLINE: SchemeKind.DISCIPLINE, SuggestionField.FOCUS: SchemeKind.FOCUS}


def rule_categories(field: str) -> Any:
    """The categories a rule for ``field`` may suggest: those of the default scheme of its kind."""
    return Category.objects.filter(
        scheme__kind=_CATEGORY_KINDS[SuggestionField(field)], scheme__is_default=True
    )


def _clean_value(field: str, value: str) -> str:
    if field not in RULE_FIELDS:
        raise Refused("请选择建议项（受理范围、六项纪律、三个聚焦或重要问题）。", field="field")
    if field == SuggestionField.IMPORTANT:
        return IMPORTANT
    value = str(value or "").strip()
    if field == SuggestionField.SCOPE:
        if value not in RULE_SCOPE_VALUES:
            raise Refused("请选择受理范围及其依据。", field="value")
        return value
    if not value.isdecimal() or not rule_categories(field).filter(pk=int(value)).exists():
        label = "六项纪律" if field == SuggestionField.DISCIPLINE else "三个聚焦"
        raise Refused(f"请选择{label}中的一项。", field="value")
    return value


def _clean_rule(rule: TriageRule) -> None:
    rule.name = clean_text(rule.name, label="规则名称", field="name", limit=100)
    if TriageRule.objects.filter(committee_id=rule.committee_id, name=rule.name).exclude(pk=rule.pk).exists():
        raise Refused(f"已有名为“{rule.name}”的规则。", field="name")
    rule.value = _clean_value(rule.field, rule.value)
    try:
        threshold = int(rule.threshold)
    except (TypeError, ValueError):
        raise Refused("模糊匹配阈值须为整数。", field="threshold") from None
    rule.patterns = clean_patterns(rule.match, rule.patterns, threshold)
    rule.threshold = threshold


def _office(committee_id: int, by: User | None) -> str:
    return require(by, {Role.OFFICE: committee_id}, what="维护分拣规则")


@action
def create_rule(
    *,
    committee: Committee,
    name: str,
    field: str,
    value: str,
    match: str,
    patterns: str,
    threshold: int = 85,
    on_misconduct: bool = False,
    by: User | None,
) -> TriageRule:
    role = _office(committee.pk, by)
    rule = TriageRule(
        committee=committee,
        name=name,
        field=field,
        value=value,
        match=match,
        patterns=patterns,
        threshold=threshold,
        on_misconduct=bool(on_misconduct),
    )
    _clean_rule(rule)
    rule.save()
    record(
        "triage_rule.created",
        rule,
        by=by,
        role=role,
        details={"changes": changes({}, snapshot(rule, _RULE_FIELDS))},
    )
    return rule


@action
def update_rule(
    rule: TriageRule,
    *,
    name: str,
    field: str,
    value: str,
    match: str,
    patterns: str,
    threshold: int = 85,
    on_misconduct: bool = False,
    by: User | None,
) -> TriageRule:
    role = _office(rule.committee_id, by)
    before = snapshot(rule, _RULE_FIELDS)
    rule.name, rule.field, rule.value, rule.match = name, field, value, match
    rule.patterns, rule.threshold, rule.on_misconduct = patterns, threshold, bool(on_misconduct)
    _clean_rule(rule)
    rule.save()
    record(
        "triage_rule.updated",
        rule,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(rule, _RULE_FIELDS))},
    )
    return rule


def _set_active(rule: TriageRule, active: bool, by: User | None) -> TriageRule:
    role = _office(rule.committee_id, by)
    if rule.is_active == active:
        raise Refused(f"规则“{rule.name}”已{'启用' if active else '停用'}。", field="is_active")
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    record(f"triage_rule.{'activated' if active else 'deactivated'}", rule, by=by, role=role)
    return rule


@action
def deactivate_rule(rule: TriageRule, *, by: User | None) -> TriageRule:
    return _set_active(rule, False, by)


@action
def activate_rule(rule: TriageRule, *, by: User | None) -> TriageRule:
    return _set_active(rule, True, by)


@action
def install_default_rules(committee: Committee, *, by: User | None) -> list[TriageRule]:
    """Create the default rules (triage/defaults.py) the committee has no rule of the same name for."""
    role = _office(committee.pk, by)
    existing = set(TriageRule.objects.filter(committee=committee).values_list("name", flat=True))
    created, skipped = [], 0
    for data in default_rules.RULES:
        if data.name in existing:
            skipped += 1
            continue
        value = data.value
        kind = default_rules.CATEGORY_KINDS.get(SuggestionField(data.field))
        if kind is not None:
            category = Category.objects.filter(scheme__kind=kind, scheme__is_default=True, code=value).first()
            if category is None:
                raise Refused("默认分类体系不完整，无法载入默认规则，请联系系统管理员。")
            value = str(category.pk)
        rule = TriageRule(
            committee=committee,
            name=data.name,
            field=data.field,
            value=value,
            match=data.match,
            patterns="\n".join(data.patterns),
            threshold=data.threshold,
        )
        _clean_rule(rule)
        rule.save()
        created.append(rule)
    record(
        "triage_rule.defaults_installed",
        committee,
        by=by,
        role=role,
        details={"created": len(created), "skipped": skipped},
    )
    return created
