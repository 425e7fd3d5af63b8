"""Fieldwork's open to-dos close when their stage ends (``rounds.closing``, registered in apps.py).

- When 了解 ends (the inspection moves to 报告), the document items the unit still owes on an issued
  request (待提供 or 已退回) are marked 未提供 with the reason: they leave the liaison's 待提供 list and the
  reminders, and the team decides what follows (the unit may still answer a 未提供 item late, and the team
  may return it to ask again, until the inspection is archived).
- When the inspection is archived, whatever is still owed is marked 未提供 as well, its interviews still to
  come (or never given a time) are cancelled with the reason, and its open surveys end. What the unit
  reported and the team never decided on stays as it is (the record of what was reported), but asks
  nothing any more: the home panel leaves out an archived inspection's, and its notifications are handled.

Each closed item is one audit event, recorded under the user (and role) who moved the inspection; the
closed objects' notifications are marked handled.
"""

from django.db.models import Q
from django.utils import timezone

from xuncha.core.audit import changes, record, snapshot
from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.rounds.models import Inspection

from .choices import OUTSTANDING_ITEM_STATUSES, InterviewStatus, ItemStatus, RequestStatus, SurveyStatus
from .models.documents import DocumentItem, DocumentRequest
from .models.interviews import Interview
from .models.notices import UnitNotice, UnitNoticeStatus
from .models.surveys import Survey

AUDIT_ACTIONS = {
    "document_item.not_provided": "标记调阅资料未提供",
    "interview.closed": "巡察归档时取消谈话",
    "survey.closed_on_archive": "巡察归档时结束测评",
}
AUDIT_DETAILS: dict[str, str] = {}  # "reason" (理由) is core's

FIELDWORK_ENDED = "了解阶段结束时单位尚未提供"
ARCHIVED = "巡察归档时单位尚未提供"
INTERVIEW_CANCELLED = "巡察已归档，谈话未进行，自动取消"
SURVEY_CLOSED = "巡察已归档，测评自动结束"

_ITEM_TRACKED = ["status", "closed_reason"]
_INTERVIEW_TRACKED = ["status"]


def _items_not_provided(inspection: Inspection, *, by: User | None, role: str, reason: str) -> int:
    owed = (
        DocumentItem.objects.filter(
            request__inspection=inspection,
            request__status=RequestStatus.ISSUED,
            status__in=OUTSTANDING_ITEM_STATUSES,
        )
        .select_related("request__inspection__team", "request__inspection__round")
        .select_for_update(of=("self",))
        .order_by("request__number", "position")
    )
    requests: dict[int, DocumentRequest] = {}
    closed = 0
    for item in owed:
        before = snapshot(item, _ITEM_TRACKED)
        item.status, item.closed_reason = ItemStatus.MISSING, reason
        item.save(update_fields=["status", "closed_reason"])
        requests[item.request_id] = item.request
        details = {
            "request": str(item.request),
            "position": item.position,
            "reason": reason,
            "changes": changes(before, snapshot(item, _ITEM_TRACKED)),
        }
        record("document_item.not_provided", item, by=by, role=role, details=details)
        closed += 1
    mark_handled(requests.values())
    return closed


def documents_not_provided(inspection: Inspection, *, by: User | None, role: str) -> int:
    """了解 ended: the items still owed are 未提供."""
    return _items_not_provided(inspection, by=by, role=role, reason=FIELDWORK_ENDED)


def close_on_archive(inspection: Inspection, *, by: User | None, role: str) -> int:
    """The inspection is archived: items still owed are 未提供, interviews still to come are cancelled and
    open surveys end."""
    closed = _items_not_provided(inspection, by=by, role=role, reason=ARCHIVED)
    now = timezone.now()
    coming = (
        Interview.objects.filter(
            inspection=inspection, status__in=(InterviewStatus.PLANNED, InterviewStatus.CONFIRMED)
        )
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gte=now))
        .select_related("inspection__team", "inspection__round")
        .select_for_update(of=("self",))
    )
    interviews = []
    for interview in coming:
        before = snapshot(interview, _INTERVIEW_TRACKED)
        interview.status, interview.cancel_reason = InterviewStatus.CANCELLED, INTERVIEW_CANCELLED
        interview.save(update_fields=["status", "cancel_reason"])
        details = {
            "reason": INTERVIEW_CANCELLED,
            "changes": changes(before, snapshot(interview, _INTERVIEW_TRACKED)),
        }
        record("interview.closed", interview, by=by, role=role, details=details)
        interviews.append(interview)
    mark_handled(interviews)
    surveys = list(
        Survey.objects.filter(inspection=inspection, status=SurveyStatus.OPEN)
        .select_related("inspection__round")
        .select_for_update(of=("self",))
    )
    for survey in surveys:
        survey.status, survey.closed_at = SurveyStatus.CLOSED, now
        survey.save(update_fields=["status", "closed_at"])
        record("survey.closed_on_archive", survey, by=by, role=role, details={"reason": SURVEY_CLOSED})
    mark_handled(surveys)
    reported = UnitNotice.objects.filter(inspection=inspection, status=UnitNoticeStatus.REPORTED)
    mark_handled(reported.only("pk"))
    return closed + len(interviews) + len(surveys)
