"""Questions from the team to a reporter, and the reporter's answers and added material.

The reporter is reached only through the receipt of a petition submitted on the portal; the reporter's
answers come in without a login (``by`` is nobody: the acting role is "public"). Neither the text nor
the names of attached files enter an audit event.
"""

from collections.abc import Sequence

from xuncha.core.audit import action, record
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.files import FIELD as FILES_FIELD
from xuncha.core.files import Upload
from xuncha.core.files import check as check_uploads
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text

from .. import attachments
from ..choices import MessageDirection
from ..models import Attachment, Petition, PetitionMessage
from .petitions import member_roles

AUDIT_ACTIONS = {
    "petition.question_asked": "向反映人提问",
    "petition.reporter_replied": "反映人答复或补充材料",
}
QUESTION_LIMIT = 2000
REPLY_LIMIT = 5000
# All of a reporter's answers together: the thread is for answering questions and adding evidence, not a
# way to fill the database from the internet; more goes by post or in person.
REPLIES_TEXT_LIMIT = 30_000
REPLIES_FILES_LIMIT = 20


def _handlers(petition: Petition) -> dict[str, int]:
    """Who handles the petition: a petition about the inspectors goes to the office alone."""
    if petition.about_inspectors:
        return {Role.OFFICE: petition.inspection.round.committee_id}
    return member_roles(petition.inspection)


@action
def ask_reporter(petition: Petition, *, text: str, by: User | None) -> PetitionMessage:
    """A question to the reporter, who reads it with the receipt on the portal."""
    role = require(by, _handlers(petition), what="向反映人提问")
    if not petition.receipt_key:
        raise Refused("该件不是网上提交的，反映人没有查询码，无法在线提问。", field="text")
    if petition.inspection.is_read_only:
        raise Refused("巡察已归档，不能再向反映人提问。", field="text")
    question = PetitionMessage(
        petition=petition,
        direction=MessageDirection.TO_REPORTER,
        text=clean_text(text, label="问题", field="text", limit=QUESTION_LIMIT, multiline=True),
        by=by,
    )
    question.save()
    record("petition.question_asked", petition, by=by, role=role, details={"message": str(question.pk)})
    return question


def _check_totals(petition: Petition, body: str, files: int) -> None:
    replies = PetitionMessage.objects.filter(petition=petition, direction=MessageDirection.FROM_REPORTER)
    written = sum(len(reply.text) for reply in replies.only("text"))  # encrypted: counted once decrypted
    elsewhere = "更多材料请按公告所列地址邮寄或当面提交。"
    if written + len(body) > REPLIES_TEXT_LIMIT:
        raise Refused(
            f"答复和补充内容合计最多 {REPLIES_TEXT_LIMIT} 字，已提交 {written} 字，"
            f"本次 {len(body)} 字。{elsewhere}",
            field="text",
        )
    sent = Attachment.objects.filter(message__in=replies).count()
    if sent + files > REPLIES_FILES_LIMIT:
        raise Refused(
            f"补充材料的附件合计最多 {REPLIES_FILES_LIMIT} 个，已提交 {sent} 个，"
            f"本次 {files} 个。{elsewhere}",
            field=FILES_FIELD,
        )


@action
def reply_as_reporter(petition: Petition, *, text: str, files: Sequence[Upload]) -> PetitionMessage:
    """The reporter's answer or added material (text and/or files), sent with the receipt."""
    if petition.inspection.is_read_only:
        raise Refused("该件所属巡察已结束，不能再补充材料。", field="text")
    body = clean_text(
        text, label="答复或补充内容", field="text", limit=REPLY_LIMIT, required=False, multiline=True
    )
    checked = check_uploads(files)
    if not body and not checked:
        raise Refused("请填写答复或补充内容，或添加附件。", field="text")
    _check_totals(petition, body, len(checked))
    reply = PetitionMessage(petition=petition, direction=MessageDirection.FROM_REPORTER, text=body)
    reply.save()
    attachments.store(petition, checked, message=reply)
    record(
        "petition.reporter_replied",
        petition,
        by=None,
        role="public",
        details={"message": str(reply.pk), "attachments": len(checked)},
    )
    return reply
