"""Batch actions on the petition list (core.batch): 办结 and 存查 of the selected petitions, each through
its single action (``conclude_petition``, ``triage_petition``), all or nothing. Shared by the page and
the API."""

from collections.abc import Callable

from xuncha.core.models import User
from xuncha.core.scoping import perform

from .actions.handling import conclude_petition
from .actions.triage import triage_petition
from .choices import Decision, Scope, ScopeReason
from .models import Petition

CONCLUDE, FILE = "conclude", "file"
VERBS = {CONCLUDE: "批量办结信访件", FILE: "批量分拣为存查"}
# 存查 for a reason out of scope; one about the inspectors goes to the office (移交巡察办) instead.
FILE_REASONS = (ScopeReason.PERSONAL_CLAIM, ScopeReason.LITIGATION, ScopeReason.OTHER_MATTER)


def conclude(user: User, *, conclusion: str) -> Callable[[Petition], object]:
    return lambda petition: perform(user, conclude_petition, petition, conclusion=conclusion)


def file(user: User, *, scope_reason: str, note: str) -> Callable[[Petition], object]:
    return lambda petition: perform(
        user,
        triage_petition,
        petition,
        decision=Decision.FILE,
        scope=Scope.OUT,
        scope_reason=scope_reason,
        note=note,
    )


def name(petition: Petition) -> str:
    return f"信访件{petition.number}"
