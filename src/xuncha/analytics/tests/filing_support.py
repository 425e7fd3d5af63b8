"""Data for the filing (报备) and common-problem (跨轮次共性问题) tests, on the ``world`` fixture.

Filings: the county 东安县委 (below the city) has a round created today (its plan is owed within 10 days),
an inspection of 东安县农业农村局 whose team report became final 20 days ago (owed 15 days after: 5 days
overdue) and which is in 整改 with the unit's 整改报告 uploaded today; two signed-off findings, one naming
a roster person.

Common problems: the city has an earlier round (a year ago) whose inspection of 市城市建设投资集团 is in 整改;
三个聚焦 item A is found in both rounds (so it is common), item B only in the current one; two findings
alike in text are in different rounds, and a third alike in text is in the same round as one of them.
"""

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.files import Upload, check
from xuncha.findings.choices import FindingStatus
from xuncha.findings.models import Finding
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.rectification.choices import ReportKind as UnitReportKind
from xuncha.rectification.models import UnitReport
from xuncha.reports.choices import ReportKind, ReportStatus
from xuncha.reports.models import Report
from xuncha.rounds import actions as rounds_actions
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection, Round, Team
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

PDF = Upload(name="整改报告.pdf", data=b"%PDF-1.4 report")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _save(obj: Any) -> Any:
    obj.save()
    return obj


def categories(kind: str) -> list[Category]:
    return list(Category.objects.filter(scheme__kind=kind, scheme__is_default=True).order_by("code")[:2])


def finding(inspection: Inspection, title: str, *, description: str = "问题表现", **fields: Any) -> Finding:
    sequence = Finding.objects.filter(inspection=inspection).count() + 1
    return _save(
        Finding(
            inspection=inspection,
            sequence=sequence,
            number=f"{inspection.pk}-{sequence}",
            title=title,
            description=description,
            status=FindingStatus.SIGNED_OFF,
            **fields,
        )
    )


def county_filings(w: SimpleNamespace) -> SimpleNamespace:
    w.focus_a, w.focus_b = categories(SchemeKind.FOCUS)
    w.county_round = rounds_actions.create_round(
        committee=w.county_a,
        number=1,
        name="东安县委第一轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=days(-60),
        planned_end=days(30),
        by=None,
    )
    with action_scope("test.filings"):
        team = _save(Team(round=w.county_round, name="县第一巡察组"))
        w.county_inspection = _save(
            Inspection(round=w.county_round, team=team, unit=w.county_unit, stage=Stage.RECTIFYING)
        )
        w.county_person = _save(
            Person(unit=w.county_unit, name="赵县长", post="局长", category=PostCategory.PRINCIPAL)
        )
        named = finding(w.county_inspection, "违规发放津贴补贴", focus=w.focus_a)
        named.persons.set([w.county_person])
        finding(w.county_inspection, "项目资金拨付不规范", focus=w.focus_b)
        w.county_report = _save(
            Report(
                kind=ReportKind.TEAM,
                round=w.county_round,
                inspection=w.county_inspection,
                title="关于巡察东安县农业农村局的报告",
                status=ReportStatus.FINAL,
                final_at=timezone.now() - datetime.timedelta(days=20),
            )
        )
        unit_report = UnitReport(inspection=w.county_inspection, kind=UnitReportKind.RECTIFICATION)
        (checked,) = check([PDF])
        unit_report.seal(checked)
        record("test.filings", None, by=None, committee_id=w.county_a.pk)
    return w


def common_problems(w: SimpleNamespace) -> SimpleNamespace:
    w.focus_a, w.focus_b = categories(SchemeKind.FOCUS)
    w.discipline_a, _ = categories(SchemeKind.DISCIPLINE)
    with action_scope("test.common"):
        w.earlier_round = _save(
            Round(
                committee=w.city,
                number=9,
                name="市委上年第二轮巡察",
                kind=RoundKind.ROUTINE,
                planned_start=days(-400),
                planned_end=days(-300),
            )
        )
        team = _save(Team(round=w.earlier_round, name="上年第一巡察组"))
        w.earlier_inspection = _save(
            Inspection(round=w.earlier_round, team=team, unit=w.unit3, stage=Stage.RECTIFYING)
        )
        w.old_a = finding(
            w.earlier_inspection,
            "公务接待超标准、超范围",
            description="多次以会议名义安排公务接待，超标准列支餐费。",
            focus=w.focus_a,
            discipline=w.discipline_a,
        )
        w.new_a = finding(
            w.inspection1,
            "公务接待超标准超范围问题突出",
            description="以会议名义安排公务接待，超标准列支餐费。",
            focus=w.focus_a,
        )
        w.new_same_round = finding(
            w.inspection1,
            "公务接待超标准",
            description="以会议名义安排公务接待。",
            focus=w.focus_b,
        )
        w.unrelated = finding(w.inspection1, "选人用人程序不规范", description="干部选拔未按规定考察。")
        draft = finding(w.earlier_inspection, "草稿问题", focus=w.focus_b)
        draft.status = FindingStatus.DRAFT
        draft.save()
        # The county: item A in one round only (no common problem there, one finding counted).
        county_round = _save(
            Round(
                committee=w.county_a,
                number=1,
                name="东安县委第一轮巡察",
                kind=RoundKind.ROUTINE,
                planned_start=days(-60),
                planned_end=days(30),
            )
        )
        county_team = _save(Team(round=county_round, name="县第一巡察组"))
        county_inspection = _save(
            Inspection(round=county_round, team=county_team, unit=w.county_unit, stage=Stage.FIELDWORK)
        )
        w.county_finding = finding(county_inspection, "县级问题", focus=w.focus_a)
        record("test.common", None, by=None, committee_id=w.city.pk)
    return w
