"""Findings in the demo: the city's default regulations, and the 问题底稿 of this year's round.

The first team's inspection (市财政局) has one finding signed off with the petitions it rests on as evidence
(the banquet reported by web and phone), one discussed at the 组务会 and waiting for sign-off, and one draft
by the team leader (who therefore cannot sign it off). The second team's inspection (市交通运输局) has a
signed-off finding on the same 三个聚焦 item, so the office's common-problems page shows it. The second
team's leader has no account in the demo, so the system records its meeting and sign-off.

Clues (问题线索) of the first team: one from the signed-off finding, approved by ``t1_leader`` and ``office``,
transferred to the 纪委监委 and signed for, disposed of and reported back by ``jiwei``; one from the
discussed finding, transferred to the 组织部 and awaiting ``zuzhibu``'s report; and a 高度保密 draft by the
team leader, which the team's members and the leading group do not see.
"""

from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.findings import actions
from xuncha.findings.clues import actions as clues
from xuncha.findings.clues import transfers
from xuncha.findings.defaults import DISCIPLINE_RULES, EIGHT_RULES, SELECTION_RULES
from xuncha.findings.models import Clue, Finding, Regulation
from xuncha.intake.choices import Channel
from xuncha.intake.models import Petition
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection
from xuncha.taxonomy import defaults
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category

from .data import CITY

if TYPE_CHECKING:
    from .build import World


def _category(kind: str, code: str) -> Category:
    return Category.objects.get(scheme__kind=kind, scheme__is_default=True, code=code)


def _rules(committee_id: int, *names_and_articles: tuple[str, str]) -> list[Regulation]:
    return [
        Regulation.objects.get(committee_id=committee_id, name=n, article=a) for n, a in names_and_articles
    ]


def _person(inspection: Inspection, category: str) -> Person:
    return Person.objects.filter(unit=inspection.unit, category=category).order_by("pk")[0]


def build_findings(w: "World") -> None:
    office, leader, member = w.users["office"], w.users["t1_leader"], w.users["t1_member"]
    city = w.committees[CITY]
    actions.install_default_regulations(city, by=office)
    today = timezone.localdate()
    first = w.inspections["2:第一巡察组"]
    unit = first.unit.name
    banquet = Petition.objects.filter(inspection=first, content__contains="滨江酒店").exclude(
        channel=Channel.BOX
    )
    promotion = Petition.objects.get(inspection=first, content__contains="任职年限")
    meetings = Petition.objects.get(inspection=first, content__contains="开会太多")
    principal, deputy = _person(first, PostCategory.PRINCIPAL), _person(first, PostCategory.LEADERSHIP)
    eight_rules = _category(SchemeKind.FOCUS, "2.4")
    integrity = _category(SchemeKind.DISCIPLINE, defaults.INTEGRITY)
    style = _category(SchemeKind.NATURE, "3")

    signed = actions.draft_finding(
        first,
        data=actions.FindingInput(
            title="主要负责人多次公款宴请，以会议费名义报销",
            description=(
                f"经查阅{unit}2025年会议费报销凭证并与相关人员谈话核实，{principal.name}同志在滨江酒店"
                "安排公务宴请11次，费用共计17.6万元，均以会议费名义报销，无公函、无接待清单。"
            ),
            focus=eight_rules,
            regulations=_rules(city.pk, (EIGHT_RULES, ""), (DISCIPLINE_RULES, "第八章")),
            basis_note="违反中央八项规定精神和公务接待管理规定，属违规公款吃喝。",
            unit_responsible=True,
            persons=[principal],
            discipline=integrity,
            nature=style,
            four_winds=_category(SchemeKind.FOUR_WINDS, "4"),
            commonality="common",
            root_cause="responsibility",
            evidence=list(banquet),
        ),
        by=member,
    )
    actions.discuss_finding(
        signed, meeting_on=today, opinion="事实清楚，定性准确，同意列入巡察报告。", by=leader
    )
    actions.sign_off_finding(signed, by=leader)

    discussed = actions.draft_finding(
        first,
        data=actions.FindingInput(
            title="破格提拔未达任职年限的干部，程序不规范",
            description=(
                f"{deputy.name}同志分管的科室2025年提拔1名科长，任职年限不满足条件，未按规定报批破格提拔，"
                "动议和民主推荐环节记录缺失。"
            ),
            focus=_category(SchemeKind.FOCUS, "3.2"),
            regulations=_rules(city.pk, (SELECTION_RULES, "")),
            unit_responsible=True,
            persons=[deputy],
            discipline=_category(SchemeKind.DISCIPLINE, defaults.ORGANISATIONAL),
            nature=_category(SchemeKind.NATURE, "2"),
            root_cause="system",
            evidence=[promotion],
        ),
        by=member,
    )
    actions.discuss_finding(
        discussed, meeting_on=today, opinion="同意；建议移交市委组织部核查选拔任用程序。", by=leader
    )
    _clues(w, first, signed, discussed)

    actions.draft_finding(
        first,
        data=actions.FindingInput(
            title="会议文件过多，调研走过场",
            description="2025年局机关召开各类会议160余次，转发文件层层照搬，部分调研未形成报告。",
            focus=_category(SchemeKind.FOCUS, "2.1"),
            discipline=_category(SchemeKind.DISCIPLINE, defaults.WORK),
            four_winds=_category(SchemeKind.FOUR_WINDS, "1"),
            evidence=[meetings],
        ),
        by=leader,
    )

    second = w.inspections["2:第二巡察组"]
    transport = actions.draft_finding(
        second,
        data=actions.FindingInput(
            title="超标准接待，接待费用转嫁下属单位",
            description=f"{second.unit.name}2025年接待上级检查组7次，超标准安排宴请，费用由下属公路管理站承担。",
            focus=eight_rules,
            regulations=_rules(city.pk, (EIGHT_RULES, "")),
            unit_responsible=True,
            persons=[_person(second, PostCategory.PRINCIPAL)],
            discipline=integrity,
            nature=style,
            four_winds=_category(SchemeKind.FOUR_WINDS, "4"),
            commonality="common",
            root_cause="system",
        ),
        by=w.users["t2_member"],
    )
    actions.discuss_finding(transport, meeting_on=today, opinion="同意。", by=None)
    actions.sign_off_finding(transport, by=None)


def _clues(w: "World", inspection: Inspection, signed: Finding, discussed: Finding) -> None:
    office, leader, member = w.users["office"], w.users["t1_leader"], w.users["t1_member"]

    def approved(data: clues.ClueInput) -> Clue:
        clue = clues.draft_clue(inspection, data=data, by=member)
        clues.submit_clue(clue, by=member)
        clues.approve_clue(clue, by=leader)
        return clues.approve_clue(clue, by=office)

    principal, deputy = list(signed.persons.all()), list(discussed.persons.all())
    banquet = approved(
        clues.ClueInput(
            title="主要负责人违规公款宴请问题线索",
            content=(
                f"{signed.description}\n另据信访反映，{principal[0].name}同志在宴请中收受下属单位负责人"
                "所送购物卡，金额不详，需进一步核实。"
            ),
            kind="discipline",
            persons=principal,
            finding=signed,
        ),
    )
    jiwei = w.users["jiwei"]
    to_jiwei = transfers.transfer_clue(banquet, by=office)
    transfers.receive_clue_transfer(to_jiwei, by=jiwei)
    transfers.dispose_clue_transfer(to_jiwei, disposal="verify", by=jiwei)
    transfers.report_clue_transfer(
        to_jiwei,
        outcome="form_2",
        result="经初步核实，违规公款宴请问题属实，收受购物卡问题查无实据。给予其党内警告处分，责令退赔相关费用。",
        by=jiwei,
    )

    promotion = approved(
        clues.ClueInput(
            title="违规破格提拔干部问题线索",
            content=discussed.description,
            kind="selection",
            persons=deputy,
            finding=discussed,
        ),
    )
    transfers.receive_clue_transfer(transfers.transfer_clue(promotion, by=office), by=w.users["zuzhibu"])

    clues.draft_clue(
        inspection,
        data=clues.ClueInput(
            title="领导干部亲属经商办企业问题线索",
            content=f"反映{principal[0].name}同志配偶实际控制的公司承接本单位信息化项目，需核实是否存在利益输送。",
            kind="discipline",
            persons=principal,
            confidential=True,
        ),
        by=leader,
    )
