"""Feedback beyond the unit (seed 002: "在反馈的同时，还要向党委政府分管联系同志报告、向相关部门通报"): once a
feedback is delivered, the office copies it (抄送) to the unit's 分管联系领导 — accounts of the committee's
leading group — and 通报 it to departments of the committee. Each receiving side is notified and signs for
its copy (签收): a receiver of the department, or the leader's own account. The receiving side reads the
feedback through its copy (the .docx, an audit event), never the feedback's own page.
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import Notification, User
from xuncha.core.notifications import holders, mark_handled, notify, usernames
from xuncha.core.permissions import NotAllowed, require
from xuncha.orgs.models import Department

from .choices import CopyKind, FeedbackStatus
from .models import Feedback, FeedbackCopy

AUDIT_ACTIONS = {
    "feedback.copied": "抄送、通报反馈意见",
    "feedback_copy.acknowledged": "签收反馈意见抄送、通报",
    "feedback_copy.read": "下载抄送、通报的反馈意见",
}
AUDIT_DETAILS = {"leaders": "抄送领导数", "departments": "通报部门数", "copy_kind": "方式"}


def sender_roles(feedback: Feedback) -> dict[str, int]:
    return {Role.OFFICE: feedback.inspection.round.committee_id}


def receiving(copy: FeedbackCopy) -> dict[str, int]:
    """The role that receives a copy to a department (a leader's copy: none, it goes to the account)."""
    return {Role.RECEIVER: copy.department_id} if copy.department_id is not None else {}


def may_acknowledge(user: User, copy: FeedbackCopy) -> bool:
    """Who signs for a copy: the leader's own account, or a receiver of the department."""
    if copy.department_id is None:
        return copy.leader_id == user.pk
    return user.scopes.has(Role.RECEIVER, copy.department_id)


def leader_choices(feedback: Feedback) -> QuerySet[User]:
    committee_id = feedback.inspection.round.committee_id
    return holders({Role.LEADING_GROUP: committee_id}).order_by("full_name", "username")


def department_choices(feedback: Feedback) -> QuerySet[Department]:
    return Department.objects.filter(committee_id=feedback.inspection.round.committee_id).order_by("pk")


def _link(copy: FeedbackCopy) -> str:
    return reverse("reports:feedback-copy-detail", args=[copy.pk])


@action
def send_copies(
    feedback: Feedback,
    *,
    leaders: Sequence[User] = (),
    departments: Sequence[Department] = (),
    by: User | None,
) -> Feedback:
    """Copy a delivered feedback to 分管联系领导 and 通报 it to departments; each receiving side is told."""
    role = require(by, sender_roles(feedback), what="抄送、通报反馈意见")
    if feedback.status != FeedbackStatus.DELIVERED:
        raise Refused("反馈意见在反馈会上送达后，才能抄送、通报。")
    if not leaders and not departments:
        raise Refused("请选择抄送的分管联系领导或通报的部门。", field="leaders")
    if any(user.pk not in set(leader_choices(feedback).values_list("pk", flat=True)) for user in leaders):
        raise Refused("分管联系领导应从本级巡察工作领导小组成员中选择。", field="leaders")
    committee_id = feedback.inspection.round.committee_id
    if any(d.committee_id != committee_id for d in departments):
        raise Refused("只能通报本级党委的部门。", field="departments")
    sent = FeedbackCopy.objects.filter(feedback=feedback)
    if sent.filter(leader__in=leaders).exists() or sent.filter(department__in=departments).exists():
        raise Refused("所选领导或部门已收到本反馈意见的抄送、通报。", field="leaders")
    copies = [
        FeedbackCopy(feedback=feedback, kind=CopyKind.LEADER, leader=user, sent_by=by) for user in leaders
    ]
    copies += [
        FeedbackCopy(feedback=feedback, kind=CopyKind.DEPARTMENT, department=d, sent_by=by)
        for d in departments
    ]
    told: list[Notification] = []
    for copy in copies:
        copy.save()
        users = [copy.leader] if copy.leader else list(holders(receiving(copy)))
        title = f"请签收：{feedback.inspection.unit.name}巡察反馈意见（{copy.get_kind_display()}）"
        told += notify(users, key=f"feedback-copy:{copy.pk}", title=title, link=_link(copy), subject=copy)
    details = {"leaders": len(leaders), "departments": len(departments), "notified": usernames(told)}
    record("feedback.copied", feedback, by=by, role=role, details=details)
    return feedback


@action
def acknowledge_copy(copy: FeedbackCopy, *, by: User | None) -> FeedbackCopy:
    """The receiving side signs for its copy (签收)."""
    if by is None or not by.is_active or not may_acknowledge(by, copy):
        raise NotAllowed(f"只有{copy.receiver_name}可以签收。")
    copy = FeedbackCopy.objects.select_for_update().get(pk=copy.pk)
    if copy.is_acknowledged:
        raise Refused("已签收。")
    copy.acknowledged_by, copy.acknowledged_at = by, timezone.now()
    copy.save()
    mark_handled(copy)
    role = Role.RECEIVER if copy.department_id else Role.LEADING_GROUP
    record("feedback_copy.acknowledged", copy, by=by, role=role, details={"copy_kind": copy.kind})
    return copy
