"""Document requests (调阅、复制资料): the team starts a request from its round kind's template, edits the
items while it is a draft, issues it to the unit (and may add items after); the unit's liaison answers each
item with files and/or text; the team accepts an item or returns it with a reason.

Who acts: the team's leader and members on the request's side; the liaison of the inspection's own unit on
the unit's side. Free text of the unit and the team's reasons are recorded by length only.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.files import Upload, check
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.core.permissions import require
from xuncha.core.text import clean_text
from xuncha.rounds.choices import RoundKind
from xuncha.rounds.models import Inspection

from ..choices import (
    DOCUMENT_DUE_DAYS,
    DOCUMENT_TEMPLATES,
    OUTSTANDING_ITEM_STATUSES,
    TOPIC_ITEM,
    TOPIC_ITEMS,
    ItemMode,
    ItemStatus,
    RequestStatus,
    TemplateItem,
)
from ..models import DocumentFile, DocumentItem, DocumentRequest

TITLE_LIMIT = 100
INSTRUCTIONS_LIMIT = 1_000
WHAT_LIMIT = 200
PERIOD_LIMIT = 100
NOTES_LIMIT = 1_000
ANSWER_LIMIT = 2_000
REASON_LIMIT = 500
DEFAULT_TITLE = "调阅（复制）资料清单"
CURRENT = "现行有效"

_REQUEST_FIELDS = ["title", "instructions", "due_on"]
_ITEM_FIELDS = ["what", "period", "mode", "due_on", "notes"]
_ITEM_TRACKED = ["status", "answered_at", "reviewed_at"]

AUDIT_ACTIONS = {
    "document_request.started": "创建调阅资料清单",
    "document_request.updated": "修改调阅资料清单",
    "document_request.issued": "下发调阅资料清单",
    "document_request.notice_read": "下载调阅资料通知",
    "document_item.added": "增加调阅资料事项",
    "document_item.updated": "修改调阅资料事项",
    "document_item.removed": "删除调阅资料事项",
    "document_item.answered": "答复调阅资料事项",
    "document_file.withdrawn": "撤回调阅资料文件",
    "document_item.accepted": "接收调阅资料",
    "document_item.returned": "退回调阅资料",
    "document_file.downloaded": "下载调阅资料文件",
}
AUDIT_DETAILS = {
    "request": "调阅资料清单",
    "items": "事项数",
    "files": "文件数",
    "answer_length": "答复字数",
    "reason_length": "退回理由字数",
    "unit": "被巡察单位",
    "position": "序号",
    "files_left": "剩余文件数",
}


def team_roles(inspection: Inspection) -> dict[str, int]:
    """Who makes and reviews requests: the team's leader and members."""
    return {Role.TEAM_LEADER: inspection.team_id, Role.TEAM_MEMBER: inspection.team_id}


def liaison_roles(inspection: Inspection) -> dict[str, int]:
    """Who answers: the liaison of the inspected unit."""
    return {Role.UNIT_LIAISON: inspection.unit_id}


def template_items(inspection: Inspection) -> list[TemplateItem]:
    """The template of the inspection's round kind; a special round adds the items of its topic."""
    round_ = inspection.round
    items = list(DOCUMENT_TEMPLATES.get(round_.kind, DOCUMENT_TEMPLATES[RoundKind.ROUTINE]))
    topic = round_.topic.strip()
    if round_.kind == RoundKind.SPECIAL and topic:
        items.append(TOPIC_ITEM._replace(what=TOPIC_ITEM.what.format(topic=topic)))
        for keyword, extra in TOPIC_ITEMS.items():
            if keyword in topic:
                items.extend(e for e in extra if e not in items)
    return items


def period_text(years: int | None, start: datetime.date) -> str:
    """The period an item covers: ``2023年1月以来`` for three years before the round's start."""
    return CURRENT if years is None else f"{start.year - years}年1月以来"


def _lock(obj: Model) -> None:
    """Lock the row and reload it, so that concurrent actions on it queue and each sees the other's result."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def _writable(inspection: Inspection) -> None:
    if inspection.is_read_only:
        raise Refused("该巡察已归档，不能再调阅资料。", field="inspection")


def _due(value: datetime.date | None, *, field: str, required: bool) -> datetime.date | None:
    if value is None:
        if required:
            raise Refused("请填写提供期限。", field=field)
        return None
    if value < timezone.localdate():
        raise Refused("提供期限不能早于今天。", field=field)
    return value


def _draft(request: DocumentRequest, what: str) -> None:
    if not request.is_draft:
        raise Refused(f"清单已下发，不能再{what}。", field="request")


@action
def start_document_request(
    inspection: Inspection,
    *,
    title: str = "",
    due_on: datetime.date | None = None,
    by: User,
) -> DocumentRequest:
    """A new draft request, numbered within the inspection, filled from its round kind's template."""
    role = require(by, team_roles(inspection), what="创建调阅资料清单")
    _lock(inspection)
    _writable(inspection)
    text = clean_text(title, label="标题", field="title", limit=TITLE_LIMIT, required=False) or DEFAULT_TITLE
    day = _due(due_on, field="due_on", required=False) or timezone.localdate() + datetime.timedelta(
        days=DOCUMENT_DUE_DAYS
    )
    taken = (
        DocumentRequest.objects.filter(inspection=inspection)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    request = DocumentRequest(
        inspection=inspection,
        number=(taken or 0) + 1,
        title=text,
        due_on=day,
        template=inspection.round.kind,
        created_by=by,
    )
    request.save()
    start = inspection.round.planned_start
    items = template_items(inspection)
    DocumentItem.objects.bulk_create(
        DocumentItem(
            request=request,
            position=n,
            what=line.what,
            period=period_text(line.years, start),
            mode=line.mode,
        )
        for n, line in enumerate(items, start=1)
    )
    record(
        "document_request.started",
        request,
        by=by,
        role=role,
        details={
            "inspection": str(inspection),
            "number": request.number,
            "template": RoundKind(request.template).label,
            "due_on": day.isoformat(),
            "items": len(items),
        },
    )
    return request


@action
def update_document_request(
    request: DocumentRequest, *, title: str, instructions: str, due_on: datetime.date | None, by: User
) -> DocumentRequest:
    """The request's title, instructions and due date, while it is a draft."""
    role = require(by, team_roles(request.inspection), what="修改调阅资料清单")
    _lock(request)
    _draft(request, "修改")
    before = snapshot(request, _REQUEST_FIELDS)
    request.title = clean_text(title, label="标题", field="title", limit=TITLE_LIMIT)
    request.instructions = clean_text(
        instructions,
        label="提供要求",
        field="instructions",
        limit=INSTRUCTIONS_LIMIT,
        required=False,
        multiline=True,
    )
    request.due_on = _due(due_on, field="due_on", required=True) or request.due_on
    request.save(update_fields=_REQUEST_FIELDS)
    after = snapshot(request, _REQUEST_FIELDS)
    record("document_request.updated", request, by=by, role=role, details={"changes": changes(before, after)})
    return request


@action
def issue_document_request(request: DocumentRequest, *, by: User) -> DocumentRequest:
    """Issue the request to the unit: its liaison sees it from now on and answers item by item."""
    inspection = request.inspection
    role = require(by, team_roles(inspection), what="下发调阅资料清单")
    _lock(request)
    _writable(request.inspection)  # as it is now: the lock reloaded the request
    _draft(request, "重复下发")
    count = request.items.count()
    if not count:
        raise Refused("清单中没有资料事项，请先添加。", field="request")
    if request.due_on < timezone.localdate():
        raise Refused("清单的提供期限已过，请先修改期限。", field="due_on")
    past = request.items.filter(due_on__lt=timezone.localdate()).first()
    if past is not None:
        raise Refused(f"第 {past.position} 项的提供期限已过，请先修改。", field="due_on")
    request.status = RequestStatus.ISSUED
    request.issued_by = by
    request.issued_at = timezone.now()
    request.save(update_fields=["status", "issued_by", "issued_at"])
    record(
        "document_request.issued",
        request,
        by=by,
        role=role,
        details={"unit": inspection.unit.name, "items": count, "due_on": request.due_on.isoformat()},
    )
    return request


def _item_fields(
    *, what: str, period: str, mode: str, due_on: datetime.date | None, notes: str
) -> dict[str, object]:
    if mode not in ItemMode.values:
        raise Refused("请选择调阅或复制。", field="mode")
    return {
        "what": clean_text(what, label="资料名称", field="what", limit=WHAT_LIMIT),
        "period": clean_text(period, label="时间范围", field="period", limit=PERIOD_LIMIT, required=False),
        "mode": mode,
        "due_on": _due(due_on, field="due_on", required=False),
        "notes": clean_text(
            notes, label="说明", field="notes", limit=NOTES_LIMIT, required=False, multiline=True
        ),
    }


@action
def add_document_item(
    request: DocumentRequest,
    *,
    what: str,
    period: str = "",
    mode: str = ItemMode.VIEW,
    due_on: datetime.date | None = None,
    notes: str = "",
    by: User,
) -> DocumentItem:
    """One more item, at the end of the list; also after the request was issued (补充调阅)."""
    role = require(by, team_roles(request.inspection), what="增加调阅资料事项")
    _lock(request)
    _writable(request.inspection)
    fields = _item_fields(what=what, period=period, mode=mode, due_on=due_on, notes=notes)
    last = request.items.order_by("-position").values_list("position", flat=True).first()
    item = DocumentItem(request=request, position=(last or 0) + 1, **fields)
    item.save()
    record(
        "document_item.added",
        item,
        by=by,
        role=role,
        details={
            "request": str(request),
            "position": item.position,
            "what": item.what,
        },
    )
    return item


@action
def update_document_item(
    item: DocumentItem,
    *,
    what: str,
    period: str,
    mode: str,
    due_on: datetime.date | None,
    notes: str,
    by: User,
) -> DocumentItem:
    request = item.request
    role = require(by, team_roles(request.inspection), what="修改调阅资料事项")
    _lock(request)
    _writable(request.inspection)
    _draft(request, "修改事项")
    before = snapshot(item, _ITEM_FIELDS)
    for name, value in _item_fields(what=what, period=period, mode=mode, due_on=due_on, notes=notes).items():
        setattr(item, name, value)
    item.save(update_fields=_ITEM_FIELDS)
    record(
        "document_item.updated",
        item,
        by=by,
        role=role,
        details={"request": str(request), "changes": changes(before, snapshot(item, _ITEM_FIELDS))},
    )
    return item


@action
def remove_document_item(item: DocumentItem, *, by: User) -> DocumentRequest:
    """Remove an item from a draft; the items after it move up, so the numbers stay without gaps."""
    request = item.request
    role = require(by, team_roles(request.inspection), what="删除调阅资料事项")
    _lock(request)
    _writable(request.inspection)
    _draft(request, "删除事项")
    item.refresh_from_db()  # its number as it is now, after any removal made meanwhile
    position, what = item.position, item.what
    record(
        "document_item.removed",
        item,
        by=by,
        role=role,
        details={"request": str(request), "position": position, "what": what},
    )
    item.delete()
    # In ascending order, so each move goes to the number just freed (the unique constraint holds).
    for later in request.items.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    return request


def _issued(request: DocumentRequest) -> None:
    if request.is_draft:
        raise Refused("清单尚未下发。", field="request")


@action
def answer_document_item(
    item: DocumentItem, *, answer: str = "", files: Sequence[Upload] = (), by: User
) -> DocumentItem:
    """The unit's answer to one item: files (checked by content, sealed) and/or a text answer such as
    无此类资料 or 已现场提供. Answering again adds files and replaces the text, until the team accepts it."""
    role = require(by, liaison_roles(item.request.inspection), what="答复调阅资料事项")
    _lock(item)
    request = item.request  # reloaded with the item: its status and inspection as they are now
    _issued(request)
    _writable(request.inspection)
    if item.status == ItemStatus.ACCEPTED:
        raise Refused("该事项已被巡察组接收，不能再修改答复。", field="item")
    text = clean_text(
        answer, label="答复", field="answer", limit=ANSWER_LIMIT, required=False, multiline=True
    )
    checked = check(files)
    if not text and not checked:
        raise Refused("请上传文件或填写答复（如：无此类资料、已现场提供）。", field="answer")
    before = snapshot(item, _ITEM_TRACKED)
    for file in checked:
        DocumentFile(item=item, uploaded_by=by).seal(file)
    if text:
        item.answer = text
    item.status = ItemStatus.PROVIDED
    item.answered_by = by
    item.answered_at = timezone.now()
    item.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    if not request.items.filter(status__in=OUTSTANDING_ITEM_STATUSES).exists():
        mark_handled(request)  # nothing owed any more: its reminders ask nothing
    record(
        "document_item.answered",
        item,
        by=by,
        role=role,
        details={
            "request": str(request),
            "position": item.position,
            "files": len(checked),
            "answer_length": len(text),
            "changes": changes(before, snapshot(item, _ITEM_TRACKED)),
        },
    )
    return item


@action
def withdraw_document_file(file: DocumentFile, *, by: User) -> DocumentItem:
    """The liaison takes back a file it uploaded (a wrong one, or one with too much in it) until the team
    accepts the item. An item left with neither a file nor a text answer is owed again; a returned item
    stays returned. The sealed blob goes once the withdrawal is committed."""
    item = file.item
    role = require(by, liaison_roles(item.request.inspection), what="撤回调阅资料文件")
    _lock(item)  # queued behind an answer or a review of the item, and seeing its result
    request = item.request
    _writable(request.inspection)
    if item.status == ItemStatus.ACCEPTED:
        raise Refused("该事项已被巡察组接收，不能再撤回文件。", field="item")
    if not item.files.filter(pk=file.pk).exists():
        raise Refused("该文件已撤回。", field="file")
    before = snapshot(item, _ITEM_TRACKED)
    blob = file.blob.name
    storage = DocumentFile._meta.get_field("blob").storage
    file.delete()
    left = item.files.count()
    if item.status == ItemStatus.PROVIDED and not left and not item.answer:
        item.status = ItemStatus.PENDING
        item.answered_by = None
        item.answered_at = None
        item.save(update_fields=["status", "answered_by", "answered_at"])
    record(
        "document_file.withdrawn",
        item,
        by=by,
        role=role,
        details={
            "request": str(request),
            "position": item.position,
            "content_type": file.content_type,
            "size": file.size,
            "files_left": left,
            "changes": changes(before, snapshot(item, _ITEM_TRACKED)),
        },
    )
    transaction.on_commit(lambda: storage.delete(blob))
    return item


def _review(item: DocumentItem, *, by: User, what: str) -> str:
    role = require(by, team_roles(item.request.inspection), what=what)
    _lock(item)
    _writable(item.request.inspection)  # reloaded with the item: as it is now
    # A 未提供 item (still owed when 了解 ended, closing.py) is the team's to decide: it may ask again.
    allowed = (ItemStatus.PROVIDED, ItemStatus.MISSING) if what == "退回" else (ItemStatus.PROVIDED,)
    if item.status not in allowed:
        raise Refused(f"该事项当前为“{item.get_status_display()}”，单位提供后才能{what}。", field="item")
    return role


@action
def accept_document_item(item: DocumentItem, *, by: User) -> DocumentItem:
    role = _review(item, by=by, what="接收")
    before = snapshot(item, _ITEM_TRACKED)
    item.status = ItemStatus.ACCEPTED
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.return_reason = ""
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
    record(
        "document_item.accepted",
        item,
        by=by,
        role=role,
        details={
            "request": str(item.request),
            "position": item.position,
            "changes": changes(before, snapshot(item, _ITEM_TRACKED)),
        },
    )
    return item


@action
def return_document_item(item: DocumentItem, *, reason: str, by: User) -> DocumentItem:
    """Back to the unit with a reason (e.g. 缺少2024年度凭证); the item is owed again until re-answered."""
    role = _review(item, by=by, what="退回")
    text = clean_text(reason, label="退回理由", field="reason", limit=REASON_LIMIT, multiline=True)
    before = snapshot(item, _ITEM_TRACKED)
    item.status = ItemStatus.RETURNED
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.return_reason = text
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
    record(
        "document_item.returned",
        item,
        by=by,
        role=role,
        details={
            "request": str(item.request),
            "position": item.position,
            "reason_length": len(text),
            "changes": changes(before, snapshot(item, _ITEM_TRACKED)),
        },
    )
    return item
