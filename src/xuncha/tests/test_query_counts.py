"""Query counts pinned at two data sizes: the home page of every persona and every list page and API list
issue the same number of queries (within the budget) after another inspection with its findings, clue,
reports, feedback, rectification plan and items is added, so no page loops over inspections or rows."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.conftest import login_verified
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.models import RoleAssignment, User
from xuncha.findings.tests.clue_support import transferred_clue
from xuncha.rectification.actions import plans
from xuncha.rectification.tests.support import approved_plan, days, delivered, task
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.models import Inspection, Round, Team, TeamMember

HOME_BUDGET = 26  # the office and leading group: +1 for the statistics cards (one query for all of them)
LIST_BUDGET = 15
PAGE_BUDGET = 25  # an inspection's rectification page, which shows every part of it (plan, items, reports …)

HOME_PERSONAS = (
    "office",
    "leader",
    "t1_leader",
    "t1_member",
    "liaison1",
    "jiwei",
    "custodian",
    "auditor",
    "sysadmin",
)
LIST_PERSONAS = ("office", "t1_member", "liaison1", "jiwei", "auditor")
PAGES = (
    "/rounds/",
    "/rounds/inspections/",
    "/orgs/units/",
    "/orgs/inspectors/",
    "/intake/petitions/",
    "/intake/transfers/",
    "/fieldwork/documents/",
    "/fieldwork/interviews/schedule/",
    "/findings/clue-transfers/",
    "/reports/",
    "/reports/feedbacks/",
    "/rectification/",
    "/rectification/supervision/",
    "/notifications/",
    "/audit/",
)
INSPECTION_LISTS = (  # of inspection1, beside which the grown world has another inspection
    "/fieldwork/interviews/inspections/{}/",
    "/fieldwork/documents/inspections/{}/",
    "/findings/inspections/{}/",
    "/findings/clues/inspections/{}/",
)
API_LISTS = tuple(
    f"/api/v1/{name}/"
    for name in (
        "rounds",
        "teams",
        "inspections",
        "committees",
        "units",
        "people",
        "inspectors",
        "departments",
        "petitions",
        "petition-transfers",
        "interviews",
        "document-requests",
        "surveys",
        "personal-matters-checks",
        "activities",
        "regulations",
        "findings",
        "clues",
        "transfers",
        "reports",
        "feedbacks",
        "rectification-items",
        "rectification-plans",
        "rectification-reports",
        "supervision-notices",
        "rectification-assessments",
        "rectification-visits",
        "lookback-checks",
        "rectification-publications",
        "audit-events",
    )
)

# Transaction control (the session's write in a savepoint, SQLite's BEGIN) differs between the test
# harness, SQLite and PostgreSQL; the budget counts the statements that read or write data.
CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")

Counts = dict[tuple[str, str], tuple[int, int]]  # (persona, url) → (status, queries)


def _statements(queries: CaptureQueriesContext) -> int:
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith(CONTROL))


def _measure(w: SimpleNamespace, personas: tuple[str, ...], urls: tuple[str, ...]) -> Counts:
    found: Counts = {}
    for persona in personas:
        client = login_verified(Client(), w.users[persona])
        client.get("/")  # the session settles on the first request
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            found[(persona, url)] = (status, _statements(queries))
    return found


def _populated(w: SimpleNamespace) -> SimpleNamespace:
    """inspection1 with a clue transferred to 市纪委监委, then its feedback delivered and the plan
    approved (findings, reports, feedback, plan, items with milestones, one due soon, notifications)."""
    transferred_clue(w)
    delivered(w)
    plan = approved_plan(w)
    plans.add_task(plan, task(w, w.problem_a, due_on=days(3)), by=w.users["office"])  # 黄灯 on home pages
    return w


def _grow(w: SimpleNamespace) -> None:
    """Another round whose inspection of the same unit, by a team of the same personas, is taken as far:
    every list and panel has more inspections and rows to show."""
    with action_scope("test.grow"):
        round_ = Round(
            committee=w.city,
            number=2,
            name="市委第二轮巡察",
            kind=RoundKind.ROUTINE,
            planned_start=days(-10),
            planned_end=days(80),
        )
        round_.save()
        team = Team(round=round_, name="第一巡察组")
        team.save()
        for inspector, team_role in (
            (w.inspector_t1_leader, TeamRole.LEADER),
            (w.inspector_t1_member, TeamRole.MEMBER),
        ):
            TeamMember(team=team, inspector=inspector, role=team_role).save()
        inspection = Inspection(round=round_, team=team, unit=w.unit1, stage=Stage.FIELDWORK)
        inspection.save()
        record("test.grow", inspection, by=None)
    for persona, role in (("t1_leader", Role.TEAM_LEADER), ("t1_member", Role.TEAM_MEMBER)):
        RoleAssignment.objects.create(
            user=w.users[persona], role=role, scope_type=ROLE_SCOPE[role], scope_id=team.pk
        )
        w.users[persona] = User.objects.get(pk=w.users[persona].pk)  # the scopes are cached per instance
    _populated(SimpleNamespace(**{**vars(w), "round": round_, "team1": team, "inspection1": inspection}))


def _differences(before: Counts, after: Counts, budgets: dict[str, int]) -> list[str]:
    problems = []
    for (persona, url), (status, queries) in after.items():
        if before[(persona, url)] != (status, queries):
            problems.append(f"{persona} {url}: {before[(persona, url)]} → {(status, queries)}")
        elif status == 200 and queries > budgets[url]:
            problems.append(f"{persona} {url}: {queries} queries > {budgets[url]}")
    return problems


@pytest.fixture
def populated(world: SimpleNamespace) -> SimpleNamespace:
    return _populated(world)


def _constant(w: SimpleNamespace, personas: tuple[str, ...], budgets: dict[str, int]) -> None:
    """Measure, add another inspection and its rows, measure again: every count the same and in budget."""
    before = _measure(w, personas, tuple(budgets))
    _grow(w)
    after = _measure(w, personas, tuple(budgets))
    assert _differences(before, after, budgets) == []


def test_home_pages_issue_a_constant_small_number_of_queries(populated: SimpleNamespace) -> None:
    _constant(populated, HOME_PERSONAS, {"/": HOME_BUDGET})


def test_list_pages_and_api_lists_issue_a_constant_small_number_of_queries(
    populated: SimpleNamespace,
) -> None:
    w = populated
    lists = (*PAGES, *(url.format(w.inspection1.pk) for url in INSPECTION_LISTS), *API_LISTS)
    budgets = dict.fromkeys(lists, LIST_BUDGET)
    budgets[f"/rectification/inspections/{w.inspection1.pk}/"] = PAGE_BUDGET
    # The team's own findings list: its filter's roster walks the unit tree one level per query.
    budgets[f"/findings/inspections/{w.inspection1.pk}/"] = LIST_BUDGET + 1
    _constant(w, LIST_PERSONAS, budgets)


TODO_BUDGET = 24  # the deadline providers (a fixed number each, bounded by the user's scopes; one horizon)
TODO_URLS = ("/todo/count/", "/todo/", "/api/v1/todos/")


def test_the_todo_badge_page_and_api_issue_a_constant_number_of_queries(populated: SimpleNamespace) -> None:
    _constant(populated, HOME_PERSONAS, dict.fromkeys(TODO_URLS, TODO_BUDGET))
