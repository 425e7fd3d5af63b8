"""The archive check of intake ("件件有着落"): every petition of the inspection disposed of.

Registered with ``rounds.archive`` from ``IntakeConfig.ready``; one Chinese line per open petition.
"""

from django.db.models import Prefetch
from django.urls import reverse

from xuncha.rounds.checks import OpenItem
from xuncha.rounds.models import Inspection

from .choices import Status, TransferStatus
from .models import Petition, Transfer


def open_petitions(inspection: Inspection) -> list[OpenItem]:
    pending = Transfer.objects.exclude(status=TransferStatus.REPORTED).select_related("department", "unit")
    petitions = (
        Petition.objects.filter(inspection=inspection)
        .open()
        .order_by("number")
        .prefetch_related(Prefetch("transfers", queryset=pending, to_attr="pending_transfers"))
    )
    lines = []
    for petition in petitions:
        url = reverse("intake:petition-detail", args=[petition.pk])
        if petition.status == Status.NEW:
            lines.append(OpenItem(f"信访件 {petition.number} 尚未分拣", url))
        elif petition.status == Status.ACCEPTED:
            lines.append(OpenItem(f"信访件 {petition.number} 已受理，尚未办结", url))
        else:
            receivers = "、".join(t.receiver_name for t in petition.pending_transfers)  # type: ignore[attr-defined]
            lines.append(OpenItem(f"信访件 {petition.number} 已转交{receivers}，尚未报结果", url))
    return lines
