"""Every change of findings: the office's regulations (定性依据) and the team's findings (问题底稿).

Regulations: created, updated, deactivated (and activated again) by the committee's office; the default set
(defaults.py) is loaded on request, skipping what the committee already has.

Findings: drafted and edited by the inspection's team (leader or member) while a draft; discussed at a team
meeting (组务会: date and opinion, recorded by a team leader); signed off by a team leader who neither drafted
it nor changed what it says in any version (lessons.md §8); or returned to draft with a reason. A signed-off
finding is read-only; so is every finding of an archived inspection. Each change keeps a ``FindingVersion``
(who, when, what the finding then said); the audit event names the fields that changed, never their content
(the auditor reads no case content).
"""

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Model, Q
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.fieldwork.models import InterviewProblem
from xuncha.orgs.models import Committee, Person, Unit
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from . import defaults
from .choices import Commonality, FindingStatus, RootCause
from .evidence import kind_for, kinds, registered
from .models import EvidenceLink, Finding, FindingVersion, Regulation

TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 10_000
NOTE_LIMIT = 2_000
EXCERPT_LIMIT = 2_000

AUDIT_ACTIONS = {
    "regulation.created": "新建定性依据",
    "regulation.updated": "修改定性依据",
    "regulation.deactivated": "停用定性依据",
    "regulation.activated": "启用定性依据",
    "regulation.defaults_installed": "载入默认定性依据",
    "finding.drafted": "起草问题底稿",
    "finding.updated": "修改问题底稿",
    "finding.discussed": "组务会研究问题底稿",
    "finding.signed_off": "组长审签问题底稿",
    "finding.returned": "退回问题底稿",
    "finding.exported": "导出问题底稿台账",
}
AUDIT_DETAILS = {
    "fields": "修改的项目",
    "version": "版本",
    "meeting_on": "组务会日期",
    "created": "新建条数",
    "skipped": "已有条数",
    "rows": "行数",
    "filters": "筛选条件",
}

# What a version keeps, in the order the pages show it, with the Chinese name of each item.
VERSION_LABELS = {
    "title": "问题标题",
    "description": "问题表现",
    "regulations": "定性依据",
    "basis_note": "定性依据说明",
    "unit_responsible": "被巡察党组织负有责任",
    "persons": "责任人",
    "focus": "三个聚焦",
    "discipline": "六项纪律",
    "nature": "问题性质",
    "four_winds": "四风",
    "commonality": "个性/共性",
    "root_cause": "问题根源",
    "evidence": "证据",
    "status": "状态",
    "meeting_on": "组务会日期",
    "meeting_opinion": "组务会意见",
    "return_reason": "退回理由",
}
# What a finding says, as against where it stands (status, meeting, return reason).
SUBSTANCE = [
    key for key in VERSION_LABELS if key not in {"status", "meeting_on", "meeting_opinion", "return_reason"}
]
VERSION_EVENTS = {
    "drafted": "起草",
    "updated": "修改",
    "discussed": "组务会研究",
    "signed_off": "审签",
    "returned": "退回",
}
CATEGORY_KINDS = {
    "focus": SchemeKind.FOCUS,
    "discipline": SchemeKind.DISCIPLINE,
    "nature": SchemeKind.NATURE,
    "four_winds": SchemeKind.FOUR_WINDS,
}
_REGULATION_FIELDS = ["name", "article", "excerpt", "is_active"]


# Regulations -----------------------------------------------------------------------------------------


def _office(committee_id: int, by: User | None) -> str:
    return require(by, {Role.OFFICE: committee_id}, what="维护定性依据")


def _clean_regulation(regulation: Regulation) -> None:
    regulation.name = clean_text(regulation.name, label="名称", field="name", limit=100)
    regulation.article = clean_text(
        regulation.article, label="条款", field="article", limit=40, required=False
    )
    regulation.excerpt = clean_text(
        regulation.excerpt,
        label="条文摘要",
        field="excerpt",
        limit=EXCERPT_LIMIT,
        required=False,
        multiline=True,
    )
    same = Regulation.objects.filter(
        committee_id=regulation.committee_id, name=regulation.name, article=regulation.article
    ).exclude(pk=regulation.pk)
    if same.exists():
        raise Refused(f"已有定性依据“{regulation}”。", field="article" if regulation.article else "name")


@action
def create_regulation(
    *, committee: Committee, name: str, article: str = "", excerpt: str = "", by: User | None
) -> Regulation:
    role = _office(committee.pk, by)
    regulation = Regulation(committee=committee, name=name, article=article, excerpt=excerpt)
    _clean_regulation(regulation)
    regulation.save()
    record(
        "regulation.created",
        regulation,
        by=by,
        role=role,
        details={"changes": changes({}, snapshot(regulation, _REGULATION_FIELDS))},
    )
    return regulation


@action
def update_regulation(
    regulation: Regulation, *, name: str, article: str = "", excerpt: str = "", by: User | None
) -> Regulation:
    role = _office(regulation.committee_id, by)
    before = snapshot(regulation, _REGULATION_FIELDS)
    regulation.name, regulation.article, regulation.excerpt = name, article, excerpt
    _clean_regulation(regulation)
    regulation.save()
    record(
        "regulation.updated",
        regulation,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(regulation, _REGULATION_FIELDS))},
    )
    return regulation


def _set_active(regulation: Regulation, active: bool, by: User | None) -> Regulation:
    role = _office(regulation.committee_id, by)
    if regulation.is_active == active:
        raise Refused(f"定性依据“{regulation}”已{'启用' if active else '停用'}。", field="is_active")
    regulation.is_active = active
    regulation.save(update_fields=["is_active"])
    record(f"regulation.{'activated' if active else 'deactivated'}", regulation, by=by, role=role)
    return regulation


@action
def deactivate_regulation(regulation: Regulation, *, by: User | None) -> Regulation:
    """No longer offered for new citations; findings that cite it keep it."""
    return _set_active(regulation, False, by)


@action
def activate_regulation(regulation: Regulation, *, by: User | None) -> Regulation:
    return _set_active(regulation, True, by)


@action
def install_default_regulations(committee: Committee, *, by: User | None) -> list[Regulation]:
    role = _office(committee.pk, by)
    existing = set(Regulation.objects.filter(committee=committee).values_list("name", "article"))
    created: list[Regulation] = []
    for data in defaults.REGULATIONS:
        if (data.name, data.article) in existing:
            continue
        regulation = Regulation(
            committee=committee, name=data.name, article=data.article, excerpt=data.excerpt
        )
        regulation.save()
        created.append(regulation)
    record(
        "regulation.defaults_installed",
        committee,
        by=by,
        role=role,
        details={"created": len(created), "skipped": len(defaults.REGULATIONS) - len(created)},
    )
    return created


# Findings --------------------------------------------------------------------------------------------


@dataclass
class FindingInput:
    """A finding's content: everything a drafter may write (never its status)."""

    title: str
    description: str
    focus: Category | None
    regulations: Sequence[Regulation] = ()
    basis_note: str = ""
    unit_responsible: bool = False
    persons: Sequence[Person] = ()
    discipline: Category | None = None
    nature: Category | None = None
    four_winds: Category | None = None
    commonality: str = Commonality.INDIVIDUAL
    root_cause: str = ""
    evidence: Sequence[Model] = ()


def team_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def _leader(finding: Finding, by: User | None, what: str) -> str:
    return require(by, {Role.TEAM_LEADER: finding.inspection.team_id}, what=what)


def roster(inspection: Inspection) -> Any:
    """Who a finding may hold responsible: the roster of the inspected unit and of the units below it."""
    unit = Unit(pk=inspection.unit_id)
    return Person.objects.filter(unit_id__in={unit.pk} | unit.descendant_ids()).select_related("unit")


def categories(kind: str) -> Any:
    """The categories of the default scheme of ``kind`` (a finding is classified with these)."""
    return Category.objects.filter(scheme__kind=kind, scheme__is_default=True).select_related("scheme")


def citable(inspection: Inspection, finding: Finding | None = None) -> Any:
    """The regulations a finding may cite: the committee's active ones, and those it already cites."""
    committee_id = inspection.round.committee_id
    already = finding.regulations.values("pk") if finding is not None else Regulation.objects.none()
    return Regulation.objects.filter(Q(is_active=True) | Q(pk__in=already), committee_id=committee_id)


def current_input(finding: Finding, user: User) -> FindingInput:
    """The finding's content as an input, with the evidence ``user`` may see (for forms and PATCH)."""
    evidence: list[Model] = []
    for kind in kinds():
        ids = [link.object_id for link in finding.evidence.all() if link.kind == kind.code]
        if ids:
            evidence += list(kind.objects(user, finding.inspection).filter(pk__in=ids))
    return FindingInput(
        title=finding.title,
        description=finding.description,
        focus=finding.focus,
        regulations=list(finding.regulations.all()),
        basis_note=finding.basis_note,
        unit_responsible=finding.unit_responsible,
        persons=list(finding.persons.all()),
        discipline=finding.discipline,
        nature=finding.nature,
        four_winds=finding.four_winds,
        commonality=finding.commonality,
        root_cause=finding.root_cause,
        evidence=evidence,
    )


def _writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("巡察已归档，问题底稿只读。")


def _clean(
    data: FindingInput, inspection: Inspection, finding: Finding | None, by: User | None
) -> FindingInput:
    title = clean_text(data.title, label="问题标题", field="title", limit=TITLE_LIMIT)
    description = clean_text(
        data.description, label="问题表现", field="description", limit=DESCRIPTION_LIMIT, multiline=True
    )
    basis_note = clean_text(
        data.basis_note,
        label="定性依据说明",
        field="basis_note",
        limit=NOTE_LIMIT,
        required=False,
        multiline=True,
    )
    allowed = set(citable(inspection, finding).values_list("pk", flat=True))
    if any(r.pk not in allowed for r in data.regulations):
        raise Refused("定性依据应从本委启用的定性依据中选择。", field="regulations")
    people = set(roster(inspection).values_list("pk", flat=True))
    if any(p.pk not in people for p in data.persons):
        raise Refused("责任人应为被巡察单位花名册中的人员。", field="persons")
    if data.focus is None:
        raise Refused("请选择三个聚焦中的一项。", field="focus")
    for name, kind in CATEGORY_KINDS.items():
        category = getattr(data, name)
        if category is not None and not categories(kind).filter(pk=category.pk).exists():
            raise Refused(f"请从{VERSION_LABELS[name]}中选择。", field=name)
    if data.commonality not in Commonality.values:
        raise Refused("请选择个性问题或共性问题。", field="commonality")
    if data.root_cause and data.root_cause not in RootCause.values:
        raise Refused("请选择问题根源（制度或责任）。", field="root_cause")
    for obj in data.evidence:
        evidence_kind = kind_for(obj)
        if not evidence_kind.objects(by, inspection).filter(pk=obj.pk).exists():
            raise Refused(f"证据应为本巡察中您可以查看的{evidence_kind.label}。", field="evidence")
    return dataclasses.replace(
        data,
        title=title,
        description=description,
        basis_note=basis_note,
        unit_responsible=bool(data.unit_responsible),
        regulations=list(data.regulations),
        persons=list(data.persons),
        evidence=list(data.evidence),
    )


def _link_evidence(finding: Finding, evidence: Sequence[Model], by: User | None) -> None:
    """The links become ``evidence``; links to objects the editor may not see are kept as they are."""
    wanted = {(kind_for(obj).code, str(obj.pk)) for obj in evidence}
    for link in finding.evidence.all():
        if (link.kind, link.object_id) in wanted:
            wanted.discard((link.kind, link.object_id))
            continue
        kind = registered(link.kind)
        if kind is None or kind.objects(by, finding.inspection).filter(pk=link.object_id).exists():
            link.delete()
    for code, object_id in sorted(wanted):
        EvidenceLink(finding=finding, kind=code, object_id=object_id, added_by=by).save()


def _apply(finding: Finding, data: FindingInput) -> None:
    finding.title, finding.description, finding.basis_note = data.title, data.description, data.basis_note
    finding.unit_responsible = data.unit_responsible
    finding.focus, finding.discipline = data.focus, data.discipline
    finding.nature, finding.four_winds = data.nature, data.four_winds
    finding.commonality, finding.root_cause = data.commonality, data.root_cause


def _label(value: object) -> str:
    return "" if value is None else str(value)


def version_data(finding: Finding) -> dict[str, Any]:
    """What the finding says now, as readable text (names, not ids), for its versions and their diffs."""
    evidence = []
    for link in finding.evidence.all():
        kind = registered(link.kind)
        obj = None if kind is None else kind.model._default_manager.filter(pk=link.object_id).first()
        evidence.append(kind.reference(obj) if kind is not None and obj is not None else "已删除的证据")
    return {
        "title": finding.title,
        "description": finding.description,
        "regulations": [str(r) for r in finding.regulations.all()],
        "basis_note": finding.basis_note,
        "unit_responsible": "是" if finding.unit_responsible else "否",
        "persons": sorted(f"{p.name}（{p.post}）" for p in finding.persons.all()),
        "focus": _label(finding.focus),
        "discipline": _label(finding.discipline),
        "nature": _label(finding.nature),
        "four_winds": _label(finding.four_winds),
        "commonality": finding.get_commonality_display(),
        "root_cause": finding.get_root_cause_display() if finding.root_cause else "",
        "evidence": sorted(evidence),
        "status": finding.get_status_display(),
        "meeting_on": finding.meeting_on.isoformat() if finding.meeting_on else "",
        "meeting_opinion": finding.meeting_opinion,
        "return_reason": finding.return_reason,
    }


def _text(value: Any) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The items that changed between two versions: (Chinese name, before, after), lists one item a line."""
    return [
        (label, _text(before.get(key)), _text(after.get(key)))
        for key, label in VERSION_LABELS.items()
        if _text(before.get(key)) != _text(after.get(key))
    ]


def sign_off_excluded(finding: Finding, versions: Iterable[FindingVersion]) -> set[int]:
    """Who may not sign the finding off (separation of duties): its drafter, and whoever made a version
    whose substance differs from the one before — a leader who rewrote a member's draft included."""
    excluded = set() if finding.drafted_by_id is None else {finding.drafted_by_id}
    before: dict[str, Any] = {}
    for version in sorted(versions, key=lambda v: v.number):
        if version.by_id is not None and any(
            _text(version.data.get(key)) != _text(before.get(key)) for key in SUBSTANCE
        ):
            excluded.add(version.by_id)
        before = version.data
    return excluded


def _version(finding: Finding, event: str, by: User | None, role: str, action_name: str) -> FindingVersion:
    """Keep the finding as it now stands, and record the change (which items changed, not their content)."""
    last = finding.versions.order_by("-number").first()
    data = version_data(finding)
    number = (last.number if last else 0) + 1
    version = FindingVersion(finding=finding, number=number, event=event, data=data, by=by)
    version.save()
    changed = [label for label, _, _ in diff(last.data if last else {}, data)]
    record(action_name, finding, by=by, role=role, details={"version": number, "fields": changed})
    return version


def _missing(finding: Finding) -> list[str]:
    """What a finding must say before the team meeting discusses it."""
    missing = []
    if not finding.basis_note and not finding.regulations.exists():
        missing.append("定性依据")
    if not finding.unit_responsible and not finding.persons.exists():
        missing.append("责任主体")
    if finding.nature_id is None:
        missing.append("问题性质")
    if not finding.root_cause:
        missing.append("问题根源")
    return missing


def check_problem(problem: InterviewProblem | None, inspection: Inspection, by: User | None) -> None:
    """A problem raised in an interview may be the source of a finding or clue of the same inspection, for a
    drafter who may read it."""
    if problem is None:
        return
    readable = InterviewProblem.objects.all() if by is None else InterviewProblem.objects.visible_to(by)
    if not readable.filter(pk=problem.pk, interview__inspection=inspection).exists():
        raise Refused("来源应为本巡察中您可以查看的谈话反映的问题。", field="problem")


@action
def draft_finding(
    inspection: Inspection, *, data: FindingInput, by: User | None, problem: InterviewProblem | None = None
) -> Finding:
    """A new draft; ``problem``, a problem raised in an interview, is kept as its source."""
    role = require(by, team_roles(inspection), what="起草问题底稿")
    _writable(inspection)
    clean = _clean(data, inspection, None, by)
    check_problem(problem, inspection, by)
    # Numbered under a lock of the inspection, so that two drafters never take the same number.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    last = Finding.objects.filter(inspection=inspection).aggregate(n=Max("sequence"))["n"] or 0
    finding = Finding(
        inspection=inspection,
        sequence=last + 1,
        number=f"底稿{last + 1:03d}",
        drafted_by=by,
        interview_problem=problem,
    )
    _apply(finding, clean)
    finding.save()
    finding.regulations.set(clean.regulations)
    finding.persons.set(clean.persons)
    _link_evidence(finding, clean.evidence, by)
    _version(finding, "drafted", by, role, "finding.drafted")
    return finding


@action
def update_finding(finding: Finding, *, data: FindingInput, by: User | None) -> Finding:
    role = require(by, team_roles(finding.inspection), what="修改问题底稿")
    _writable(finding.inspection)
    if finding.status == FindingStatus.SIGNED_OFF:
        raise Refused("问题底稿已经组长审签，不能再修改。", field="status")
    if finding.status == FindingStatus.DISCUSSED:
        raise Refused("问题底稿已经组务会研究；如需修改，请组长退回后再改。", field="status")
    clean = _clean(data, finding.inspection, finding, by)
    _apply(finding, clean)
    finding.updated_at = timezone.now()
    finding.save()
    finding.regulations.set(clean.regulations)
    finding.persons.set(clean.persons)
    _link_evidence(finding, clean.evidence, by)
    _version(finding, "updated", by, role, "finding.updated")
    return finding


@action
def discuss_finding(
    finding: Finding, *, meeting_on: datetime.date | None, opinion: str, by: User | None
) -> Finding:
    """The 组务会 has discussed the finding: its date and opinion, recorded by a team leader."""
    role = _leader(finding, by, "记录组务会研究意见")
    _writable(finding.inspection)
    if finding.status != FindingStatus.DRAFT:
        raise Refused(f"问题底稿{finding.get_status_display()}，不能再提交组务会研究。", field="status")
    if meeting_on is None:
        raise Refused("请填写组务会日期。", field="meeting_on")
    if meeting_on > timezone.localdate():
        raise Refused("组务会日期不能晚于今天。", field="meeting_on")
    if meeting_on < timezone.localtime(finding.created_at).date():
        raise Refused("组务会日期不能早于问题底稿起草日期。", field="meeting_on")
    opinion = clean_text(opinion, label="组务会意见", field="opinion", limit=NOTE_LIMIT, multiline=True)
    missing = _missing(finding)
    if missing:
        raise Refused(f"问题底稿尚缺{'、'.join(missing)}，请补充后再提交组务会研究。")
    finding.status = FindingStatus.DISCUSSED
    finding.meeting_on, finding.meeting_opinion, finding.discussed_by = meeting_on, opinion, by
    finding.return_reason = ""
    finding.save()
    _version(finding, "discussed", by, role, "finding.discussed")
    return finding


@action
def sign_off_finding(finding: Finding, *, by: User | None) -> Finding:
    """A team leader signs the discussed finding off; never the leader who drafted it or changed what it
    says."""
    role = _leader(finding, by, "审签问题底稿")
    _writable(finding.inspection)
    if finding.status != FindingStatus.DISCUSSED:
        raise Refused("问题底稿须经组务会研究后才能审签。", field="status")
    if by is not None and finding.drafted_by_id == by.pk:
        raise Refused("起草人不能审签本人起草的问题底稿，请由其他组长（副组长）审签。", field="status")
    if by is not None and by.pk in sign_off_excluded(finding, finding.versions.all()):
        raise Refused(
            "您修改过本问题底稿的内容，不能再审签；请由未参与起草和修改的其他组长（副组长）审签。",
            field="status",
        )
    finding.status = FindingStatus.SIGNED_OFF
    finding.signed_off_by, finding.signed_off_at = by, timezone.now()
    finding.save()
    _version(finding, "signed_off", by, role, "finding.signed_off")
    return finding


@action
def return_finding(finding: Finding, *, reason: str, by: User | None) -> Finding:
    """Back to draft, with the reason; the meeting's record is cleared, so it is discussed again."""
    role = _leader(finding, by, "退回问题底稿")
    _writable(finding.inspection)
    if finding.status != FindingStatus.DISCUSSED:
        raise Refused("只有经组务会研究、尚未审签的问题底稿可以退回。", field="status")
    finding.return_reason = clean_text(
        reason, label="退回理由", field="reason", limit=NOTE_LIMIT, multiline=True
    )
    finding.status = FindingStatus.DRAFT
    finding.meeting_on, finding.meeting_opinion, finding.discussed_by = None, "", None
    finding.save()
    _version(finding, "returned", by, role, "finding.returned")
    return finding
