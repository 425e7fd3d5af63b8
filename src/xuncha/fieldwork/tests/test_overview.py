"""The inspection's fieldwork page: who sees it and what (the liaison a reduced page, another team 404),
each area's block in order, its query count, the home panel and the link from the inspection's page."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from xuncha.fieldwork.actions.activities import ActivityInput, create_activity
from xuncha.fieldwork.actions.checks import create_check, draw
from xuncha.fieldwork.views import activities, checks, overview

from .test_checks import liaison_of_unit2

CHECKS = "抽查核实个人有关事项"
ACTIVITIES = "其他方式（听取汇报"


@pytest.fixture
def done(world: SimpleNamespace) -> SimpleNamespace:
    """A drawn check and two activities, one done and one coming, on inspection1."""
    member = world.users["t1_member"]
    draw(create_check(world.inspection1, title="抽查", sample_size=2, by=member), by=member)
    now = timezone.now()
    for days, title in ((-2, "听取局党组汇报"), (2, "列席局党组会议")):
        create_activity(
            world.inspection1,
            data=ActivityInput(
                kind="briefing", title=title, starts_at=now + datetime.timedelta(days=days), place="会议室"
            ),
            by=member,
        )
    return world


def page(client: Client, world: SimpleNamespace) -> tuple[int, str]:
    response = client.get(f"/fieldwork/inspections/{world.inspection1.pk}/")
    return response.status_code, response.content.decode()


def test_a_team_member_sees_every_block_in_order(
    done: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    status, html = page(client_for("t1_member"), done)
    assert status == 200
    assert "信访件 (0)" in html  # intake's block, through its template tag
    assert html.index(CHECKS) < html.index(ACTIVITIES)
    assert "待核实 <strong>2</strong> 人" in html
    assert "已开展 <strong>1</strong> 项，已安排待开展 <strong>1</strong> 项" in html
    assert "列席局党组会议" in html and "即将开展" in html


def test_the_office_sees_the_blocks_too(done: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    status, html = page(client_for("office"), done)
    assert status == 200 and CHECKS in html and ACTIVITIES in html


def test_the_liaison_gets_a_reduced_page(done: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    status, html = page(client_for("liaison1"), done)
    assert status == 200
    assert CHECKS not in html and ACTIVITIES not in html and "信访件" not in html
    assert "列席局党组会议" not in html


@pytest.mark.parametrize("persona", ["t2_member", "jiwei", "county_office", "outsider"])
def test_others_get_404(done: SimpleNamespace, client_for: Callable[[str], Client], persona: str) -> None:
    assert page(client_for(persona), done)[0] == 404


def test_the_liaison_of_another_unit_gets_404(done: SimpleNamespace) -> None:
    assert page(liaison_of_unit2(done), done)[0] == 404


def test_the_page_calls_every_area_in_order() -> None:
    names = [area.__name__.rsplit(".", 1)[1] for area in overview.SECTION_AREAS]
    assert names == ["interviews", "documents", "surveys", "checks", "activities", "notices"]
    assert all(callable(getattr(area, "section", None)) for area in overview.SECTION_AREAS)


def test_the_query_count_of_this_page_and_its_checks_and_activities_blocks_is_fixed(
    done: SimpleNamespace,
    client_for: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page with only this area's blocks (the others pin their own): the session, user, TOTP device
    and roles (4), the inspection, intake's count, checks (1) and activities (2), and the session saved
    again (3: a savepoint around the update), whatever the number of rows."""
    monkeypatch.setattr(overview, "SECTION_AREAS", (checks, activities))
    client = client_for("t1_member")
    with django_assert_num_queries(10):  # with the navigation bar's unread notifications
        assert page(client, done)[0] == 200
    draw(create_check(done.inspection1, title="再抽查", sample_size=1, by=done.users["t1_member"]), by=None)
    with django_assert_num_queries(10):  # with the navigation bar's unread notifications
        assert page(client, done)[0] == 200


def test_the_home_panel_leads_team_members_to_the_page(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    link = f'href="/fieldwork/inspections/{world.inspection1.pk}/"'
    assert link in client_for("t1_member").get("/").content.decode()
    # inspection2 is in preparation: not in team2's panel; the office has no team panel.
    assert "/fieldwork/inspections/" not in client_for("t2_member").get("/").content.decode()
    assert "/fieldwork/inspections/" not in client_for("office").get("/").content.decode()


def test_the_inspection_page_links_to_the_fieldwork_page(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    link = f'href="/fieldwork/inspections/{world.inspection1.pk}/"'
    for persona in ("t1_member", "office", "leader", "liaison1"):
        html = client_for(persona).get(f"/rounds/inspections/{world.inspection1.pk}/").content.decode()
        assert link in html, persona
    liaison = client_for("liaison1").get(f"/rounds/inspections/{world.inspection1.pk}/").content.decode()
    assert "谈话安排和调阅资料" in liaison
