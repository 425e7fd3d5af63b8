"""Problems raised in interviews (fieldwork's ``InterviewProblem``) as the source of a finding or a clue:
those of an inspection not yet taken up, and the problem a draft starts from (its text is encrypted: showing
it on the form is an audited read). The link is the finding's or clue's ``interview_problem``; fieldwork
knows nothing of findings."""

from typing import Any

from django.shortcuts import get_object_or_404

from xuncha.core.audit import record_read
from xuncha.core.models import User
from xuncha.core.permissions import require
from xuncha.fieldwork.models import InterviewProblem
from xuncha.rounds.models import Inspection

from .actions import team_roles

AUDIT_ACTIONS = {"interview_problem.read_for_draft": "查看谈话反映的问题（形成问题底稿或线索）"}


def waiting(user: User, inspection: Inspection, kind: str) -> Any:
    """The problems of ``kind`` (finding or clue) the user may read that no finding or clue comes from yet;
    without their text (listing them reads nothing)."""
    return (
        InterviewProblem.objects.visible_to(user)
        .filter(interview__inspection=inspection, kind=kind, findings__isnull=True, clues__isnull=True)
        .select_related("interview")
        .defer("text")
        .order_by("added_at")
    )


def problem_to_draft(user: User, pk: Any, what: str) -> InterviewProblem:
    """The problem a team member drafts from (404 unless readable; 403 unless in the team)."""
    problem = get_object_or_404(
        InterviewProblem.objects.visible_to(user).select_related(
            "interview__inspection__round__committee",
            "interview__inspection__team",
            "interview__inspection__unit",
        ),
        pk=pk,
    )
    require(user, team_roles(problem.interview.inspection), what=what)
    return problem


def read_for_draft(user: User, problem: InterviewProblem) -> str:
    """The problem's text, for the draft form: an audited read."""
    role = require(user, team_roles(problem.interview.inspection), what="查看谈话反映的问题")
    record_read(
        "interview_problem.read_for_draft",
        problem,
        by=user,
        role=role,
        details={"name": problem.interview.name},
    )
    return problem.text
