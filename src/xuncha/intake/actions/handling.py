"""Handling accepted petitions to their end: the team leader or the office records how one was concluded."""

from django.utils import timezone

from xuncha.core.audit import action, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.core.text import clean_text

from ..choices import Status
from ..models import Petition

CONCLUSION_LIMIT = 5_000
# Chinese names of the petitions area's audit codes and detail keys (registered in apps.py).
AUDIT_ACTIONS = {
    "petition.concluded": "办结信访件",
    "petition.exported": "导出信访件台账",
    "attachment.downloaded": "下载信访件附件",
}
AUDIT_DETAILS = {
    "conclusion_length": "办结情况字数",
    "filters": "筛选条件",
    "rows": "导出件数",
}
_TRACKED = ["status", "concluded_at"]


def conclude_roles(petition: Petition) -> dict[str, int]:
    """Who may conclude a petition: the office of its committee, and its team's leader unless it is about
    the inspectors themselves (those are the office's alone)."""
    inspection = petition.inspection
    roles: dict[str, int] = {Role.OFFICE: inspection.round.committee_id}
    if not petition.about_inspectors:
        roles[Role.TEAM_LEADER] = inspection.team_id
    return roles


@action
def conclude_petition(petition: Petition, *, conclusion: str, by: User | None) -> Petition:
    """Record how an accepted petition was concluded (办结); it then counts as disposed of."""
    role = require(by, conclude_roles(petition), what="办结信访件")
    if petition.status != Status.ACCEPTED:
        raise Refused(
            f"只有已受理的信访件可以办结，该件当前为“{petition.get_status_display()}”。", field="status"
        )
    text = clean_text(
        conclusion, label="办结情况", field="conclusion", limit=CONCLUSION_LIMIT, multiline=True
    )
    before = snapshot(petition, _TRACKED)
    petition.conclusion = text
    petition.status = Status.CONCLUDED
    petition.concluded_at = timezone.now()
    petition.save(update_fields=["conclusion", "status", "concluded_at"])
    # The conclusion is free text that may name people: the event keeps only its length.
    record(
        "petition.concluded",
        petition,
        by=by,
        role=role,
        details={
            "number": petition.number,
            "conclusion_length": len(text),
            "changes": changes(before, snapshot(petition, _TRACKED)),
        },
    )
    return petition
