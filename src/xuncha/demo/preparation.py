"""Information requests in the demo (巡前了解、提请协助), through the actions as the people would.

- This year's 第一巡察组 at 市财政局 (in 了解) asks 市纪委监委 and 市审计局 for help with the 国库支付中心
  (提请协助函): `jiwei` answers with a text and a Word file, and a member records the answer as a lead, which
  findings may cite as evidence; 市审计局 has not answered yet. The team sees all of it on its preparation
  page (巡前了解与协助), linked from the inspection's page.
- The office asks for background on 市市场监督管理局 before 第三巡察组 stations (了解情况函) from 纪委监委,
  组织部, 审计局 and 信访局: nobody has answered yet, so `jiwei` and `zuzhibu` find it on their home pages
  (待答复).
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.core.officialdoc import OfficialDocument
from xuncha.orgs.choices import DepartmentKind
from xuncha.preparation import actions
from xuncha.preparation.choices import RequestKind

from .data import CITY

if TYPE_CHECKING:
    from .build import World

ANSWER = (
    "经查，我委近三年收到反映市财政局的问题线索4件：其中反映国库支付中心违规审批拨付专项资金的1件，"
    "已于去年予以了结，但反映的资金拨付审批程序问题未见整改；反映局机关以会议名义列支宴请费用的1件，"
    "尚在初步核实中；其余2件已办结。详见附件。"
)
LEAD = (
    "国库支付中心违规审批拨付专项资金问题已了结，但审批程序问题未见整改；以会议名义列支宴请费用问题在初核中。"
)


def _clues_file() -> bytes:
    """A real Word file: the commission's table of what it has received about the bureau."""
    doc = OfficialDocument()
    doc.title("市财政局有关问题线索情况")
    doc.paragraph(
        "一、反映国库支付中心违规审批拨付专项资金问题（2024年4月收到），经谈话函询予以了结。\n"
        "二、反映局机关以会议名义列支宴请费用问题（本年2月收到），初步核实中。\n"
        "三、反映个别干部工作作风问题2件，已办结。"
    )
    return doc.save()


def build_preparation(w: "World") -> None:
    """第一巡察组's 提请协助函 and 纪委监委's answer with its file; the office's 了解情况函 for 第三巡察组."""
    today = timezone.localdate()
    departments = {
        kind: department for (committee, kind), department in w.departments.items() if committee == CITY
    }
    first = w.inspections["2:第一巡察组"]
    assistance = actions.send_request(
        first,
        kind=RequestKind.ASSISTANCE,
        subject="提请协助提供市财政局有关问题线索及审计发现问题",
        questions=(
            "1. 近三年收到的反映市财政局领导班子及国库支付中心的问题线索及处置情况；\n"
            "2. 近三年对市财政局审计发现的问题及整改情况。"
        ),
        due_on=today + datetime.timedelta(days=7),
        departments=[departments[DepartmentKind.JIWEI], departments[DepartmentKind.AUDIT]],
        by=w.users["t1_leader"],
    )
    jiwei_slot = assistance.recipients.get(department=departments[DepartmentKind.JIWEI])
    answer = actions.answer_request(
        jiwei_slot,
        text=ANSWER,
        files=[Upload(name="市财政局有关问题线索情况.docx", data=_clues_file())],
        by=w.users["jiwei"],
    )
    actions.record_lead(answer, passage=LEAD, by=w.users["t1_member"])
    actions.send_request(
        w.inspections["2:第三巡察组"],
        kind=RequestKind.PREPARATION,
        subject="巡前了解市市场监督管理局有关情况",
        questions=(
            "请提供市市场监督管理局领导班子及其成员的问题线索、信访举报、选人用人、审计发现问题"
            "及上轮巡察整改情况。"
        ),
        due_on=today + datetime.timedelta(days=10),
        departments=[
            departments[DepartmentKind.JIWEI],
            departments[DepartmentKind.ZUZHIBU],
            departments[DepartmentKind.AUDIT],
            departments[DepartmentKind.XINFANG],
        ],
        by=w.users["office"],
    )
