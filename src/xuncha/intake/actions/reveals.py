"""Confidential identity: the only way to see a named reporter's identity (为反映问题的同志严守秘密).

A member of the petition's team (or the office) asks with a reason; a ``custodian`` of the petition's
committee approves or refuses, never the requester themselves (two-person rule, even for someone holding
both roles); an approval lets the requester alone see the identity for ``CommitteeSettings.reveal_hours``.
Each step is an audit event, and so is each showing of the identity (``identity_for``). No event, message
or exception carries the identity itself.
"""

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone

from xuncha.core.audit import action, record, record_read
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, require
from xuncha.core.text import clean_text
from xuncha.orgs.models import CommitteeSettings

from ..choices import RevealStatus
from ..models import IdentityReveal, Petition
from .petitions import member_roles

REASON_MIN = 10
REASON_LIMIT = 500
NOTE_LIMIT = 500

AUDIT_ACTIONS = {
    "reveal.requested": "申请查看反映人身份信息",
    "reveal.approved": "批准查看反映人身份信息",
    "reveal.refused": "不予批准查看反映人身份信息",
    "petition.identity_read": "查看反映人身份信息",
}
# Keys that are not field names of the event's object (those are named from the model).
AUDIT_DETAILS = {
    "petition_number": "信访件编号",
    "requester": "申请人",
    "hours": "查看时限（小时）",
    "expires_at": "查看截止时间",
    "reveal": "查看申请编号",
}


@dataclass(frozen=True)
class Identity:
    """A reporter's identity as shown during an approved reveal; never stored or logged."""

    name: str
    phone: str
    id_number: str
    contact: str
    expires_at: datetime.datetime
    # The title and content as written, when the reporter named themselves in them (else empty).
    title_as_written: str = ""
    content_as_written: str = ""


def requester_roles(petition: Petition) -> dict[str, int]:
    """Who may ask: the team and the office, as for handling the petition; a petition about the inspectors
    is the office's alone (the team concerned never sees it)."""
    roles = member_roles(petition.inspection)
    if petition.about_inspectors:
        return {Role.OFFICE: roles[Role.OFFICE]}
    return roles


def may_request(user: User, petition: Petition) -> bool:
    try:
        require(user, requester_roles(petition))
    except NotAllowed:
        return False
    return True


def _committee_id(petition: Petition) -> int:
    return petition.inspection.round.committee_id


def _details(reveal: IdentityReveal, **extra: object) -> dict[str, object]:
    return {"petition_number": reveal.petition.number, "requester": reveal.requested_by.username, **extra}


@action
def request_reveal(petition: Petition, *, reason: str, by: User | None) -> IdentityReveal:
    """Ask to see a named reporter's identity, saying why."""
    role = require(by, requester_roles(petition), what="申请查看反映人身份信息")
    if by is None:
        # A reveal is always a person's request: the system has no one to show the identity to.
        raise Refused("身份信息查看申请须由具体人员提出。")
    if petition.anonymous:
        raise Refused("该件为匿名反映，没有可查看的身份信息。")
    text = clean_text(reason, label="申请理由", field="reason", limit=REASON_LIMIT, multiline=True)
    if len(text) < REASON_MIN:
        raise Refused(
            f"请具体说明查看身份信息的理由（至少 {REASON_MIN} 个字），例如需要当面核实的具体事项。",
            field="reason",
        )
    # The petition row is locked so that two submissions of the same request cannot both pass the check.
    Petition.objects.select_for_update().filter(pk=petition.pk).first()
    mine = IdentityReveal.objects.filter(petition=petition, requested_by=by)
    if mine.filter(status=RevealStatus.PENDING).exists():
        raise Refused("您已提交过该件的查看申请，正在等待身份信息保管人审批。", field="reason")
    if IdentityReveal.objects.granting(by, petition).exists():
        raise Refused("您的查看申请已获批准，仍在查看期限内。", field="reason")
    reveal = IdentityReveal(petition=petition, requested_by=by, reason=text)
    reveal.save()
    record("reveal.requested", reveal, by=by, role=role, details=_details(reveal, reason=text))
    return reveal


def _decide(reveal: IdentityReveal, by: User | None, *, what: str) -> str:
    role = require(by, {Role.CUSTODIAN: _committee_id(reveal.petition)}, what=what)
    if by is not None and by.pk == reveal.requested_by_id:
        raise Refused("不能审批本人提出的查看申请，须由另一名身份信息保管人审批。")
    if reveal.status != RevealStatus.PENDING:
        raise Refused(f"该申请已处理（{reveal.get_status_display()}）。")
    return role


@action
def approve_reveal(reveal: IdentityReveal, *, note: str, by: User | None) -> IdentityReveal:
    """Let the requester see the identity for the committee's ``reveal_hours`` from now."""
    role = _decide(reveal, by, what="批准查看反映人身份信息")
    if not Petition.objects.visible_to(reveal.requested_by).filter(pk=reveal.petition_id).exists():
        raise Refused("申请人已无权办理该信访件，不能批准。")
    hours = CommitteeSettings.objects.get(committee_id=_committee_id(reveal.petition)).reveal_hours
    now = timezone.now()
    reveal.status = RevealStatus.APPROVED
    reveal.decided_by, reveal.decided_at = by, now
    reveal.decision_note = clean_text(
        note, label="审批意见", field="note", limit=NOTE_LIMIT, required=False, multiline=True
    )
    reveal.expires_at = now + datetime.timedelta(hours=hours)
    reveal.save()
    record(
        "reveal.approved",
        reveal,
        by=by,
        role=role,
        details=_details(reveal, note=reveal.decision_note, hours=hours, expires_at=reveal.expires_at),
    )
    return reveal


@action
def refuse_reveal(reveal: IdentityReveal, *, note: str, by: User | None) -> IdentityReveal:
    """Refuse, saying why: the requester reads the note."""
    role = _decide(reveal, by, what="审批身份信息查看申请")
    reveal.decision_note = clean_text(
        note, label="不予批准的理由", field="note", limit=NOTE_LIMIT, multiline=True
    )
    reveal.status = RevealStatus.REFUSED
    reveal.decided_by, reveal.decided_at = by, timezone.now()
    reveal.save()
    record("reveal.refused", reveal, by=by, role=role, details=_details(reveal, note=reveal.decision_note))
    return reveal


def identity_for(user: User, petition: Petition) -> Identity | None:
    """The reporter's identity, when ``user`` holds an approved, unexpired reveal of their own and still
    handles the petition; each call that returns it is a ``petition.identity_read`` event."""
    reveal = IdentityReveal.objects.granting(user, petition).order_by("-expires_at").first()
    if reveal is None or reveal.expires_at is None:
        return None
    try:
        role = require(user, requester_roles(petition))
    except NotAllowed:
        return None
    # Read afresh: the caller's instance may have the identity deferred (it then reads as empty).
    stored = Petition.objects.visible_to(user).filter(pk=petition.pk).first()
    if stored is None:
        return None
    record_read(
        "petition.identity_read",
        petition,
        by=user,
        role=role,
        details={"petition_number": petition.number, "reveal": reveal.pk, "expires_at": reveal.expires_at},
    )
    written = json.loads(stored.text_as_written) if stored.text_as_written else {}
    return Identity(
        name=stored.reporter_name,
        phone=stored.reporter_phone,
        id_number=stored.reporter_id_number,
        contact=stored.reporter_contact,
        expires_at=reveal.expires_at,
        title_as_written=written.get("title", ""),
        content_as_written=written.get("content", ""),
    )
