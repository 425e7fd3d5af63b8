"""Every change of a clue before it leaves the team: drafting and editing, submission, the two approvals,
return to draft and withdrawal.

- Drafted and edited (while a draft) by the inspection's team; only a team leader may mark a clue 高度保密
  (the mark hides it from the plain members and the leading group, so a member could not see what they set).
- The receiver is the rule's (``rules.propose``) unless the team chooses another, with a reason.
- Submitted (草稿 → 待审批) by the team; approved twice, by a team leader and by the office, in either order,
  by two different people, neither of whom drafted or submitted it (lessons.md §8); after both it awaits
  transfer (``transfers.transfer_clue``). A team leader or the office may return it to draft with a reason
  (the approvals are cleared) or withdraw it (撤销, then it is no longer open).
- Audit events name the fields that changed, never the content (the auditor reads no case content).
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import holds, require
from xuncha.core.text import clean_text
from xuncha.fieldwork.models import InterviewProblem
from xuncha.intake.models import Petition
from xuncha.orgs.models import Department, Person, Unit
from xuncha.rounds.models import Inspection

from ..actions import check_problem, roster, team_roles
from ..choices import ClueKind, ClueStatus
from ..models import Clue, Finding
from . import rules

TITLE_LIMIT = 200
CONTENT_LIMIT = 10_000
REASON_LIMIT = 1_000

AUDIT_ACTIONS = {
    "clue.drafted": "起草问题线索",
    "clue.updated": "修改问题线索",
    "clue.submitted": "提交问题线索审批",
    "clue.approved": "审批问题线索",
    "clue.returned": "退回问题线索",
    "clue.withdrawn": "撤销问题线索",
    "clue.content_read": "查看问题线索内容",
}
AUDIT_DETAILS = {
    "clue_number": "线索编号",
    "receiver": "接收方",
    "by_rule": "按规则确定接收方",
    "approved_as": "审批身份",
    "fully_approved": "审批完成",
    "reason_length": "理由字数",
}
# The items of a clue an edit may change, with their Chinese names (the audit names these, not values).
FIELD_LABELS = {
    "title": "线索标题",
    "content": "线索内容",
    "kind": "线索类别",
    "persons": "涉及人员",
    "finding": "来源问题底稿",
    "petition": "来源信访件",
    "receiver": "接收方",
    "receiver_reason": "调整接收方的理由",
    "confidential": "高度保密",
}


@dataclass
class ClueInput:
    """A clue's content: everything a drafter may write (never its status or approvals)."""

    title: str
    content: str
    kind: str
    persons: Sequence[Person] = ()
    finding: Finding | None = None
    petition: Petition | None = None
    department: Department | None = None
    unit: Unit | None = None
    receiver_reason: str = ""
    confidential: bool = False


def approver_roles(clue: Clue) -> dict[str, int]:
    inspection = clue.inspection
    return {Role.TEAM_LEADER: inspection.team_id, Role.OFFICE: inspection.round.committee_id}


def target_departments(inspection: Inspection) -> Any:
    """The departments a clue may go to: those of the inspection's committee."""
    return Department.objects.filter(committee_id=inspection.round.committee_id)


def target_units(inspection: Inspection) -> Any:
    """The units a clue may go to: the inspected unit and the units under it (their party organisations)."""
    unit = inspection.unit
    return Unit.objects.filter(pk__in={unit.pk} | unit.descendant_ids(), is_active=True)


def proposal(inspection: Inspection, kind: str) -> rules.Proposal:
    return rules.propose(ClueKind(kind), target_departments(inspection), inspection.unit)


def current_input(clue: Clue) -> ClueInput:
    return ClueInput(
        title=clue.title,
        content=clue.content,
        kind=clue.kind,
        persons=list(clue.persons.all()),
        finding=clue.finding,
        petition=clue.petition,
        department=clue.department,
        unit=clue.unit,
        receiver_reason=clue.receiver_reason,
        confidential=clue.confidential,
    )


def ensure_writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("巡察已归档，问题线索只读。")


def _receiver(data: ClueInput, inspection: Inspection) -> tuple[Department | None, Unit | None, bool]:
    """The chosen receiver (or the rule's when none is chosen) and whether it is the rule's."""
    if data.department is not None and data.unit is not None:
        raise Refused("接收部门和接收单位只能选择其一。", field="unit")
    rule = proposal(inspection, data.kind)
    department, unit = data.department, data.unit
    if department is None and unit is None:
        department, unit = rule.department, rule.unit
    if department is None and unit is None:
        raise Refused(rule.rule, field="department")
    if department is not None and not target_departments(inspection).filter(pk=department.pk).exists():
        raise Refused("接收部门应为本级党委的部门。", field="department")
    if unit is not None and not target_units(inspection).filter(pk=unit.pk).exists():
        raise Refused("接收单位应为被巡察单位或其下属单位。", field="unit")
    return department, unit, rule.matches(department, unit)


def _clean(data: ClueInput, inspection: Inspection, by: User | None) -> ClueInput:
    title = clean_text(data.title, label="线索标题", field="title", limit=TITLE_LIMIT)
    content = clean_text(data.content, label="线索内容", field="content", limit=CONTENT_LIMIT, multiline=True)
    if data.kind not in ClueKind.values:
        raise Refused("请选择线索类别。", field="kind")
    if not data.persons:
        raise Refused("请选择线索涉及的人员（被巡察单位花名册中的人员）。", field="persons")
    people = set(roster(inspection).values_list("pk", flat=True))
    if any(p.pk not in people for p in data.persons):
        raise Refused("涉及人员应为被巡察单位花名册中的人员。", field="persons")
    if data.finding is not None and data.finding.inspection_id != inspection.pk:
        raise Refused("来源问题底稿应为本巡察的问题底稿。", field="finding")
    if data.petition is not None and (
        by is None
        or not Petition.objects.visible_to(by).filter(pk=data.petition.pk, inspection=inspection).exists()
    ):
        raise Refused("来源信访件应为本巡察中您可以查看的信访件。", field="petition")
    department, unit, by_rule = _receiver(data, inspection)
    reason = clean_text(
        data.receiver_reason,
        label="调整接收方的理由",
        field="receiver_reason",
        limit=REASON_LIMIT,
        required=not by_rule,
        multiline=True,
    )
    if data.confidential and by is not None and not holds(by, {Role.TEAM_LEADER: inspection.team_id}):
        raise Refused("只有组长可以将问题线索标为高度保密。", field="confidential")
    return dataclasses.replace(
        data,
        title=title,
        content=content,
        persons=list(data.persons),
        department=department,
        unit=unit,
        receiver_reason=reason if not by_rule else "",
        confidential=bool(data.confidential),
    )


def _edited(clue: Clue) -> dict[str, Any]:
    """What an edit may change, comparable before and after (of a saved clue)."""
    return {
        "title": clue.title,
        "content": clue.content,
        "kind": clue.kind,
        "persons": sorted(clue.persons.values_list("pk", flat=True)),
        "finding": clue.finding_id,
        "petition": clue.petition_id,
        "receiver": (clue.department_id, clue.unit_id),
        "receiver_reason": clue.receiver_reason,
        "confidential": clue.confidential,
    }


def _apply(clue: Clue, data: ClueInput) -> None:
    clue.title, clue.content, clue.kind = data.title, data.content, data.kind
    clue.finding, clue.petition = data.finding, data.petition
    clue.department, clue.unit = data.department, data.unit
    clue.receiver_reason, clue.confidential = data.receiver_reason, data.confidential


def _record_edit(action_name: str, clue: Clue, before: dict[str, Any], by: User | None, role: str) -> None:
    after = _edited(clue)
    changed = [label for key, label in FIELD_LABELS.items() if before.get(key) != after[key]]
    record(
        action_name,
        clue,
        by=by,
        role=role,
        details={
            "clue_number": clue.number,
            "fields": changed,
            "receiver": clue.receiver_name,
            "by_rule": not clue.receiver_reason,
        },
    )


@action
def draft_clue(
    inspection: Inspection, *, data: ClueInput, by: User | None, problem: InterviewProblem | None = None
) -> Clue:
    """A new draft; ``problem``, a problem raised in an interview, is kept as its source."""
    role = require(by, team_roles(inspection), what="起草问题线索")
    ensure_writable(inspection)
    clean = _clean(data, inspection, by)
    check_problem(problem, inspection, by)
    # Numbered under a lock of the inspection, so that two drafters never take the same number.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    last = Clue.objects.filter(inspection=inspection).aggregate(n=Max("sequence"))["n"] or 0
    clue = Clue(
        inspection=inspection,
        sequence=last + 1,
        number=f"线索{last + 1:03d}",
        drafted_by=by,
        interview_problem=problem,
    )
    _apply(clue, clean)
    clue.save()
    clue.persons.set(clean.persons)
    _record_edit("clue.drafted", clue, {}, by, role)
    return clue


def locked_clue(clue: Clue) -> Clue:
    """The clue's row locked and reloaded, so that concurrent actions on it queue and see each other."""
    Clue.objects.select_for_update().filter(pk=clue.pk).first()
    clue.refresh_from_db()
    return clue


@action
def update_clue(clue: Clue, *, data: ClueInput, by: User | None) -> Clue:
    role = require(by, team_roles(clue.inspection), what="修改问题线索")
    ensure_writable(clue.inspection)
    locked_clue(clue)
    if clue.status != ClueStatus.DRAFT:
        raise Refused(f"问题线索{clue.get_status_display()}，不能修改；如需修改，请先退回。", field="status")
    clean = _clean(data, clue.inspection, by)
    if clue.confidential and not clean.confidential:
        require(by, {Role.TEAM_LEADER: clue.inspection.team_id}, what="取消高度保密")
    before = _edited(clue)
    _apply(clue, clean)
    clue.updated_at = timezone.now()
    clue.save()
    clue.persons.set(clean.persons)
    _record_edit("clue.updated", clue, before, by, role)
    return clue


@action
def submit_clue(clue: Clue, *, by: User | None) -> Clue:
    """草稿 → 待审批."""
    role = require(by, team_roles(clue.inspection), what="提交问题线索审批")
    ensure_writable(clue.inspection)
    locked_clue(clue)
    if clue.status != ClueStatus.DRAFT:
        raise Refused(f"问题线索{clue.get_status_display()}，不能再提交审批。", field="status")
    clue.status = ClueStatus.SUBMITTED
    clue.submitted_by, clue.submitted_at = by, timezone.now()
    clue.return_reason = ""
    clue.save()
    record("clue.submitted", clue, by=by, role=role, details={"clue_number": clue.number})
    return clue


@action
def approve_clue(clue: Clue, *, by: User) -> Clue:
    """One of the two approvals: a team leader's or the office's, whichever ``by`` may give and is still
    missing (a leader's first when ``by`` holds both roles); after both, the clue awaits transfer."""
    role = require(by, approver_roles(clue), what="审批问题线索")
    inspection = clue.inspection
    ensure_writable(inspection)
    locked_clue(clue)
    if clue.status != ClueStatus.SUBMITTED:
        raise Refused(f"问题线索{clue.get_status_display()}，不在待审批状态。", field="status")
    if by.pk in (clue.drafted_by_id, clue.submitted_by_id):
        raise Refused("起草或提交问题线索的人不能审批该线索，请由其他组长或巡察办审批。", field="status")
    if by.pk in (clue.leader_approved_by_id, clue.office_approved_by_id):
        raise Refused("您已审批过该线索；组长和巡察办的审批须由不同的人作出。", field="status")
    now = timezone.now()
    if clue.leader_approved_by_id is None and holds(by, {Role.TEAM_LEADER: inspection.team_id}):
        clue.leader_approved_by, clue.leader_approved_at, approved_as = by, now, "组长"
    elif clue.office_approved_by_id is None and holds(by, {Role.OFFICE: inspection.round.committee_id}):
        clue.office_approved_by, clue.office_approved_at, approved_as = by, now, "巡察办"
    else:
        raise Refused("您可以作出的审批已经完成，尚待另一方审批。", field="status")
    fully = clue.leader_approved_by_id is not None and clue.office_approved_by_id is not None
    if fully:
        clue.status = ClueStatus.APPROVED
    clue.save()
    record(
        "clue.approved",
        clue,
        by=by,
        role=role,
        details={"clue_number": clue.number, "approved_as": approved_as, "fully_approved": fully},
    )
    return clue


def _reason(reason: str, label: str) -> str:
    return clean_text(reason, label=label, field="reason", limit=REASON_LIMIT, multiline=True)


def _clear_approvals(clue: Clue) -> None:
    clue.submitted_by = clue.leader_approved_by = clue.office_approved_by = None
    clue.submitted_at = clue.leader_approved_at = clue.office_approved_at = None


@action
def return_clue(clue: Clue, *, reason: str, by: User) -> Clue:
    """Back to draft with the reason; the approvals given are cleared, so it is approved afresh."""
    role = require(by, approver_roles(clue), what="退回问题线索")
    ensure_writable(clue.inspection)
    locked_clue(clue)
    if clue.status not in (ClueStatus.SUBMITTED, ClueStatus.APPROVED):
        raise Refused("只有待审批或已审批待移交的问题线索可以退回。", field="status")
    clue.return_reason = _reason(reason, "退回理由")
    clue.status = ClueStatus.DRAFT
    _clear_approvals(clue)
    clue.save()
    record(
        "clue.returned",
        clue,
        by=by,
        role=role,
        details={"clue_number": clue.number, "reason_length": len(clue.return_reason)},
    )
    return clue


@action
def withdraw_clue(clue: Clue, *, reason: str, by: User) -> Clue:
    """撤销: a clue not yet transferred is dropped (e.g. merged into another); it no longer counts as open."""
    role = require(by, approver_roles(clue), what="撤销问题线索")
    ensure_writable(clue.inspection)
    locked_clue(clue)
    if clue.status in (ClueStatus.TRANSFERRED, ClueStatus.WITHDRAWN):
        raise Refused(f"问题线索{clue.get_status_display()}，不能撤销。", field="status")
    clue.withdraw_reason = _reason(reason, "撤销理由")
    clue.status = ClueStatus.WITHDRAWN
    clue.save()
    record(
        "clue.withdrawn",
        clue,
        by=by,
        role=role,
        details={"clue_number": clue.number, "reason_length": len(clue.withdraw_reason)},
    )
    return clue
