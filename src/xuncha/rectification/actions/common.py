"""Who acts on rectification, the stage guards and the notifications every area shares."""

from collections.abc import Collection

from django.db.models import Model
from django.utils import timezone

from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import Notification
from xuncha.core.notifications import holders, notify, usernames
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection
from xuncha.rounds.stages import label

NOTE_LIMIT = 2_000
SHORT_LIMIT = 100
MEASURE_LIMIT = 2_000

# The plan is drafted and reviewed in 整改; items are worked on and closed in 整改 and 评估回访, and an item
# issued during fieldwork (边巡边改) from the moment it is issued.
PLAN_STAGES = (Stage.RECTIFYING,)
ITEM_STAGES = (Stage.RECTIFYING, Stage.REVIEWING)
FIELDWORK_ITEM_STAGES = (Stage.FIELDWORK, Stage.REPORTING, Stage.FEEDBACK, *ITEM_STAGES)
ISSUE_STAGES = (Stage.FIELDWORK,)


def liaison_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.UNIT_LIAISON: inspection.unit_id}


def office_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.OFFICE: inspection.round.committee_id}


def team_leader_roles(inspection: Inspection) -> dict[str, int]:
    return {Role.TEAM_LEADER: inspection.team_id}


def lock(obj: Model) -> None:
    """Lock the row and reload it, so that concurrent actions on it queue and each sees the other's result."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def in_stage(inspection: Inspection, stages: Collection[str], what: str) -> None:
    if inspection.stage not in stages:
        names = "、".join(label(s) for s in stages)
        raise Refused(
            f"巡察处于“{label(inspection.stage)}”阶段，只能在“{names}”阶段{what}。", field="inspection"
        )


def tell(
    roles: dict[str, int], *, key: str, title: str, link: str, subject: Model | None = None
) -> list[str]:
    """Notify the holders of ``roles``, once per key (the key names the occasion and its moment), about
    ``subject``: the action that next handles it marks the notification handled (``mark_handled``)."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    sent: list[Notification] = notify(
        holders(roles), key=f"{key}:{stamp}", title=title, link=link, subject=subject
    )
    return usernames(sent)
