"""The key-person radar: ranking and its explanation, scoping (the office, a team leader only for their own
inspections, everyone else 404), audit events, no reporter identity, the settings, constant query counts."""

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.analytics import radar
from xuncha.analytics.models import RadarSettings
from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent
from xuncha.findings.clues import actions as clues
from xuncha.findings.tests import clue_support
from xuncha.rounds.choices import RoundKind, Stage
from xuncha.rounds.models import Inspection, Round, Team

from . import radar_support
from .radar_support import REPORTER_NAME, REPORTER_PHONE

EXPLANATION = (
    "3 件信访（来电、来信、来访，归并为 2 件）；经 3 个渠道分别反映；1 个问题底稿；1 条线索已移交市纪委监委"
)
OTHERS = (
    "leader",
    "t1_member",
    "t2_member",
    "liaison1",
    "jiwei",
    "zuzhibu",
    "custodian",
    "auditor",
    "sysadmin",
    "county_office",
    "outsider",
)


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return radar_support.build(world)


def _scope(w: SimpleNamespace, persona: str) -> radar.RadarScope:
    return radar.scope_for(w.users[persona], w.city.pk)


def _lower_threshold(w: SimpleNamespace, to: int = 1) -> None:
    radar.update_radar_settings(w.city, min_score=to, by=w.users["office"])


@pytest.mark.django_db
def test_ranking_and_every_contribution_explained(w: SimpleNamespace) -> None:
    listed = radar.listed(_scope(w, "office"))
    assert [k.person for k in listed] == [w.principal1]
    top = listed[0]
    assert top.explanation == EXPLANATION
    # 2 matters × 2 + 2 more channels × 1 + 1 finding × 2 + 1 clue × 3
    assert [c.points for c in top.contributions] == [4, 2, 2, 3]
    assert top.score == 11 == sum(c.points for c in top.contributions)
    everyone = radar.key_persons(_scope(w, "office"))
    assert [k.person for k in everyone] == [w.principal1, w.deputy1, w.principal2]
    assert [k.listed for k in everyone] == [True, False, False]
    assert everyone[1].explanation == "1 件信访（来信）"


def _earlier_round(w: SimpleNamespace) -> None:
    """Last year's round: another team inspected unit1, and a letter of that time named principal1 (registered
    and accepted by the office)."""
    year = timezone.localdate().year - 1
    with action_scope("test.world"):  # the stage machine and team forming are tested in rounds
        earlier = Round.objects.create(
            committee=w.city,
            number=9,
            name=f"{year}年市委第二轮巡察",
            kind=RoundKind.ROUTINE,
            planned_start=datetime.date(year, 3, 1),
            planned_end=datetime.date(year, 6, 30),
        )
        team = Team.objects.create(round=earlier, name="第三巡察组")
        inspection = Inspection.objects.create(round=earlier, team=team, unit=w.unit1, stage=Stage.FIELDWORK)
        record("test.world", inspection, by=None)
    letter = radar_support._petition(w, inspection, "letter", "反映张建国局长违规发放津贴。", "office")
    radar_support._accept(w, letter, "office", [w.principal1])


@pytest.mark.django_db
def test_rounds_and_years_count_and_a_team_leader_sees_only_their_own(w: SimpleNamespace) -> None:
    _earlier_round(w)
    year = timezone.localdate().year
    top = radar.listed(_scope(w, "office"))[0]
    assert top.person == w.principal1
    assert top.explanation == (
        "4 件信访（来电、来信、来访，归并为 3 件）；经 3 个渠道分别反映；1 个问题底稿；"
        f"1 条线索已移交市纪委监委；在 2 轮巡察中被反映（{year - 1}、{year} 年）"
    )
    assert [c.points for c in top.contributions] == [6, 2, 2, 3, 1]
    assert top.years == [year - 1, year] and len(top.rounds) == 2
    # Team1's leader: only what team1's inspection holds (last year's letter is another team's).
    mine = radar.key_person(_scope(w, "t1_leader"), w.principal1.pk)
    assert (mine.explanation, mine.score) == (EXPLANATION, 11)


@pytest.mark.django_db
def test_a_problem_raised_in_an_interview_counts_once_it_is_a_clue_submitted(w: SimpleNamespace) -> None:
    problem = radar_support.raised_problem(w, "谈话中反映：李文华副局长以会议费名义报销宴请费用。")
    clue = clue_support.draft_clue(w, problem=problem, persons=[w.deputy1], title="李文华违规报销")
    scope = _scope(w, "office")
    assert radar.key_person(scope, w.deputy1.pk).explanation == "1 件信访（来信）"  # a draft is not counted
    clues.submit_clue(clue, by=w.users["t1_member"])
    deputy = radar.key_person(scope, w.deputy1.pk)
    assert deputy.explanation == "1 件信访（来信）；1 个个别谈话中反映的问题；1 条线索待审批"
    assert (deputy.score, deputy.listed) == (2 + 1 + 3, True)


@pytest.mark.django_db
def test_weights_and_threshold_come_from_the_committee(w: SimpleNamespace) -> None:
    radar.update_radar_settings(w.city, min_score=2, clue_weight=10, channel_weight=0, by=w.users["office"])
    listed = radar.listed(_scope(w, "office"))
    assert [k.person for k in listed] == [w.principal1, w.deputy1, w.principal2]
    assert listed[0].score == 4 + 0 + 2 + 10
    event = AuditEvent.objects.filter(action="radar_settings.updated").latest("seq")
    assert event.details["changes"]["clue_weight"] == [3, 10]


@pytest.mark.django_db
def test_a_team_leader_sees_only_persons_and_contributions_of_their_own_inspections(
    w: SimpleNamespace,
) -> None:
    _lower_threshold(w)
    office = [k.person for k in radar.listed(_scope(w, "office"))]
    assert w.principal2 in office
    mine = radar.listed(_scope(w, "t1_leader"))
    assert [k.person for k in mine] == [w.principal1, w.deputy1]
    with pytest.raises(radar.Http404):
        radar.key_person(_scope(w, "t1_leader"), w.principal2.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_else_gets_404(
    w: SimpleNamespace, client_for: Callable[[str], Client], persona: str
) -> None:
    client = client_for(persona)
    for path in (
        f"/analytics/key-persons/?committee={w.city.pk}",
        f"/analytics/key-persons/{w.principal1.pk}/?committee={w.city.pk}",
        f"/analytics/key-persons/settings/{w.city.pk}/",
        f"/api/v1/key-persons/?committee={w.city.pk}",
        f"/api/v1/key-persons/{w.principal1.pk}?committee={w.city.pk}",
        f"/api/v1/radar-settings/{w.city.pk}",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.django_db
def test_pages_list_and_explain_and_each_view_is_audited(
    w: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    client = client_for("office")
    before = AuditEvent.objects.count()
    page = client.get("/analytics/key-persons/")
    assert page.status_code == 200
    html = page.content.decode()
    assert w.principal1.name in html and "3 件信访（来电、来信、来访，归并为 2 件）" in html
    assert "另有 2 人被反映但分值未达阈值" in html
    read = AuditEvent.objects.filter(seq__gt=0).order_by("-seq")[0]
    assert (read.action, read.actor_name, read.details["listed"]) == ("key_person.radar_read", "office", 1)
    person = client.get(f"/analytics/key-persons/{w.principal1.pk}/")
    assert person.status_code == 200
    assert "1 条线索已移交市纪委监委" in person.content.decode()
    assert f'href="/findings/clues/{w.transfer.clue.pk}/"' in person.content.decode()  # its own page, audited
    event = AuditEvent.objects.order_by("-seq")[0]
    assert (event.action, event.object_id, event.details["score"]) == (
        "key_person.read",
        str(w.principal1.pk),
        11,
    )
    assert AuditEvent.objects.count() == before + 2
    # The way there: the navigation of the office and the team leaders, not of a member.
    assert 'href="/analytics/key-persons/"' in client.get("/").content.decode()
    assert 'href="/analytics/key-persons/"' in client_for("t1_leader").get("/").content.decode()
    assert 'href="/analytics/key-persons/"' not in client_for("t1_member").get("/").content.decode()


@pytest.mark.django_db
def test_no_reporter_identity_in_pages_or_api(
    w: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    office, leader = client_for("office"), client_for("t1_leader")
    answers = [
        office.get("/analytics/key-persons/"),
        office.get(f"/analytics/key-persons/{w.principal1.pk}/"),
        leader.get("/analytics/key-persons/"),
        leader.get(f"/analytics/key-persons/{w.principal1.pk}/"),
        office.get(f"/api/v1/key-persons/?committee={w.city.pk}"),
        office.get(f"/api/v1/key-persons/{w.principal1.pk}"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        body = answer.content.decode()
        assert REPORTER_NAME not in body and REPORTER_PHONE not in body


@pytest.mark.django_db
def test_api_lists_and_explains(w: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    answer = client_for("office").get(f"/api/v1/key-persons/?committee={w.city.pk}").json()
    assert answer["count"] == 1 and answer["min_score"] == 4
    item = answer["items"][0]
    assert (item["person_id"], item["score"], item["explanation"]) == (w.principal1.pk, 11, EXPLANATION)
    assert [c["kind"] for c in item["contributions"]] == ["petitions", "channels", "findings", "clues"]
    one = client_for("t1_leader").get(f"/api/v1/key-persons/{w.deputy1.pk}").json()
    assert (one["listed"], one["score"]) == (False, 2)
    assert client_for("t1_leader").get(f"/api/v1/key-persons/{w.principal2.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="key_person.read", actor_name="t1_leader").count() == 1


@pytest.mark.django_db
def test_settings_through_the_api_and_the_page(
    w: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    office = client_for("office")
    url = f"/api/v1/radar-settings/{w.city.pk}"
    assert office.get(url).json()["min_score"] == 4
    body = {
        "min_score": 3,
        "matter_weight": 2,
        "channel_weight": 1,
        "round_weight": 1,
        "interview_weight": 1,
        "finding_weight": 2,
        "clue_weight": 5,
    }
    put = office.put(url, data=json.dumps(body), content_type="application/json")
    assert put.status_code == 200 and put.json()["clue_weight"] == 5
    bad = office.put(url, data=json.dumps({**body, "min_score": 0}), content_type="application/json")
    assert bad.status_code == 422
    assert RadarSettings.objects.get(committee=w.city).min_score == 3
    forbidden = client_for("t1_leader").put(url, data=json.dumps(body), content_type="application/json")
    assert forbidden.status_code == 404
    page = office.post(f"/analytics/key-persons/settings/{w.city.pk}/", {**body, "min_score": 7})
    assert page.status_code == 302
    assert RadarSettings.objects.get(committee=w.city).min_score == 7
    shown = office.post(f"/analytics/key-persons/settings/{w.city.pk}/", {**body, "min_score": ""})
    assert shown.status_code == 200


# The radar's queries, one per GROUP BY of its sources, whatever the data. Pinned: a new source is a
# deliberate change of this number.
RADAR_QUERIES = 9


def _page_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_query_count_is_pinned_and_does_not_grow_with_the_data(
    w: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    scope = _scope(w, "office")
    office = client_for("office")
    pages = ("/analytics/key-persons/", f"/analytics/key-persons/{w.deputy1.pk}/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            radar.key_persons(scope)
        return len(queries)

    assert count() == RADAR_QUERIES
    first = [_page_queries(office, path) for path in pages]
    for n in range(4):
        p = radar_support._petition(w, w.inspection1, "email", f"反映王海燕科长报销问题之{n}。", "t1_member")
        radar_support._accept(w, p, "t1_member", [w.keypost1, w.deputy1])
    assert radar.key_person(scope, w.deputy1.pk).tally.pieces == 5
    assert count() == RADAR_QUERIES
    assert [_page_queries(office, path) for path in pages] == first


@pytest.mark.django_db
def test_links_are_read_from_the_link_tables_and_groups_by_their_ids(w: SimpleNamespace) -> None:
    """The links are selected by a correlated EXISTS on their source (never ``source IN (SELECT …)``, which
    SQLite drives from every petition of the scope), and the duplicate groups' members by the groups' ids
    found first: without a group among the links read, that statement is not issued at all."""
    scope = _scope(w, "office")
    with CaptureQueriesContext(connection) as queries:
        radar.key_persons(scope)
    statements = [q["sql"] for q in queries]
    for table, column in (
        ("intake_petition_persons", "petition_id"),
        ("findings_finding_persons", "finding_id"),
        ("findings_clue_persons", "clue_id"),
    ):
        assert not any(f'"{table}"."{column}" IN (SELECT' in sql for sql in statements), table
    group = w.letter.duplicate_group_id
    assert any(f'"duplicate_group_id" IN ({group})' in sql for sql in statements)
    # The deputy is named in no group: one statement fewer, the same entry.
    with CaptureQueriesContext(connection) as queries:
        deputy = radar.key_person(scope, w.deputy1.pk)
    assert len(queries) == RADAR_QUERIES - 1
    assert (deputy.explanation, deputy.tally.pieces, deputy.tally.matters) == ("1 件信访（来信）", 1, 1)
    # The principal's group is read whole (the letter and the call), his visit singly.
    top = radar.key_person(scope, w.principal1.pk)
    assert (top.tally.pieces, top.tally.matters, top.tally.channels) == (3, 2, {"letter", "phone", "visit"})
