"""Three years of history in the demo (统计分析, 上下联动, 跨轮次共性问题), loaded by ``demo-data --history``:
earlier rounds of the city and of both counties, taken through the actions from the work plan to 整改, so
that every chart of the dashboard shows a believable picture.

- 江州市委: two earlier rounds (three and two years ago), two inspections each.
- 清河县委 (``county_office``): one round a year for the last three years, one inspection each. Its office
  files each round plan, team report and rectification summary with the city's office (报备), which
  acknowledges them; one report summary was filed late and the last rectification summary is overdue.
- 安平县委 (no office account in the demo: the system records its steps): one round a year, one inspection
  each; its petitions await triage and it has filed nothing upward, so it is late on every filing.
- The oldest round of each committee has its rectification assessed (整改评估) and is in 评估回访.

Each inspection receives petitions by several channels, weeks apart; has three signed-off findings, one of
them the same 八项规定 problem (公务接待超标准) told a little differently each time, so that it recurs across
rounds, terms and committees; and 边巡边改 items, most closed on time, some late, one in two still open. The
city's 第一巡察组 (led by 刘振华, ``t1_leader``) also makes clues, approved and transferred to the 纪委监委
and the 组织部, which report their outcomes; two of two years ago are overdue with their report-back. The
city's office turns the recurring problem into a 建章立制 recommendation led by the 市委组织部.

The actions rightly stamp "now": the moments that belong to the past (the rounds' creation, the reports'
定稿, the items' deadlines and closure, the uploads and filings) are then moved back to when they happened,
as demo/rectification.py does with its overdue task.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.analytics import common, filings
from xuncha.analytics.models import Filing, FilingKind, RecommendationBasis
from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.findings import actions as findings
from xuncha.findings.choices import ClueKind, Disposal, Outcome
from xuncha.findings.clues import actions as clues
from xuncha.findings.clues import transfers
from xuncha.findings.models import Clue, ClueTransfer, Finding
from xuncha.intake.actions import triage
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.choices import Channel, Decision, Scope, ScopeReason
from xuncha.orgs import actions as orgs
from xuncha.orgs.choices import DepartmentKind, PostCategory
from xuncha.orgs.models import Person
from xuncha.rectification.actions import items, supervision
from xuncha.rectification.actions import reports as unit_reports
from xuncha.rectification.choices import ItemKind
from xuncha.rectification.choices import ReportKind as UnitReportKind
from xuncha.rectification.models import Item, UnitReport
from xuncha.reports import actions as reports
from xuncha.reports.choices import Decision as HearingDecision
from xuncha.reports.choices import Recipient
from xuncha.reports.models import Report
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, Term
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .data import CITY, COUNTY_A, COUNTY_B
from .plans import SECRETARIES, prepare_round
from .reports import hold_secretary_meeting

if TYPE_CHECKING:
    from .build import World

L, M = TeamRole.LEADER, TeamRole.MEMBER
Members = tuple[tuple[str, str], ...]
REPORT = Upload(name="整改情况报告.pdf", data=b"%PDF-1.4 rectification report")


@dataclass(frozen=True)
class Past:
    """One earlier round: its committee, how many years ago, and (team, unit key, members) per inspection."""

    committee: str
    years_ago: int
    teams: tuple[tuple[str, str, Members], ...]


# 刘振华 (t1_leader) led each earlier round's 第一巡察组, as he led the archived round (demo/archive.py): the
# clues of those inspections need a team leader's approval from an account (clue_history below).
CITY_TEAMS = (
    (("t1_leader", L), ("i10", M)),
    (("i12", L), ("i15", M)),
    (("t1_leader", L), ("i8", M)),
    (("i5", L), ("i10", M)),
)
QH, AP = (("qh1", L), ("qh2", M)), (("ap1", L), ("ap2", M))
ROUNDS: tuple[Past, ...] = (
    Past(CITY, 3, (("第一巡察组", "health", CITY_TEAMS[0]), ("第二巡察组", "housing", CITY_TEAMS[1]))),
    Past(CITY, 2, (("第一巡察组", "water", CITY_TEAMS[2]), ("第二巡察组", "land", CITY_TEAMS[3]))),
    Past(COUNTY_A, 3, (("第一巡察组", "chengguan", QH),)),
    Past(COUNTY_A, 2, (("第一巡察组", "dongjie", QH),)),
    Past(COUNTY_A, 1, (("第一巡察组", "qh_edu", QH),)),
    Past(COUNTY_B, 3, (("第一巡察组", "shiqiao", AP),)),
    Past(COUNTY_B, 2, (("第一巡察组", "ap_hospital", AP),)),
    Past(COUNTY_B, 1, (("第一巡察组", "shiqiao", AP),)),
)
COUNTY_B_INSPECTORS = (("ap1", "罗志刚", "安平县委巡察办副主任"), ("ap2", "韩雪", "安平县财政局干部"))

# The problem that recurs (三个聚焦 2.4, 廉洁纪律), told differently each time; and the others, in turn.
RECURRING = (
    "公务接待超标准、超范围",
    "{unit}以会议、培训名义安排公务接待{n}次，超标准列支餐费，部分接待无公函、无清单。",
)
OTHERS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # title, 表现, 三个聚焦 item, 六项纪律, 问题性质, 四风 ("" none)
    (
        "落实上级重大决策部署打折扣",
        "{unit}对上级部署的重点任务推进迟缓，{n}项任务未按期完成。",
        "1.2",
        defaults.POLITICAL,
        "1",
        "",
    ),
    (
        "选人用人程序不规范",
        "{unit}近三年提拔的干部中有{n}人动议、考察环节记录缺失。",
        "3.2",
        defaults.ORGANISATIONAL,
        "2",
        "",
    ),
    (
        "工程项目管理不规范",
        "{unit}有{n}个工程项目未批先建、化整为零规避招标。",
        "2.5",
        defaults.INTEGRITY,
        "4",
        "",
    ),
    (
        "文山会海问题突出，调研走过场",
        "{unit}全年召开各类会议{n}0余次，多数调研未形成成果。",
        "2.1",
        defaults.WORK,
        "3",
        "1",
    ),
    (
        "基层党组织“三会一课”不落实",
        "{unit}所属{n}个党支部未按规定开展组织生活。",
        "3.1",
        defaults.ORGANISATIONAL,
        "2",
        "",
    ),
    (
        "侵害群众利益问题整治不力",
        "群众反映的{n}件涉民生问题未及时办理，推诿扯皮。",
        "2.3",
        defaults.MASS,
        "3",
        "2",
    ),
)
PETITIONS = (
    (Channel.LETTER, "反映{unit}领导以会议名义公款吃喝，接待费用转嫁下属单位。", "2.4", defaults.INTEGRITY),
    (Channel.PHONE, "反映{unit}在工程项目招标中打招呼、搞暗箱操作。", "2.5", defaults.INTEGRITY),
    (Channel.VISIT, "反映{unit}提拔干部不公开，群众意见大。", "3.2", defaults.ORGANISATIONAL),
    (Channel.EMAIL, "反映{unit}办事推诿，群众反映的问题长期得不到解决。", "2.3", defaults.MASS),
    (Channel.LETTER, "本人与{unit}下属公司存在劳动争议，请求帮助追讨工资。", "", ""),
)


def _category(kind: str, code: str) -> Category | None:
    return defaults.category(kind, code) if code else None


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _office(w: "World", committee: str) -> User | None:
    return {CITY: w.users["office"], COUNTY_A: w.users["county_office"]}.get(committee)


def build_history(w: "World") -> None:
    today = timezone.localdate()
    for key, name, post in COUNTY_B_INSPECTORS:
        w.inspectors[key] = orgs.create_inspector(
            committee=w.committees[COUNTY_B], name=name, post=post, expertise=["discipline"], by=None
        )
    made: list[Inspection] = []
    for i, past in enumerate(ROUNDS):
        made += _round(w, past, today, i)
    _recommend(w, today)
    _file_upward(w, made)


def _team(
    w: "World", round_: Round, name: str, unit_key: str, members: Members, by: User | None
) -> Inspection:
    team = rounds.create_team(round=round_, name=name, by=by)
    inspection = rounds.create_inspection(round=round_, team=team, unit=w.units[unit_key], by=by)
    for inspector_key, role in members:
        rounds.add_team_member(team=team, inspector=w.inspectors[inspector_key], role=role, by=by)
    return inspection


def _round(w: "World", past: Past, today: datetime.date, index: int) -> list[Inspection]:
    from .build import advance  # build imports this module

    office = _office(w, past.committee)
    committee = w.committees[past.committee]
    year = today.year - past.years_ago
    spring = past.years_ago % 2 == 1
    start = datetime.date(year, 4 if spring else 9, 1)
    term = Term.objects.filter(committee=committee, starts_on__lte=start, ends_on__gte=start).first()
    round_ = rounds.create_round(
        committee=committee,
        term=term,
        number=10 + index,
        name=f"{year}年{committee.short_name}第{'一' if spring else '二'}轮巡察",
        kind=RoundKind.ROUTINE,
        planned_start=start,
        planned_end=datetime.date(year, 6 if spring else 11, 30),
        by=office,
    )
    created = _at(round_.planned_start - datetime.timedelta(days=30))
    Round.objects.filter(pk=round_.pk).update(created_at=created)
    inspections = [
        _team(w, round_, team, unit_key, members, office) for team, unit_key, members in past.teams
    ]
    city = past.committee == CITY
    approver = w.users["leader"] if city else None
    # 安平县 has no office account in the demo: the system records its office's steps.
    prepare_round(
        round_,
        office=office,  # type: ignore[arg-type]
        approver=approver,
        secretary=SECRETARIES["city" if city else "county"],
    )
    done = []
    for n, inspection in enumerate(inspections):
        inspection = advance(inspection, Stage.FIELDWORK, by=office)
        _petitions(inspection, office, round_.planned_start, index + n)
        signed = _findings(inspection, index + n)
        if office is not None and dict(past.teams[n][2]).get("t1_leader") == L:
            _clues(w, inspection, signed, past.years_ago, round_.planned_end)
        _items(inspection, office, round_.planned_end, index + n)
        done.append(
            advance(inspection, Stage.REPORTING, by=office, reason_to_end_fieldwork="了解阶段已按计划完成。")
        )
    heard_on = round_.planned_end + datetime.timedelta(days=15)
    report_list = [reports.submit_report(reports.assemble_report(i, by=None), by=None) for i in done]
    reports.record_hearing(
        round_,
        held_on=heard_on,
        attendees="巡察工作领导小组组长、副组长及成员",
        items=[reports.HearingItem(r, HearingDecision.APPROVED, "同意，按程序反馈。") for r in report_list],
        by=approver,
    )
    Report.objects.filter(pk__in=[r.pk for r in report_list]).update(final_at=_at(heard_on, 16))
    hold_secretary_meeting(done, held_on=heard_on, chair=SECRETARIES["city" if city else "county"], by=office)
    finished: list[Inspection] = []
    for inspection in done:
        inspection = advance(inspection, Stage.FEEDBACK, by=office)
        feedback = reports.assemble_feedback(inspection, recipient=Recipient.UNIT, by=None)
        reports.deliver_feedback(
            feedback,
            meeting_on=heard_on + datetime.timedelta(days=10),
            place=f"{inspection.unit.name}会议室",
            attendees="被巡察党组织领导班子成员",
            delivered_by=f"{inspection.team.name}组长",
            by=office,
        )
        inspection = advance(inspection, Stage.RECTIFYING, by=office)
        if past.years_ago == 3:  # the oldest round: its rectification assessed, now in 评估回访
            score = 92 - 7 * (len(finished) + index % 3)
            supervision.assess(
                inspection, score=score, comments="整改总体到位，长效机制有待巩固。", by=office
            )
            inspection = advance(inspection, Stage.REVIEWING, by=office)
        finished.append(inspection)
    return finished


def _petitions(inspection: Inspection, office: User | None, start: datetime.date, n: int) -> None:
    unit = inspection.unit.name
    leaders = list(
        Person.objects.filter(
            unit=inspection.unit, category__in=(PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)
        ).order_by("pk")
    )
    for k, (channel, text, focus, discipline) in enumerate(PETITIONS[: 3 + n % 3]):
        petition = register_petition(
            inspection,
            data=PetitionInput(
                content=text.format(unit=unit),
                channel=channel,
                in_duty_hours=True if channel == Channel.PHONE else None,
                received_at=_at(start + datetime.timedelta(days=12 + 17 * k)),
            ),
            by=office,
        )
        if office is None:
            continue
        if not focus:
            triage.triage_petition(
                petition,
                decision=Decision.TRANSFER,
                scope=Scope.OUT,
                scope_reason=ScopeReason.PERSONAL_CLAIM,
                note="个人诉求，按属地管理转有关单位办理。",
                by=office,
            )
            continue
        triage.triage_petition(
            petition,
            decision=Decision.ACCEPT,
            scope=Scope.IN,
            scope_reason=ScopeReason.LEADERSHIP,
            discipline=_category(SchemeKind.DISCIPLINE, discipline),
            focus=_category(SchemeKind.FOCUS, focus),
            persons=[leaders[k % len(leaders)]],  # a different leadership member each time
            by=office,
        )


def _findings(inspection: Inspection, n: int) -> list[Finding]:
    unit = inspection.unit.name
    principal = Person.objects.filter(unit=inspection.unit, category=PostCategory.PRINCIPAL).first()
    chosen = [
        (
            RECURRING[0] if n % 2 else f"{RECURRING[0]}问题突出",
            RECURRING[1].format(unit=unit, n=6 + n),
            "2.4",
            defaults.INTEGRITY,
            "3",
            "4",
        ),
        OTHERS[n % len(OTHERS)],
        OTHERS[(n + 2) % len(OTHERS)],
    ]
    signed = []
    for k, (title, description, focus, discipline, nature, winds) in enumerate(chosen):
        finding = findings.draft_finding(
            inspection,
            data=findings.FindingInput(
                title=title,
                description=description.format(unit=unit, n=3 + n),
                focus=_category(SchemeKind.FOCUS, focus),
                discipline=_category(SchemeKind.DISCIPLINE, discipline),
                nature=_category(SchemeKind.NATURE, nature),
                four_winds=_category(SchemeKind.FOUR_WINDS, winds),
                basis_note="违反相关党内法规和制度规定。",
                unit_responsible=True,
                persons=[principal] if principal and k == 0 else [],
                commonality="common" if k == 0 else "individual",
                root_cause="system" if k == 0 else "responsibility",
            ),
            by=None,
        )
        findings.discuss_finding(finding, meeting_on=timezone.localdate(), opinion="同意。", by=None)
        signed.append(findings.sign_off_finding(finding, by=None))
    return signed


# The clues of the city's earlier 第一巡察组 (approved by 刘振华 and the office, transferred by the office):
# (kind, whom among the unit's leaders, the disposal, the outcome or "" while unreported, received or not).
HISTORY_CLUES: dict[int, tuple[tuple[ClueKind, int, str, str, bool], ...]] = {
    3: (
        (ClueKind.DISCIPLINE, 0, Disposal.VERIFY, Outcome.FORM_2, True),
        (ClueKind.SELECTION, 1, Disposal.TALK, Outcome.FORM_1, True),
    ),
    2: (
        (ClueKind.DISCIPLINE, 0, Disposal.VERIFY, Outcome.FORM_3, True),
        (ClueKind.SELECTION, 1, Disposal.TALK, "", True),  # disposed of, its result overdue
        (ClueKind.DISCIPLINE, 2, "", "", False),  # never signed for: overdue
    ),
}
CLUE_TEXT: dict[str, tuple[str, str]] = {
    ClueKind.DISCIPLINE: (
        "违规公款接待问题线索",
        "{description}另据反映，{name}同志在接待中收受下属单位所送礼品，需进一步核实。",
    ),
    ClueKind.SELECTION: (
        "干部选拔任用中打招呼问题线索",
        "反映{name}同志在本单位干部选拔中为亲属打招呼，动议、考察环节记录缺失，需核实。",
    ),
}
RESULTS: dict[str, str] = {
    Outcome.FORM_1: "经谈话函询，本人如实说明情况，对其批评教育并责令作出书面检查。",
    Outcome.FORM_2: "经初步核实，违规接待问题属实，给予其党内警告处分，责令退赔相关费用。",
    Outcome.FORM_3: "经初步核实并立案审查，问题属实，给予其撤销党内职务处分。",
}


def _clues(
    w: "World", inspection: Inspection, signed: list[Finding], years_ago: int, end: datetime.date
) -> None:
    """The inspection's clues, through the actions: drafted by the system for the team, approved by 刘振华
    (t1_leader, this team's leader) and the office, transferred by the office to the 纪委监委 or the 组织部,
    which sign for, dispose of and report back on them — all but the latest round's last two, whose results
    are overdue. The transfers' moments are then moved back to the round's time."""
    office, leader = w.users["office"], User.objects.get(pk=w.users["t1_leader"].pk)  # this team's role
    leaders = list(
        Person.objects.filter(
            unit=inspection.unit, category__in=(PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)
        ).order_by("category", "pk")
    )
    receivers: dict[str, User] = {
        ClueKind.DISCIPLINE: w.users["jiwei"],
        ClueKind.SELECTION: w.users["zuzhibu"],
    }
    for k, (kind, whom, disposal, outcome, received) in enumerate(HISTORY_CLUES[years_ago]):
        person = leaders[whom % len(leaders)]
        title, text = CLUE_TEXT[kind]
        finding = signed[0] if kind == ClueKind.DISCIPLINE and whom == 0 else None
        description = finding.description if finding else ""
        clue = clues.draft_clue(
            inspection,
            data=clues.ClueInput(
                title=title,
                content=text.format(description=description, name=person.name),
                kind=kind,
                persons=[person],
                finding=finding,
            ),
            by=None,
        )
        clues.submit_clue(clue, by=None)
        clues.approve_clue(clue, by=leader)
        clue = clues.approve_clue(clue, by=office)
        transfer = transfers.transfer_clue(clue, by=office)
        receiver = receivers[kind]
        if received:
            transfers.receive_clue_transfer(transfer, by=receiver)
            transfers.dispose_clue_transfer(transfer, disposal=disposal, by=receiver)
        if outcome:
            transfers.report_clue_transfer(transfer, outcome=outcome, result=RESULTS[outcome], by=receiver)
        sent = end - datetime.timedelta(days=20 - 3 * k)
        Clue.objects.filter(pk=clue.pk).update(
            created_at=_at(sent - datetime.timedelta(days=6)),
            updated_at=_at(sent - datetime.timedelta(days=6)),
            submitted_at=_at(sent - datetime.timedelta(days=5)),
            leader_approved_at=_at(sent - datetime.timedelta(days=4)),
            office_approved_at=_at(sent - datetime.timedelta(days=2)),
        )
        ClueTransfer.objects.filter(pk=transfer.pk).update(
            sent_at=_at(sent),
            due_on=sent + datetime.timedelta(days=90),
            received_at=_at(sent + datetime.timedelta(days=2)) if received else None,
            disposed_at=_at(sent + datetime.timedelta(days=15)) if received else None,
            reported_at=_at(sent + datetime.timedelta(days=75)) if outcome else None,
        )


def _items(inspection: Inspection, office: User | None, end: datetime.date, n: int) -> None:
    """Three 边巡边改 items, all closed (the third late) or, when ``n`` is even, two closed and one open."""
    today = timezone.localdate()
    made = []
    for k, (issue, measure) in enumerate(
        (
            ("违规发放津贴补贴。", "立即停止发放并追缴。"),
            ("公务用车管理不规范。", "完善公务用车登记审批制度。"),
            ("内控制度不健全。", "修订内部控制制度并组织学习。"),
        )
    ):
        item = items.issue_item(
            inspection,
            issue=issue,
            measure=measure,
            kind=ItemKind.IMMEDIATE if k == 0 else ItemKind.DEADLINE,
            leader="主要负责人",
            department="办公室",
            due_on=today + datetime.timedelta(days=30),
            by=None,
        )
        made.append(item)
    for k, item in enumerate(made[: 2 if n % 2 == 0 else 3]):
        items.add_progress(
            item,
            text="已按要求整改到位。",
            files=[Upload(name="整改佐证.txt", data="整改佐证材料。".encode())],
            by=None,
        )
        items.submit_item(item, by=None)
        items.close_item(item, note="经核实，同意销号。", by=office)
        closed = end + datetime.timedelta(days=10 + 10 * k)
        due = end + datetime.timedelta(days=25)
        Item.objects.filter(pk=item.pk).update(due_on=due, closed_at=_at(closed))
    Item.objects.filter(pk__in=[i.pk for i in made], closed_at__isnull=True).update(
        due_on=end + datetime.timedelta(days=60)
    )


def _recommend(w: "World", today: datetime.date) -> None:
    """The city office turns the recurring 八项规定 problem into a 建章立制 督办单 led by the 组织部."""
    focus = _category(SchemeKind.FOCUS, "2.4")
    common.recommend(
        w.committees[CITY],
        basis=RecommendationBasis.FOCUS,
        category=focus,
        subject="健全公务接待管理制度，堵塞以会议培训名义违规接待的漏洞",
        requirements="针对历轮巡察反复发现的公务接待超标准、超范围问题，牵头制定全市公务接待管理办法，"
        "明确接待标准、审批程序和公函清单要求，并组织专项检查。",
        due_on=today + datetime.timedelta(days=90),
        lead_department=w.departments[(CITY, DepartmentKind.ZUZHIBU)],
        by=w.users["office"],
    )


def _file_upward(w: "World", made: list[Inspection]) -> None:
    """清河县 uploads its 整改报告 and files what it owes upward (the city's office acknowledges), all in time
    but one report summary, 12 days late, and the latest rectification summary, not filed (overdue)."""
    county = w.committees[COUNTY_A]
    county_office, city_office = w.users["county_office"], w.users["office"]
    own = {i.round_id: i for i in made if i.round.committee_id == county.pk}
    for inspection in own.values():
        # The county's units have no liaison account in the demo: the system records the upload.
        report = unit_reports.upload_report(
            inspection,
            kind=UnitReportKind.RECTIFICATION,
            file=REPORT,
            by=None,  # type: ignore[arg-type]
        )
        uploaded = _at(inspection.round.planned_end + datetime.timedelta(days=90))
        UnitReport.objects.filter(pk=report.pk).update(added_at=uploaded)
    owed = [e for e in filings.owed([county.pk]) if e.round.pk in own]
    latest = max(own.values(), key=lambda i: i.round.planned_start)
    late = min(own.values(), key=lambda i: i.round.planned_start)
    for entry in owed:
        if entry.kind == FilingKind.RECTIFICATION and entry.inspection == latest:
            continue  # not filed: overdue
        filing = filings.file_filing(
            committee=county,
            kind=entry.kind,
            source_id=entry.source_id,
            summary="" if entry.kind == FilingKind.ROUND_PLAN else "按要求报备，详见报备内容。",
            by=county_office,
        )
        filings.acknowledge_filing(filing, note="收悉。", by=city_office)
        days_late = 12 if entry.kind == FilingKind.TEAM_REPORT and entry.inspection == late else -2
        filed = _at(entry.due_on + datetime.timedelta(days=days_late))
        Filing.objects.filter(pk=filing.pk).update(
            filed_at=filed, acknowledged_at=filed + datetime.timedelta(days=1)
        )
