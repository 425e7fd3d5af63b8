"""Other working methods in the demo: what the first team of this year's round has heard, attended and
checked at the finance bureau (with the committee's 组织部 and 宣传部 for their special checks), and a
meeting it will attend in a few days."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.fieldwork.actions.activities import ActivityInput, create_activity
from xuncha.fieldwork.choices import ActivityKind, SpecialCheckTopic
from xuncha.orgs.choices import DepartmentKind
from xuncha.rounds.models import TeamMember

from ..data import CITY

if TYPE_CHECKING:
    from ..build import World

# A one-page PDF, as a briefing's handout would be attached.
HANDOUT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build(w: "World") -> None:
    inspection = w.inspections["2:第一巡察组"]
    unit = inspection.unit.name
    members = list(TeamMember.objects.filter(team=inspection.team).order_by("pk"))
    by = w.users["t1_member"]
    plans: list[tuple[ActivityInput, list[Upload]]] = [
        (
            ActivityInput(
                kind=ActivityKind.BRIEFING,
                title=f"听取{unit}党组工作情况汇报",
                starts_at=_at(-9, 9),
                ends_at=_at(-9, 11, 30),
                place=f"{unit}三楼第一会议室",
                members=members,
                other_participants="局党组书记、局长及党组成员，机关党委书记，办公室主任",
                notes="党组书记汇报了近三年落实全面从严治党主体责任、“三重一大”决策、专项资金管理等情况。"
                "对政府采购内控制度执行情况说明不够具体，需调阅2024—2025年采购档案核实。",
            ),
            [Upload(name="党组工作情况汇报.pdf", data=HANDOUT)],
        ),
        (
            ActivityInput(
                kind=ActivityKind.SYMPOSIUM,
                title="中层干部座谈会",
                starts_at=_at(-6, 15),
                ends_at=_at(-6, 17),
                place=f"{unit}五楼会议室",
                members=members[:2],
                other_participants="各科室负责人 12 人",
                notes="与会人员反映干部交流轮岗不够、部分科室加班补助发放不规范。",
            ),
            [],
        ),
        (
            ActivityInput(
                kind=ActivityKind.NEXT_LEVEL,
                title="下沉国库支付中心了解情况",
                starts_at=_at(-4, 9),
                place=f"{unit}国库支付中心",
                members=members[1:],
                notes="查看了支付审核流程，抽查2025年第三季度支付凭证30份。",
            ),
            [],
        ),
        (
            ActivityInput(
                kind=ActivityKind.INQUIRY,
                title="向知情人询问政府采购有关情况",
                starts_at=_at(-3, 14, 30),
                place="巡察组驻地",
                members=members[:2],
                other_participants="原政府采购科工作人员一名（姓名依规保密）",
                notes="知情人介绍了2024年办公设备采购的询价过程。",
            ),
            [],
        ),
        (
            ActivityInput(
                kind=ActivityKind.SPECIAL_CHECK,
                topic=SpecialCheckTopic.SELECTION,
                department=w.departments[(CITY, DepartmentKind.ZUZHIBU)],
                title="选人用人工作专项检查",
                starts_at=_at(-2, 9),
                place=f"{unit}组织人事科",
                notes="查阅2023年以来干部选拔任用档案18卷。",
            ),
            [],
        ),
        (
            ActivityInput(
                kind=ActivityKind.SPECIAL_CHECK,
                topic=SpecialCheckTopic.IDEOLOGY,
                department=w.departments[(CITY, DepartmentKind.XUANCHUANBU)],
                title="意识形态工作专项检查",
                starts_at=_at(-1, 9),
                place=f"{unit}机关党委",
            ),
            [],
        ),
        (
            ActivityInput(
                kind=ActivityKind.MEETING,
                title=f"列席{unit}党组会议",
                starts_at=_at(3, 9),
                place=f"{unit}党组会议室",
                members=members[:1],
            ),
            [],
        ),
    ]
    for data, uploads in plans:
        create_activity(inspection, data=data, uploads=uploads, by=by)
