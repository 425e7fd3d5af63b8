"""The demo's work plans and readiness: before a round's teams are stationed, the office drafts and submits
the round's 巡察工作方案, the leading group approves it (the current round's first draft is returned with an
opinion and approved as the second), the secretary's 审定 is recorded, the office holds the 巡前培训 and
each inspector signs the 保密承诺 and 行为规范 (on the platform, or on paper recorded by the office)."""

import datetime

from django.utils import timezone

from xuncha.core.models import User
from xuncha.rounds import plans, readiness, round_meeting
from xuncha.rounds.choices import TeamRole
from xuncha.rounds.models import Round, TeamMember, WorkPlan
from xuncha.rounds.plan_choices import CommitmentKind

TASKS = {
    TeamRole.LEADER: "主持本组全面工作，负责与被巡察党组织主要负责人沟通",
    TeamRole.DEPUTY: "协助组长工作，负责个别谈话的统筹安排",
    TeamRole.MEMBER: "负责个别谈话、调阅资料和受理信访",
    TeamRole.LIAISON: "负责联络协调和资料管理",
}
TOPIC = "群众身边不正之风和腐败问题"
RETURN_OPINION = "请在巡察重点中增加专项主题“群众身边不正之风和腐败问题”，并细化各组任务分工。"
SECRETARIES = {"city": "市委书记李国华", "county": "县委书记王建平"}


def prepare_round(
    round_: Round,
    *,
    office: User,
    approver: User | None,
    secretary: str,
    returned_once: bool = False,
) -> None:
    """Plan approved and ratified, training held, commitments signed: the round's teams may be stationed.
    ``approver`` None: a committee without a leading-group account in the demo (the system records it)."""
    today = timezone.localdate()
    focus = plans.focus_choices()[:3]
    members = TeamMember.objects.filter(team__round=round_).select_related("inspector")
    tasks = {m.pk: TASKS[TeamRole(m.role)] for m in members}

    def draft(topic: str, tasks: dict[int, str]) -> WorkPlan:
        return plans.save_plan(
            round_,
            stationing_on=round_.planned_start,
            withdrawal_on=round_.planned_end,
            focus=focus,
            topic=topic,
            division=plans.DEFAULT_DIVISION,
            requirements=plans.DEFAULT_REQUIREMENTS,
            tasks=tasks,
            by=office,
        )

    if returned_once:
        plan = plans.submit_plan(draft("", {}), by=office)
        plans.return_plan(plan, opinion=RETURN_OPINION, by=approver)
    plan = draft(TOPIC if returned_once else "", tasks)
    plans.submit_plan(plan, by=office)
    plan = plans.approve_plan(plan, opinion="同意，按程序报书记审定。", by=approver)
    plans.ratify_plan(plan, ratified_by_name=secretary, ratified_on=today, by=office)

    # The deployment meeting the day before stationing (yesterday at the latest), the training before it.
    meeting_on = min(round_.planned_start, today) - datetime.timedelta(days=1)
    held_on = meeting_on - datetime.timedelta(days=2)
    inspectors = readiness.round_inspectors(round_)
    readiness.record_training(
        round_,
        held_on=held_on,
        topic="巡前培训：巡察工作规定、谈话技巧、保密纪律和巡察干部行为规范",
        place="市委党校第二教室" if round_.committee.parent_id is None else "县委党校报告厅",
        attendees=inspectors,
        by=office,
    )
    for inspector in inspectors:
        for kind in CommitmentKind:
            if inspector.user is not None:
                readiness.sign_commitment(round_, kind=kind, by=inspector.user)
            else:
                readiness.sign_commitment(round_, kind=kind, inspector=inspector, by=office)

    lists = round_meeting.defaults(round_)
    round_meeting.save_round_meeting(
        round_,
        held_at=datetime.datetime.combine(
            meeting_on, datetime.time(15), tzinfo=timezone.get_current_timezone()
        ),
        place="市委常委会议室" if round_.committee.parent_id is None else "县委常委会议室",
        chair=secretary,
        notes="书记作动员讲话，宣布各巡察组组长授权任职和任务分工；巡察组与被巡察单位主要负责人见面。",
        by=office,
        **lists,
    )
