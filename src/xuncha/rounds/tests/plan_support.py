"""Test setup for the work plan and readiness: a round whose plan is approved and whose team members
have all been trained and signed their commitments, so its teams may be stationed (the fixtures that
station inspections use it; the plan's own tests go through the actions)."""

from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.rounds.models import Commitment, Round, TeamMember, TrainingSession, WorkPlan
from xuncha.rounds.plan_choices import CommitmentKind, PlanStatus
from xuncha.rounds.readiness import COMMITMENT_TEXTS


def approve_plan_for_tests(round_: Round) -> WorkPlan:
    """Give ``round_`` an approved plan, and make every member of its teams ready (trained, committed).
    Idempotent: call it again after adding members."""
    with action_scope("test.plan"):
        plan = WorkPlan.objects.filter(round=round_).first()
        if plan is None:
            plan = WorkPlan(
                round=round_,
                status=PlanStatus.APPROVED,
                stationing_on=round_.planned_start,
                withdrawal_on=round_.planned_end,
                approved_at=timezone.now(),
            )
            plan.save()
        session = TrainingSession.objects.filter(round=round_).first()
        if session is None:
            session = TrainingSession(round=round_, held_on=round_.planned_start, topic="巡前培训")
            session.save()
        for member in TeamMember.objects.filter(team__round=round_).select_related("inspector"):
            session.attendees.add(member.inspector)
            for kind in CommitmentKind:
                if not Commitment.objects.filter(
                    round=round_, inspector=member.inspector, kind=kind
                ).exists():
                    Commitment(
                        round=round_, inspector=member.inspector, kind=kind, text=COMMITMENT_TEXTS[kind]
                    ).save()
        record("test.plan", plan, by=None)
    return plan
