"""The buttons findings offers on lower apps' pages (``core.object_actions``): 形成问题线索 on a petition, and
形成问题底稿 or 形成问题线索 (as the interviewers marked it) on a problem raised in an interview not yet
taken up. Only a member of the inspection's team drafts, and never once the inspection is archived."""

from collections.abc import Iterator

from django.urls import reverse

from xuncha.core.models import User
from xuncha.core.object_actions import ObjectAction
from xuncha.core.permissions import holds
from xuncha.fieldwork.choices import ProblemKind
from xuncha.fieldwork.models import InterviewProblem
from xuncha.intake.models import Petition
from xuncha.rounds.models import Inspection

from .actions import team_roles


def _may_draft(user: User, inspection: Inspection) -> bool:
    return not inspection.is_read_only and holds(user, team_roles(inspection))


def petition_actions(user: User, petition: Petition) -> Iterator[ObjectAction]:
    if _may_draft(user, petition.inspection):
        yield ObjectAction("形成问题线索", reverse("findings:clue-from-petition", args=[petition.pk]))


def problem_actions(user: User, problem: InterviewProblem) -> Iterator[ObjectAction]:
    if not _may_draft(user, problem.interview.inspection):
        return
    if problem.findings.exists() or problem.clues.exists():  # taken up already
        return
    if problem.kind == ProblemKind.CLUE:
        yield ObjectAction("形成问题线索", reverse("findings:clue-from-problem", args=[problem.pk]))
    else:
        yield ObjectAction("形成问题底稿", reverse("findings:finding-from-problem", args=[problem.pk]))
