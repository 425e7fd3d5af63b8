"""State changes of the organisation data: committees, units, rosters, departments and the inspector pool.

Each action checks the acting role (the office of the owning committee unless said otherwise; ``by=None``
is the system), validates its input with a Chinese reason, and records its audit event in the same
transaction — with before/after values for updates.
"""

import datetime
import secrets
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.db import models

from xuncha.core import scopes
from xuncha.core.actions import full_clean_account, grant_role, validate_new_password
from xuncha.core.audit import action, action_scope, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, User
from xuncha.core.permissions import NotAllowed, require

from . import access, access_import, rules
from .access_import import ImportReport
from .choices import CommitteeLevel, DepartmentKind, Expertise, PartyOrgKind, PostCategory, UnitType
from .importing import ImportResult, RowError, plan_import, read_workbook
from .models import (
    Committee,
    CommitteeSettings,
    Department,
    Inspector,
    InspectorFormerPost,
    InspectorRelative,
    Person,
    Unit,
)

M = TypeVar("M", bound=models.Model)

# Bounds of the per-committee deadlines (days).
SETTINGS_DAY_FIELDS = (
    "stationing_days",
    "fieldwork_days",
    "report_days",
    "feedback_days",
    "plan_days",
    "rectification_report_days",
    "review_days",
    "transfer_report_back_days",
)
MAX_DAYS = 730
# Other per-committee numbers, with their bounds: an approved reveal lasts at most a week; the learned triage
# model needs some confirmed decisions to learn from.
SETTINGS_NUMBER_BOUNDS = {"reveal_hours": (1, 168), "learned_triage_min_samples": (10, 100_000)}
# The relative's name is an encrypted text column; a person's name is never longer than this.
RELATIVE_NAME_LIMIT = 50


def _check(problem: str | None, field: str) -> None:
    if problem is not None:
        raise Refused(f"{problem}。", field=field)


def _text(
    value: Any, model: type[models.Model], field: str, *, required: bool = True, limit: int | None = None
) -> str:
    text = str(value or "").strip()
    limit = limit or rules.max_length(model, field)
    _check(rules.text_problem(text, label=rules.label(model, field), limit=limit, required=required), field)
    return text


def _update(
    obj: M,
    updates: dict[str, Any],
    *,
    editable: Collection[str],
    clean: Callable[[M], None],
    event: str,
    by: User | None,
    role: str,
) -> M:
    """Apply ``updates`` (only fields editable here), validate, save and record before/after values.

    A refused update leaves the instance as it was, as well as the database."""
    for name in updates:
        if name not in editable:
            raise Refused(f"“{name}”不能通过修改操作更改。", field=name)
    fields = list(updates)
    before = snapshot(obj, fields)
    originals = {name: getattr(obj, name) for name in fields}
    try:
        for name, value in updates.items():
            setattr(obj, name, value)
        clean(obj)
        obj.save()
    except Exception:
        for name, value in originals.items():
            setattr(obj, name, value)
        raise
    record(event, obj, by=by, role=role, details={"changes": changes(before, snapshot(obj, fields))})
    return obj


# Committees -------------------------------------------------------------------------------------------


def clean_committee(committee: Committee) -> None:
    """Validate a committee in place (also used by the sysadmin's admin form)."""
    committee.name = _text(committee.name, Committee, "name")
    committee.short_name = _text(committee.short_name, Committee, "short_name", required=False)
    _check(rules.choice_problem(committee.level, CommitteeLevel, label="层级"), "level")
    parent = committee.parent
    if parent is not None and rules.LEVEL_RANK[committee.level] <= rules.LEVEL_RANK[parent.level]:
        raise Refused(f"下级党委的层级必须低于上级党委（{parent.get_level_display()}）。", field="level")
    if Committee.objects.filter(name=committee.name).exclude(pk=committee.pk).exists():
        raise Refused(f"已有名为“{committee.name}”的党委。", field="name")


@action
def create_committee(
    *, name: str, level: str, parent: Committee | None = None, short_name: str = "", by: User | None
) -> Committee:
    """A committee and its settings (defaults of domain.md). A root committee is created by the system;
    a lower one by the office or the sysadmin of its parent."""
    parent_id = parent.pk if parent else None
    role = require(by, {Role.OFFICE: parent_id, Role.SYSADMIN: parent_id}, what="新建下级党委")
    committee = Committee(name=name, short_name=short_name, level=level, parent=parent)
    clean_committee(committee)
    committee.save()
    CommitteeSettings(committee=committee).save()
    record("committee.created", committee, by=by, role=role, details=snapshot(committee))
    return committee


@action
def update_committee(committee: Committee, *, by: User | None, **updates: Any) -> Committee:
    """Rename a committee; its level and place in the tree are fixed once created."""
    role = require(by, {Role.OFFICE: committee.pk, Role.SYSADMIN: committee.pk}, what="修改党委信息")
    return _update(
        committee,
        updates,
        editable={"name", "short_name"},
        clean=clean_committee,
        event="committee.updated",
        by=by,
        role=role,
    )


@action
def update_committee_settings(
    settings: CommitteeSettings, *, by: User | None, **updates: Any
) -> CommitteeSettings:
    role = require(
        by,
        {Role.OFFICE: settings.committee_id, Role.SYSADMIN: settings.committee_id},
        what="修改党委设置",
    )
    return _update(
        settings,
        updates,
        editable={
            *SETTINGS_DAY_FIELDS,
            "due_soon_days",
            "totp_roles",
            "petition_elsewhere",
            "archive_interview_records",
            "archive_petition_attachments",
            "secretary_meeting_required",
            *SETTINGS_NUMBER_BOUNDS,
        },
        clean=clean_committee_settings,
        event="committee_settings.updated",
        by=by,
        role=role,
    )


def clean_committee_settings(settings: CommitteeSettings) -> None:
    """Validate settings in place (also used by the sysadmin's admin form)."""
    bounds = dict.fromkeys(SETTINGS_DAY_FIELDS, (1, MAX_DAYS))
    bounds |= {"due_soon_days": (0, MAX_DAYS), **SETTINGS_NUMBER_BOUNDS}
    for name, (low, high) in bounds.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            label = rules.label(CommitteeSettings, name)
            raise Refused(f"{label}须为 {low} 至 {high} 之间的整数。", field=name)
    if not isinstance(settings.secretary_meeting_required, bool):
        raise Refused("“反馈前须经书记专题会听取汇报”应为是或否。", field="secretary_meeting_required")
    settings.petition_elsewhere = _text(settings.petition_elsewhere, CommitteeSettings, "petition_elsewhere")
    settings.totp_roles = _clean_roles(settings.totp_roles)


def _clean_roles(value: Any) -> list[str]:
    if not isinstance(value, list | tuple | set) or not all(isinstance(r, str) for r in value):
        raise Refused("须启用动态口令的角色应为角色代码的列表。", field="totp_roles")
    unknown = [r for r in value if r not in Role.values]
    if unknown:
        raise Refused(f"未知的角色：{'、'.join(unknown)}。", field="totp_roles")
    return [r for r in Role.values if r in value]


# Units and rosters ------------------------------------------------------------------------------------


def _clean_unit(unit: Unit) -> None:
    unit.name = _text(unit.name, Unit, "name")
    unit.code = _text(unit.code, Unit, "code", required=False)
    _check(rules.choice_problem(unit.unit_type, UnitType, label="单位类型"), "unit_type")
    if unit.party_org_kind:  # blank: the usual kind of the unit's type
        _check(rules.choice_problem(unit.party_org_kind, PartyOrgKind, label="党组织类别"), "party_org_kind")
    parent = unit.parent
    if parent is not None:
        if parent.committee_id != unit.committee_id:
            raise Refused("上级单位必须属于同一党委。", field="parent")
        if unit.pk is not None and (parent.pk == unit.pk or parent.pk in unit.descendant_ids()):
            raise Refused("不能把单位本身或它的下级单位设为上级单位。", field="parent")
    _check(rules.duplicate_unit_problem(unit.committee_id, unit.name, exclude_pk=unit.pk), "name")


@action
def create_unit(
    *,
    committee: Committee,
    name: str,
    unit_type: str,
    parent: Unit | None = None,
    code: str = "",
    party_org_kind: str = "",
    by: User | None,
) -> Unit:
    role = require(by, {Role.OFFICE: committee.pk}, what="新建单位")
    unit = Unit(
        committee=committee,
        name=name,
        unit_type=unit_type,
        parent=parent,
        code=code,
        party_org_kind=party_org_kind,
    )
    _clean_unit(unit)
    unit.save()
    record("unit.created", unit, by=by, role=role, details=snapshot(unit))
    return unit


@action
def update_unit(unit: Unit, *, by: User | None, **updates: Any) -> Unit:
    role = require(by, {Role.OFFICE: unit.committee_id}, what="修改单位信息")
    return _update(
        unit,
        updates,
        editable={"name", "code", "unit_type", "party_org_kind", "parent"},
        clean=_clean_unit,
        event="unit.updated",
        by=by,
        role=role,
    )


def _clean_person(person: Person) -> None:
    person.name = _text(person.name, Person, "name")
    person.post = _text(person.post, Person, "post")
    _check(rules.choice_problem(person.category, PostCategory, label="类别"), "category")
    if person.is_active and person.category == PostCategory.PRINCIPAL:
        _check(rules.principal_problem(person.unit, exclude_pk=person.pk), "category")


@action
def add_person(*, unit: Unit, name: str, post: str, category: str, by: User | None) -> Person:
    role = require(by, {Role.OFFICE: unit.committee_id}, what="维护单位人员名册")
    person = Person(unit=unit, name=name, post=post, category=category)
    _clean_person(person)
    person.save()
    record("person.added", person, by=by, role=role, details=snapshot(person))
    return person


@action
def update_person(person: Person, *, by: User | None, **updates: Any) -> Person:
    role = require(by, {Role.OFFICE: person.unit.committee_id}, what="维护单位人员名册")
    return _update(
        person,
        updates,
        editable={"name", "post", "category"},
        clean=_clean_person,
        event="person.updated",
        by=by,
        role=role,
    )


@action
def deactivate_person(person: Person, *, by: User | None) -> Person:
    """Mark a person as no longer in post (离任); roster history is kept for petitions and findings."""
    role = require(by, {Role.OFFICE: person.unit.committee_id}, what="维护单位人员名册")
    if not person.is_active:
        raise Refused(f"{person.name}已是离任状态。")
    return _update(
        person,
        {"is_active": False},
        editable={"is_active"},
        clean=lambda p: None,
        event="person.deactivated",
        by=by,
        role=role,
    )


def import_units_and_rosters(*, committee: Committee, file: IO[bytes], by: User | None) -> ImportResult:
    """Import units and rosters from the Excel template: all rows or nothing.

    Every row is validated first; when any is invalid, the result lists every invalid row and nothing is
    written (and no audit event: nothing happened). Otherwise all rows are created in one action with one
    summary event. A file that cannot be read at all raises ``Refused``.
    """
    role = require(by, {Role.OFFICE: committee.pk}, what="导入单位和人员")
    sheets = read_workbook(file)
    try:
        with action_scope("import_units_and_rosters"):
            # Validated inside the transaction so that the existing units checked are those written against.
            plan = plan_import(sheets, committee)
            if plan.errors:
                raise _Rejected(plan.errors)
            units = plan.create(committee)
            record(
                "units.imported",
                committee,
                by=by,
                role=role,
                details={
                    "file": str(getattr(file, "name", "")),
                    "units": len(units),
                    "people": plan.people_count,
                    "unit_ids": [u.pk for u in units],
                },
            )
    except _Rejected as rejected:
        return ImportResult(errors=rejected.errors)
    return ImportResult(units_created=len(units), people_created=plan.people_count)


class _Rejected(Exception):
    """Leaves the import's transaction without writing anything (not even an audit event)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("import rejected")
        self.errors = errors


# Departments ------------------------------------------------------------------------------------------


@action
def create_department(*, committee: Committee, name: str, kind: str, by: User | None) -> Department:
    role = require(by, {Role.OFFICE: committee.pk}, what="新建部门")
    name = _text(name, Department, "name")
    _check(rules.choice_problem(kind, DepartmentKind, label="部门类别"), "kind")
    if Department.objects.filter(committee=committee, name=name).exists():
        raise Refused(f"本党委已有名为“{name}”的部门。", field="name")
    department = Department.objects.create(committee=committee, name=name, kind=kind)
    record("department.created", department, by=by, role=role, details=snapshot(department))
    return department


# The inspector pool -----------------------------------------------------------------------------------


def _check_pool_unit(committee_id: int, unit: Unit | None, field: str) -> None:
    """Units an inspector is tied to belong to the committee or to a committee below it (上下联动)."""
    if unit is not None and unit.committee_id not in {committee_id} | Committee.descendant_ids(committee_id):
        raise Refused("该单位不属于本党委或其下级党委。", field=field)


def _clean_expertise(value: Iterable[str]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    chosen = set(value)
    unknown = chosen - set(Expertise.values)
    if unknown:
        raise Refused(f"未知的专长：{'、'.join(sorted(unknown))}。", field="expertise")
    return [e for e in Expertise.values if e in chosen]


def _clean_inspector(inspector: Inspector) -> None:
    inspector.name = _text(inspector.name, Inspector, "name")
    inspector.post = _text(inspector.post, Inspector, "post", required=False)
    inspector.expertise = _clean_expertise(inspector.expertise)
    _check_pool_unit(inspector.committee_id, inspector.home_unit, "home_unit")
    if inspector.user_id is not None and not _linkable(inspector):
        # One neutral refusal: an office must not learn which accounts exist elsewhere.
        raise Refused(UNLINKABLE, field="user")


UNLINKABLE = "无法关联该登录账号：账号不存在、已停用、已关联其他巡察干部或不属于本党委。"


def _linkable(inspector: Inspector) -> bool:
    """An account an office may link: active, not another inspector's, and holding roles (if any) only on
    scopes of the inspector's own committee — never an account that works for another committee."""
    user = inspector.user
    if user is None or not user.is_active:
        return False
    if inspector.pk is not None and Inspector.objects.filter(pk=inspector.pk, user_id=user.pk).exists():
        return True  # the link is not changing: roles gained through it since (a 交叉 team) are its own
    if Inspector.objects.filter(user_id=user.pk).exclude(pk=inspector.pk).exists():
        return False
    for scope_type, scope_id in (
        RoleAssignment.objects.in_force().filter(user=user).values_list("scope_type", "scope_id")
    ):
        info = scopes.describe(scope_type, scope_id)
        if info is None or info.committee_id != inspector.committee_id:
            return False
    return True


@action
def create_inspector(
    *,
    committee: Committee,
    name: str,
    home_unit: Unit | None = None,
    post: str = "",
    expertise: Iterable[str] = (),
    user: User | None = None,
    by: User | None,
) -> Inspector:
    role = require(by, {Role.OFFICE: committee.pk}, what="维护巡察干部人才库")
    inspector = Inspector(
        committee=committee, name=name, home_unit=home_unit, post=post, expertise=list(expertise), user=user
    )
    _clean_inspector(inspector)
    inspector.save()
    record("inspector.created", inspector, by=by, role=role, details=snapshot(inspector))
    return inspector


@action
def update_inspector(inspector: Inspector, *, by: User | None, **updates: Any) -> Inspector:
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="维护巡察干部人才库")
    # Team roles were granted to the linked account when the inspector joined a team (reverse lookup
    # into rounds by name only); relinking would leave them with the old account.
    user = updates.get("user", inspector.user)
    if getattr(user, "pk", None) != inspector.user_id and inspector.memberships.exists():
        raise Refused("该干部已编入巡察组，不能更换登录账号；请先调整巡察组成员。", field="user")
    return _update(
        inspector,
        updates,
        editable={"name", "home_unit", "post", "expertise", "user"},
        clean=_clean_inspector,
        event="inspector.updated",
        by=by,
        role=role,
    )


@action
def add_former_post(
    inspector: Inspector, *, unit: Unit, post: str, period: str = "", by: User | None
) -> InspectorFormerPost:
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="维护巡察干部人才库")
    _check_pool_unit(inspector.committee_id, unit, "unit")
    former = InspectorFormerPost.objects.create(
        inspector=inspector,
        unit=unit,
        post=_text(post, InspectorFormerPost, "post"),
        period=_text(period, InspectorFormerPost, "period", required=False),
    )
    record("inspector.former_post_added", former, by=by, role=role, details=snapshot(former))
    return former


@action
def remove_former_post(former: InspectorFormerPost, *, by: User | None) -> Inspector:
    inspector = former.inspector
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="维护巡察干部人才库")
    record("inspector.former_post_removed", former, by=by, role=role, details=snapshot(former))
    former.delete()
    return inspector


@action
def declare_relative(
    inspector: Inspector, *, name: str, relation: str, unit: Unit, post: str = "", by: User | None
) -> InspectorRelative:
    """Record a declared relative for 回避. The name is encrypted and never written to the audit."""
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="维护巡察干部人才库")
    _check_pool_unit(inspector.committee_id, unit, "unit")
    relative = InspectorRelative.objects.create(
        inspector=inspector,
        name=_text(name, InspectorRelative, "name", limit=RELATIVE_NAME_LIMIT),
        relation=_text(relation, InspectorRelative, "relation"),
        unit=unit,
        post=_text(post, InspectorRelative, "post", required=False),
    )
    record("inspector.relative_declared", relative, by=by, role=role, details=snapshot(relative))
    return relative


@action
def remove_relative(relative: InspectorRelative, *, by: User | None) -> Inspector:
    inspector = relative.inspector
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="维护巡察干部人才库")
    record("inspector.relative_removed", relative, by=by, role=role, details=snapshot(relative))
    relative.delete()
    return inspector


@action
def view_relatives(inspector: Inspector, *, by: User | None) -> list[InspectorRelative]:
    """The declared relatives with their names decrypted, for the office; a sensitive read, so audited."""
    role = require(by, {Role.OFFICE: inspector.committee_id}, what="查看申报亲属")
    relatives = list(inspector.relatives.select_related("unit").order_by("relation"))
    for relative in relatives:
        relative.name = relative.name  # decrypt here: a key or integrity failure aborts the read
    record("inspector.relatives_viewed", inspector, by=by, role=role, details={"count": len(relatives)})
    return relatives


# People and roles (the office's 人员与权限 page) -------------------------------------------------------

# Letters and digits that cannot be mistaken for one another when read out or copied from the screen.
LEGIBLE_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """A random initial password in three groups of four (about 70 bits), with a capital, a small letter
    and a digit, so it meets the password policy; the account must change it at its first login."""
    while True:
        raw = "".join(secrets.choice(LEGIBLE_CHARACTERS) for _ in range(12))
        if any(c.isupper() for c in raw) and any(c.islower() for c in raw) and any(c.isdigit() for c in raw):
            return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@action
def create_account(
    *, committee: Committee, username: str, full_name: str, phone: str = "", by: User | None
) -> tuple[User, str]:
    """A new account for someone the office is about to appoint, with a one-time password that is
    returned once (never stored nor audited) and must be changed at the first login."""
    role = require(by, {Role.OFFICE: committee.pk}, what="新建账号")
    full_name = str(full_name or "").strip()
    if not full_name:
        raise Refused("请填写姓名。", field="full_name")
    user = User(
        username=str(username or "").strip(),
        full_name=full_name,
        phone=str(phone or "").strip(),
        must_change_password=True,
    )
    full_clean_account(user)
    password = one_time_password()
    validate_new_password(password, user)
    user.set_password(password)
    user.save()
    record(
        "user.created",
        user,
        by=by,
        role=role,
        committee_id=committee.pk,
        details={
            "username": user.username,
            "full_name": user.full_name,
            "phone": user.phone,
            "committee": committee.name,
        },
    )
    return user, password


@dataclass(frozen=True)
class Appointment:
    assignment: RoleAssignment
    password: str = ""  # the one-time password when the account was created for it, shown once


@action
def appoint(
    *,
    role: str,
    scope_id: int,
    account: User | None = None,
    username: str = "",
    full_name: str = "",
    phone: str = "",
    ends_on: datetime.date | None = None,
    by: User | None,
) -> Appointment:
    """Give ``role`` on a scope of a committee to an account the committee's office knows
    (access.committee_accounts) or, without ``account``, to a new account created for it; both or
    neither. Sensitive roles then wait for a second person's approval (core.actions.grant_role)."""
    committee = access.scope_committee(role, scope_id)
    if committee is None:
        raise Refused("任职单位、部门或党委不存在。", field="scope_id")
    password = ""
    if account is None:
        account, password = create_account(
            committee=committee, username=username, full_name=full_name, phone=phone, by=by
        )
    elif by is not None and not access.committee_accounts([committee.pk]).filter(pk=account.pk).exists():
        raise Refused("该账号不属于本党委，不能选择。", field="account")
    assignment = grant_role(user=account, role=role, scope_id=scope_id, ends_on=ends_on, by=by)
    return Appointment(assignment, password)


def import_appointments(*, committee: Committee, file: IO[bytes], by: User | None) -> ImportReport:
    """Appoint people from the Excel template, row by row: each row is one ``appoint`` (its account and
    its role both or neither), and the report says for every row what was done or why it was refused."""
    require(by, {Role.OFFICE: committee.pk}, what="导入人员和角色")
    report = ImportReport()
    for request in access_import.read(file, committee):
        if isinstance(request, access_import.Problem):
            report.refused(request.row, request.message)
            continue
        try:
            account = access_import.existing_account(request, committee)
            done = appoint(
                role=request.role,
                scope_id=request.scope_id,
                account=account,
                username=request.username,
                full_name=request.full_name,
                phone=request.phone,
                ends_on=request.ends_on,
                by=by,
            )
        except (Refused, NotAllowed) as error:
            report.refused(request.row, error.message, request)
        else:
            report.appointed(request, done)
    return report
