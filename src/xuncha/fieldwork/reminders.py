"""Document requests' due dates for the reminder engine (core/reminders.py), registered in apps.py: one
deadline per issued request and due date with items still owed (an item without its own date has the
request's). The unit's liaison must provide them; the team's leader and the office are told when late.
Fieldwork's own 调阅资料 panel lists overdue items, so the engine's home panels do not."""

import datetime
from collections import Counter

from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse

from xuncha.core.choices import Role
from xuncha.core.reminders import EVERYONE, Deadline, Reach
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.reminders import horizon

from .choices import OUTSTANDING_ITEM_STATUSES, RequestStatus
from .models.documents import DocumentItem, DocumentRequest


def document_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    mine = reach.q(
        {
            Role.UNIT_LIAISON: "request__inspection__unit_id",
            Role.TEAM_LEADER: "request__inspection__team_id",
            Role.OFFICE: "request__inspection__round__committee_id",
        }
    )
    owed = DocumentItem.objects.filter(
        mine, status__in=OUTSTANDING_ITEM_STATUSES, request__status=RequestStatus.ISSUED
    ).annotate(due=Coalesce(F("due_on"), F("request__due_on")))
    counts = Counter(owed.filter(due__lte=horizon(today)).values_list("request_id", "due"))
    requests = DocumentRequest.objects.filter(pk__in={pk for pk, _ in counts}).select_related(
        "inspection__round__committee__settings", "inspection__team"
    )
    by_pk = {request.pk: request for request in requests}
    deadlines = []
    for (request_pk, due), count in sorted(counts.items()):
        request = by_pk[request_pk]
        inspection = request.inspection
        committee = inspection.round.committee
        deadlines.append(
            Deadline(
                key=f"document-request:{request.pk}",
                due_on=due,
                title=f"{request}（{count}项资料）",
                link=reverse("fieldwork:document-request", args=[request.pk]),
                owners={Role.UNIT_LIAISON: inspection.unit_id},
                escalate_to={Role.TEAM_LEADER: inspection.team_id, Role.OFFICE: committee.pk},
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=request,
            )
        )
    return deadlines
