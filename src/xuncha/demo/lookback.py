"""The look-back (巡察“回头看”) in the demo.

Last year's second team inspected the city investment group (``ucic``), whose feedback was delivered
(demo/reports.py). The group has no liaison account in the demo, so the system drafts its plan as the
liaison would, with tasks on the problems fed back to the unit; ``office`` approves it and closes the
first task on its evidence. This year ``office`` starts a look-back round of that inspection with a team
led by 林海 with ``t2_member`` in it; the inspection is in 了解, where ``t2_member`` finds the closed task
really fixed (真改实改) and the second one come back (反弹回潮), which is followed by a draft
finding (问题底稿) of the look-back inspection. Call ``build_lookback(w)`` after ``build_rectification(w)``.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.core.models import User
from xuncha.findings.actions import categories
from xuncha.rectification.actions import items, lookback, plans
from xuncha.rectification.choices import ItemKind, Verdict
from xuncha.rectification.models import Item
from xuncha.reports.choices import Recipient
from xuncha.reports.models import FeedbackProblem
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Term
from xuncha.taxonomy.choices import SchemeKind

from .data import CITY

if TYPE_CHECKING:
    from .build import World

MEASURES = (
    ("全面清理拆分标段项目，对规避招标问题逐项整改并追究责任。", "总经理", "工程管理部"),
    ("修订招投标管理办法，实行标段划分集体审议。", "分管副总经理", "法务审计部"),
    ("健全“三重一大”决策台账，严格落实集体决策。", "董事长", "综合办公室"),
)


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _earlier_plan(inspection: Inspection, w: "World") -> list[Item]:
    """The investment group's approved plan, on the problems fed back to the unit; the first task closed."""
    liaison, office = None, w.users["office"]
    problems = FeedbackProblem.objects.delivered().filter(
        feedback__inspection=inspection, feedback__recipient=Recipient.UNIT
    )
    plan = plans.start_plan(inspection, by=liaison)
    found = list(problems.order_by("sequence"))
    tasks = []
    # A task per problem, and at least two tasks (a second measure on the last problem when only one).
    for n in range(max(len(found), 2)):
        problem = found[min(n, len(found) - 1)]
        measure, leader, department = MEASURES[n % len(MEASURES)]
        task = plans.TaskInput(
            problem=problem,
            measure=measure,
            kind=ItemKind.DEADLINE,
            leader=leader,
            department=department,
            due_on=_days(30 + 15 * n),
        )
        tasks.append(plans.add_task(plan, task, by=liaison))
    plans.submit_plan(plan, by=liaison)
    plans.approve_plan(plan, note="同意。", by=office)
    first = tasks[0]
    evidence = Upload(name="标段清理情况.txt", data="11个标段已全部清理，3名责任人受到处理。".encode())
    items.add_progress(first, text="拆分标段项目已清理，责任人已处理。", files=[evidence], by=liaison)
    items.submit_item(first, by=liaison)
    items.close_item(first, note="已核对处理决定，同意销号。", by=office)
    return tasks


def build_lookback(w: "World") -> None:
    from .build import _team, advance  # build imports this module
    from .plans import SECRETARIES, prepare_round

    city = w.committees[CITY]
    office = w.users["office"]
    earlier = Inspection.objects.get(round__committee=city, round__number=1, team__name="第二巡察组")
    tasks = _earlier_plan(earlier, w)
    today = timezone.localdate()
    round_ = rounds.create_round(
        committee=city,
        term=Term.objects.filter(committee=city).order_by("-starts_on").first(),
        number=3,
        name=f"{today.year}年市委巡察“回头看”",
        kind=RoundKind.LOOKBACK,
        planned_start=today - datetime.timedelta(days=15),
        planned_end=today + datetime.timedelta(days=45),
        lookback_of=[earlier],
        by=office,
    )
    L, M = TeamRole.LEADER, TeamRole.MEMBER
    inspection = _team(w, round_, "回头看巡察组", "ucic", (("i13", L), ("t2_member", M), ("i10", M)))
    prepare_round(round_, office=office, approver=w.users["leader"], secretary=SECRETARIES["city"])
    inspection = advance(inspection, Stage.FIELDWORK, by=office)
    checker = User.objects.get(pk=w.users["t2_member"].pk)  # read afresh, with the new team's role
    lookback.record_check(
        inspection,
        item=tasks[0],
        verdict=Verdict.GENUINE,
        note="实地抽查3个道路改造项目，均已按规定公开招标，整改到位。",
        by=checker,
    )
    relapsed = lookback.record_check(
        inspection,
        item=tasks[1],
        verdict=Verdict.RELAPSED,
        note="今年新开工的2个项目再次拆分标段，招投标管理办法修订后未执行。",
        by=checker,
    )
    problem = tasks[1].problem
    focus = problem.category if problem is not None and problem.category else None
    lookback.follow_up(relapsed, focus=focus or categories(SchemeKind.FOCUS).first(), by=checker)
