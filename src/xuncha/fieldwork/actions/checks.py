"""Personal-matters checks: setting a check up, the reproducible draw, results per person, verification.

The draw, documented so anyone can redo it by hand: the eligible persons are the active members of the
inspected unit's leadership (``CHECK_ELIGIBLE_CATEGORIES``) and the persons the team marked, identified by
their roster id; the ids are sorted ascending, and ``random.Random(seed).sample(ids, sample_size)`` gives the
sample in draw order. The seed is 128 random bits from ``secrets``, written as 32 hex digits; Python seeds
``Random`` with a string through SHA-512, the same on every platform and version since 3.2. The sorted ids,
the seed and the sample are stored with the check and in the draw's audit event, so verification
recomputes the draw and also compares the stored values with the event the audit chain protects.
"""

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.core.audit import action, changes, record, record_read, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..choices import CHECK_ELIGIBLE_CATEGORIES, CheckResult
from ..models import CheckedPerson, PersonalMattersCheck

AUDIT_ACTIONS = {
    "personal_matters.created": "新建个人有关事项抽查",
    "personal_matters.drawn": "随机抽取个人有关事项抽查人员",
    "personal_matters.result_recorded": "记录个人有关事项核实结果",
    "personal_matters.verified": "验证个人有关事项抽取结果",
    "personal_matters.details_read": "查看个人有关事项核实情况",
}
AUDIT_DETAILS = {
    "seed": "随机种子",
    "eligible": "抽取范围（人员编号）",
    "sample": "抽中人员（人员编号）",
    "sample_size": "抽查人数",
    "matches": "验证一致",
    "problems": "不一致之处",
    "person": "人员",
    "persons": "人员",
    "extra": "另行纳入的人员",
}

DRAWN = "personal_matters.drawn"
MAX_SAMPLE = 200
RESULT_FIELDS = ["result", "details", "to_finding"]


def writer_roles(inspection: Inspection) -> dict[str, int]:
    """Who sets up, draws and records: the inspection's team."""
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who reads the results' details and verifies a draw: the team and the office."""
    return writer_roles(inspection) | {Role.OFFICE: inspection.round.committee_id}


def roster(inspection: Inspection) -> QuerySet[Person]:
    """Whom the team may mark as eligible: the active persons of the unit and of the units below it."""
    unit = inspection.unit
    return Person.objects.filter(unit_id__in={unit.pk} | unit.descendant_ids(), is_active=True)


def eligible_ids(inspection: Inspection, extra: Iterable[Person]) -> list[int]:
    """The eligible persons' ids, sorted ascending: the unit's leadership and the marked persons."""
    leaders = Person.objects.filter(
        unit=inspection.unit, is_active=True, category__in=CHECK_ELIGIBLE_CATEGORIES
    ).values_list("pk", flat=True)
    return sorted(set(leaders) | {p.pk for p in extra if p.is_active})


def sample_of(seed: str, eligible: Sequence[int], size: int) -> list[int]:
    """The documented draw (see the module's docstring); the same seed and ids give the same sample."""
    # A seeded, reproducible generator is the point here; the seed itself comes from ``secrets``.
    return random.Random(seed).sample(sorted(eligible), size)  # noqa: S311


def _size(value: object, available: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Refused("抽查人数须为正整数。", field="sample_size")
    if value > MAX_SAMPLE:
        raise Refused(f"抽查人数最多 {MAX_SAMPLE} 人。", field="sample_size")
    if value > available:
        raise Refused(
            f"抽查人数（{value} 人）多于可抽取人数（{available} 人）：请减少人数或增加纳入抽查范围的人员。",
            field="sample_size",
        )
    return value


def _writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能再修改。")


@action
def create_check(
    inspection: Inspection,
    *,
    title: str,
    sample_size: int | None,
    extra_persons: Sequence[Person] = (),
    by: User | None,
) -> PersonalMattersCheck:
    """A check of ``inspection``, not drawn yet: its name, how many to draw, whom else to include."""
    role = require(by, writer_roles(inspection), what="新建个人有关事项抽查")
    _writable(inspection)
    allowed = set(roster(inspection).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in extra_persons):
        raise Refused("另行纳入的人员须为被巡察单位及其下属单位在职人员。", field="extra_persons")
    check = PersonalMattersCheck(
        inspection=inspection,
        title=clean_text(title, label="名称", field="title", limit=100),
        sample_size=_size(sample_size, len(eligible_ids(inspection, extra_persons))),
        created_by=by,
    )
    check.save()
    check.extra_persons.set(extra_persons)
    record(
        "personal_matters.created",
        check,
        by=by,
        role=role,
        details={"sample_size": check.sample_size, "extra": sorted(p.pk for p in extra_persons)},
    )
    return check


@action
def draw(check: PersonalMattersCheck, *, by: User | None) -> PersonalMattersCheck:
    """Draw the sample once, with a new seed; the eligible list is frozen with it."""
    check = (
        PersonalMattersCheck.objects.select_for_update().select_related("inspection__round").get(pk=check.pk)
    )
    inspection = check.inspection
    role = require(by, writer_roles(inspection), what="抽取个人有关事项抽查人员")
    _writable(inspection)
    if check.is_drawn:
        raise Refused("本次抽查已经抽取，抽取结果不能重抽或更改。")
    eligible = eligible_ids(inspection, list(check.extra_persons.all()))
    size = _size(check.sample_size, len(eligible))
    check.seed = secrets.token_hex(16)
    check.eligible_ids = eligible
    check.sample_ids = sample_of(check.seed, eligible, size)
    check.drawn_at, check.drawn_by = timezone.now(), by
    check.save()
    persons = Person.objects.in_bulk(check.sample_ids)
    for position, pk in enumerate(check.sample_ids, start=1):
        CheckedPerson(matters_check=check, person=persons[pk], position=position).save()
    record(
        DRAWN,
        check,
        by=by,
        role=role,
        details={
            "seed": check.seed,
            "sample_size": size,
            "eligible": check.eligible_ids,
            "sample": check.sample_ids,
        },
    )
    return check


@action
def record_result(
    checked: CheckedPerson, *, result: str, details: str, to_finding: bool, by: User | None
) -> CheckedPerson:
    """一致 or 不一致 (with what differs) for one person drawn; an inconsistency may go to a draft finding."""
    inspection = checked.matters_check.inspection
    role = require(by, writer_roles(inspection), what="记录核实结果")
    _writable(inspection)
    if result not in (CheckResult.CONSISTENT, CheckResult.INCONSISTENT):
        raise Refused("请选择核实结果：一致或不一致。", field="result")
    inconsistent = result == CheckResult.INCONSISTENT
    text = clean_text(
        details, label="核实情况", field="details", limit=5000, required=inconsistent, multiline=True
    )
    if to_finding and not inconsistent:
        raise Refused("只有核实结果为“不一致”的才能转为问题底稿。", field="to_finding")
    before = snapshot(checked, RESULT_FIELDS)
    checked.result, checked.details, checked.to_finding = result, text, bool(to_finding)
    checked.recorded_by, checked.recorded_at = by, timezone.now()
    checked.save()
    record(
        "personal_matters.result_recorded",
        checked,
        by=by,
        role=role,
        details={"person": checked.person_id, "changes": changes(before, snapshot(checked, RESULT_FIELDS))},
    )
    return checked


@dataclass(frozen=True)
class Verification:
    """What re-doing a draw found: ``matches`` when every comparison agrees, else the problems named."""

    expected: list[int]
    stored: list[int]
    problems: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.problems


def recompute(check: PersonalMattersCheck) -> Verification:
    """Redo the draw from the stored seed and eligible ids, and compare with what is stored and with the
    values the draw's audit event recorded."""
    if not check.is_drawn:
        raise Refused("本次抽查尚未抽取，无法验证。")
    stored = list(check.sample_ids)
    problems: list[str] = []
    try:
        expected = sample_of(check.seed, check.eligible_ids, check.sample_size)
    except (TypeError, ValueError):
        expected = []
        problems.append("保存的抽取范围或抽查人数无效，无法重新抽取。")
    if expected and expected != stored:
        problems.append("按保存的随机种子重新抽取的结果与保存的抽中人员不一致。")
    rows = list(check.persons.order_by("position").values_list("person_id", flat=True))
    if rows != stored:
        problems.append("核实名单与保存的抽中人员不一致。")
    event = (
        AuditEvent.objects.filter(action=DRAWN, object_type=check._meta.label_lower, object_id=str(check.pk))
        .order_by("-seq")
        .first()
    )
    if event is None:
        problems.append("找不到抽取时的审计记录。")
    else:
        recorded = event.details
        if (recorded.get("seed"), recorded.get("eligible"), recorded.get("sample")) != (
            check.seed,
            check.eligible_ids,
            stored,
        ):
            problems.append("保存的随机种子、抽取范围或抽中人员与抽取时的审计记录不一致。")
    return Verification(expected=expected, stored=stored, problems=problems)


@action
def verify(check: PersonalMattersCheck, *, by: User | None) -> Verification:
    """Verify a draw (``recompute``), recording who verified it and what was found."""
    role = require(by, reader_roles(check.inspection), what="验证抽取结果")
    found = recompute(check)
    record(
        "personal_matters.verified",
        check,
        by=by,
        role=role,
        details={"matches": found.matches, "problems": found.problems},
    )
    return found


def details_read(check: PersonalMattersCheck, checked: Sequence[CheckedPerson], *, by: User) -> None:
    """Record that ``by`` read the details of these results of ``check`` (confidential: audited); nothing
    is recorded when none of them has details."""
    read = [one.person_id for one in checked if one.details]
    if read:
        role = require(by, reader_roles(check.inspection), what="查看核实情况")
        record_read("personal_matters.details_read", check, by=by, role=role, details={"persons": read})
