"""Rectification's deadlines for the reminder engine (``core.reminders``): what a unit owes on time (the plan
until submitted, the two reports until uploaded) and every item in force that is not closed nor waiting
for the office (its deadline, or its next open milestone's). The liaison is told; the office and leading
group are escalated to. A task on a problem fed back to the principal leader, which the liaison does not
see, is the office's to chase."""

import datetime

from django.db.models import Q
from django.urls import reverse

from xuncha.core.choices import Role
from xuncha.core.reminders import EVERYONE, Deadline, Reach, escalation_roles
from xuncha.reports.choices import Recipient
from xuncha.rounds.choices import Stage
from xuncha.rounds.deadlines import settings_for
from xuncha.rounds.models import Inspection
from xuncha.rounds.reminders import horizon

from .choices import ItemStatus, NoticeStatus
from .duties import duties_of
from .models import Item, SupervisionNotice

ACTIVE_STAGES = ("rectifying", "reviewing")


def _duty_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    found = []
    mine = reach.q(
        {
            Role.UNIT_LIAISON: "unit_id",
            Role.OFFICE: "round__committee_id",
            Role.LEADING_GROUP: "round__committee_id",
        }
    )
    inspections = Inspection.objects.filter(mine, stage__in=ACTIVE_STAGES).select_related(
        "round__committee__settings", "unit"
    )
    for duty in duties_of(inspections):
        inspection = duty.inspection
        committee = inspection.round.committee
        found.append(
            Deadline(
                key=f"rectification-duty:{inspection.pk}:{duty.what}",
                due_on=duty.due_on,
                title=f"{inspection.unit.name}{duty.what}",
                link=reverse("rectification:inspection", args=[inspection.pk]),
                owners={Role.UNIT_LIAISON: inspection.unit_id},
                escalate_to=escalation_roles(committee.pk),
                committee_id=committee.pk,
                remind_days=settings_for(committee).due_soon_days,
                subject=inspection,  # handled when the inspection moves on
            )
        )
    return found


def _item_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    mine = reach.q(
        {
            Role.UNIT_LIAISON: "inspection__unit_id",
            Role.OFFICE: "inspection__round__committee_id",
            Role.LEADING_GROUP: "inspection__round__committee_id",
        }
    )
    items = (
        Item.objects.active()
        .filter(mine)
        .with_next_due()
        .exclude(status__in=(ItemStatus.CLOSED, ItemStatus.SUBMITTED))
        .exclude(inspection__stage=Stage.ARCHIVED)  # read-only: nothing to chase any more
        .filter(Q(next_due__lte=horizon(today)))  # Q: the plugin cannot see the annotation
        .select_related("inspection__round__committee__settings", "inspection__unit", "problem__feedback")
    )
    found = []
    for item in items:
        inspection = item.inspection
        committee_id = inspection.round.committee_id
        principal = item.problem is not None and item.problem.feedback.recipient == Recipient.PRINCIPAL
        owners: dict[str, int] = (
            {Role.OFFICE: committee_id} if principal else {Role.UNIT_LIAISON: inspection.unit_id}
        )
        found.append(
            Deadline(
                key=f"rectification-item:{item.pk}",
                due_on=item.next_due,  # type: ignore[attr-defined]
                title=f"{inspection.unit.name}整改事项{item.code}",
                link=reverse("rectification:item", args=[item.pk]),
                owners=owners,
                escalate_to=escalation_roles(committee_id),
                committee_id=committee_id,
                remind_days=settings_for(inspection.round.committee).due_soon_days,
                subject=item,
            )
        )
    return found


def rectification_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    return [*_duty_deadlines(today, reach), *_item_deadlines(today, reach)]


def _notice_owners(notice: SupervisionNotice) -> dict[str, int]:
    """Who answers a notice: its lead department's receivers, or its lead unit's liaisons."""
    if notice.lead_department_id is not None:
        return {Role.RECEIVER: notice.lead_department_id}
    assert notice.lead_unit_id is not None  # noqa: S101 - the constraint holds one lead
    return {Role.UNIT_LIAISON: notice.lead_unit_id}


def notice_deadlines(today: datetime.date, reach: Reach = EVERYONE) -> list[Deadline]:
    """Supervision notices (督办单) still waiting for the lead unit's result: its liaison is told, the
    office and leading group are escalated to."""
    mine = reach.q(
        {
            Role.RECEIVER: "lead_department_id",
            Role.UNIT_LIAISON: "lead_unit_id",
            Role.OFFICE: "committee_id",
            Role.LEADING_GROUP: "committee_id",
        }
    )
    notices = SupervisionNotice.objects.filter(
        mine, status__in=(NoticeStatus.ISSUED, NoticeStatus.RETURNED), due_on__lte=horizon(today)
    ).select_related("committee__settings", "lead_unit", "lead_department")
    return [
        Deadline(
            key=f"supervision-notice:{notice.pk}",
            due_on=notice.due_on,
            title=f"{notice.number}（{notice.lead_label}：{notice.lead_name}）办理结果",
            link=reverse("rectification:notice", args=[notice.pk]),
            owners=_notice_owners(notice),
            escalate_to=escalation_roles(notice.committee_id),
            committee_id=notice.committee_id,
            remind_days=settings_for(notice.committee).due_soon_days,
            subject=notice,
        )
        for notice in notices
    ]
