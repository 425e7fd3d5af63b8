"""Supervision of rectification (跟踪督办) by the office of the inspection's committee.

The office issues a supervision notice (督办单) to the inspected unit, or to a lead unit with cooperating
units (三位一体: the lead unit implements, the cooperating units take part, the office tracks), numbered in
the committee's yearly series. The lead unit's liaison reports the result (办理结果: the notice is then
answered), a cooperating unit's liaison how it took part (配合情况); the office closes the notice (办结)
once a result was reported, or returns it (退回重办) with a reason. The office also records its assessment
of the rectification (整改评估, a score out of 100) and, with the team leader, the follow-up visits (回访).
All of it in 整改 and 评估回访; an archived inspection is read-only.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload, check
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.rounds.kinds import unit_committee_ids
from xuncha.rounds.models import Inspection

from ..choices import NoticeStatus
from ..models import Assessment, Item, NoticeResponse, ResponseFile, SupervisionNotice, Visit
from .common import ITEM_STAGES, NOTE_LIMIT, in_stage, lock, office_roles, team_leader_roles, tell

SUBJECT_LIMIT = 200
TEXT_LIMIT = 5_000
VISITORS_LIMIT = 200
METHOD_LIMIT = 100
SUPERVISION_STAGES = ITEM_STAGES  # 整改, 评估回访

AUDIT_ACTIONS = {
    "supervision_notice.issued": "签发督办单",
    "supervision_notice.responded": "报送督办办理情况",
    "supervision_notice.closed": "督办单办结",
    "supervision_notice.returned": "退回督办单重办",
    "supervision_notice.read": "下载督办单",
    "supervision_file.downloaded": "下载督办办理材料",
    "rectification.assessed": "整改评估",
    "rectification.visited": "记录回访",
}
AUDIT_DETAILS = {
    "number": "督办单编号",
    "lead_unit": "牵头单位",
    "lead_department": "牵头部门",
    "cooperating_units": "配合单位",
    "due_on": "办理时限",
    "is_result": "办理结果",
    "score": "评估得分",
    "visited_on": "回访日期",
    "method": "回访方式",
}


def notice_link(notice: SupervisionNotice) -> str:
    return reverse("rectification:notice", args=[notice.pk])


def inspection_link(inspection: Inspection) -> str:
    return reverse("rectification:inspection", args=[inspection.pk])


def _tell_units(units: Iterable[Unit], *, key: str, title: str, link: str) -> list[str]:
    sent: list[str] = []
    for unit in units:
        sent += tell({Role.UNIT_LIAISON: unit.pk}, key=f"{key}:{unit.pk}", title=title, link=link)
    return sorted(set(sent))


def _writable(notice: SupervisionNotice, what: str) -> None:
    in_stage(notice.inspection, SUPERVISION_STAGES, what)
    if notice.is_closed:
        raise Refused("该督办单已办结。", field="notice")


def next_sequence(committee_id: int, year: int) -> int:
    """The next number of the committee's yearly series; call with the committee row locked."""
    last = SupervisionNotice.objects.filter(committee_id=committee_id, year=year).aggregate(n=Max("sequence"))
    return (last["n"] or 0) + 1


def _tell_lead(notice: SupervisionNotice, *, key: str, title: str) -> list[str]:
    """Tell the lead: its unit's liaisons, or its department's receivers."""
    if notice.lead_department_id:
        return tell(
            {Role.RECEIVER: notice.lead_department_id}, key=key, title=title, link=notice_link(notice)
        )
    assert notice.lead_unit is not None  # noqa: S101 - the constraint holds one lead
    return _tell_units([notice.lead_unit], key=key, title=title, link=notice_link(notice))


def _check_units(inspection: Inspection, lead: Unit | Department, cooperating: Sequence[Unit]) -> None:
    reach = unit_committee_ids(inspection.round)
    if isinstance(lead, Department):
        if lead.committee_id != inspection.round.committee_id:
            raise Refused("牵头部门须是本级党委的部门。", field="lead_department")
    elif lead.committee_id not in reach:
        raise Refused("牵头单位不在本轮巡察的范围内。", field="lead_unit")
    for unit in cooperating:
        if isinstance(lead, Unit) and unit.pk == lead.pk:
            raise Refused("配合单位不能是牵头单位。", field="cooperating_units")
        if unit.committee_id not in reach:
            raise Refused(f"配合单位“{unit.name}”不在本轮巡察的范围内。", field="cooperating_units")


@action
def issue_notice(
    inspection: Inspection,
    *,
    subject: str,
    requirements: str,
    due_on: datetime.date,
    lead_unit: Unit | None = None,
    lead_department: Department | None = None,
    cooperating_units: Sequence[Unit] = (),
    items: Sequence[Item] = (),
    by: User | None,
) -> SupervisionNotice:
    """Issue a 督办单 led by ``lead_unit`` (the inspected unit when neither lead is given) or by
    ``lead_department`` (a department of the committee: 建章立制 recommendations), not both."""
    role = require(by, office_roles(inspection), what="签发督办单")
    committee_id = inspection.round.committee_id
    # The committee's row serialises the numbering: concurrent issuers queue here.
    Committee.objects.select_for_update().filter(pk=committee_id).first()
    lock(inspection)
    in_stage(inspection, SUPERVISION_STAGES, "签发督办单")
    if lead_unit is not None and lead_department is not None:
        raise Refused("牵头单位和牵头部门只能选择其一。", field="lead_department")
    lead: Unit | Department = lead_department or lead_unit or inspection.unit
    cooperating = list({u.pk: u for u in cooperating_units}.values())
    _check_units(inspection, lead, cooperating)
    if due_on < timezone.localdate():
        raise Refused("办理时限不能早于今天。", field="due_on")
    chosen = list({i.pk: i for i in items}.values())
    if any(i.inspection_id != inspection.pk for i in chosen):
        raise Refused("涉及的整改事项须属于本次巡察。", field="items")
    today = timezone.localdate()
    notice = SupervisionNotice(
        committee_id=committee_id,
        inspection=inspection,
        year=today.year,
        sequence=next_sequence(committee_id, today.year),
        subject=clean_text(subject, label="督办事项", field="subject", limit=SUBJECT_LIMIT),
        requirements=clean_text(
            requirements, label="督办要求", field="requirements", limit=TEXT_LIMIT, multiline=True
        ),
        lead_unit=lead if isinstance(lead, Unit) else None,
        lead_department=lead if isinstance(lead, Department) else None,
        due_on=due_on,
        issued_by=by,
    )
    notice.save()
    notice.cooperating_units.set(cooperating)
    notice.items.set(chosen)
    title = f"{notice.number}：请{lead.name}牵头于{due_on:%Y-%m-%d}前办理并报送办理结果"
    sent = _tell_lead(notice, key=f"supervision-issued:{notice.pk}", title=title)
    sent += _tell_units(
        cooperating,
        key=f"supervision-issued:{notice.pk}",
        title=f"{notice.number}：请配合{lead.name}办理",
        link=notice_link(notice),
    )
    details = {
        "number": notice.number,
        "lead_unit" if isinstance(lead, Unit) else "lead_department": lead.name,
        "cooperating_units": [u.name for u in cooperating],
        "due_on": due_on.isoformat(),
        "items": [i.code for i in chosen],
        "notified": sorted(set(sent)),
    }
    record("supervision_notice.issued", notice, by=by, role=role, details=details)
    return notice


@action
def respond(
    notice: SupervisionNotice,
    *,
    unit: Unit | None = None,
    department: Department | None = None,
    text: str,
    files: Sequence[Upload] = (),
    by: User | None,
) -> NoticeResponse:
    """The lead's result (the notice is then answered) or a cooperating unit's 配合情况. A unit answers
    through its liaison; a lead department through its receiver."""
    if department is not None:
        role = require(by, {Role.RECEIVER: department.pk}, what="报送督办办理情况")
        lock(notice)
        if department.pk != notice.lead_department_id:
            raise Refused("该部门不是本督办单的牵头部门。", field="department")
        is_lead = True
        sender = department.name
    else:
        if unit is None:
            raise Refused("请指明报送单位。", field="unit")
        role = require(by, {Role.UNIT_LIAISON: unit.pk}, what="报送督办办理情况")
        lock(notice)
        is_lead = unit.pk == notice.lead_unit_id
        if not is_lead and not notice.cooperating_units.filter(pk=unit.pk).exists():
            raise Refused("该单位不是本督办单的牵头或配合单位。", field="unit")
        sender = unit.name
    _writable(notice, "报送督办办理情况")
    body = clean_text(text, label="办理情况", field="text", limit=TEXT_LIMIT, multiline=True)
    checked = check(files)
    response = NoticeResponse(
        notice=notice, unit=unit, department=department, text=body, is_result=is_lead, by=by
    )
    response.save()
    for file in checked:
        ResponseFile(response=response, uploaded_by=by).seal(file)
    if is_lead:
        notice.status = NoticeStatus.ANSWERED
        notice.return_reason = ""
        notice.save()
        what = "报送了办理结果，请审核"
    else:
        what = "报送了配合情况"
    sent = tell(
        office_roles(notice.inspection),
        key=f"supervision-responded:{notice.pk}",
        title=f"{sender}就{notice.number}{what}",
        link=notice_link(notice),
    )
    details = {"unit": sender, "is_result": is_lead, "files": len(checked), "notified": sent}
    record("supervision_notice.responded", notice, by=by, role=role, details=details)
    return response


def _reviewable(notice: SupervisionNotice, by: User | None, what: str) -> str:
    role = require(by, office_roles(notice.inspection), what=what)
    lock(notice)
    _writable(notice, what)
    if notice.status != NoticeStatus.ANSWERED:
        raise Refused("牵头单位尚未报送办理结果。", field="notice")
    return role


@action
def close_notice(notice: SupervisionNotice, *, note: str = "", by: User | None) -> SupervisionNotice:
    role = _reviewable(notice, by, "办结督办单")
    notice.closing_note = clean_text(
        note, label="办结意见", field="note", limit=NOTE_LIMIT, required=False, multiline=True
    )
    notice.status = NoticeStatus.CLOSED
    notice.closed_by = by
    notice.closed_at = timezone.now()
    notice.save()
    key, title = f"supervision-closed:{notice.pk}", f"{notice.number}已办结"
    sent = _tell_lead(notice, key=key, title=title)
    sent += _tell_units(notice.cooperating_units.all(), key=key, title=title, link=notice_link(notice))
    sent = sorted(set(sent))
    record("supervision_notice.closed", notice, by=by, role=role, details={"notified": sent})
    return notice


@action
def return_notice(notice: SupervisionNotice, *, reason: str, by: User | None) -> SupervisionNotice:
    role = _reviewable(notice, by, "退回督办单")
    notice.return_reason = clean_text(
        reason, label="退回理由", field="reason", limit=NOTE_LIMIT, multiline=True
    )
    notice.status = NoticeStatus.RETURNED
    notice.save()
    sent = _tell_lead(
        notice, key=f"supervision-returned:{notice.pk}", title=f"{notice.number}的办理结果被退回，请重办"
    )
    details = {"reason_length": len(notice.return_reason), "notified": sent}
    record("supervision_notice.returned", notice, by=by, role=role, details=details)
    return notice


@action
def assess(inspection: Inspection, *, score: int, comments: str, by: User | None) -> Assessment:
    """整改评估: the office's score out of 100 and its comments; each kept, the latest counts."""
    role = require(by, office_roles(inspection), what="整改评估")
    lock(inspection)
    in_stage(inspection, SUPERVISION_STAGES, "整改评估")
    if not 0 <= score <= 100:
        raise Refused("评估得分应在0到100之间。", field="score")
    text = clean_text(comments, label="评估意见", field="comments", limit=TEXT_LIMIT, multiline=True)
    assessment = Assessment(inspection=inspection, score=score, comments=text, assessed_by=by)
    assessment.save()
    record("rectification.assessed", assessment, by=by, role=role, details={"score": score})
    return assessment


@action
def record_visit(
    inspection: Inspection,
    *,
    visited_on: datetime.date,
    visitors: str,
    method: str,
    findings: str,
    conclusion: str = "",
    by: User | None,
) -> Visit:
    """A 回访 the office or the inspection's team leader made."""
    role = require(by, {**office_roles(inspection), **team_leader_roles(inspection)}, what="记录回访")
    lock(inspection)
    in_stage(inspection, SUPERVISION_STAGES, "记录回访")
    if visited_on > timezone.localdate():
        raise Refused("回访日期不能晚于今天。", field="visited_on")
    visit = Visit(
        inspection=inspection,
        visited_on=visited_on,
        visitors=clean_text(visitors, label="回访人员", field="visitors", limit=VISITORS_LIMIT),
        method=clean_text(method, label="回访方式", field="method", limit=METHOD_LIMIT),
        findings=clean_text(findings, label="回访情况", field="findings", limit=TEXT_LIMIT, multiline=True),
        conclusion=clean_text(
            conclusion, label="回访结论", field="conclusion", limit=TEXT_LIMIT, required=False, multiline=True
        ),
        recorded_by=by,
    )
    visit.save()
    details = {"visited_on": visited_on.isoformat(), "method": visit.method}
    record("rectification.visited", visit, by=by, role=role, details=details)
    return visit


def notice_document(notice: SupervisionNotice, items: Sequence[Item] = ()) -> bytes:
    """The 督办单 as an official document (GB/T 9704): number, addressee (the lead unit), the matter, the
    requirements, the items concerned (``items``: those the reader sees), who leads and who cooperates
    and by when the result is due."""
    inspection = notice.inspection
    committee = notice.committee
    cooperating = [u.name for u in notice.cooperating_units.all()]
    office = f"{committee.name}巡察工作领导小组办公室"
    issued_on = timezone.localtime(notice.issued_at).date()
    doc = OfficialDocument()
    doc.letterhead(office, number=notice.number)
    doc.title("巡察整改督办单")
    doc.addressee(notice.lead_name)
    doc.paragraph(
        f"根据{committee.name}{inspection.team.name}对{inspection.unit.name}的巡察反馈意见和整改工作安排，"
        f"现就以下事项进行督办。"
    )
    doc.heading(1, "督办事项")
    doc.paragraph(notice.subject)
    doc.heading(1, "督办要求")
    doc.paragraph(notice.requirements)
    if items:
        doc.heading(1, "涉及整改事项")
        for item in items:
            doc.paragraph(f"{item.code}：{item.measure}（{item.get_status_display()}）")
    doc.heading(1, "办理要求")
    helpers = f"，{'、'.join(cooperating)}配合" if cooperating else ""
    doc.paragraph(
        f"请{notice.lead_name}牵头办理{helpers}，于{official_date(notice.due_on)}前将办理结果"
        f"书面报送{committee.name}巡察工作领导小组办公室。"
    )
    doc.signature(office, issued_on)
    doc.record(copied_to=cooperating, printed_by=office, printed_on=issued_on)
    return doc.save()
