"""Bulk synthetic history for the dashboard's benchmark at a province's scale:
`xuncha gen-data --bulk-petitions N --bulk-items M`.

The organisation is made through the actions (a city committee, two counties under it, their units,
departments, a term each, two rounds a year for ``YEARS`` years, each with its teams and inspections), so the
committees, rounds and inspections look as in use. The case rows behind the figures — petitions with a
channel, month, scope and categories; signed-off findings; clues transferred with their disposal and
outcome; rectification items with deadlines and closure — are bulk-inserted in batches (``bulk_create``),
bypassing the actions: a million petitions through ``register_petition`` would take hours. One audit event
(``demo.bulk_history``) records what was generated. The rows are consistent with the models (valid foreign
keys, statuses the figures count) but carry no audit trail of their own, so this is for benchmark databases
only, never for a real one.
"""

import datetime
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from xuncha.analytics import rollups
from xuncha.core import actions as accounts
from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.findings.choices import ClueKind, ClueStatus, ClueTransferStatus, Disposal, FindingStatus, Outcome
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.choices import Channel, Scope, Status
from xuncha.intake.models import Petition
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import CommitteeLevel
from xuncha.orgs.models import Committee, Department
from xuncha.rectification.choices import ItemKind, ItemSource, ItemStatus
from xuncha.rectification.models import Item
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from . import data

PREFIX = "批量市"
YEARS = 5
ROUNDS_PER_YEAR = 2
TEAMS = 3
UNITS_PER_TEAM = 3
CITY_UNITS = 40
COUNTY_UNITS = 20
COUNTIES = ("甲县", "乙县")
BATCH = 5000  # rows per bulk_create and per transaction
FINDINGS_PER_PETITIONS = 20  # one signed-off finding for every twenty petitions
CLUES_PER_FINDINGS = 4  # one clue for every four findings


@dataclass
class HistoryCounts:
    committees: int = 0
    inspections: int = 0
    petitions: int = 0
    findings: int = 0
    clues: int = 0
    transfers: int = 0
    items: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in ("committees", "inspections", "petitions", "findings", "clues", "transfers", "items")
        }


@dataclass
class _Structure:
    city: Committee
    office: User
    committees: list[Committee]
    inspections: list[Inspection]  # every inspection, with ``round`` loaded
    departments: dict[int, list[Department]]  # by committee id


def _stage(year: int, number: int, today: datetime.date) -> str:
    """Old rounds archived, last year's in 整改, this year's first round in 整改 and its second in 了解."""
    if year < today.year - 1:
        return Stage.ARCHIVED
    if year < today.year or number == 1:
        return Stage.RECTIFYING
    return Stage.FIELDWORK


def _structure(index: int, *, today: datetime.date) -> _Structure:
    office = accounts.create_user(
        username=f"bulk{index:03d}_office", password=secrets.token_urlsafe(18), full_name="office", by=None
    )
    city = orgs.create_committee(
        name=f"{PREFIX}{index:03d}委", short_name=f"批量{index:03d}", level=CommitteeLevel.CITY, by=None
    )
    accounts.grant_role(user=office, role=Role.OFFICE, scope_id=city.pk, by=None)
    committees = [city]
    for county in COUNTIES:
        committees.append(
            orgs.create_committee(
                name=f"{PREFIX}{index:03d}{county}委", level=CommitteeLevel.COUNTY, parent=city, by=office
            )
        )
    inspections: list[Inspection] = []
    departments: dict[int, list[Department]] = {}
    first_year = today.year - YEARS + 1
    for c, committee in enumerate(committees):
        local = accounts.create_user(
            username=f"bulk{index:03d}_office{c}",
            password=secrets.token_urlsafe(18),
            full_name="office",
            by=None,
        )
        if committee != city:
            accounts.grant_role(user=local, role=Role.OFFICE, scope_id=committee.pk, by=None)
        by = office if committee == city else local
        departments[committee.pk] = [
            orgs.create_department(
                committee=committee,
                name=f"{committee.short_name or committee.name}{suffix}",
                kind=kind,
                by=by,
            )
            for suffix, kind in data.DEPARTMENTS[:2]
        ]
        size = CITY_UNITS if committee == city else COUNTY_UNITS
        units = [
            orgs.create_unit(
                committee=committee,
                name=f"{data.UNITS[i % len(data.UNITS)].name}（{i + 1}）",
                unit_type=data.UNITS[i % len(data.UNITS)].unit_type,
                by=by,
            )
            for i in range(size)
        ]
        term = rounds.create_term(
            committee=committee,
            name=f"{first_year}—{first_year + YEARS - 1}年届期",
            starts_on=datetime.date(first_year, 1, 1),
            ends_on=datetime.date(first_year + YEARS - 1, 12, 31),
            units=units,
            by=by,
        )
        per_round = TEAMS * UNITS_PER_TEAM
        for y in range(YEARS):
            year = first_year + y
            for n in range(1, ROUNDS_PER_YEAR + 1):
                start = datetime.date(year, 3 if n == 1 else 9, 1)
                round_ = rounds.create_round(
                    committee=committee,
                    number=y * ROUNDS_PER_YEAR + n,
                    name=f"{year}年{committee.name}第{n}轮巡察",
                    kind=RoundKind.ROUTINE,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=90),
                    term=term,
                    by=by,
                )
                offset = (y * ROUNDS_PER_YEAR + n - 1) * per_round
                made = []
                for t in range(TEAMS):
                    team = rounds.create_team(round=round_, name=f"第{t + 1}巡察组", by=by)
                    for u in range(UNITS_PER_TEAM):
                        unit = units[(offset + t * UNITS_PER_TEAM + u) % len(units)]
                        made.append(rounds.create_inspection(round=round_, team=team, unit=unit, by=by))
                stage = _stage(year, n, today)
                due = start + datetime.timedelta(days=120)
                Inspection.objects.filter(pk__in=[i.pk for i in made]).update(stage=stage, stage_due_on=due)
                for inspection in made:
                    inspection.stage, inspection.stage_due_on = stage, due
                inspections += made
    return _Structure(city, office, committees, inspections, departments)


def _batches(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, BATCH):
        yield start, min(BATCH, total - start)


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _day_in_round(inspection: Inspection, rng: random.Random, today: datetime.date) -> datetime.date:
    start = inspection.round.planned_start
    return min(start + datetime.timedelta(days=rng.randint(0, 89)), today)


def _categories(kind: str) -> list[Category]:
    return list(Category.objects.filter(scheme__kind=kind, scheme__is_default=True))


def _insert(model: type[models.Model], rows: list[Any]) -> None:
    with transaction.atomic():
        model._default_manager.bulk_create(rows, batch_size=1000)


def _petitions(s: _Structure, count: int, rng: random.Random, today: datetime.date, progress: Any) -> int:
    disciplines, focuses = _categories(SchemeKind.DISCIPLINE), _categories(SchemeKind.FOCUS)
    channels = list(Channel.values)
    statuses = list(Status.values)
    numbers: dict[int, int] = {}
    for start, size in _batches(count):
        rows = []
        for _ in range(size):
            inspection = rng.choice(s.inspections)
            numbers[inspection.pk] = numbers.get(inspection.pk, 0) + 1
            status = rng.choice(statuses)
            decided = status != Status.NEW
            rows.append(
                Petition(
                    inspection=inspection,
                    number=f"PL{inspection.pk}-{numbers[inspection.pk]:06d}",
                    channel=rng.choice(channels),
                    received_at=_aware(_day_in_round(inspection, rng, today), rng),
                    content=f"批量样例信访件：反映{inspection.unit_id}号单位的问题。",
                    status=status,
                    scope=(Scope.IN if rng.random() < 0.8 else Scope.OUT) if decided else "",
                    discipline=rng.choice(disciplines) if decided and rng.random() < 0.7 else None,
                    focus=rng.choice(focuses) if decided and rng.random() < 0.7 else None,
                )
            )
        _insert(Petition, rows)
        progress("信访件", start + size, count)
    return count


def _findings(s: _Structure, count: int, rng: random.Random, progress: Any) -> list[Finding]:
    schemes = {kind: _categories(kind) for kind in SchemeKind.values}
    reported = [i for i in s.inspections if i.stage in (Stage.RECTIFYING, Stage.ARCHIVED)]
    sequences: dict[int, int] = {}
    made: list[Finding] = []
    for start, size in _batches(count):
        rows = []
        for _ in range(size):
            inspection = rng.choice(reported)
            sequences[inspection.pk] = sequences.get(inspection.pk, 0) + 1
            sequence = sequences[inspection.pk]
            rows.append(
                Finding(
                    inspection=inspection,
                    sequence=sequence,
                    number=f"W{sequence:05d}",
                    title="批量样例问题",
                    description="批量样例数据。",
                    status=FindingStatus.SIGNED_OFF,
                    focus=rng.choice(schemes[SchemeKind.FOCUS]),
                    discipline=rng.choice(schemes[SchemeKind.DISCIPLINE]),
                    nature=rng.choice(schemes[SchemeKind.NATURE]),
                    four_winds=rng.choice(schemes[SchemeKind.FOUR_WINDS]) if rng.random() < 0.3 else None,
                )
            )
        _insert(Finding, rows)
        made += rows
        progress("问题底稿", start + size, count)
    return made


def _clues(
    s: _Structure, findings: list[Finding], rng: random.Random, today: datetime.date, progress: Any
) -> tuple[int, int]:
    sources = findings[::CLUES_PER_FINDINGS]
    kinds = list(ClueKind.values)
    sequences: dict[int, int] = {}
    transfers = 0
    for start, size in _batches(len(sources)):
        clues, sent = [], []
        for finding in sources[start : start + size]:
            inspection = finding.inspection
            sequences[inspection.pk] = sequences.get(inspection.pk, 0) + 1
            sequence = sequences[inspection.pk]
            department = rng.choice(s.departments[inspection.round.committee_id])
            transferred = rng.random() < 0.8
            clue = Clue(
                inspection=inspection,
                sequence=sequence,
                number=f"X{sequence:05d}",
                finding=finding,
                title="批量样例线索",
                content="批量样例数据。",
                kind=rng.choice(kinds),
                department=department,
                status=ClueStatus.TRANSFERRED if transferred else ClueStatus.APPROVED,
                drafted_by=s.office,
            )
            clues.append(clue)
            if transferred:
                sent.append(_transfer(clue, s.office, rng, today))
        with transaction.atomic():
            Clue.objects.bulk_create(clues, batch_size=1000)
            ClueTransfer.objects.bulk_create(sent, batch_size=1000)
        transfers += len(sent)
        progress("问题线索", start + size, len(sources))
    return len(sources), transfers


def _transfer(clue: Clue, office: User, rng: random.Random, today: datetime.date) -> ClueTransfer:
    sent_on = _day_in_round(clue.inspection, rng, today)
    status = rng.choice(ClueTransferStatus.values)
    disposed = status in (ClueTransferStatus.DISPOSED, ClueTransferStatus.REPORTED)
    return ClueTransfer(
        clue=clue,
        department=clue.department,
        letter_number=f"移交〔{sent_on.year}〕{clue.number}",
        status=status,
        sent_by=office,
        sent_at=_aware(sent_on, rng),
        due_on=sent_on + datetime.timedelta(days=90),
        disposal=rng.choice(Disposal.values) if disposed else "",
        outcome=rng.choice(Outcome.values) if status == ClueTransferStatus.REPORTED else "",
    )


def _items(s: _Structure, count: int, rng: random.Random, today: datetime.date, progress: Any) -> int:
    rectifying = [i for i in s.inspections if i.stage in (Stage.RECTIFYING, Stage.ARCHIVED)]
    numbers: dict[int, int] = {}
    kinds = list(ItemKind.values)
    for start, size in _batches(count):
        rows = []
        for _ in range(size):
            inspection = rng.choice(rectifying)
            numbers[inspection.pk] = numbers.get(inspection.pk, 0) + 1
            due = inspection.round.planned_start + datetime.timedelta(days=rng.randint(120, 400))
            archived = inspection.stage == Stage.ARCHIVED
            closed = archived or rng.random() < 0.5
            closed_on = min(due + datetime.timedelta(days=rng.randint(-60, 30)), today) if closed else None
            rows.append(
                Item(
                    inspection=inspection,
                    number=numbers[inspection.pk],
                    source=ItemSource.FIELDWORK,
                    issue="批量样例问题",
                    measure="批量样例整改措施",
                    kind=rng.choice(kinds),
                    leader="分管负责人",
                    department="办公室",
                    due_on=due,
                    status=ItemStatus.CLOSED
                    if closed
                    else rng.choice([ItemStatus.OPEN, ItemStatus.SUBMITTED]),
                    closed_at=_aware(closed_on, rng) if closed_on else None,
                    closed_by=s.office if closed else None,
                )
            )
        _insert(Item, rows)
        progress("整改事项", start + size, count)
    return count


def generate_bulk_history(
    petitions: int,
    items: int,
    *,
    progress: Callable[[str, int, int], None],
    today: datetime.date | None = None,
    seed: int = 1,
) -> HistoryCounts:
    """One city with two counties, ``YEARS`` years of rounds, and ``petitions`` petitions and ``items``
    rectification items (with findings, clues and transfers in proportion) bulk-inserted among their
    inspections, with the dashboard's rollups recounted for them; then one audit event with the counts."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    index = Committee.objects.filter(name__startswith=PREFIX, level=CommitteeLevel.CITY).count() + 1
    s = _structure(index, today=today)
    counts = HistoryCounts(committees=len(s.committees), inspections=len(s.inspections))
    counts.petitions = _petitions(s, petitions, rng, today, progress)
    made = _findings(s, max(petitions // FINDINGS_PER_PETITIONS, 1 if petitions else 0), rng, progress)
    counts.findings = len(made)
    counts.clues, counts.transfers = _clues(s, made, rng, today, progress)
    counts.items = _items(s, items, rng, today, progress)
    rollups.rebuild(inspection.pk for inspection in s.inspections)  # bulk_create sends no signals
    _summarise(s.city, s.office, counts)
    return counts


@action
def _summarise(city: Committee, office: User, counts: HistoryCounts) -> None:
    record(
        "demo.bulk_history",
        city,
        by=None,
        details={"office": office.username, "bulk_inserted": True, **counts.as_dict()},
    )
