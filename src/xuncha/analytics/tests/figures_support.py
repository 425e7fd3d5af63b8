"""Hand-built statistics data on the ``world`` fixture: the numbers every figure should show are known.

City (江东市委), round 1 in term 1 (units 市财政局, 市交通运输局, 市城市建设投资集团 to cover; the
first two are inspected):
- inspection1 (市财政局, 了解): petitions 3 letters, 2 phone calls, 1 web (two letters one matter);
  5 in scope, 1 out, 1 untriaged; findings 2 signed off (三个聚焦 item A), 1 signed off (item B), 1 draft
  (not counted); a clue to 市纪委监委 transferred, report-back overdue, disposed 谈话函询; rectification
  items issued in fieldwork: one closed on time, one overdue (red), one due in 3 days (yellow), one due in
  30 days (green).
- inspection2 (市交通运输局, 准备), its stage overdue.
County (东安县委, below the city): a round of its own inspecting 东安县农业农村局 with 2 phone petitions
and 1 signed-off finding naming a roster person 赵县长; the city's 提级 round inspecting the same county
unit, with 1 petition.
"""

import datetime
import uuid
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.findings.choices import ClueKind, ClueStatus, ClueTransferStatus, Disposal, FindingStatus
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.choices import Channel, Scope
from xuncha.intake.models import DuplicateGroup, Petition
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.rectification.choices import ItemKind, ItemSource, ItemStatus
from xuncha.rectification.models import Item
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection, Round, Team, Term
from xuncha.taxonomy import defaults as taxonomy
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _save(obj: Any) -> Any:
    obj.save()
    return obj


def focus_items() -> list[Category]:
    taxonomy.install()  # the data migration's work (tests run without migrations)
    return list(
        Category.objects.filter(scheme__kind=SchemeKind.FOCUS, scheme__is_default=True).order_by("code")[:2]
    )


class Counter:
    n = 0

    @classmethod
    def next(cls) -> int:
        cls.n += 1
        return cls.n


def petition(inspection: Inspection, channel: str, **fields: Any) -> Petition:
    n = Counter.next()
    return _save(
        Petition(
            id=uuid.uuid4(),
            inspection=inspection,
            number=f"T-{n}",
            channel=channel,
            content=f"反映内容 {n}",
            **fields,
        )
    )


def finding(
    inspection: Inspection, focus: Category | None, status: str = FindingStatus.SIGNED_OFF
) -> Finding:
    n = Counter.next()
    return _save(
        Finding(
            inspection=inspection,
            sequence=n,
            number=f"F{n}",
            title=f"问题 {n}",
            description="问题表现",
            focus=focus,
            status=status,
        )
    )


def item(
    inspection: Inspection, due_on: datetime.date | None, status: str = ItemStatus.OPEN, **fields: Any
) -> Item:
    n = Counter.next()
    return _save(
        Item(
            inspection=inspection,
            number=n,
            source=ItemSource.FIELDWORK,
            issue="问题",
            measure="整改措施",
            kind=ItemKind.DEADLINE,
            leader="局长",
            department="办公室",
            due_on=due_on,
            status=status,
            **fields,
        )
    )


def build(w: SimpleNamespace) -> SimpleNamespace:
    a, b = focus_items()
    w.focus_a, w.focus_b = a, b
    with action_scope("test.analytics"):
        w.term = _save(Term(committee=w.city, name="第一届", starts_on=days(-400), ends_on=days(700)))
        w.term.units.set([w.unit1, w.unit2, w.unit3])
        w.round.term = w.term
        w.round.save()
        w.inspection2.stage_due_on = days(-2)
        w.inspection2.save()

        i1 = w.inspection1
        group = _save(DuplicateGroup(committee=w.city, confirmed_by=w.users["t1_member"]))
        petition(i1, Channel.LETTER, scope=Scope.IN, duplicate_group=group, focus=a)
        petition(i1, Channel.LETTER, scope=Scope.IN, duplicate_group=group, focus=a)
        petition(i1, Channel.LETTER, scope=Scope.IN, focus=b)
        petition(i1, Channel.PHONE, scope=Scope.IN)
        petition(i1, Channel.PHONE, scope=Scope.OUT)
        petition(i1, Channel.WEB)

        finding(i1, a)
        finding(i1, a)
        finding(i1, b)
        finding(i1, a, FindingStatus.DRAFT)

        clue = _save(
            Clue(
                id=uuid.uuid4(),
                inspection=i1,
                sequence=1,
                number="XS01",
                title="线索",
                content="线索内容",
                kind=ClueKind.DISCIPLINE,
                department=w.jiwei_dept,
                status=ClueStatus.TRANSFERRED,
            )
        )
        _save(
            ClueTransfer(
                id=uuid.uuid4(),
                clue=clue,
                department=w.jiwei_dept,
                letter_number="移交〔2026〕1号",
                status=ClueTransferStatus.DISPOSED,
                sent_by=w.users["office"],
                due_on=days(-5),
                disposal=Disposal.TALK,
            )
        )

        item(i1, days(-10), ItemStatus.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=12))
        item(i1, days(-1))
        item(i1, days(3))
        item(i1, days(30))

        # The county's own round.
        w.county_round = _save(
            Round(
                committee=w.county_a,
                number=1,
                name="东安县委第一轮巡察",
                kind=RoundKind.ROUTINE,
                planned_start=days(-30),
                planned_end=days(60),
            )
        )
        county_team = _save(Team(round=w.county_round, name="县第一巡察组"))
        w.county_inspection = _save(
            Inspection(round=w.county_round, team=county_team, unit=w.county_unit, stage=Stage.FIELDWORK)
        )
        petition(w.county_inspection, Channel.PHONE, scope=Scope.IN, subject_name="赵县长")
        petition(w.county_inspection, Channel.PHONE, scope=Scope.IN)
        w.county_person = _save(
            Person(unit=w.county_unit, name="赵县长", post="局长", category=PostCategory.PRINCIPAL)
        )
        county_finding = finding(w.county_inspection, a)
        county_finding.persons.set([w.county_person])

        # The city's 提级 round inspecting the county's unit.
        w.upgraded_round = _save(
            Round(
                committee=w.city,
                number=2,
                name="市委提级巡察",
                kind=RoundKind.UPGRADED,
                planned_start=days(-15),
                planned_end=days(60),
            )
        )
        upgraded_team = _save(Team(round=w.upgraded_round, name="提级巡察组"))
        w.upgraded_inspection = _save(
            Inspection(round=w.upgraded_round, team=upgraded_team, unit=w.county_unit, stage=Stage.FIELDWORK)
        )
        petition(w.upgraded_inspection, Channel.VISIT, scope=Scope.IN)
        record("test.analytics", None, by=None, committee_id=w.city.pk)
    return w
