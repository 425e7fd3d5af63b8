"""Interviews (个别谈话): the plan generated from the roster, interviews added, scheduled, cancelled; the
unit's liaison confirming attendance or reporting a conflict; the record, its scans and the problems raised.

Who acts: the team's members plan, record and attach (``planner_roles``); the unit's liaison confirms or
reports a conflict (``liaison_roles``). The office and the leading group read. Free text (topics, records,
problems, reasons) may name people: events keep only its length.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload, check
from xuncha.core.models import User
from xuncha.core.officialdoc import OfficialDocument, official_date
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Inspector, Person, Unit
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection

from ..choices import (
    INTERVIEW_SUB_UNIT_CATEGORIES,
    INTERVIEW_UNIT_CATEGORIES,
    InterviewSource,
    InterviewStatus,
    ProblemKind,
)
from ..models.interviews import Interview, InterviewProblem, InterviewRecord, InterviewScan

NAME_LIMIT = 50
POST_LIMIT = 200  # a sub-unit's people carry their unit's name
PLACE_LIMIT = 200
TOPICS_LIMIT = 5_000
NOTE_LIMIT = 500
RECORD_LIMIT = 50_000
PROBLEM_LIMIT = 2_000
MIN_INSPECTORS = 2
LONGEST = datetime.timedelta(hours=8)
# Interviews are planned from preparation until fieldwork ends; records are kept until the archive.
PLANNING_STAGES = (Stage.PREPARING, Stage.STATIONED, Stage.FIELDWORK)
_TRACKED = ["name", "post", "starts_at", "ends_at", "place", "topics", "status"]
_CATEGORY_ORDER = {c: i for i, c in enumerate(PostCategory.values)}

AUDIT_ACTIONS = {
    "interview.plan_generated": "按花名册生成谈话安排",
    "interview.added": "增加个别谈话",
    "interview.updated": "修改谈话安排",
    "interview.cancelled": "取消个别谈话",
    "interview.confirmed": "单位确认谈话安排",
    "interview.conflict_reported": "单位反馈谈话时间冲突",
    "interview.recorded": "保存谈话记录",
    "interview.record_read": "查看谈话记录",
    "interview.scan_added": "上传谈话记录扫描件",
    "interview.scan_read": "下载谈话记录扫描件",
    "interview.problem_added": "登记谈话反映的问题",
    "interview.outline_read": "下载谈话提纲",
    "interview.record_form_read": "下载谈话记录表",
}
AUDIT_DETAILS = {
    "added": "新增谈话人数",
    "skipped": "已在计划中（未重复生成）",
    "inspection": "巡察",
    "inspectors": "谈话人",
    "reason_length": "取消原因字数",
    "note_length": "说明字数",
    "text_length": "内容字数",
    "topics_length": "提纲字数",
    "filled": "含记录内容",
    "files": "文件数",
}


def planner_roles(inspection: Inspection) -> dict[str, int]:
    """Who plans and records: the team's leader and members."""
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def liaison_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.UNIT_LIAISON: inspection.unit_id}


def record_reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who reads records, scans and problems: the team's members and the committee's office."""
    return {**planner_roles(inspection), Role.OFFICE: inspection.round.committee_id}


def internal_roles(inspection: Inspection) -> dict[str, int]:
    """Who reads the whole plan, topics included: the committee's office and leading group, the team."""
    committee_id = inspection.round.committee_id
    return {Role.OFFICE: committee_id, Role.LEADING_GROUP: committee_id, **planner_roles(inspection)}


def team_inspectors(inspection: Inspection) -> QuerySet[Inspector]:
    """The inspectors who may conduct the inspection's interviews: its team's members."""
    return Inspector.objects.filter(memberships__team_id=inspection.team_id).order_by("name", "pk")


def roster(inspection: Inspection) -> QuerySet[Person]:
    """Who the plan takes from the roster, active people only: the unit's leadership, the principals of
    next-level organisations and key posts (``INTERVIEW_UNIT_CATEGORIES``), and each sub-unit's principal."""
    unit = inspection.unit
    children = Unit.objects.filter(parent=unit, is_active=True).values("pk")
    return Person.objects.filter(
        Q(unit=unit, category__in=INTERVIEW_UNIT_CATEGORIES)
        | Q(unit__in=children, category__in=INTERVIEW_SUB_UNIT_CATEGORIES),
        is_active=True,
    ).select_related("unit")


def _lock(obj: Model) -> None:
    """Lock the row and reload it, so that concurrent actions on it queue and each sees the other's result."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def _ensure_planning(inspection: Inspection) -> None:
    if inspection.stage not in PLANNING_STAGES:
        label = Stage(inspection.stage).label
        raise Refused(f"该巡察已处于“{label}”阶段，不能再安排谈话。", field="inspection")


def _ensure_not_archived(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("该巡察已归档，只能查阅，不能再修改。", field="inspection")


def _ensure_open(interview: Interview) -> None:
    if not interview.is_open:
        raise Refused(f"该谈话{interview.get_status_display()}，不能再修改安排。", field="interview")


def _post_of(person: Person, inspection: Inspection) -> str:
    """The post as the plan names it: a sub-unit's people with their unit (国库支付中心主任)."""
    return person.post if person.unit_id == inspection.unit_id else f"{person.unit.name}{person.post}"


@action
def generate_plan(inspection: Inspection, *, by: User) -> Inspection:
    """Add an unscheduled interview for everyone the roster names (``roster``) who is not in the plan yet;
    generating again adds only people new to the roster. The team then gives each a slot and inspectors."""
    role = require(by, planner_roles(inspection), what="生成谈话安排")
    # Two members generating at once queue here, and the second finds the first's interviews.
    _lock(inspection)
    _ensure_planning(inspection)
    planned = set(
        Interview.objects.filter(inspection=inspection)
        .filter(person__isnull=False)
        .values_list("person_id", flat=True)
    )
    people = sorted(
        roster(inspection), key=lambda p: (p.unit_id != inspection.unit_id, _CATEGORY_ORDER[p.category], p.pk)
    )
    added = [p for p in people if p.pk not in planned]
    for person in added:
        Interview(
            inspection=inspection,
            person=person,
            name=person.name,
            post=_post_of(person, inspection),
            category=person.category,
            source=InterviewSource.ROSTER,
            created_by=by,
        ).save()
    record(
        "interview.plan_generated",
        inspection,
        by=by,
        role=role,
        details={"added": len(added), "skipped": len(people) - len(added)},
    )
    return inspection


def _slot(
    starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    if starts_at is None:
        raise Refused("请填写谈话开始时间。", field="starts_at")
    if ends_at is None:
        raise Refused("请填写谈话结束时间。", field="ends_at")
    if ends_at <= starts_at:
        raise Refused("结束时间应晚于开始时间。", field="ends_at")
    if ends_at - starts_at > LONGEST:
        raise Refused("一次谈话不超过 8 小时，请分次安排。", field="ends_at")
    return starts_at, ends_at


def _inspectors(
    inspection: Inspection,
    inspectors: Iterable[Inspector],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    interview: Interview | None,
) -> list[Inspector]:
    """At least two of the team's inspectors, none of them in another interview at an overlapping time."""
    chosen = {i.pk: i for i in inspectors}
    if len(chosen) < MIN_INSPECTORS:
        raise Refused("个别谈话须由至少两名巡察组成员进行。", field="inspectors")
    members = set(team_inspectors(inspection).filter(pk__in=chosen).values_list("pk", flat=True))
    outsiders = [i.name for pk, i in chosen.items() if pk not in members]
    if outsiders:
        raise Refused(f"{'、'.join(outsiders)}不是本巡察组成员。", field="inspectors")
    busy = Interview.objects.overlapping(starts_at, ends_at).filter(inspectors__in=list(chosen))
    if interview is not None:
        busy = busy.exclude(pk=interview.pk)
    clash = busy.first()
    if clash is not None:
        names = "、".join(i.name for i in clash.inspectors.all() if i.pk in chosen)
        when = f"{_when(clash.starts_at)}—{timezone.localtime(clash.ends_at):%H:%M}" if clash.ends_at else ""
        raise Refused(f"{names}在 {when} 已有其他谈话安排，时间冲突。", field="inspectors")
    return list(chosen.values())


def _lock_calendars(inspectors: Sequence[Inspector], person: Person | None) -> None:
    """Lock the rows of the inspectors and of the interviewee, in one order, before their overlaps are
    checked: bookings of the same inspector or person queue here whichever team makes them (an inspector
    of a county's pool can be on a county team and on a city 提级/联动 team at once; a unit's cadre can be
    interviewed by both)."""
    pks = sorted({i.pk for i in inspectors})
    list(Inspector.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
    if person is not None:
        Person.objects.select_for_update().filter(pk=person.pk).first()


def _check_person_free(
    person: Person | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    interview: Interview | None,
) -> None:
    if person is None:
        return
    busy = Interview.objects.overlapping(starts_at, ends_at).filter(person=person)
    if interview is not None:
        busy = busy.exclude(pk=interview.pk)
    if busy.exists():
        raise Refused(f"{person.name}在该时段已有谈话安排。", field="starts_at")


def _when(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "此前"


def _schedule(
    interview: Interview,
    *,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    place: str,
    inspectors: Iterable[Inspector],
    topics: str,
) -> list[Inspector]:
    """Check and set the slot, place and topics; return the inspectors to set once the row is saved."""
    inspection = interview.inspection
    chosen_inspectors = list(inspectors)
    _lock_calendars(chosen_inspectors, interview.person)
    start, end = _slot(starts_at, ends_at)
    interview.place = clean_text(place, label="谈话地点", field="place", limit=PLACE_LIMIT)
    interview.topics = clean_text(
        topics, label="谈话提纲", field="topics", limit=TOPICS_LIMIT, required=False, multiline=True
    )
    existing = None if interview._state.adding else interview
    chosen = _inspectors(inspection, chosen_inspectors, start, end, existing)
    _check_person_free(interview.person, start, end, existing)
    interview.starts_at, interview.ends_at = start, end
    return chosen


def _details(interview: Interview, inspectors: Sequence[Inspector]) -> dict[str, object]:
    return {
        "inspection": interview.inspection_id,
        "inspectors": [i.name for i in inspectors],
        "starts_at": interview.starts_at.isoformat() if interview.starts_at else None,
        "topics_length": len(interview.topics),
    }


@action
def add_interview(
    inspection: Inspection,
    *,
    person: Person | None = None,
    name: str = "",
    post: str = "",
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    place: str,
    inspectors: Iterable[Inspector],
    topics: str = "",
    by: User,
) -> Interview:
    """Add someone to the plan: a roster person of the unit (or a unit under it), or a name and post typed
    in (a former cadre, an informed person), with a slot, a place and at least two inspectors."""
    role = require(by, planner_roles(inspection), what="安排个别谈话")
    _ensure_planning(inspection)
    if person is not None:
        unit = inspection.unit
        if person.unit_id not in {unit.pk} | unit.descendant_ids() or not person.is_active:
            raise Refused("只能选择被巡察单位及其下属单位在职人员。", field="person")
        name, post = person.name, _post_of(person, inspection)
    interview = Interview(
        inspection=inspection,
        person=person,
        name=clean_text(name, label="谈话对象姓名", field="name", limit=NAME_LIMIT),
        post=clean_text(post, label="职务", field="post", limit=POST_LIMIT, required=False),
        category=person.category if person is not None else PostCategory.OTHER,
        source=InterviewSource.ADDED,
        created_by=by,
    )
    chosen = _schedule(
        interview, starts_at=starts_at, ends_at=ends_at, place=place, inspectors=inspectors, topics=topics
    )
    interview.save()
    interview.inspectors.set(chosen)
    record("interview.added", interview, by=by, role=role, details=_details(interview, chosen))
    return interview


@action
def update_interview(
    interview: Interview,
    *,
    name: str | None = None,
    post: str | None = None,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    place: str,
    inspectors: Iterable[Inspector],
    topics: str,
    by: User,
) -> Interview:
    """Schedule or re-schedule an interview. A new time or place goes back to the unit to confirm; the name
    and post can be changed only for people not taken from the roster."""
    inspection = interview.inspection
    role = require(by, planner_roles(inspection), what="修改谈话安排")
    _lock(interview)
    _ensure_not_archived(inspection)
    _ensure_open(interview)
    before = snapshot(interview, _TRACKED)
    if interview.person_id is None:
        if name is not None:
            interview.name = clean_text(name, label="谈话对象姓名", field="name", limit=NAME_LIMIT)
        if post is not None:
            interview.post = clean_text(post, label="职务", field="post", limit=POST_LIMIT, required=False)
    slot_before = (interview.starts_at, interview.ends_at, interview.place)
    chosen = _schedule(
        interview, starts_at=starts_at, ends_at=ends_at, place=place, inspectors=inspectors, topics=topics
    )
    if (interview.starts_at, interview.ends_at, interview.place) != slot_before:
        interview.status = InterviewStatus.PLANNED
        interview.confirmed_by, interview.confirmed_at = None, None
        interview.conflict_note, interview.conflict_at = "", None
    interview.save()
    interview.inspectors.set(chosen)
    details = {**_details(interview, chosen), "changes": changes(before, snapshot(interview, _TRACKED))}
    record("interview.updated", interview, by=by, role=role, details=details)
    return interview


@action
def cancel_interview(interview: Interview, *, reason: str, by: User) -> Interview:
    role = require(by, planner_roles(interview.inspection), what="取消个别谈话")
    _lock(interview)
    _ensure_not_archived(interview.inspection)
    _ensure_open(interview)
    text = clean_text(reason, label="取消原因", field="reason", limit=NOTE_LIMIT, multiline=True)
    before = snapshot(interview, _TRACKED)
    interview.status = InterviewStatus.CANCELLED
    interview.cancel_reason = text
    interview.save(update_fields=["status", "cancel_reason"])
    details = {"reason_length": len(text), "changes": changes(before, snapshot(interview, _TRACKED))}
    record("interview.cancelled", interview, by=by, role=role, details=details)
    return interview


def _ensure_liaison_may_answer(interview: Interview) -> None:
    _ensure_not_archived(interview.inspection)
    if not interview.is_scheduled:
        raise Refused("该谈话尚未确定时间。", field="interview")
    if not interview.is_open:
        raise Refused(f"该谈话{interview.get_status_display()}，无需确认。", field="interview")


@action
def confirm_interview(interview: Interview, *, by: User) -> Interview:
    """The unit's liaison confirms that the person will attend at the planned time and place."""
    role = require(by, liaison_roles(interview.inspection), what="确认谈话安排")
    _lock(interview)
    _ensure_liaison_may_answer(interview)
    if interview.status == InterviewStatus.CONFIRMED:
        raise Refused(f"该谈话已于 {_when(interview.confirmed_at)} 确认。", field="interview")
    before = snapshot(interview, _TRACKED)
    interview.status = InterviewStatus.CONFIRMED
    interview.confirmed_by, interview.confirmed_at = by, timezone.now()
    interview.conflict_note, interview.conflict_at = "", None
    interview.save(update_fields=["status", "confirmed_by", "confirmed_at", "conflict_note", "conflict_at"])
    details = {"changes": changes(before, snapshot(interview, _TRACKED))}
    record("interview.confirmed", interview, by=by, role=role, details=details)
    return interview


@action
def report_conflict(interview: Interview, *, note: str, by: User) -> Interview:
    """The unit's liaison reports that the person cannot attend then (on leave, a meeting …), with a note;
    the interview stays planned until the team moves it."""
    role = require(by, liaison_roles(interview.inspection), what="反馈谈话时间冲突")
    _lock(interview)
    _ensure_liaison_may_answer(interview)
    text = clean_text(note, label="冲突说明", field="note", limit=NOTE_LIMIT, multiline=True)
    before = snapshot(interview, _TRACKED)
    interview.status = InterviewStatus.PLANNED
    interview.confirmed_by, interview.confirmed_at = None, None
    interview.conflict_note, interview.conflict_at = text, timezone.now()
    interview.save(update_fields=["status", "confirmed_by", "confirmed_at", "conflict_note", "conflict_at"])
    details = {"note_length": len(text), "changes": changes(before, snapshot(interview, _TRACKED))}
    record("interview.conflict_reported", interview, by=by, role=role, details=details)
    return interview


def _ensure_recordable(interview: Interview) -> None:
    _ensure_not_archived(interview.inspection)
    if interview.status == InterviewStatus.CANCELLED:
        raise Refused("该谈话已取消，不能记录。", field="interview")
    if interview.starts_at is None or not interview.inspectors.exists():
        raise Refused("请先确定谈话时间和谈话人。", field="interview")
    if interview.starts_at > timezone.now():
        raise Refused(f"谈话定于 {_when(interview.starts_at)} 开始，尚未进行。", field="interview")


@action
def record_interview(interview: Interview, *, text: str, by: User) -> Interview:
    """Save (or revise) the 谈话记录, encrypted; the interview is then done."""
    role = require(by, planner_roles(interview.inspection), what="记录个别谈话")
    _lock(interview)
    _ensure_recordable(interview)
    content = clean_text(text, label="谈话记录", field="text", limit=RECORD_LIMIT, multiline=True)
    before = snapshot(interview, _TRACKED)
    entry = InterviewRecord.objects.filter(interview=interview).first() or InterviewRecord(
        interview=interview
    )
    entry.text, entry.written_by, entry.written_at = content, by, timezone.now()
    entry.save()
    interview.status = InterviewStatus.DONE
    interview.save(update_fields=["status"])
    details = {"text_length": len(content), "changes": changes(before, snapshot(interview, _TRACKED))}
    record("interview.recorded", interview, by=by, role=role, details=details)
    return interview


@action
def add_scans(interview: Interview, *, uploads: Sequence[Upload], by: User) -> Interview:
    """Attach scans of the signed record: checked by their content, sealed, none kept if one is refused."""
    role = require(by, planner_roles(interview.inspection), what="上传谈话记录扫描件")
    _ensure_recordable(interview)
    if not uploads:
        raise Refused("请选择要上传的文件。", field="attachments")
    for checked in check(uploads):
        InterviewScan(interview=interview, added_by=by).seal(checked)
    record("interview.scan_added", interview, by=by, role=role, details={"files": len(uploads)})
    return interview


@action
def add_problem(interview: Interview, *, kind: str, text: str, by: User) -> InterviewProblem:
    """Note a problem the interview raised, as a draft finding or a clue lead, for the findings to take up."""
    role = require(by, planner_roles(interview.inspection), what="登记谈话反映的问题")
    _ensure_recordable(interview)
    if kind not in ProblemKind.values:
        raise Refused("请选择问题类型。", field="kind")
    content = clean_text(text, label="问题内容", field="text", limit=PROBLEM_LIMIT, multiline=True)
    problem = InterviewProblem(interview=interview, kind=kind, text=content, added_by=by)
    problem.save()
    details = {"kind": kind, "text_length": len(content)}
    record("interview.problem_added", problem, by=by, role=role, details=details)
    return problem


# Documents: what the pages and the API print (GB/T 9704 layout, core/officialdoc.py) -------------------


def _slot_text(interview: Interview) -> str:
    if interview.starts_at is None or interview.ends_at is None:
        return "待定"
    start, end = timezone.localtime(interview.starts_at), timezone.localtime(interview.ends_at)
    return f"{official_date(start.date())} {start:%H:%M}—{end:%H:%M}"


def _inspector_names(interview: Interview) -> str:
    return "、".join(i.name for i in interview.inspectors.all()) or "待定"


def outline_document(interview: Interview) -> bytes:
    """The 谈话提纲 of one interview, for the inspectors' own use (it is never given to the unit)."""
    inspection = interview.inspection
    doc = OfficialDocument()
    doc.title("个别谈话提纲")
    doc.paragraph(f"谈话对象：{interview.name}{'（' + interview.post + '）' if interview.post else ''}")
    doc.paragraph(f"谈话时间：{_slot_text(interview)}；地点：{interview.place or '待定'}")
    doc.paragraph(f"谈话人：{_inspector_names(interview)}")
    doc.heading(1, "谈话要点")
    for point in interview.topic_points or ["（尚未填写提纲）"]:
        doc.paragraph(point)
    doc.heading(1, "注意事项")
    doc.paragraph("谈话由两名以上巡察组成员进行，严格遵守保密纪律，不得泄露谈话内容和反映人信息。")
    doc.signature(inspection.team_signature, timezone.localdate())
    return doc.save()


def record_form_document(interview: Interview, text: str) -> bytes:
    """The 谈话记录 form: blank (``text`` empty) to fill in by hand, or filled with the saved record."""
    blank_line = "＿" * 12
    doc = OfficialDocument()
    doc.letterhead(copy_number=1, secrecy="秘密")  # what was said is classified; one copy, the record's
    doc.title("个别谈话记录")
    doc.paragraph(f"巡察组：{interview.inspection.team_signature}")
    doc.paragraph(f"被巡察单位：{interview.inspection.unit.name}")
    doc.paragraph(f"谈话对象：{interview.name}；职务：{interview.post or blank_line}")
    doc.paragraph(f"谈话时间：{_slot_text(interview)}；地点：{interview.place or blank_line}")
    doc.paragraph(f"谈话人：{_inspector_names(interview)}；记录人：{blank_line}")
    doc.heading(1, "谈话内容")
    if text:
        doc.paragraph(text)
    else:
        for _ in range(12):
            doc.paragraph(blank_line * 3)
    doc.heading(1, "谈话对象确认")
    doc.paragraph("以上记录已阅，与本人所谈一致。")
    doc.paragraph(f"谈话对象（签字）：{blank_line}    日期：{blank_line}")
    return doc.save()


def document_filename(interview: Interview, kind: str) -> str:
    day = f"{timezone.localtime(interview.starts_at):%Y%m%d}" if interview.starts_at else "待定"
    return f"{kind}_{interview.name}_{day}.docx"
