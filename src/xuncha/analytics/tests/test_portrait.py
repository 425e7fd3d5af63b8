"""The unit portrait (政治生态画像): its numbers over the unit's inspections (democratic evaluation,
petitions and matters, findings by category, clues, rectification), the principal leader and the
leadership team, who reads it (the office and the leading group; the report the office's), the audit
events, the 研判报告 .docx (GB/T 9704 layout, watermarked, no reporter), the API's same numbers, and a
query count that does not grow with the data."""

import datetime
import io
from collections.abc import Callable
from types import SimpleNamespace

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.analytics import portrait
from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.tests.pdf import read_back
from xuncha.fieldwork.actions import surveys
from xuncha.fieldwork.choices import SurveyKind
from xuncha.rectification.actions import items
from xuncha.rectification.choices import ItemKind
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, Team

from . import radar_support
from .radar_support import REPORTER_NAME, REPORTER_PHONE

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
# Three paper forms: (overall, principal1, deputy1) per form.
FORMS = (("好", "好", "较好"), ("较好", "一般", "较好"), ("差", "差", "好"))
OTHERS = (
    "t1_leader",
    "t1_member",
    "t2_member",
    "liaison1",
    "jiwei",
    "zuzhibu",
    "custodian",
    "auditor",
    "sysadmin",
)


def _evaluate(w: SimpleNamespace) -> None:
    """A leadership evaluation of inspection1, three paper forms typed in by the team."""
    survey = surveys.create_survey(
        w.inspection1, kind=SurveyKind.LEADERSHIP, title="", by=w.users["t1_member"]
    )
    surveys.open_survey(survey, by=w.users["t1_leader"])
    overall, *people = survey.questions.filter(kind="rating").order_by("position")
    by_person = {q.person_id: q for q in people}
    for form in FORMS:
        answers = {
            str(overall.pk): form[0],
            str(by_person[w.principal1.pk].pk): form[1],
            str(by_person[w.deputy1.pk].pk): form[2],
        }
        surveys.enter_paper_response(survey, answers=answers, by=w.users["t1_member"])


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    """The radar's world (five petitions of unit1, two of them one matter; a discussed finding and a clue
    transferred to the 纪委监委, both naming principal1), a leadership evaluation and a 立行立改 item."""
    radar_support.build(world)
    _evaluate(world)
    world.item = items.issue_item(
        world.inspection1,
        issue="公务接待超标准",
        measure="清退超标准接待费用",
        kind=ItemKind.DEADLINE,
        leader="张建国（局长）",
        department="办公室",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        by=world.users["t1_leader"],
    )
    return world


def test_the_numbers_of_the_unit(w: SimpleNamespace) -> None:
    p = portrait.build(w.unit1, w.users["office"], today=timezone.localdate() + datetime.timedelta(days=20))
    [line] = p.inspections
    assert line.inspection == w.inspection1
    # Overall: 好, 较好 favourable of 3 votes.
    assert (line.evaluation, line.evaluation_votes) == (66.7, 3)
    # petition1, the letter and the call (one matter), the visit and the deputy's letter.
    assert (p.pieces, p.matters) == (5, 4) == (line.pieces, line.matters)
    assert p.channels == [("来电", 1), ("来信", 3), ("来访", 1)]
    assert p.findings == 1 == line.findings
    assert p.focus == [("聚焦群众身边腐败问题和不正之风", 1)]
    assert p.discipline == [("廉洁纪律", 1)]
    assert (p.clues, p.clues_transferred, p.clue_outcomes) == (1, 1, [("尚未报告结果", 1)])
    # The item is open and 20 days on past its deadline; no look-back yet.
    assert (p.items, p.items_closed, p.items_on_time, p.items_overdue) == (1, 0, 0, 1)
    assert (p.closure_rate, p.on_time_rate, p.checks, p.false_rate) == (0.0, None, 0, None)
    assert [(line.person, line.petitions, line.findings, line.clues) for line in p.leaders] == [
        (w.principal1, 2, 1, 1),
        (w.deputy1, 1, 0, 0),
    ]
    principal, deputy = p.leaders
    assert principal.evaluations == [(f"{line.year} {w.round.name}", 33.3)]
    assert deputy.evaluations == [(f"{line.year} {w.round.name}", 100.0)]


def test_another_unit_counts_only_its_own(w: SimpleNamespace) -> None:
    p = portrait.build(w.unit2, w.users["office"])
    assert [line.inspection for line in p.inspections] == [w.inspection2]
    assert (p.pieces, p.findings, p.clues, p.items) == (1, 0, 0, 0)
    assert [line.person for line in p.leaders] == [w.principal2]


def test_the_page_and_the_api_for_the_office_and_the_leading_group_each_read_audited(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    for persona in ("office", "leader"):
        client = client_for(persona)
        page = client.get(f"/analytics/units/{w.unit1.pk}/portrait/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "政治生态画像 · 市财政局" in html and w.principal1.name in html and "66.7%" in html
        assert ("研判报告" in html) == (persona == "office")
        assert REPORTER_NAME not in html and REPORTER_PHONE not in html
        event = AuditEvent.objects.latest("seq")
        assert (event.action, event.actor_name, event.object_id) == (
            "unit_portrait.read",
            persona,
            str(w.unit1.pk),
        )
        answer = client.get(f"/api/v1/units/{w.unit1.pk}/portrait")
        assert answer.status_code == 200
        expected = portrait.as_json(portrait.build(w.unit1, w.users[persona]))
        assert answer.json() == expected
        assert answer.json()["petitions"] == {
            "pieces": 5,
            "matters": 4,
            "by_channel": [
                {"name": "来电", "count": 1},
                {"name": "来信", "count": 3},
                {"name": "来访", "count": 1},
            ],
        }
        assert AuditEvent.objects.latest("seq").action == "unit_portrait.read"


def test_the_unit_page_links_its_readers_to_the_portrait(w: SimpleNamespace, client_for: ClientFor) -> None:
    link = f'href="/analytics/units/{w.unit1.pk}/portrait/"'
    for persona in ("office", "leader"):
        assert link in client_for(persona).get(f"/orgs/units/{w.unit1.pk}/").content.decode()
    for persona in ("t1_leader", "t1_member", "liaison1"):
        assert link not in client_for(persona).get(f"/orgs/units/{w.unit1.pk}/").content.decode()


def test_an_upper_committees_inspection_of_the_unit_counts_for_the_units_own_office(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    with action_scope("test.world"):  # team forming and the stage machine are tested in rounds
        team = Team.objects.create(round=w.round, name="提级巡察组")
        upgraded = Inspection.objects.create(
            round=w.round, team=team, unit=w.county_unit, stage=Stage.FIELDWORK
        )
        record("test.world", upgraded, by=None)
    radar_support._petition(w, upgraded, "visit", "反映东安县农业农村局项目资金问题。", "office")
    p = portrait.build(w.county_unit, w.users["county_office"])
    assert [line.inspection for line in p.inspections] == [upgraded]
    assert (p.pieces, p.channels) == (1, [("来访", 1)])
    assert (
        client_for("county_office")
        .get(f"/api/v1/units/{w.county_unit.pk}/portrait")
        .json()["petitions"]["pieces"]
        == 1
    )
    # The city's office reads no county unit's portrait (its leaders' names): as for a missing unit.
    city = client_for("office")
    missing = city.get("/api/v1/units/999999999/portrait")
    assert city.get(f"/api/v1/units/{w.county_unit.pk}/portrait").content == missing.content
    assert missing.status_code == 404


@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_else_gets_404(w: SimpleNamespace, client_for: ClientFor, persona: str) -> None:
    client = client_for(persona)
    for path in (
        f"/analytics/units/{w.unit1.pk}/portrait/",
        f"/analytics/units/{w.unit1.pk}/portrait/report/",
        f"/api/v1/units/{w.unit1.pk}/portrait",
        f"/api/v1/units/{w.unit1.pk}/portrait/report",
    ):
        assert client.get(path).status_code == 404, path


def test_the_report_is_the_offices_an_official_document_watermarked_and_audited(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    assert client_for("leader").get(f"/analytics/units/{w.unit1.pk}/portrait/report/").status_code == 403
    assert not AuditEvent.objects.filter(action="unit_portrait.document_read").exists()
    for url in (
        f"/analytics/units/{w.unit1.pk}/portrait/report/",
        f"/api/v1/units/{w.unit1.pk}/portrait/report",
    ):
        answer = client_for("office").get(url)
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
        assert (
            "attachment" in answer["Content-Disposition"] and answer["Cache-Control"] == "private, no-store"
        )
        assert layout_problems(answer.content) == []
        document = docx.Document(io.BytesIO(answer.content))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert "\n关于市财政局政治生态情况的研判报告\n" in text
        assert elements(answer.content) == ["发文机关标志", "标题"]
        assert "受理信访 5 件（归并后 4 件）" in text
        assert "领导班子总体评价好和较好率 66.7%（有效票 3 张）" in text
        assert f"{w.principal1.name}（{w.principal1.post}）：被信访反映 2 件" in text
        assert "逾期未销号 0 项" in text  # today: the item is not yet late
        assert REPORTER_NAME not in text and REPORTER_PHONE not in text
        header = document.sections[0].header.paragraphs[0].text
        assert "office" in header and "下载" in header  # the watermark names who downloaded it
        event = AuditEvent.objects.latest("seq")
        assert (event.action, event.actor_name) == ("unit_portrait.document_read", "office")
    assert AuditEvent.objects.filter(action="unit_portrait.document_read").count() == 2


def test_a_unit_never_inspected_has_a_report_too(w: SimpleNamespace, client_for: ClientFor) -> None:
    answer = client_for("office").get(f"/analytics/units/{w.unit3.pk}/portrait/report/")
    assert answer.status_code == 200 and layout_problems(answer.content) == []
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "该单位尚未被巡察。" in text
    read_back({"政治生态研判报告": (answer.content, ["市委巡察工作领导小组办公室", "该单位尚未被巡察。"])})
    page = client_for("office").get(f"/analytics/units/{w.unit3.pk}/portrait/")
    assert "该单位尚未被巡察。" in page.content.decode()


# The number of queries of the portrait: one per section, whatever the data. Pinned: a new section is a
# deliberate change of this number.
PORTRAIT_QUERIES = 14


def test_the_query_count_is_pinned_and_does_not_grow_with_the_data(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    office = client_for("office")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            portrait.build(w.unit1, w.users["office"])
        return len(queries)

    def page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(f"/analytics/units/{w.unit1.pk}/portrait/").status_code == 200
        return len(queries)

    assert count() == PORTRAIT_QUERIES
    first = page()
    for n in range(3):
        letter = radar_support._petition(
            w, w.inspection1, "email", f"反映李文华副局长报销问题之{n}。", "t1_member"
        )
        radar_support._accept(w, letter, "t1_member", [w.deputy1, w.keypost1])
    _evaluate(w)
    assert portrait.build(w.unit1, w.users["office"]).pieces == 8
    assert count() == PORTRAIT_QUERIES
    assert page() == first
