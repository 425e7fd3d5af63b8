"""State changes of rounds: terms, rounds, teams and their members (with the 回避 check), inspections and
their stage machine. Each function is one audited action; refusals are Chinese ``Refused`` errors."""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.db import models
from django.utils import timezone

from xuncha.core.actions import end_roles, role_details
from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, User
from xuncha.core.notifications import mark_handled
from xuncha.core.permissions import require
from xuncha.orgs.models import Committee, Inspector, Unit

from . import archive_package, deadlines
from .checks import open_lines
from .choices import STAGE_ORDER, TEAM_ROLE_GRANTS, RoundKind, Stage, TeamRole
from .closing import close_stage
from .conflicts import check_team_unit, conflicts_for_team
from .kinds import inspector_committee_ids, unit_committee_ids
from .models import Inspection, Round, StageChange, Team, TeamMember, Term
from .stages import label, move_refusal, next_stage, transition_scopes

# What an inspection records about its stage; audited before/after on every stage change.
STAGE_FIELDS = [
    "stage",
    "stage_entered_at",
    "stage_due_on",
    "stationed_on",
    "fieldwork_ends_on",
    "feedback_on",
]

# Round.number is a PositiveSmallIntegerField: its range on every database backend.
ROUND_NUMBER_MAX = 32767


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _text(value: str, model: type[models.Model], field: str, *, required: bool = True) -> str:
    """``value`` stripped, refused when required and blank or longer than the column."""
    column = cast("models.Field[Any, Any]", model._meta.get_field(field))
    text = value.strip()
    if required and not text:
        raise Refused(f"请填写{column.verbose_name}。", field=field)
    if column.max_length is not None and len(text) > column.max_length:
        raise Refused(f"{column.verbose_name}不能超过 {column.max_length} 个字。", field=field)
    return text


def _committee_units(committee: Committee, units: Iterable[Unit]) -> list[Unit]:
    units = list(units)
    for unit in units:
        if unit.committee_id != committee.pk:
            raise Refused(f"单位“{unit}”不属于{committee}，不能列入届期。", field="units")
    return units


@action
def create_term(
    *,
    committee: Committee,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    units: Iterable[Unit] = (),
    by: User | None,
) -> Term:
    role = require(by, {Role.OFFICE: committee.pk}, what="设立届期")
    name = _text(name, Term, "name")
    if ends_on <= starts_on:
        raise Refused("届期结束日期须晚于开始日期。", field="ends_on")
    expected = _committee_units(committee, units)
    term = Term(committee=committee, name=name, starts_on=starts_on, ends_on=ends_on)
    term.save()
    term.units.set(expected)
    details = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "units": [u.pk for u in expected]}
    record("term.created", term, by=by, role=role, details=details)
    return term


@action
def set_term_units(term: Term, *, units: Iterable[Unit], by: User | None) -> Term:
    role = require(by, {Role.OFFICE: term.committee_id}, what="调整届期应覆盖单位")
    expected = _committee_units(term.committee, units)
    before = sorted(term.units.values_list("pk", flat=True))
    term.units.set(expected)
    after = sorted(u.pk for u in expected)
    record("term.units_changed", term, by=by, role=role, details={"units": [before, after]})
    return term


def _check_lookback(committee: Committee, kind: str, targets: list[Inspection]) -> None:
    if kind != RoundKind.LOOKBACK:
        if targets:
            raise Refused("只有巡察“回头看”可以指定回头看对象。", field="lookback_of")
        return
    if not targets:
        raise Refused("巡察“回头看”须指定至少一项此前的巡察。", field="lookback_of")
    rectifying = STAGE_ORDER.index(Stage.RECTIFYING)
    for inspection in targets:
        if inspection.round.committee_id != committee.pk:
            raise Refused(f"“{inspection}”不是{committee}的巡察。", field="lookback_of")
        if STAGE_ORDER.index(inspection.stage) < rectifying:
            raise Refused(
                f"“{inspection}”尚处于“{label(inspection.stage)}”阶段，进入整改阶段后方可“回头看”。",
                field="lookback_of",
            )


@action
def create_round(
    *,
    committee: Committee,
    number: int,
    name: str,
    kind: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    topic: str = "",
    term: Term | None = None,
    lookback_of: Iterable[Inspection] = (),
    by: User | None,
) -> Round:
    role = require(by, {Role.OFFICE: committee.pk}, what="安排巡察轮次")
    name, topic = _text(name, Round, "name"), _text(topic, Round, "topic", required=False)
    if kind not in RoundKind.values:
        raise Refused("请选择有效的巡察类型。", field="kind")
    if not 1 <= number <= ROUND_NUMBER_MAX:
        raise Refused(f"轮次序号须为 1 至 {ROUND_NUMBER_MAX} 之间的整数。", field="number")
    if Round.objects.filter(committee=committee, number=number).exists():
        raise Refused(f"{committee}已有第{number}轮巡察。", field="number")
    if planned_end <= planned_start:
        raise Refused("计划结束日期须晚于计划开始日期。", field="planned_end")
    if kind == RoundKind.SPECIAL and not topic:
        raise Refused("专项巡察须填写专项主题。", field="topic")
    if term is not None and term.committee_id != committee.pk:
        raise Refused("所选届期不属于该党委。", field="term")
    targets = list(lookback_of)
    _check_lookback(committee, kind, targets)
    round_ = Round(
        committee=committee,
        term=term,
        number=number,
        name=name,
        kind=kind,
        topic=topic,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    round_.save()
    round_.lookback_of.set(targets)
    details = snapshot(round_) | {"lookback_of": [i.pk for i in targets]}
    record("round.created", round_, by=by, role=role, details=details)
    return round_


def _ensure_team_open(team: Team) -> None:
    if team.inspections.filter(stage=Stage.ARCHIVED).exists():
        raise Refused("该巡察组的巡察已归档，只能查阅，不能再修改。")


@action
def create_team(*, round: Round, name: str, by: User | None) -> Team:
    role = require(by, {Role.OFFICE: round.committee_id}, what="组建巡察组")
    name = _text(name, Team, "name")
    if round.teams.filter(name=name).exists():
        raise Refused(f"本轮已有“{name}”。", field="name")
    team = Team(round=round, name=name)
    team.save()
    record("team.created", team, by=by, role=role, details={"round": round.pk, "name": name})
    return team


@action
def add_team_member(
    *, team: Team, inspector: Inspector, role: str, by: User | None, override_reason: str = ""
) -> TeamMember:
    """Add an inspector to a team after the 回避 check against every unit the team inspects.

    A conflicted inspector is refused unless the office records why they need not stand aside; the
    override is an audit event of its own. A leader (组长, 副组长) can never be a conflicted inspector.
    """
    committee_id = team.round.committee_id
    acting = require(by, {Role.OFFICE: committee_id}, what="调整巡察组成员")
    _ensure_team_open(team)
    if role not in TeamRole.values:
        raise Refused("请选择有效的组内职务。", field="role")
    if inspector.committee_id not in inspector_committee_ids(team.round) or not inspector.is_active:
        raise Refused("该干部不在本轮巡察可选派的巡察干部库中。", field="inspector")
    if team.members.filter(inspector=inspector).exists():
        raise Refused(f"{inspector.name}已是本组成员。", field="inspector")
    if role == TeamRole.LEADER and team.members.filter(role=TeamRole.LEADER).exists():
        raise Refused("本组已有组长，每组只设一名组长。", field="role")
    reasons = conflicts_for_team(team, inspector)
    override_reason = override_reason.strip() if reasons else ""
    if reasons:
        listed = "；".join(reasons)
        if TEAM_ROLE_GRANTS[role] == Role.TEAM_LEADER:
            raise Refused(f"存在回避情形的干部不能担任{TeamRole(role).label}：{listed}。", field="role")
        if not override_reason:
            message = f"{inspector.name}须回避：{listed}。确需不予回避的，须填写理由。"
            raise Refused(message, field="inspector")
    member = TeamMember(
        team=team,
        inspector=inspector,
        role=role,
        conflict_reasons=reasons,
        override_reason=override_reason,
        overridden_by=by if reasons else None,
    )
    member.save()
    details = {"team": team.pk, "inspector": inspector.pk, "role": role}
    record("team.member_added", member, by=by, role=acting, details=details)
    if inspector.user_id is not None:
        granted = TEAM_ROLE_GRANTS[role]
        now = timezone.now()
        assignment, _ = RoleAssignment.objects.update_or_create(
            user_id=inspector.user_id,
            role=granted,
            scope_type=ROLE_SCOPE[granted],
            scope_id=team.pk,
            defaults={
                "active": True,
                "granted_at": now,
                "granted_by": by,
                "approved_by": None,
                "approved_at": now,
                "ends_at": None,
                "ended_reason": "",
            },
        )
        committee_id = team.round.committee_id
        details = role_details(assignment)
        record("role.granted", assignment, by=by, role=acting, committee_id=committee_id, details=details)
    if reasons:
        details = {"reasons": reasons, "override_reason": override_reason}
        record("team.conflict_overridden", member, by=by, role=acting, details=details)
    return member


@action
def remove_team_member(member: TeamMember, *, by: User | None) -> Team:
    team = member.team
    acting = require(by, {Role.OFFICE: team.round.committee_id}, what="调整巡察组成员")
    if team.inspections.exclude(stage=Stage.PREPARING).exists():
        raise Refused("巡察组已进驻，不能再移除成员。")
    user_id = member.inspector.user_id
    if user_id is not None:
        granted = TEAM_ROLE_GRANTS[member.role]
        held = RoleAssignment.objects.in_force().filter(
            user_id=user_id, role=granted, scope_type=ROLE_SCOPE[granted], scope_id=team.pk
        )
        end_roles(held, reason="已移出巡察组", by=by, acting=acting, committee_id=team.round.committee_id)
    details = {"team": team.pk, "inspector": member.inspector_id, "role": member.role}
    record("team.member_removed", member, by=by, role=acting, details=details)
    member.delete()
    return team


@action
def create_inspection(*, round: Round, team: Team, unit: Unit, by: User | None) -> Inspection:
    role = require(by, {Role.OFFICE: round.committee_id}, what="安排巡察")
    if team.round_id != round.pk:
        raise Refused("所选巡察组不属于本轮巡察。", field="team")
    _ensure_team_open(team)
    if unit.committee_id not in unit_committee_ids(round) or not unit.is_active:
        raise Refused(f"“{unit}”不是本轮巡察（{round.get_kind_display()}）可巡察的有效单位。", field="unit")
    if round.inspections.filter(unit=unit).exists():
        raise Refused(f"本轮已安排对“{unit}”的巡察。", field="unit")
    if round.kind == RoundKind.LOOKBACK and not round.lookback_of.filter(unit=unit).exists():
        raise Refused(f"“{unit}”不是本轮“回头看”所涉此前巡察的被巡察单位。", field="unit")
    conflicts = check_team_unit(team, unit)
    if conflicts:
        raise Refused(f"以下成员须回避对“{unit}”的巡察：{'；'.join(conflicts)}。", field="team")
    inspection = Inspection(round=round, team=team, unit=unit, stage=Stage.PREPARING)
    inspection.stage_due_on = deadlines.stage_due_on(inspection, Stage.PREPARING, timezone.localdate())
    inspection.save()
    details = {"team": team.pk, "unit": unit.pk, "stage_due_on": inspection.stage_due_on}
    record("inspection.created", inspection, by=by, role=role, details=details)
    return inspection


def _guard(inspection: Inspection, to: str, today: datetime.date) -> None:
    """The conditions a move needs beyond being the next step of the table."""
    if to == Stage.STATIONED:
        members = list(inspection.team.members.all())
        if len(members) < 2 or not any(m.role == TeamRole.LEADER for m in members):
            raise Refused("巡察组须有组长且至少两名成员，方可进驻。", field="to")
        conflicts = check_team_unit(inspection.team, inspection.unit)
        if conflicts:
            raise Refused(f"巡察组成员存在未处理的回避情形，不能进驻：{'；'.join(conflicts)}。", field="to")
    elif to == Stage.REPORTING:
        ends_on = inspection.fieldwork_ends_on
        if ends_on is not None and today < ends_on:
            raise Refused(f"了解阶段至 {chinese_date(ends_on)}结束，尚不能进入报告阶段。", field="to")
    lines = open_lines(inspection, to)
    if lines:
        what = "归档" if to == Stage.ARCHIVED else f"进入“{label(to)}”阶段"
        raise Refused(f"尚有未办结事项，不能{what}：{'；'.join(lines)}。", field="to")


def _lock(inspection: Inspection) -> None:
    """Re-read the inspection under a row lock, so two concurrent moves cannot both pass the guards."""
    inspection.refresh_from_db(from_queryset=Inspection.objects.select_for_update())


@action
def transition_inspection(inspection: Inspection, *, to: str, by: User | None, note: str = "") -> Inspection:
    """Move an inspection one stage forward (the table in choices.TRANSITIONS), if its guards allow."""
    _lock(inspection)
    current = inspection.stage
    nxt = next_stage(current)
    if nxt is None:
        raise Refused(move_refusal(current, to) or "", field="to")
    # The role first: whoever may not move this inspection learns nothing more from the answer.
    role = require(by, transition_scopes(inspection), what=f"将巡察推进到“{label(nxt)}”阶段")
    refusal = move_refusal(current, to)
    if refusal:
        raise Refused(refusal, field="to")
    today = timezone.localdate()
    _guard(inspection, to, today)
    before = snapshot(inspection, STAGE_FIELDS)
    inspection.stage = to
    inspection.stage_entered_at = timezone.now()
    if to == Stage.STATIONED:
        inspection.stationed_on = today
    elif to == Stage.FIELDWORK:
        inspection.fieldwork_ends_on = deadlines.fieldwork_end(
            today, deadlines.settings_for(inspection.round.committee)
        )
    elif to == Stage.FEEDBACK:
        inspection.feedback_on = today
    inspection.stage_due_on = deadlines.stage_due_on(inspection, to, today)
    inspection.save()
    note = note.strip()
    StageChange(inspection=inspection, from_stage=current, to_stage=to, by=by, note=note).save()
    details = {
        "from": current,
        "to": to,
        "note": note,
        "changes": changes(before, snapshot(inspection, STAGE_FIELDS)),
    }
    record("inspection.transitioned", inspection, by=by, role=role, details=details)
    # The stage's deadline reminders ask nothing any more; its open to-dos close (closing.py).
    mark_handled(inspection)
    close_stage(inspection, current, by=by, role=role)
    if to == Stage.ARCHIVED:
        _end_roles_after_archive(inspection, by=by, acting=role)
    if to == Stage.ARCHIVED and by is not None:
        package, manifest_sha256 = archive_package.seal(inspection, by=by)
        built = {"size": package.size, "sha256": package.sha256, "manifest_sha256": manifest_sha256}
        record("archive_package.built", package, by=by, role=role, details=built)
    return inspection


def _end_roles_after_archive(inspection: Inspection, *, by: User | None, acting: str) -> None:
    """The team's roles end with its last inspection archived; the liaisons' roles on the unit with the
    unit's last inspection archived (a later grant reappoints them). The office keeps its read access."""
    if not inspection.team.inspections.exclude(stage=Stage.ARCHIVED).exists():
        held = RoleAssignment.objects.in_force().filter(
            role__in=set(TEAM_ROLE_GRANTS.values()), scope_id=inspection.team_id
        )
        committee_id = inspection.round.committee_id
        end_roles(held, reason="巡察已归档", by=by, acting=acting, committee_id=committee_id)
    if not Inspection.objects.filter(unit_id=inspection.unit_id).exclude(stage=Stage.ARCHIVED).exists():
        held = RoleAssignment.objects.in_force().filter(role=Role.UNIT_LIAISON, scope_id=inspection.unit_id)
        committee_id = inspection.unit.committee_id
        end_roles(held, reason="该单位的巡察均已归档", by=by, acting=acting, committee_id=committee_id)


@action
def set_fieldwork_end(
    inspection: Inspection, *, ends_on: datetime.date, reason: str, by: User | None
) -> Inspection:
    """Extend (时间服从质量) or shorten the fieldwork stage, with a reason."""
    _lock(inspection)
    role = require(by, {Role.OFFICE: inspection.round.committee_id}, what="调整了解阶段结束日期")
    if inspection.stage != Stage.FIELDWORK:
        raise Refused("只有处于“了解”阶段的巡察可以调整了解阶段结束日期。", field="ends_on")
    reason = reason.strip()
    if not reason:
        raise Refused("请填写调整理由。", field="reason")
    today = timezone.localdate()
    if ends_on < today:
        raise Refused("了解阶段结束日期不能早于今天。", field="ends_on")
    if ends_on == inspection.fieldwork_ends_on:
        raise Refused("新的结束日期与原结束日期相同。", field="ends_on")
    before = snapshot(inspection, STAGE_FIELDS)
    inspection.fieldwork_ends_on = ends_on
    inspection.stage_due_on = deadlines.stage_due_on(inspection, Stage.FIELDWORK, today)
    inspection.save()
    details = {"reason": reason, "changes": changes(before, snapshot(inspection, STAGE_FIELDS))}
    record("inspection.fieldwork_end_changed", inspection, by=by, role=role, details=details)
    return inspection
