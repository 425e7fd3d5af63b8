"""Activities (the other working methods): recording, editing and deleting them, with their attachments.

Only the inspection's team writes; the office reads. A special check (专项检查) names its topic and the
department of the committee that carries it out (``TOPIC_DEPARTMENT``); other kinds have neither.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from xuncha.core import files
from xuncha.core.audit import action, changes, record, record_read, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.orgs.choices import DepartmentKind
from xuncha.orgs.models import Department
from xuncha.rounds.models import Inspection, TeamMember

from ..choices import TOPIC_DEPARTMENT, ActivityKind, SpecialCheckTopic
from ..models import Activity, ActivityAttachment

AUDIT_ACTIONS = {"activity_attachment.downloaded": "下载工作记录附件"}
AUDIT_DETAILS = {"members": "参加的巡察组成员", "attachments": "新增附件数", "kind": "方式"}

FIELDS = [
    "kind",
    "topic",
    "department",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "other_participants",
    "notes",
]


@dataclass(frozen=True)
class ActivityInput:
    """What a form or the API gives for an activity; the action checks every part."""

    kind: str
    title: str
    starts_at: datetime.datetime | None
    place: str
    ends_at: datetime.datetime | None = None
    topic: str = ""
    department: Department | None = None
    members: Sequence[TeamMember] = ()
    other_participants: str = ""
    notes: str = ""


def writer_roles(inspection: Inspection) -> dict[str, int]:
    """Who records an inspection's activities: its team."""
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who reads them (and downloads their files): the team and the office."""
    return writer_roles(inspection) | {Role.OFFICE: inspection.round.committee_id}


def departments(inspection: Inspection) -> QuerySet[Department]:
    """The committee's departments that carry out special checks (组织部, 宣传部, 依法治市办)."""
    return Department.objects.filter(
        committee_id=inspection.round.committee_id, kind__in=set(TOPIC_DEPARTMENT.values())
    )


def team_members(inspection: Inspection) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(team_id=inspection.team_id).select_related("inspector")


def _special(inspection: Inspection, data: ActivityInput) -> tuple[str, Department | None]:
    if data.kind != ActivityKind.SPECIAL_CHECK:
        return "", None
    if data.topic not in SpecialCheckTopic.values:
        raise Refused("请选择专项检查内容：选人用人、意识形态或法治建设。", field="topic")
    kind = TOPIC_DEPARTMENT[data.topic]
    department = data.department
    if department is None:
        raise Refused("请选择开展专项检查的部门。", field="department")
    if department.committee_id != inspection.round.committee_id or department.kind != kind:
        raise Refused(
            f"{SpecialCheckTopic(data.topic).label}专项检查应由本级党委的{DepartmentKind(kind).label}开展。",
            field="department",
        )
    return data.topic, department


def _fill(activity: Activity, inspection: Inspection, data: ActivityInput) -> list[TeamMember]:
    """Check ``data`` and set it on ``activity``; return the team members taking part."""
    if data.kind not in ActivityKind.values:
        raise Refused("请选择工作方式。", field="kind")
    activity.topic, activity.department = _special(inspection, data)
    activity.kind = data.kind
    activity.title = clean_text(data.title, label="事项", field="title", limit=200)
    if data.starts_at is None:
        raise Refused("请填写开始时间。", field="starts_at")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise Refused("结束时间不能早于开始时间。", field="ends_at")
    activity.starts_at, activity.ends_at = data.starts_at, data.ends_at
    activity.place = clean_text(data.place, label="地点", field="place", limit=200)
    activity.other_participants = clean_text(
        data.other_participants,
        label="其他参加人员",
        field="other_participants",
        limit=1000,
        required=False,
        multiline=True,
    )
    activity.notes = clean_text(
        data.notes, label="情况记录", field="notes", limit=20000, required=False, multiline=True
    )
    if any(member.team_id != inspection.team_id for member in data.members):
        raise Refused("参加人员须为本巡察组成员。", field="members")
    return list(data.members)


def _attach(activity: Activity, uploads: Sequence[files.Upload]) -> int:
    for checked in files.check(uploads):
        ActivityAttachment(activity=activity).seal(checked)
    return len(uploads)


def _save(
    activity: Activity, inspection: Inspection, data: ActivityInput, uploads: Sequence[files.Upload]
) -> tuple[list[int], int]:
    members = _fill(activity, inspection, data)
    activity.save()
    activity.members.set(members)
    return sorted(m.pk for m in members), _attach(activity, uploads)


@action
def create_activity(
    inspection: Inspection,
    *,
    data: ActivityInput,
    uploads: Sequence[files.Upload] = (),
    by: User | None,
) -> Activity:
    role = require(by, writer_roles(inspection), what="登记工作记录")
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能再登记。")
    activity = Activity(inspection=inspection, created_by=by)
    members, added = _save(activity, inspection, data, uploads)
    after = snapshot(activity, FIELDS)
    record(
        "activity.created",
        activity,
        by=by,
        role=role,
        details={"changes": changes({}, after), "members": members, "attachments": added},
    )
    return activity


@action
def update_activity(
    activity: Activity,
    *,
    data: ActivityInput,
    uploads: Sequence[files.Upload] = (),
    by: User | None,
) -> Activity:
    inspection = activity.inspection
    role = require(by, writer_roles(inspection), what="修改工作记录")
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能再修改。")
    before = snapshot(activity, FIELDS)
    members, added = _save(activity, inspection, data, uploads)
    record(
        "activity.updated",
        activity,
        by=by,
        role=role,
        details={
            "changes": changes(before, snapshot(activity, FIELDS)),
            "members": members,
            "attachments": added,
        },
    )
    return activity


@action
def delete_activity(activity: Activity, *, by: User | None) -> None:
    """Delete an activity with its attachments (their sealed blobs go once the deletion is committed)."""
    inspection = activity.inspection
    role = require(by, writer_roles(inspection), what="删除工作记录")
    if inspection.is_read_only:
        raise Refused("巡察已归档，不能删除。")
    blobs = [a.blob.name for a in activity.attachments.all()]
    record(
        "activity.deleted",
        activity,
        by=by,
        role=role,
        details={
            "kind": activity.kind,
            "starts_at": activity.starts_at.isoformat(),
            "attachments": len(blobs),
        },
    )
    storage = ActivityAttachment._meta.get_field("blob").storage
    activity.delete()

    def remove_blobs() -> None:
        for name in blobs:
            storage.delete(name)

    transaction.on_commit(remove_blobs)


def downloaded(attachment: ActivityAttachment, *, by: User) -> bytes:
    """The attachment's bytes, its download recorded (confidential material)."""
    inspection = attachment.activity.inspection
    role = require(by, reader_roles(inspection), what="下载附件")
    data = attachment.read()
    record_read(
        "activity_attachment.downloaded",
        attachment,
        by=by,
        role=role,
        details={"content_type": attachment.content_type, "size": attachment.size},
    )
    return data


def notes_read(activity: Activity, *, by: User) -> None:
    """Record that ``by`` read an activity's confidential parts (notes, outside participants)."""
    if activity.notes or activity.other_participants:
        role = require(by, reader_roles(activity.inspection), what="查看工作记录")
        record_read("activity.viewed", activity, by=by, role=role)
