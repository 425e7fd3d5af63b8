"""Rectification's part when an inspection is archived (``rounds.closing``, registered in apps.py).

The archive checks have made sure every item is closed or long-term with milestones, the plan approved and
every 督办单 closed; an archived inspection is read-only, so its items leave the 整改 panel and the
reminders (``views.lists``, ``reminders``), and a self-check problem never decided on leaves the team
leader's panel (``views.self_check``). Nothing changes state here, so no event: the notifications about
the inspection's items, plans, notices and self-check problems are marked handled.
"""

from xuncha.core.models import User
from xuncha.core.notifications import mark_handled
from xuncha.rounds.models import Inspection

from .models import Item, Plan, SelfCheckItem, SupervisionNotice


def close_on_archive(inspection: Inspection, *, by: User | None, role: str) -> int:
    mark_handled(Item.objects.filter(inspection=inspection).only("pk"))
    mark_handled(Plan.objects.filter(inspection=inspection).only("pk"))
    mark_handled(SupervisionNotice.objects.filter(inspection=inspection).only("pk"))
    mark_handled(SelfCheckItem.objects.filter(inspection=inspection).only("pk"))
    return 0
