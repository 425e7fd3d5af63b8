"""Helpers of the clue tests: clues of inspection1 made and moved through the actions."""

from types import SimpleNamespace
from typing import Any

from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.models import RoleAssignment, User
from xuncha.fieldwork.models import InterviewProblem

from ..clues import actions, transfers
from ..models import Clue, ClueTransfer

CONTENT = "反映张建国在2025年春节期间收受下属单位负责人礼金2万元，并在工程款拨付中打招呼。"


def clue_input(w: SimpleNamespace, **overrides: Any) -> actions.ClueInput:
    values: dict[str, Any] = {
        "title": "张建国收受礼金",
        "content": CONTENT,
        "kind": "discipline",
        "persons": [w.principal1],
    }
    values.update(overrides)
    return actions.ClueInput(**values)


def draft_clue(
    w: SimpleNamespace, persona: str = "t1_member", problem: InterviewProblem | None = None, **overrides: Any
) -> Clue:
    return actions.draft_clue(
        w.inspection1, data=clue_input(w, **overrides), by=w.users[persona], problem=problem
    )


def grant(user: User, role: str, scope_id: int) -> User:
    RoleAssignment.objects.create(user=user, role=role, scope_type=ROLE_SCOPE[role], scope_id=scope_id)
    user.refresh_from_db()  # the scopes are cached on the instance
    return user


def deputy(w: SimpleNamespace) -> User:
    """A second leader of team1 (副组长), for what t1_leader drafts."""
    if "t1_deputy" not in w.users:
        user = User.objects.create(username="t1_deputy", full_name="副组长")
        w.users["t1_deputy"] = grant(user, Role.TEAM_LEADER, w.team1.pk)
    return w.users["t1_deputy"]


def approved_clue(w: SimpleNamespace, persona: str = "t1_member", **overrides: Any) -> Clue:
    """Drafted and submitted by ``persona``, approved by a team leader who is not ``persona`` and by the
    office."""
    clue = draft_clue(w, persona, **overrides)
    actions.submit_clue(clue, by=w.users[persona])
    actions.approve_clue(clue, by=deputy(w) if persona == "t1_leader" else w.users["t1_leader"])
    return actions.approve_clue(clue, by=w.users["office"])


def transferred_clue(w: SimpleNamespace, **overrides: Any) -> ClueTransfer:
    return transfers.transfer_clue(approved_clue(w, **overrides), by=w.users["office"])
