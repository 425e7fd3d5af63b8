"""The stage checks reports registers with rounds: 报告 → 反馈 needs the final team report, 反馈 → 整改 the
feedback delivered to the unit; the refusal of the move names what is missing."""

from types import SimpleNamespace

import pytest

from xuncha.core.errors import Refused
from xuncha.rounds.actions import transition_inspection
from xuncha.rounds.choices import Stage

from .support import deliver, final, prepare, secretary_meeting, submitted, unit_feedback

pytestmark = pytest.mark.django_db


def test_feedback_waits_for_the_final_team_report(world: SimpleNamespace) -> None:
    w = prepare(world)
    office = w.users["office"]
    with pytest.raises(Refused, match="不能进入“反馈”阶段：巡察报告尚未经领导小组同意定稿"):
        transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office)
    submitted(w)
    with pytest.raises(Refused, match="巡察报告尚未经领导小组同意定稿"):  # submitted is not final
        transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office)
    w.inspection1.refresh_from_db()
    assert w.inspection1.stage == Stage.REPORTING


def test_the_moves_pass_once_settled(world: SimpleNamespace) -> None:
    w = prepare(world)
    office = w.users["office"]
    final(w)
    secretary_meeting(w)
    transition_inspection(w.inspection1, to=Stage.FEEDBACK, by=office)
    feedback = unit_feedback(w)
    with pytest.raises(Refused, match="不能进入“整改”阶段：向被巡察党组织的反馈意见尚未送达"):
        transition_inspection(w.inspection1, to=Stage.RECTIFYING, by=office)
    deliver(w, feedback)
    assert transition_inspection(w.inspection1, to=Stage.RECTIFYING, by=office).stage == Stage.RECTIFYING
