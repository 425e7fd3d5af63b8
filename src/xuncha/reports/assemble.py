"""What "assemble" writes into a draft: a team report from the inspection's signed-off findings, the
round's comprehensive report from its final team reports, and a feedback's problem list from the final
report's findings.

The text is plain, with the numbering an official document uses typed into it: lines starting "（一）"
and "1." become the second- and third-level headings of the .docx (documents.py), so the team edits the
same text that is printed. Findings are grouped by the first level of 三个聚焦, in the scheme's order.
A team report also gets a draft of what was reflected about each member of the unit's leadership team
(正面、负面反映) and the results of the democratic evaluation and questionnaires (fieldwork's tallies).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from xuncha.core.officialdoc import chinese_number, official_date
from xuncha.fieldwork.actions.surveys import QuestionTally, SurveyTally, tally
from xuncha.fieldwork.choices import SurveyStatus
from xuncha.fieldwork.models import Survey
from xuncha.findings.choices import FindingStatus
from xuncha.findings.common import SCHEMES, common_problems
from xuncha.findings.models import Finding
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection, Round
from xuncha.taxonomy.models import Category

from . import clues
from .choices import Recipient
from .models import Report

OTHER_FOCUS = "其他方面"


def signed_off(inspection: Inspection) -> list[Finding]:
    return list(
        Finding.objects.filter(inspection=inspection, status=FindingStatus.SIGNED_OFF)
        .select_related("focus__parent")
        .prefetch_related("persons")
        .order_by("sequence")
    )


def top_focus(finding: Finding) -> Category | None:
    """The first-level 三个聚焦 item of a finding (its category or that category's parent)."""
    category = finding.focus
    while category is not None and category.parent_id is not None:
        category = category.parent
    return category


def heading(category: Category) -> str:
    """聚焦群众身边腐败问题和不正之风 → 群众身边腐败问题和不正之风方面 (as a report names the item)."""
    name = category.name.removeprefix("聚焦")
    for ending in ("情况", "问题"):
        name = name.removesuffix(ending)
    return f"{name}方面"


def grouped(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by first-level 三个聚焦 item, in the scheme's order; unclassified ones last."""
    groups: dict[Category | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[top_focus(finding)].append(finding)
    ordered = sorted((c for c in groups if c is not None), key=lambda c: c.sort_key)
    result = [(heading(c), groups[c]) for c in ordered]
    if None in groups:
        result.append((OTHER_FOCUS, groups[None]))
    return result


def problems_text(findings: Iterable[Finding]) -> str:
    lines: list[str] = []
    for i, (label, members) in enumerate(grouped(findings), start=1):
        lines.append(f"（{chinese_number(i)}）{label}")
        for j, finding in enumerate(members, start=1):
            lines.append(f"{j}.{finding.title.rstrip('。')}。")
            lines.append(finding.description)
    return "\n".join(lines)


def _day(value: object) -> str:
    return official_date(value) if value else "（日期待补）"  # type: ignore[arg-type]


def basics_text(inspection: Inspection, findings: list[Finding]) -> str:
    petitions = inspection.petitions.count()
    interviews = inspection.interviews.filter(status="done").count()
    return (
        f"根据{inspection.round.committee.name}统一部署，{inspection.team.name}于{_day(inspection.stationed_on)}"
        f"进驻{inspection.unit.name}，至{_day(inspection.fieldwork_ends_on)}完成了解阶段工作。"
        f"巡察期间，受理信访件{petitions}件，个别谈话{interviews}人次。\n"
        f"经组务会研究、组长审签，形成问题底稿{len(findings)}份，现将巡察情况报告如下。"
    )


def team_report(inspection: Inspection) -> tuple[str, str, str, str, list[Finding]]:
    """Title, 基本情况, 发现的主要问题, 问题线索 and the findings they rest on."""
    findings = signed_off(inspection)
    title = f"关于巡察{inspection.unit.name}党组织的情况报告"
    return (
        title,
        basics_text(inspection, findings),
        problems_text(findings),
        clues.summary(inspection),
        findings,
    )


# The leadership team and the democratic evaluation ---------------------------------------------------

LEADERSHIP = (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)


def leadership(inspection: Inspection) -> list[Person]:
    """The unit's leadership team from its roster: the principal first, then the members."""
    people = Person.objects.filter(unit=inspection.unit, category__in=LEADERSHIP, is_active=True)
    return sorted(people, key=lambda p: (LEADERSHIP.index(PostCategory(p.category)), p.pk))


def tallies(inspection: Inspection) -> list[tuple[Survey, SurveyTally]]:
    """The tallies of the inspection's surveys that have been opened (drafts have no answers)."""
    surveys = Survey.objects.filter(inspection=inspection).exclude(status=SurveyStatus.DRAFT)
    return [(survey, tally(survey)) for survey in surveys.order_by("opened_at", "pk")]


def _rating(question: QuestionTally) -> str:
    shares = "，".join(f"“{o.option}”{o.percent:g}%" for o in question.options)
    return f"{question.answered}人参评，{shares}"


def evaluation_text(tallies: list[tuple[Survey, SurveyTally]]) -> str:
    """The democratic evaluation and questionnaires: per survey its responses and, per question with a
    scale, the favourable share (好和较好, 满意和基本满意); never a free-text answer."""
    if not tallies:
        return "巡察期间未开展民主测评和问卷调查。"
    lines: list[str] = []
    for n, (survey, result) in enumerate(tallies, start=1):
        lines.append(f"（{chinese_number(n)}）{survey.title}")
        lines.append(f"共回收有效测评表{result.responses}份（其中纸质{result.paper}份）。")
        k = 0
        for question in result.questions:
            if question.favourable is None or question.answered == 0:
                continue
            k += 1
            lines.append(
                f"{k}.{question.question.text}：{_rating(question)}，好评率{question.favourable:g}%。"
            )
    return "\n".join(lines)


def _leader_ratings(tallies: list[tuple[Survey, SurveyTally]]) -> dict[int, list[QuestionTally]]:
    ratings: dict[int, list[QuestionTally]] = defaultdict(list)
    for _, result in tallies:
        for question in result.leaders:
            if question.question.person_id is not None and question.answered:
                ratings[question.question.person_id].append(question)
    return ratings


def leader_texts(
    inspection: Inspection, findings: list[Finding], tallies: list[tuple[Survey, SurveyTally]]
) -> list[tuple[Person, str, str]]:
    """Per member of the leadership team, what was reflected in his or her favour (the evaluation) and
    against (the signed-off findings naming the person, how many petitions named the person): a draft
    the team completes from the interviews."""
    ratings = _leader_ratings(tallies)
    named: dict[int, list[str]] = defaultdict(list)
    for finding in findings:
        for person in finding.persons.all():
            named[person.pk].append(finding.title.rstrip("。"))
    people = leadership(inspection)
    petitions = dict(
        Person.objects.filter(pk__in=[p.pk for p in people])
        .filter(petitions__inspection=inspection, petitions__about_inspectors=False)
        .annotate(n=Count("petitions", distinct=True))
        .values_list("pk", "n")
    )
    rows = []
    for person in people:
        positive = "；".join(
            f"民主测评{q.favourable:g}%的参评人员评价为“好”或“较好”（{q.answered}人参评）"
            for q in ratings.get(person.pk, [])
        )
        negative = []
        if named.get(person.pk):
            negative.append(f"问题底稿反映：{'；'.join(named[person.pk])}")
        if petitions.get(person.pk):
            negative.append(f"巡察期间收到反映其问题的信访件{petitions[person.pk]}件")
        rows.append(
            (
                person,
                f"{positive}。" if positive else "",
                f"{'。'.join(negative)}。" if negative else "未收到涉及本人的问题反映。",
            )
        )
    return rows


def _counts_by_focus(findings: list[Finding]) -> str:
    parts = [f"{label}{len(members)}个" for label, members in grouped(findings)]
    return "、".join(parts) if parts else "无"


def comprehensive_report(round_: Round, finals: list[Report]) -> tuple[str, str, str, str]:
    """Title, 总体情况, 主要问题 (per inspection and the common problems) and 问题线索 of a round."""
    units = "、".join(r.inspection.unit.name for r in finals if r.inspection)
    basics = (
        f"{round_.name}共巡察{round_.inspections.count()}个党组织，"
        f"领导小组已听取并同意{len(finals)}个巡察组的报告（{units}）。"
    )
    lines: list[str] = []
    n = 0
    for report in finals:
        inspection = report.inspection
        if inspection is None:
            continue
        findings = list(report.findings.select_related("focus__parent"))
        n += 1
        lines.append(f"（{chinese_number(n)}）{inspection.unit.name}")
        lines.append(f"发现问题{len(findings)}个，其中{_counts_by_focus(findings)}。")
    common = [(label, common_problems(round_, by)) for by, label in SCHEMES]
    if any(found for _, found in common):
        n += 1
        lines.append(f"（{chinese_number(n)}）共性问题")
        k = 0
        for label, found in common:
            for problem in found:
                k += 1
                lines.append(
                    f"{k}.{label}：{problem.category.name}。"
                    f"涉及{problem.inspections}个党组织（{'、'.join(problem.unit_names)}）。"
                )
    clue_lines = [
        f"{r.inspection.unit.name}：{clues.count_line(r.inspection)}" for r in finals if r.inspection
    ]
    return f"关于{round_.name}情况的综合报告", basics, "\n".join(lines), "\n".join(clue_lines)


def for_principal(finding: Finding) -> bool:
    """A finding about a leadership member (not the principal) goes to the principal leader
    (对发现的班子成员的问题，要向党组织主要负责人反馈); everything else to the unit's party organisation."""
    return any(p.category == PostCategory.LEADERSHIP for p in finding.persons.all())


def responsible(finding: Finding) -> str:
    names = [f"{p.name}（{p.post}）" for p in finding.persons.all()]
    if finding.unit_responsible:
        names.insert(0, finding.inspection.unit.name + "党组织")
    return "、".join(names)[:200]


def feedback_findings(report: Report, recipient: str) -> list[Finding]:
    findings = report.findings.select_related("focus__parent", "inspection__unit").prefetch_related("persons")
    wanted = recipient == Recipient.PRINCIPAL
    return [f for f in findings.order_by("sequence") if for_principal(f) == wanted]


def feedback_texts(inspection: Inspection, recipient: str) -> tuple[str, str, str]:
    """Title, 总体情况 and 整改要求 of a new feedback."""
    unit = inspection.unit.name
    committee = inspection.round.committee.name
    if recipient == Recipient.PRINCIPAL:
        title = f"{inspection.team.name}关于向{unit}党组织主要负责人反馈巡察情况的意见"
        summary = (
            f"根据{committee}巡察工作安排，现将巡察中发现的{unit}领导班子成员的问题向党组织主要负责人反馈。"
        )
        requirements = "请主要负责人对班子成员的问题逐一谈话提醒，督促其认真整改，并将整改情况按时报告。"
    else:
        title = f"{inspection.team.name}关于巡察{unit}党组织的反馈意见"
        summary = (
            f"根据{committee}统一部署，{inspection.team.name}对{unit}党组织进行了巡察。"
            f"经{committee}巡察工作领导小组听取汇报，现将巡察发现的问题反馈如下。"
        )
        requirements = (
            "请认真对照反馈问题，建立问题清单、任务清单和责任清单，"
            "在2个月内将整改情况报告和主要负责人组织落实整改情况报告报送巡察办。"
        )
    return title, summary, requirements
