"""Problems raised in interviews become draft findings and clues: listed on the findings' and clues' pages
until taken up, their text read (audited) on the draft form, and kept as the source."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.fieldwork.actions import interviews
from xuncha.fieldwork.models import InterviewProblem

from ..clues import actions as clues
from ..models import Clue, Finding
from .clue_support import clue_input
from .support import set_stage, setup

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
RAISED = "谈话中反映：张建国在工程款拨付中为其亲属公司打招呼。"


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return setup(world)


def raised(w: SimpleNamespace, kind: str) -> InterviewProblem:
    """A problem raised in a held interview of team1's inspection."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    member = w.users["t1_member"]
    interview = interviews.add_interview(
        w.inspection1,
        person=w.deputy1,
        place="谈话室",
        inspectors=[w.inspector_t1_leader, w.inspector_t1_member],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        by=member,
    )
    interviews.record_interview(interview, text="谈话记录", by=member)
    return interviews.add_problem(interview, kind=kind, text=RAISED, by=member)


def test_a_problem_becomes_a_clue_and_leaves_the_waiting_list(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    problem = raised(w, "clue")
    member = client_for("t1_member")
    listing = f"/findings/clues/inspections/{w.inspection1.pk}/"
    assert "形成问题线索" in member.get(listing).content.decode()
    assert RAISED not in member.get(listing).content.decode()  # listing reads nothing
    form = member.get(f"/findings/clues/from-problem/{problem.pk}/").content.decode()
    assert RAISED in form
    assert AuditEvent.objects.filter(
        action="interview_problem.read_for_draft", object_id=str(problem.pk)
    ).exists()
    data = {
        "title": "亲属公司工程款问题",
        "kind": "discipline",
        "content": RAISED,
        "persons": [w.principal1.pk],
    }
    assert member.post(f"/findings/clues/from-problem/{problem.pk}/", data).status_code == 302
    clue = Clue.objects.get()
    assert clue.interview_problem == problem
    assert "与李文华谈话反映的问题" in member.get(f"/findings/clues/{clue.pk}/").content.decode()
    assert "形成问题线索" not in member.get(listing).content.decode()
    # The leading group reads clues but not interview problems; the office reads them but does not draft.
    assert client_for("leader").get(f"/findings/clues/from-problem/{problem.pk}/").status_code == 404
    assert client_for("office").get(f"/findings/clues/from-problem/{problem.pk}/").status_code == 403
    assert client_for("t2_member").get(f"/findings/clues/from-problem/{problem.pk}/").status_code == 404


def test_a_problem_becomes_a_draft_finding_with_the_interview_as_evidence(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    problem = raised(w, "finding")
    member = client_for("t1_member")
    assert "形成问题底稿" in member.get(f"/findings/inspections/{w.inspection1.pk}/").content.decode()
    form = member.get(f"/findings/from-problem/{problem.pk}/")
    assert RAISED in form.content.decode()
    assert form.context["form"].initial["evidence_interview"] == [problem.interview]
    focus = form.context["form"].fields["focus"].queryset.first()
    data = {"title": "干预工程款拨付", "description": RAISED, "focus": focus.pk, "commonality": "individual"}
    data["evidence_interview"] = [str(problem.interview.pk)]
    response = member.post(f"/findings/from-problem/{problem.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    finding = Finding.objects.get(interview_problem=problem)
    assert finding.evidence.filter(kind="interview", object_id=str(problem.interview.pk)).exists()


def test_a_problem_of_another_inspection_is_refused(w: SimpleNamespace) -> None:
    problem = raised(w, "clue")
    data = clue_input(w, persons=[w.principal2])
    with pytest.raises(Refused) as refused:
        clues.draft_clue(w.inspection2, data=data, by=w.users["t2_member"], problem=problem)
    assert refused.value.field == "problem"
    assert not Clue.objects.exists()


def test_the_interview_page_offers_to_take_a_problem_up_until_it_is(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    problem = raised(w, "clue")
    page = f"/fieldwork/interviews/{problem.interview.pk}/"
    button = f'href="/findings/clues/from-problem/{problem.pk}/"'
    assert button in client_for("t1_member").get(page).content.decode()
    # The office reads the interview but does not draft.
    assert button not in client_for("office").get(page).content.decode()
    clues.draft_clue(w.inspection1, data=clue_input(w), problem=problem, by=w.users["t1_member"])
    assert button not in client_for("t1_member").get(page).content.decode()


def test_the_petition_page_offers_a_clue_to_the_team_only_while_not_archived(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    page = f"/intake/petitions/{w.petition1.pk}/"
    button = f'href="/findings/clues/from-petition/{w.petition1.pk}/"'
    assert button in client_for("t1_member").get(page).content.decode()
    assert button not in client_for("office").get(page).content.decode()
    set_stage(w.inspection1, "archived")
    assert button not in client_for("t1_member").get(page).content.decode()
