"""Actions of information requests (巡前了解、提请协助): send a request to departments, a department's
answer (text and sealed files), asking a department again, closing the request, and drawing a lead from an
answer; plus the reminder engine's provider.

Who acts: the office of the inspection's committee or the team's leader sends, asks again and closes; the
addressed department's receiver answers its own slot; the team (leader, members) and the office draw leads.
Nothing changes once the inspection is archived (``Inspection.is_read_only``). Free text may name people:
audit events keep its length, never the text.
"""

import datetime
from collections.abc import Sequence

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.files import check as check_uploads
from xuncha.core.models import User
from xuncha.core.notifications import holders, mark_handled, notify, usernames
from xuncha.core.permissions import holds, require
from xuncha.core.reminders import EVERYONE, Deadline, Reach
from xuncha.core.text import clean_text
from xuncha.orgs.models import Department
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection
from xuncha.rounds.reminders import horizon

from .choices import KIND_STAGES, AnswerStatus, RequestKind, RequestStatus
from .models import InformationAnswer, InformationAnswerFile, InformationRequest, Lead, Recipient

SUBJECT_LIMIT = 200
QUESTIONS_LIMIT = 5_000
ANSWER_LIMIT = 20_000
NOTE_LIMIT = 1_000
PASSAGE_LIMIT = 5_000
MAX_DAYS_AHEAD = 180

AUDIT_ACTIONS = {
    "information_request.sent": "发出了解情况函",
    "information_request.answered": "答复了解情况函",
    "information_request.asked_again": "再次提请答复",
    "information_request.closed": "关闭了解情况函",
    "information_request.answers_read": "查看了解情况答复",
    "information_answer_file.downloaded": "下载答复附件",
    "preparation_lead.created": "由答复形成线索",
    "preparation_lead.read": "查看了解所得线索",
}
AUDIT_DETAILS = {
    "departments": "收函部门",
    "kind": "类别",
    "questions_length": "了解事项字数",
    "answer_length": "答复字数",
    "files": "附件数",
    "note_length": "说明字数",
    "passage_length": "线索字数",
    "answers": "答复数",
    "department": "部门",
    "inspection": "巡察",
    "notified": "已通知",
}


def requester_roles(inspection: Inspection) -> dict[str, int]:
    """Who sends, asks again and closes: the committee's office and the team's leader."""
    return {Role.OFFICE: inspection.round.committee_id, Role.TEAM_LEADER: inspection.team_id}


def reader_roles(inspection: Inspection) -> dict[str, int]:
    """Who reads every slot, answer and lead of an inspection's requests."""
    return {
        **requester_roles(inspection),
        Role.LEADING_GROUP: inspection.round.committee_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }


def lead_roles(inspection: Inspection) -> dict[str, int]:
    """Who turns an answer into a lead: the team and the office."""
    return {
        Role.TEAM_LEADER: inspection.team_id,
        Role.TEAM_MEMBER: inspection.team_id,
        Role.OFFICE: inspection.round.committee_id,
    }


def receiver_roles(recipient: Recipient) -> dict[str, int]:
    return {Role.RECEIVER: recipient.department_id}


def kinds_now(inspection: Inspection) -> list[str]:
    """The kinds of letter the inspection's stage allows (巡前了解 before fieldwork, 提请协助 during it)."""
    return [kind for kind in RequestKind.values if inspection.stage in KIND_STAGES[kind]]


def may_request(user: User, inspection: Inspection) -> bool:
    return holds(user, requester_roles(inspection)) and bool(kinds_now(inspection))


def may_answer(user: User, recipient: Recipient) -> bool:
    return (
        holds(user, receiver_roles(recipient))
        and recipient.status == AnswerStatus.PENDING
        and recipient.request.is_open
        and not recipient.request.inspection.is_read_only
    )


def target_departments(inspection: Inspection) -> QuerySet[Department]:
    """The departments of the inspection's committee (纪委监委, 组织部, 审计, 信访 …)."""
    return Department.objects.filter(committee_id=inspection.round.committee_id)


def _lock(obj: Model) -> None:
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def _writable(inspection: Inspection) -> None:
    inspection.refresh_from_db(fields=["stage"])  # the stage now, not as the caller loaded it
    if inspection.is_read_only:
        raise Refused("该巡察已归档，了解情况函只能查看。")


def _open(request: InformationRequest) -> None:
    request.refresh_from_db(fields=["status"])
    _writable(request.inspection)
    if not request.is_open:
        raise Refused("该函已关闭。")


def _due(due_on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if due_on is None:
        raise Refused("请填写答复期限。", field="due_on")
    if due_on < today:
        raise Refused("答复期限不能早于今天。", field="due_on")
    if due_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise Refused(f"答复期限不能晚于 {MAX_DAYS_AHEAD} 天之后。", field="due_on")
    return due_on


def _link(request: InformationRequest) -> str:
    return reverse("preparation:request-detail", args=[request.pk])


@action
def send_request(
    inspection: Inspection,
    *,
    kind: str,
    subject: str,
    questions: str,
    due_on: datetime.date | None,
    departments: Sequence[Department],
    by: User | None,
) -> InformationRequest:
    """Send a 了解情况函 (before stationing) or 提请协助函 (during the inspection) to one or more departments
    of the inspection's committee; each department gets its own answer slot and a notice."""
    role = require(by, requester_roles(inspection), what="发出了解情况函")
    _lock(inspection)
    _writable(inspection)
    if kind not in RequestKind.values:
        raise Refused("请选择类别。", field="kind")
    if inspection.stage not in KIND_STAGES[kind]:
        raise Refused(
            f"{RequestKind(kind).label}只能在{_stage_names(KIND_STAGES[kind])}阶段发出，"
            f"该巡察处于“{inspection.get_stage_display()}”阶段。",
            field="kind",
        )
    subject_text = clean_text(subject, label="事由", field="subject", limit=SUBJECT_LIMIT)
    questions_text = clean_text(
        questions, label="了解事项", field="questions", limit=QUESTIONS_LIMIT, multiline=True
    )
    due = _due(due_on)
    chosen = list({d.pk: d for d in departments}.values())
    if not chosen:
        raise Refused("请至少选择一个部门。", field="departments")
    allowed_ids = set(target_departments(inspection).values_list("pk", flat=True))
    if any(d.pk not in allowed_ids for d in chosen):
        raise Refused("只能向本级党委的部门发函。", field="departments")
    number = InformationRequest.objects.filter(inspection=inspection).count() + 1
    request = InformationRequest(
        inspection=inspection,
        number=number,
        kind=kind,
        subject=subject_text,
        questions=questions_text,
        due_on=due,
        created_by=by,
    )
    request.save()
    sent = []
    for department in sorted(chosen, key=lambda d: d.pk):
        recipient = Recipient(request=request, department=department, due_on=due)
        recipient.save()
        sent += notify(
            holders({Role.RECEIVER: department.pk}),
            key=f"information-request:{request.pk}:{department.pk}",
            title=f"{request}待答复（{due:%Y-%m-%d}前）",
            link=_link(request),
            subject=recipient,
        )
    record(
        "information_request.sent",
        request,
        by=by,
        role=role,
        details={
            "kind": kind,
            "number": number,
            "departments": [d.name for d in sorted(chosen, key=lambda d: d.pk)],
            "due_on": due.isoformat(),
            "questions_length": len(questions_text),
            "notified": usernames(sent),
        },
    )
    return request


def _stage_names(stages: Sequence[str]) -> str:
    return "、".join(f"“{Stage(s).label}”" for s in stages)


def _team_and_sender(request: InformationRequest) -> QuerySet[User]:
    inspection = request.inspection
    team = holders({Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id})
    if request.created_by_id is None:
        return team
    return team | User.objects.filter(pk=request.created_by_id, is_active=True)


@action
def answer_request(
    recipient: Recipient, *, text: str, files: Sequence[Upload], by: User | None
) -> InformationAnswer:
    """The addressed department's receiver answers its slot with text and files (sealed)."""
    role = require(by, receiver_roles(recipient), what="答复了解情况函")
    request = recipient.request
    _lock(recipient)
    _open(request)
    if recipient.status != AnswerStatus.PENDING:
        raise Refused("本部门已答复；如需补充，请待请求方再次提请。", field="text")
    body = clean_text(text, label="答复内容", field="text", limit=ANSWER_LIMIT, multiline=True)
    checked = check_uploads(files)
    if by is None:
        raise Refused("答复须由部门收件人作出。")
    before = snapshot(recipient, ["status", "answered_at"])
    answer = InformationAnswer(recipient=recipient, text=body, answered_by=by)
    answer.save()
    for file in checked:
        InformationAnswerFile(answer=answer).seal(file)
    recipient.status = AnswerStatus.ANSWERED
    recipient.answered_at = answer.answered_at
    recipient.save(update_fields=["status", "answered_at"])
    mark_handled(recipient)  # the notice of the request and the reminders of its due date
    sent = notify(
        _team_and_sender(request),
        key=f"information-answer:{answer.pk}",
        title=f"{recipient.department.name}已答复{request}",
        link=_link(request),
        subject=request,
    )
    record(
        "information_request.answered",
        recipient,
        by=by,
        role=role,
        details={
            "department": recipient.department.name,
            "answer_length": len(body),
            "files": len(checked),
            "changes": changes(before, snapshot(recipient, ["status", "answered_at"])),
            "notified": usernames(sent),
        },
    )
    return answer


@action
def ask_again(recipient: Recipient, *, note: str, due_on: datetime.date | None, by: User | None) -> Recipient:
    """The requester asks one department again (for more, or because it is late), with a new due date."""
    request = recipient.request
    role = require(by, requester_roles(request.inspection), what="再次提请答复")
    _lock(recipient)
    _open(request)
    text = clean_text(note, label="再次提请说明", field="note", limit=NOTE_LIMIT, multiline=True)
    due = _due(due_on)
    before = snapshot(recipient, ["status", "due_on", "asked_again"])
    recipient.status = AnswerStatus.PENDING
    recipient.due_on = due
    recipient.follow_up = text
    recipient.asked_again += 1
    recipient.save(update_fields=["status", "due_on", "follow_up", "asked_again"])
    sent = notify(
        holders(receiver_roles(recipient)),
        key=f"information-request:{request.pk}:{recipient.department_id}:again{recipient.asked_again}",
        title=f"{request}再次提请答复（{due:%Y-%m-%d}前）",
        link=_link(request),
        subject=recipient,
    )
    record(
        "information_request.asked_again",
        recipient,
        by=by,
        role=role,
        details={
            "department": recipient.department.name,
            "note_length": len(text),
            "changes": changes(before, snapshot(recipient, ["status", "due_on", "asked_again"])),
            "notified": usernames(sent),
        },
    )
    return recipient


@action
def close_request(request: InformationRequest, *, note: str = "", by: User | None) -> InformationRequest:
    """The requester closes the request: no more answers are expected, reminders stop."""
    role = require(by, requester_roles(request.inspection), what="关闭了解情况函")
    _lock(request)
    _open(request)
    text = clean_text(note, label="关闭说明", field="note", limit=NOTE_LIMIT, required=False, multiline=True)
    before = snapshot(request, ["status", "closed_at"])
    request.status = RequestStatus.CLOSED
    request.closed_by = by
    request.closed_at = timezone.now()
    request.close_note = text
    request.save(update_fields=["status", "closed_by", "closed_at", "close_note"])
    mark_handled([request, *request.recipients.all()])  # no answer is expected any more
    record(
        "information_request.closed",
        request,
        by=by,
        role=role,
        details={
            "note_length": len(text),
            "changes": changes(before, snapshot(request, ["status", "closed_at"])),
        },
    )
    return request


@action
def record_lead(answer: InformationAnswer, *, passage: str, by: User | None) -> Lead:
    """The team records an answer, or a passage of it, as a lead of the inspection: findings may cite it as
    evidence. Not a petition: intake has no channel for what a department tells the team (its channels are
    the public's), and a petition can only be received from stationing on, while these answers mostly come
    before it."""
    request = answer.recipient.request
    inspection = request.inspection
    role = require(by, lead_roles(inspection), what="由答复形成线索")
    _writable(inspection)
    text = clean_text(passage, label="线索内容", field="passage", limit=PASSAGE_LIMIT, multiline=True)
    if by is None:
        raise Refused("线索须由巡察组或巡察办登记。")
    _lock(inspection)
    count = Lead.objects.filter(inspection=inspection).count()
    lead = Lead(
        inspection=inspection,
        answer=answer,
        number=f"了解线索{count + 1:02d}",
        passage=text,
        created_by=by,
    )
    lead.save()
    record(
        "preparation_lead.created",
        lead,
        by=by,
        role=role,
        details={
            "number": lead.number,
            "department": answer.recipient.department.name,
            "passage_length": len(text),
        },
    )
    return lead


# Reminders ------------------------------------------------------------------------------------------


def request_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """The reminder engine's provider: every slot still owed an answer, due soon or overdue. The receivers
    of the department must answer; the office and the team's leader are told once it is late. The title
    names the letter and the department, never the questions."""
    mine = reach.q(
        {
            Role.RECEIVER: "department_id",
            Role.OFFICE: "request__inspection__round__committee_id",
            Role.TEAM_LEADER: "request__inspection__team_id",
        }
    )
    waiting = Recipient.objects.pending().filter(mine, due_on__lte=horizon(today))
    deadlines = []
    for recipient in waiting.select_related(
        "department", "request__inspection__team", "request__inspection__round__committee__settings"
    ):
        request = recipient.request
        inspection = request.inspection
        committee = inspection.round.committee
        deadlines.append(
            Deadline(
                key=f"information-request:{recipient.pk}",
                due_on=recipient.due_on,
                title=f"{recipient.department.name}答复{inspection.team.name}{request.letter}第{request.number}号",
                link=_link(request),
                owners=receiver_roles(recipient),
                escalate_to={Role.OFFICE: committee.pk, Role.TEAM_LEADER: inspection.team_id},
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=recipient,
            )
        )
    return deadlines
