"""The work plan (巡察工作方案) of a round and its approval.

The committee's office drafts the plan (schedule, focus, division of work, each member's task; the units,
teams and 授权 list come from the round's data), submits it to the leading group (each submission is a
kept version, its text frozen for the diff), and the leading group approves it or returns it with an
opinion. The office or the leading group then records the secretary's 审定 (who, and on which day).
The round's teams are stationed only once the plan is approved (the transition check below).
"""

import datetime
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.officialdoc import official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category, Scheme

from .choices import TeamRole
from .models import Inspection, Round, Team, TeamMember, WorkPlan, WorkPlanVersion
from .plan_choices import EDITABLE_STATES, PlanStatus, VersionDecision

AUDIT_ACTIONS = {
    "work_plan.created": "起草巡察工作方案",
    "work_plan.updated": "修改巡察工作方案",
    "work_plan.submitted": "报送巡察工作方案",
    "work_plan.approved": "批准巡察工作方案",
    "work_plan.returned": "退回巡察工作方案",
    "work_plan.ratified": "登记书记审定巡察工作方案",
    "work_plan.document_read": "下载巡察工作方案",
    "work_plan.authorisation_read": "下载授权决定",
}
AUDIT_DETAILS = {"opinion": "审批意见", "version": "版本", "ratified_by_name": "审定人"}
FIELDS = ["stationing_on", "withdrawal_on", "focus", "topic", "division", "requirements", "tasks"]

DEFAULT_DIVISION = (
    "巡察办负责统筹协调、督促指导和后勤保障；各巡察组在组长领导下，按照本方案分工开展巡察，"
    "组长对本组巡察工作负总责，副组长协助组长工作。"
)
DEFAULT_REQUIREMENTS = (
    "严格遵守巡察工作纪律和保密规定，严格执行中央八项规定及其实施细则精神；"
    "实行连续工作制，巡察期间一般不得请假，确需请假的报巡察办批准。"
)


def editor_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id}


def approver_roles(round_: Round) -> dict[str, int]:
    return {Role.LEADING_GROUP: round_.committee_id}


def ratifier_roles(round_: Round) -> dict[str, int]:
    return {Role.OFFICE: round_.committee_id, Role.LEADING_GROUP: round_.committee_id}


def focus_choices() -> list[str]:
    """The items of the default 三个聚焦 scheme: its three focuses and their sub-items, in order."""
    scheme = Scheme.objects.default(SchemeKind.FOCUS)
    if scheme is None:
        return []
    found: list[str] = []
    tops = Category.objects.filter(scheme=scheme, parent=None).prefetch_related("children")
    for top in tops:
        found.append(top.name)
        found.extend(child.name for child in top.children.all())
    return found


# The plan's text ---------------------------------------------------------------------------------


@dataclass
class Assignment:
    """One line of the 授权 list: a member, the position, and the task."""

    member: TeamMember
    task: str


def teams_of(round_: Round) -> list[Team]:
    """The round's teams with their members (inspector) and inspections (unit), in three queries."""
    members: Prefetch[Any] = Prefetch(
        "members", queryset=TeamMember.objects.select_related("inspector").order_by("id")
    )
    inspections: Prefetch[Any] = Prefetch(
        "inspections", queryset=Inspection.objects.select_related("unit").order_by("id")
    )
    return list(Team.objects.filter(round=round_).prefetch_related(members, inspections).order_by("id"))


POSITION_ORDER = [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.LIAISON]


def assignments(plan: WorkPlan, team: Team) -> list[Assignment]:
    members = sorted(team.members.all(), key=lambda m: (POSITION_ORDER.index(TeamRole(m.role)), m.pk))
    return [Assignment(m, str(plan.tasks.get(str(m.pk), ""))) for m in members]


def _dates(plan: WorkPlan) -> str:
    return f"{official_date(plan.stationing_on)}进驻，{official_date(plan.withdrawal_on)}前撤离"


def sections(plan: WorkPlan, teams: list[Team] | None = None) -> list[tuple[str, list[str]]]:
    """The plan as headed sections of lines: the text of a version and of the official document."""
    round_ = plan.round
    teams = teams_of(round_) if teams is None else teams
    objects = [
        f"{team.name}：巡察{'、'.join(i.unit.name for i in team.inspections.all()) or '（待定）'}"
        for team in teams
    ]
    focus = [f"{n}.{item}" for n, item in enumerate(plan.focus, start=1)]
    if plan.topic:
        focus.append(f"专项主题：{plan.topic}")
    authorisation: list[str] = []
    for team in teams:
        authorisation.append(f"{team.name}")
        for a in assignments(plan, team):
            line = f"{a.member.get_role_display()}：{a.member.inspector.name}"
            authorisation.append(f"{line}，负责{a.task}" if a.task else line)
    return [
        ("巡察对象和巡察组", objects or ["（尚未安排）"]),
        ("时间安排", [_dates(plan)]),
        ("巡察重点", focus or ["按照“三个聚焦”开展常规巡察"]),
        ("工作分工", [line for line in plan.division.splitlines() if line.strip()] or ["（待定）"]),
        ("授权和任务分工", authorisation or ["（尚未组建巡察组）"]),
        ("工作要求", [line for line in plan.requirements.splitlines() if line.strip()] or ["（无）"]),
    ]


def plan_text(plan: WorkPlan) -> str:
    lines = [f"{plan.round.name}工作方案"]
    for n, (heading, body) in enumerate(sections(plan), start=1):
        lines.append(f"{n}. {heading}")
        lines.extend(f"  {line}" for line in body)
    return "\n".join(lines)


@dataclass
class DiffLine:
    kind: str  # "+", "-", " " or "@"
    text: str


def diff(old: WorkPlanVersion, new: WorkPlanVersion) -> list[DiffLine]:
    """What changed from ``old`` to ``new``, line by line (unified diff, with context)."""
    found: list[DiffLine] = []
    for line in difflib.unified_diff(
        old.text.splitlines(),
        new.text.splitlines(),
        f"第{old.number}稿",
        f"第{new.number}稿",
        lineterm="",
        n=2,
    ):
        if line.startswith(("---", "+++")):
            continue
        found.append(
            DiffLine("@" if line.startswith("@@") else line[0], line[1:] if line[0] in "+- " else line)
        )
    return found


# Actions -----------------------------------------------------------------------------------------


def _clean_tasks(round_: Round, tasks: Mapping[Any, str]) -> dict[str, str]:
    member_ids = {
        str(pk) for pk in TeamMember.objects.filter(team__round=round_).values_list("pk", flat=True)
    }
    cleaned: dict[str, str] = {}
    for key, value in tasks.items():
        if str(key) not in member_ids:
            raise Refused("任务分工所列人员不是本轮巡察组成员。", field="tasks")
        text = clean_text(value, label="任务分工", field="tasks", limit=500, required=False)
        if text:
            cleaned[str(key)] = text
    return cleaned


def _clean_focus(focus: Iterable[str]) -> list[str]:
    allowed = set(focus_choices())
    found: list[str] = []
    for item in focus:
        if item not in allowed:
            raise Refused(f"“{item}”不是“三个聚焦”的巡察重点。", field="focus")
        if item not in found:
            found.append(item)
    return found


@action
def save_plan(
    round_: Round,
    *,
    stationing_on: datetime.date | None,
    withdrawal_on: datetime.date | None,
    focus: Iterable[str] = (),
    topic: str = "",
    division: str = "",
    requirements: str = "",
    tasks: Mapping[Any, str] | None = None,
    by: User | None,
) -> WorkPlan:
    """Draft, or revise while it is a draft or returned, the work plan of ``round_``."""
    role = require(by, editor_roles(round_), what="起草巡察工作方案")
    plan = WorkPlan.objects.select_for_update().filter(round=round_).first()
    created = plan is None
    if plan is None:
        plan = WorkPlan(round=round_, drafted_by=by)
    elif plan.status not in EDITABLE_STATES:
        raise Refused(f"巡察工作方案{plan.get_status_display()}，不能再修改。")
    if stationing_on is None:
        raise Refused("请填写进驻日期。", field="stationing_on")
    if withdrawal_on is None:
        raise Refused("请填写撤离日期。", field="withdrawal_on")
    if withdrawal_on <= stationing_on:
        raise Refused("撤离日期须晚于进驻日期。", field="withdrawal_on")
    before = {} if created else snapshot(plan, FIELDS)
    plan.stationing_on, plan.withdrawal_on = stationing_on, withdrawal_on
    plan.focus = _clean_focus(focus)
    plan.topic = clean_text(topic, label="专项主题", field="topic", limit=200, required=False)
    plan.division = clean_text(
        division, label="工作分工", field="division", limit=5000, required=False, multiline=True
    )
    plan.requirements = clean_text(
        requirements, label="工作要求", field="requirements", limit=5000, required=False, multiline=True
    )
    plan.tasks = _clean_tasks(round_, tasks or {})
    plan.updated_at = timezone.now()
    plan.save()
    record(
        "work_plan.created" if created else "work_plan.updated",
        plan,
        by=by,
        role=role,
        details={"changes": changes(before, snapshot(plan, FIELDS))},
    )
    return plan


def _lock(plan: WorkPlan) -> None:
    plan.refresh_from_db(from_queryset=WorkPlan.objects.select_for_update())


def latest_version(plan: WorkPlan) -> WorkPlanVersion | None:
    return plan.versions.order_by("-number").first()


@action
def submit_plan(plan: WorkPlan, *, by: User | None) -> WorkPlan:
    """Send the plan to the leading group: its text becomes a new version."""
    _lock(plan)
    role = require(by, editor_roles(plan.round), what="报送巡察工作方案")
    if plan.status not in EDITABLE_STATES:
        raise Refused(f"巡察工作方案{plan.get_status_display()}，不能报送。")
    if not plan.round.inspections.exists():
        raise Refused("本轮尚未安排巡察对象和巡察组，方案不能报送。")
    latest = latest_version(plan)
    number = 1 if latest is None else latest.number + 1
    text = plan_text(plan)
    if latest is not None and latest.text == text:
        raise Refused("方案与上一稿相比没有修改，请按退回意见修改后再报送。")
    WorkPlanVersion(plan=plan, number=number, text=text, submitted_by=by).save()
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    record("work_plan.submitted", plan, by=by, role=role, details={"version": number})
    return plan


def _decide(plan: WorkPlan, *, decision: str, opinion: str, by: User | None) -> tuple[str, WorkPlanVersion]:
    """Record the leading group's decision on the latest version; a return needs its opinion."""
    _lock(plan)
    role = require(by, approver_roles(plan.round), what="审批巡察工作方案")
    if plan.status != PlanStatus.SUBMITTED:
        raise Refused(f"巡察工作方案{plan.get_status_display()}，不在待审批状态。")
    returned = decision == VersionDecision.RETURNED
    opinion = clean_text(
        opinion,
        label="退回意见" if returned else "审批意见",
        field="opinion",
        limit=2000,
        required=returned,
        multiline=True,
    )
    version = latest_version(plan)
    if version is None:  # a submitted plan always has one
        raise Refused("方案没有报送的版本。")
    if by is not None and version.submitted_by_id == by.pk:
        raise Refused("报送人不能审批自己报送的方案。")
    version.decision, version.decided_by, version.decided_at = decision, by, timezone.now()
    version.opinion = opinion
    version.save()
    return role, version


@action
def approve_plan(plan: WorkPlan, *, opinion: str = "", by: User | None) -> WorkPlan:
    role, version = _decide(plan, decision=VersionDecision.APPROVED, opinion=opinion, by=by)
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, by, timezone.now()
    plan.save()
    record(
        "work_plan.approved",
        plan,
        by=by,
        role=role,
        details={"version": version.number, "opinion": version.opinion},
    )
    return plan


@action
def return_plan(plan: WorkPlan, *, opinion: str, by: User | None) -> WorkPlan:
    role, version = _decide(plan, decision=VersionDecision.RETURNED, opinion=opinion, by=by)
    plan.status = PlanStatus.RETURNED
    plan.save()
    record(
        "work_plan.returned",
        plan,
        by=by,
        role=role,
        details={"version": version.number, "opinion": version.opinion},
    )
    return plan


@action
def ratify_plan(
    plan: WorkPlan, *, ratified_by_name: str, ratified_on: datetime.date | None, by: User | None
) -> WorkPlan:
    """Record the secretary's 审定 of the approved plan: who (name and post) and on which day."""
    _lock(plan)
    role = require(by, ratifier_roles(plan.round), what="登记书记审定")
    if plan.status != PlanStatus.APPROVED:
        raise Refused(f"巡察工作方案{plan.get_status_display()}，须经领导小组批准后方可登记审定。")
    name = clean_text(ratified_by_name, label="审定人", field="ratified_by_name", limit=100)
    if ratified_on is None:
        raise Refused("请填写审定日期。", field="ratified_on")
    if ratified_on > timezone.localdate():
        raise Refused("审定日期不能晚于今天。", field="ratified_on")
    if plan.approved_at is not None and ratified_on < timezone.localdate(plan.approved_at):
        raise Refused("审定日期不能早于领导小组批准日期。", field="ratified_on")
    plan.status = PlanStatus.RATIFIED
    plan.ratified_by_name, plan.ratified_on, plan.ratification_recorded_by = name, ratified_on, by
    plan.save()
    record(
        "work_plan.ratified",
        plan,
        by=by,
        role=role,
        details={"ratified_by_name": name, "ratified_on": ratified_on},
    )
    return plan


# The stationing check ----------------------------------------------------------------------------


def plan_lines(inspection: Inspection) -> list[str]:
    """Registered for 进驻: the round's plan must be approved by the leading group."""
    plan = WorkPlan.objects.filter(round_id=inspection.round_id).only("status").first()
    if plan is None:
        return ["本轮巡察工作方案尚未制定，须经领导小组批准后巡察组方可进驻"]
    if not plan.is_approved:
        return [f"本轮巡察工作方案{plan.get_status_display()}，须经领导小组批准后巡察组方可进驻"]
    return []
