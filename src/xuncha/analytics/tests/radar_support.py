"""The world of the radar and portrait tests: the principal of 市财政局 reflected by three petitions (a
letter and a phone call that are one matter, and a visit), a discussed finding and a clue transferred to
the 纪委监委; his deputy by one letter; the principal of 市交通运输局 by one letter of team2's inspection.
All through the actions."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.fieldwork.actions import interviews
from xuncha.fieldwork.models import InterviewProblem
from xuncha.findings import actions as finding_actions
from xuncha.findings.tests import support
from xuncha.findings.tests.clue_support import transferred_clue
from xuncha.intake.actions import duplicates, triage
from xuncha.intake.actions.petitions import PetitionInput, register_petition
from xuncha.intake.models import Petition

REPORTER_NAME = "陈秀英"
REPORTER_PHONE = "13907910001"


def _petition(
    w: SimpleNamespace, inspection: object, channel: str, content: str, persona: str, **kw: object
) -> Petition:
    data = PetitionInput(content=content, channel=channel, **kw)  # type: ignore[arg-type]
    return register_petition(inspection, data=data, by=w.users[persona])  # type: ignore[arg-type]


def _accept(w: SimpleNamespace, petition: Petition, persona: str, persons: list[object]) -> Petition:
    return triage.triage_petition(
        petition,
        decision="accept",
        scope="in",
        scope_reason="leadership",
        persons=persons,  # type: ignore[arg-type]
        by=w.users[persona],
    )


def build(w: SimpleNamespace) -> SimpleNamespace:
    support.setup(w)
    banquet = "反映张建国局长多次在滨江酒店用公款宴请，费用以会议费名义报销，2025年涉及约18万元。"
    w.letter = _petition(
        w,
        w.inspection1,
        "letter",
        banquet,
        "t1_member",
        anonymous=False,
        reporter_name=REPORTER_NAME,
        reporter_phone=REPORTER_PHONE,
    )
    w.call = _petition(
        w,
        w.inspection1,
        "phone",
        banquet.replace("多次", "经常"),
        "t1_member",
        in_duty_hours=True,
        received_at=timezone.now() - datetime.timedelta(hours=3),
    )
    w.visit = _petition(
        w, w.inspection1, "visit", "反映张建国局长在政府采购中为亲属公司打招呼。", "t1_member"
    )
    duplicates.confirm_duplicates(w.letter, others=[w.call], by=w.users["t1_member"])
    _accept(w, w.letter, "t1_member", [w.principal1])
    _accept(w, w.visit, "t1_member", [w.principal1])
    w.deputy_letter = _petition(w, w.inspection1, "letter", "反映李文华副局长调研走过场。", "t1_member")
    _accept(w, w.deputy_letter, "t1_member", [w.deputy1])
    _accept(w, w.petition2, "t2_member", [w.principal2])
    w.finding = support.draft(w)
    finding_actions.discuss_finding(
        w.finding, meeting_on=timezone.localdate(), opinion="同意列为问题。", by=w.users["t1_leader"]
    )
    w.transfer = transferred_clue(w)
    return w


def raised_problem(w: SimpleNamespace, text: str) -> InterviewProblem:
    """A problem raised in a held interview of team1's inspection (to become a clue)."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    member = w.users["t1_member"]
    interview = interviews.add_interview(
        w.inspection1,
        person=w.keypost1,
        place="谈话室",
        inspectors=[w.inspector_t1_leader, w.inspector_t1_member],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        by=member,
    )
    interviews.record_interview(interview, text="谈话记录", by=member)
    return interviews.add_problem(interview, kind="clue", text=text, by=member)
