"""The team report's section on each member of the unit's leadership team (正面、负面反映, drafted from the
roster, the evaluation and the findings, then written by the team) and the democratic evaluation's
results: assembled, edited on the page and through the API (each save a version), kept when assembled
again, and printed in the .docx."""

import io
import json
from collections.abc import Callable
from types import SimpleNamespace

import docx
import pytest
from django.test import Client

from xuncha.core.errors import Refused
from xuncha.core.officialdoc import layout_problems
from xuncha.fieldwork.actions import surveys
from xuncha.fieldwork.choices import SurveyKind
from xuncha.rounds.choices import Stage

from .. import actions, documents
from .support import final, prepare, set_stage

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return prepare(world)


def _evaluated(w: SimpleNamespace, answers: int = 3) -> None:
    """A leadership evaluation with ``answers`` paper forms rating everyone 好, entered in 了解."""
    set_stage(w.inspection1, Stage.FIELDWORK)
    member = w.users["t1_member"]
    survey = surveys.create_survey(w.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=member)
    surveys.open_survey(survey, by=w.users["t1_leader"])
    for _ in range(answers):
        filled = {str(q.pk): ("无" if q.is_text else q.options[0]) for q in survey.questions.all()}
        surveys.enter_paper_response(survey, answers=filled, by=member)
    set_stage(w.inspection1, Stage.REPORTING)


def test_the_report_has_a_section_per_leader_and_the_evaluation(w: SimpleNamespace) -> None:
    _evaluated(w)
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    leaders = list(report.leaders.select_related("person"))
    assert leaders[0].person.category == "principal"  # the principal first
    assert w.deputy1 in [a.person for a in leaders]
    deputy = next(a for a in leaders if a.person == w.deputy1)
    assert "破格提拔程序不规范" in deputy.negative  # the signed-off finding naming the deputy
    assert "民主测评100%的参评人员评价为“好”或“较好”（3人参评）" in deputy.positive
    assert "共回收有效测评表3份" in report.evaluation and "好评率100%" in report.evaluation
    assert "无" not in report.evaluation.replace("（其中纸质", "")  # free text never copied


def test_without_an_evaluation_the_report_says_so(w: SimpleNamespace) -> None:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    assert report.evaluation == "巡察期间未开展民主测评和问卷调查。"
    assert all(a.positive == "" for a in report.leaders.all())


def test_the_team_writes_the_sections_and_assembling_again_keeps_them(w: SimpleNamespace) -> None:
    member = w.users["t1_member"]
    report = actions.assemble_report(w.inspection1, by=member)
    first = report.leaders.order_by("position").first()
    assert first is not None
    actions.update_leaders(
        report, rows=[actions.LeaderInput(first, "担当作为意识较强。", "对分管领域监管不严。")], by=member
    )
    version = report.versions.order_by("-number").first()
    assert version is not None and "担当作为意识较强" in version.data["leaders"]
    actions.assemble_report(w.inspection1, by=member)
    first.refresh_from_db()
    assert first.positive == "担当作为意识较强。" and first.negative == "对分管领域监管不严。"
    final(w)  # submitted and heard: read-only
    with pytest.raises(Refused):
        actions.update_leaders(report, rows=[actions.LeaderInput(first, "改", "改")], by=member)


def test_the_page_and_the_api_edit_the_sections(w: SimpleNamespace, client_for: ClientFor) -> None:
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    first, second = list(report.leaders.order_by("position"))[:2]
    client = client_for("t1_member")
    url = f"/reports/{report.pk}/leaders/"
    assert client.get(url).status_code == 200
    posted = client.post(url, {f"positive_{first.pk}": "廉洁自律较好。", f"negative_{first.pk}": ""})
    assert posted.status_code == 302
    first.refresh_from_db()
    assert first.positive == "廉洁自律较好。"
    api = f"/api/v1/reports/{report.pk}/leaders"
    row = {"id": second.pk, "positive": "工作勤勉。", "negative": "作风不够深入。"}
    body = json.dumps({"leaders": [row]})
    answer = client.put(api, data=body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    saved = [r["negative"] for r in answer.json()["leaders"] if r["id"] == second.pk]
    assert saved == ["作风不够深入。"]
    other = json.dumps({"leaders": [{"id": 0, "positive": "", "negative": ""}]})
    assert client.put(api, data=other, content_type="application/json").status_code == 422
    assert client_for("office").put(api, data=body, content_type="application/json").status_code == 403
    assert client_for("t2_member").put(api, data=body, content_type="application/json").status_code == 404


def test_the_docx_prints_the_sections(w: SimpleNamespace) -> None:
    _evaluated(w)
    report = actions.assemble_report(w.inspection1, by=w.users["t1_member"])
    data = documents.report_docx(report)
    assert layout_problems(data) == []
    text = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "三、领导班子成员情况" in text and "四、民主测评和问卷调查情况" in text
    assert any(line.startswith(f"（二）{w.deputy1.name}") for line in text)
    assert any(line.startswith("负面反映：问题底稿反映：破格提拔程序不规范") for line in text)
