"""Document requests in the demo: what the first team of this year's round asked the finance bureau for.

Through the actions, as the people would: a first request started from the routine template, tidied and
issued; the bureau's liaison answered items with files (a real .docx and text extracts) or a text, the team
accepted some and returned one with its reason, and added an item after issue; a second request is still a
draft; a third, on official cars, was issued ten days ago and one of its items is overdue.

The actions rightly refuse a due date in the past, so the third request is made today through them and then
moved back in time as a whole (``_moved_back``): the demo's one step outside the actions, so that the
overdue flag shows on the fieldwork page, the request page and both home panels from the first day.
"""

import datetime
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument
from xuncha.fieldwork.actions import documents as actions
from xuncha.fieldwork.choices import ItemMode
from xuncha.fieldwork.models import DocumentFile, DocumentItem, DocumentRequest
from xuncha.rounds.models import Inspection

if TYPE_CHECKING:
    from ..build import World


def _minutes(year: int) -> bytes:
    """A real Word file: an extract of the party group's minutes, as a unit would scan or export them."""
    doc = OfficialDocument()
    doc.title(f"{year}年党组会议记录（摘录）")
    doc.paragraph(
        f"{year}年3月12日党组会议：研究市级财政专项资金分配方案、机关办公楼维修改造项目预算调整事项。\n"
        f"{year}年6月8日党组会议：研究干部任免事项（拟任科级干部2名）、政府采购代理机构选定事项。"
    )
    return doc.save()


def _text(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


def _item(request: DocumentRequest, what: str) -> DocumentItem:
    return request.items.get(what=what)


def _moved_back(request: DocumentRequest, days: int) -> None:
    """Every date and time of ``request``, its items and files, ``days`` earlier (not the audit events)."""
    delta = datetime.timedelta(days=days)
    DocumentRequest.objects.filter(pk=request.pk).update(
        created_at=F("created_at") - delta, issued_at=F("issued_at") - delta, due_on=F("due_on") - delta
    )
    items = DocumentItem.objects.filter(request=request)
    items.update(added_at=F("added_at") - delta)
    items.filter(due_on__isnull=False).update(due_on=F("due_on") - delta)
    items.filter(answered_at__isnull=False).update(answered_at=F("answered_at") - delta)
    items.filter(reviewed_at__isnull=False).update(reviewed_at=F("reviewed_at") - delta)
    DocumentFile.objects.filter(item__request=request).update(added_at=F("added_at") - delta)


def _overdue_request(inspection: Inspection, member: User, liaison: User) -> None:
    """Issued ten days ago with a week to answer: the car logs answered and accepted, the car list owed."""
    year = inspection.round.planned_start.year
    request = actions.start_document_request(
        inspection,
        title="第三批调阅资料清单（公务用车）",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        by=member,
    )
    for item in list(request.items.order_by("-position")):
        actions.remove_document_item(item, by=member)
    actions.add_document_item(
        request,
        what="公务用车台账及车辆处置资料",
        period=f"{year - 2}年1月以来",
        mode=ItemMode.COPY,
        by=member,
    )
    logs = actions.add_document_item(
        request, what="公务用车使用登记、维修及加油记录", period=f"{year - 1}年", by=member
    )
    actions.issue_document_request(request, by=member)
    actions.answer_document_item(logs, answer="登记本 2 册已送巡察组驻地。", by=liaison)
    actions.accept_document_item(logs, by=member)
    _moved_back(request, days=10)


def build(w: "World") -> None:
    inspection = w.inspections["2:第一巡察组"]
    member, leader, liaison = w.users["t1_member"], w.users["t1_leader"], w.users["liaison1"]
    today = timezone.localdate()
    year = inspection.round.planned_start.year

    first = actions.start_document_request(
        inspection, title="第一批调阅（复制）资料清单", due_on=today + datetime.timedelta(days=6), by=member
    )
    actions.update_document_request(
        first,
        title=first.title,
        instructions="复制件请加盖单位公章；会计凭证、干部档案等原件调阅后当场清点归还。联系人：巡察组周敏。",
        due_on=first.due_on,
        by=member,
    )
    minutes = _item(first, "党委（党组）会议记录、会议纪要")
    actions.update_document_item(
        minutes,
        what="党组会议记录、会议纪要",
        period=minutes.period,
        mode=ItemMode.COPY,
        due_on=today + datetime.timedelta(days=3),
        notes="含会议议题、参会人员、表决情况。",
        by=member,
    )
    actions.remove_document_item(_item(first, "信访举报受理及办理台账"), by=member)
    actions.issue_document_request(first, by=leader)

    # The bureau answers: files, a text, or both.
    actions.answer_document_item(
        minutes,
        files=[
            Upload(f"{year - 1}年党组会议记录（摘录）.docx", _minutes(year - 1)),
            Upload(f"{year}年党组会议记录（摘录）.docx", _minutes(year)),
        ],
        answer="会议记录原件存办公室档案柜，可随时调阅。",
        by=liaison,
    )
    major = _item(first, "“三重一大”事项决策会议记录及相关材料")
    actions.answer_document_item(
        major,
        files=[
            Upload(
                "三重一大事项清单.txt",
                _text(
                    [
                        f"{year - 2}年：机关办公楼维修改造（预算 386 万元）",
                        f"{year - 1}年：财政信息化平台升级（合同金额 212 万元）",
                        f"{year}年：专项资金分配方案（涉及 1.2 亿元）",
                    ]
                ),
            )
        ],
        by=liaison,
    )
    actions.answer_document_item(
        _item(first, "内部管理制度汇编"),
        files=[
            Upload(
                "内部管理制度目录.txt",
                _text(["财务报销管理办法", "公务接待管理规定", "政府采购内部控制制度"]),
            )
        ],
        by=liaison,
    )
    study = _item(first, "理论学习中心组学习记录")
    actions.answer_document_item(study, answer="已现场提供原件（3 本），请到 502 室查阅。", by=liaison)
    works = _item(first, "工程项目招投标、合同、验收及结算资料")
    actions.answer_document_item(
        works, answer="本局近三年无自建工程项目，维修改造项目资料见“三重一大”事项。", by=liaison
    )

    # The team reviews.
    actions.accept_document_item(minutes, by=member)
    actions.accept_document_item(study, by=member)
    actions.return_document_item(
        major,
        reason="清单不能代替会议记录：请提供上述事项的决策会议记录及论证、审批材料。",
        by=leader,
    )
    actions.add_document_item(
        first,
        what=f"{year - 1}年度公务接待审批单及接待清单",
        period=f"{year - 1}年",
        mode=ItemMode.COPY,
        due_on=today + datetime.timedelta(days=2),
        notes="与滨江酒店有关的接待请单独列出。",
        by=leader,
    )

    # A second request, still a draft: a few lines of the template, one added.
    second = actions.start_document_request(inspection, title="第二批调阅资料清单（选人用人专项）", by=member)
    keep = {
        "选人用人档案（干部任免、调整材料及动议、推荐、考察、讨论决定记录）",
        "领导班子成员分工及工作职责",
    }
    for item in list(second.items.order_by("-position")):
        if item.what not in keep:
            actions.remove_document_item(item, by=member)
    actions.add_document_item(
        second,
        what="近三年干部选拔任用工作“一报告两评议”材料",
        period=f"{year - 3}年1月以来",
        mode=ItemMode.COPY,
        by=member,
    )
    _overdue_request(inspection, member, liaison)
