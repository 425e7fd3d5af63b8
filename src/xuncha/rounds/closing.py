"""What ends with a stage: the open to-dos a stage owns close when the inspection leaves it.

rounds does not know document requests, interviews or rectification items; the apps that hold them register
a closer for the stage whose end closes them, from their ``AppConfig.ready``::

    from xuncha.rounds.closing import register_stage_end
    from xuncha.rounds.choices import Stage

    register_stage_end(Stage.FIELDWORK, closing.documents_not_provided)  # when 了解 ends
    register_stage_end(ARCHIVING, closing.cancel_interviews)              # when the inspection is archived

``transition_inspection`` calls every closer registered for the stage the inspection leaves, inside its
own transaction, after the inspection has moved (``inspection.stage`` is the new stage) and before the
roles of an archived inspection end: ``closer(inspection, by=<the acting user or None>, role=<their
role>)``. A closer closes its app's open items with a reason (one audit event per closed item, recorded
with ``by`` and ``role``), marks their notifications handled (``core.notifications.mark_handled``) and
returns how many it closed. It must not refuse: the move has passed its checks already. ``ARCHIVING`` is
the end of the last stage before 归档 (评估回访), i.e. archiving itself.

The stage's own notifications (the stage deadline reminders, whose subject is the inspection) are marked
handled by the transition itself.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from .choices import STAGE_ORDER, Stage

if TYPE_CHECKING:
    from xuncha.core.models import User

    from .models import Inspection

Closer = Callable[..., int]  # closer(inspection, *, by: User | None, role: str) -> how many items it closed
_closers: dict[str, list[Closer]] = {}

# Leaving the stage before 归档 is archiving.
ARCHIVING: str = STAGE_ORDER[STAGE_ORDER.index(Stage.ARCHIVED) - 1]


def register_stage_end(stage: str, fn: Closer) -> None:
    """Run ``fn`` whenever an inspection leaves ``stage``."""
    if stage not in STAGE_ORDER or stage == Stage.ARCHIVED:
        raise ValueError(f"no inspection leaves the stage {stage!r}")
    closers = _closers.setdefault(stage, [])
    if fn not in closers:
        closers.append(fn)


def close_stage(inspection: "Inspection", stage: str, *, by: "User | None", role: str) -> int:
    """Run the closers of ``stage``, which ``inspection`` has just left; how many items they closed."""
    return sum(closer(inspection, by=by, role=role) for closer in _closers.get(stage, []))
