"""Supervision in the demo (督办单, 整改评估, 回访), on last year's first team's inspection of the development
and reform commission (市发改委, in 整改). Run after build_rectification.

``office`` issues two 督办单 numbered in the city committee's series:

- 督办〔year〕1号 on the task whose closure request ``office`` returned (问责): 市发改委 leads and
  市财政局 cooperates (三位一体); the finance bureau reports how it took part, the commission reports its
  result with a file, so the notice waits for ``office`` to close (办结) or return it.
- 督办〔year〕2号 on the revised approval rules: the commission reports its result and ``office`` closes it.

Each unit answers through whoever holds its liaison role (``liaison1`` holds both in the demo), or as the
system when no one does. ``office`` records an assessment (整改评估, 82 points) and a 回访 by the team
leader's side; both show on the inspection's rectification page.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.core.notifications import holders
from xuncha.orgs.models import Unit
from xuncha.rectification.actions import supervision as actions
from xuncha.rectification.choices import ItemStatus
from xuncha.rectification.models import Item, SupervisionNotice
from xuncha.rounds.models import Inspection

from .data import CITY

if TYPE_CHECKING:
    from .build import World


def _liaison(unit: Unit) -> User | None:
    return holders({Role.UNIT_LIAISON: unit.pk}).order_by("pk").first()


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def build_supervision(w: "World") -> list[SupervisionNotice]:
    # Read afresh (demo/reports.py moved the stage on through copies of its own), and by committee:
    # ``w.inspections["1:第一巡察组"]`` is the county's round one, whose key is the same.
    inspection = Inspection.objects.select_related("round__committee", "unit", "team").get(
        round__committee=w.committees[CITY], round__number=1, team__name="第一巡察组"
    )
    office = w.users["office"]
    lead, finance = inspection.unit, w.units["finance"]
    tasks = Item.objects.active().filter(inspection=inspection).order_by("number")
    returned = list(tasks.filter(status=ItemStatus.RETURNED)[:1])
    rules = list(tasks.filter(measure__contains="审批管理办法")[:1])

    accountability = actions.issue_notice(
        inspection,
        subject="未批先建项目审批责任人问责不到位",
        requirements=(
            "巡察反馈的未批先建问题中，对审批责任人仅作提醒谈话，问责不到位。请市发改委党组牵头，"
            "按干部管理权限提出处理意见；市财政局配合核查相关项目资金拨付情况。"
        ),
        due_on=_days(15),
        lead_unit=lead,
        cooperating_units=[finance],
        items=returned,
        by=office,
    )
    actions.respond(
        accountability,
        unit=finance,
        text="已核查5个未批先建项目的资金拨付情况，其中2个项目已暂停拨付，核查情况已函告市发改委。",
        by=_liaison(finance),
    )
    actions.respond(
        accountability,
        unit=lead,
        text="党组会议研究决定，对2名审批责任人给予诫勉处理，对1名分管领导进行批评教育并责令作出书面检查。",
        files=[
            Upload(name="问责处理情况.txt", data="关于未批先建项目审批责任人问责处理情况的报告。".encode())
        ],
        by=_liaison(lead),
    )

    revision = actions.issue_notice(
        inspection,
        subject="项目审批管理制度修订",
        requirements="请于期限内完成《固定资产投资项目审批管理办法》修订并印发，报送印发文件。",
        due_on=_days(7),
        lead_unit=lead,
        items=rules,
        by=office,
    )
    actions.respond(
        revision,
        unit=lead,
        text="《固定资产投资项目审批管理办法》已经党组会议审议通过并印发实施。",
        files=[Upload(name="审批管理办法.txt", data="固定资产投资项目审批管理办法（修订）。".encode())],
        by=_liaison(lead),
    )
    actions.close_notice(revision, note="已核对印发文件，同意办结。", by=office)

    actions.assess(
        inspection,
        score=82,
        comments="整改方案任务明确，制度修订及时；问责整改尚在督办，长效机制建设需持续推进。",
        by=office,
    )
    actions.record_visit(
        inspection,
        visited_on=timezone.localdate(),
        visitors="市委巡察办 王主任、市委第一巡察组 刘振华",
        method="座谈、查阅资料",
        findings="召开干部座谈会1场，查阅项目审批档案20卷，新批项目均履行了审批程序。",
        conclusion="整改总体到位，问责事项继续督办。",
        by=office,
    )
    return [accountability, revision]
