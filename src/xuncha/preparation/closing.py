"""Information requests end with the inspection (``rounds.closing``, registered in apps.py).

When the inspection is archived, its requests still open close with the reason: no department is reminded
of them or finds them 待答复 any more, and the team's and office's escalations stop. Each closed request is
one audit event, recorded under the user (and role) who archived the inspection; the notifications of the
requests and their slots are marked handled. The answers and leads stay, read-only.
"""

from django.utils import timezone

from xuncha.core.audit import changes, record, snapshot
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.rounds.models import Inspection

from .choices import RequestStatus
from .models import InformationRequest, Recipient

AUDIT_ACTIONS = {"information_request.closed_on_archive": "巡察归档时关闭了解情况函"}
AUDIT_DETAILS: dict[str, str] = {}  # "reason" (理由) is core's

ARCHIVED = "巡察已归档，了解情况函自动关闭"
_TRACKED = ["status", "closed_at"]


def close_on_archive(inspection: Inspection, *, by: User | None, role: str) -> int:
    """The inspection is archived: its open requests close; how many did."""
    still_open = list(
        InformationRequest.objects.filter(inspection=inspection, status=RequestStatus.OPEN)
        .select_related("inspection__team", "inspection__round")
        .select_for_update(of=("self",))
        .order_by("number")
    )
    now = timezone.now()
    for request in still_open:
        before = snapshot(request, _TRACKED)
        request.status, request.closed_by, request.closed_at = RequestStatus.CLOSED, by, now
        request.close_note = ARCHIVED
        request.save(update_fields=["status", "closed_by", "closed_at", "close_note"])
        details = {"reason": ARCHIVED, "changes": changes(before, snapshot(request, _TRACKED))}
        record("information_request.closed_on_archive", request, by=by, role=role, details=details)
    mark_handled([*still_open, *Recipient.objects.filter(request__in=still_open)])
    return len(still_open)
