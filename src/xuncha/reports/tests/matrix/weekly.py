"""Authorisation matrix rows of the work log and the weekly reports (joined in src/xuncha/tests/matrix.py).

Each inspection has a draft 周报: team1's started through the action for the current week (inspection1 is
in 了解), team2's made directly (inspection2 is still being prepared). The office, the leading group and the
inspection's team read them, the work log and the inspection's weeks; everyone else gets 404, the unit's
liaison included. The team writes (the leader submits), the office acknowledges; who reads but may not act
gets 403. The Excel summary of a round is for the office and leading group of its committee.
"""

from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Row, confirm, empty_body, form, refused, rule

from ...models import WeeklyReport
from ...weekly import due_on, monday, start_weekly_report

READERS1 = ("office", "leader", "t1_leader", "t1_member")
READERS2 = ("office", "leader", "t2_member")
OFFICE_LG = ("office", "leader")
TEAM1 = ("t1_leader", "t1_member")
TEAM2 = ("t2_member",)
POSTS_ONLY = tuple(p for p in ALL if p != NO_OTP)


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, added to the matrix world."""
    week = monday(timezone.localdate())
    w.weekly1 = start_weekly_report(w.inspection1, week_start=week, by=w.users["t1_member"])
    with action_scope("test.weekly"):
        w.weekly2 = WeeklyReport(inspection=w.inspection2, week_start=week, due_on=due_on(week))
        w.weekly2.save()
        record("test.weekly", w.weekly2, by=None)


Personas = tuple[str, ...]


def _page_rows(n: str, readers: Personas, team: Personas, leaders: Personas) -> list[Row]:
    inspection = f"/reports/weekly/inspections/{{w.inspection{n}.pk}}"
    report = f"/reports/weekly/{{w.weekly{n}.pk}}"
    return [
        rule(f"{inspection}/", ok=readers),
        rule(f"{inspection}/", "POST", ok=team, forbidden=OFFICE_LG, note="no week"),
        rule(f"{inspection}/worklog/", ok=readers),
        rule(f"{inspection}/worklog/", "POST", ok=team, forbidden=OFFICE_LG, note="empty form"),
        rule(f"{report}/", ok=readers),
        rule(f"{report}/edit/", ok=team, forbidden=OFFICE_LG),
        rule(f"{report}/edit/", "POST", ok=team, ok_status=302, forbidden=OFFICE_LG, note="texts optional"),
        *confirm(f"{report}/submit/", ok=leaders, forbidden=tuple(p for p in readers if p not in leaders)),
        *form(f"{report}/acknowledge/", ok=("office",), forbidden=tuple(p for p in readers if p != "office")),
    ]


def _api_rows(n: str, readers: Personas, team: Personas, leaders: Personas) -> list[Row]:
    url = f"/api/v1/weekly-reports/{{w.weekly{n}.pk}}"
    not_leaders = tuple(p for p in readers if p not in leaders)
    return [
        rule(url, ok=readers),
        rule(url, "PATCH", ok=team, forbidden=OFFICE_LG, note="no change"),
        rule(f"{url}/submit", ok=POSTS_ONLY, ok_status=405),
        rule(f"{url}/submit", "POST", ok=leaders, forbidden=not_leaders, note="draft with a narrative"),
        rule(f"{url}/acknowledge", ok=POSTS_ONLY, ok_status=405),
        refused(
            f"{url}/acknowledge",
            {},
            ok=("office",),
            forbidden=tuple(p for p in readers if p != "office"),
            note="not submitted",
        ),
    ]


ROWS: list[Row] = [
    rule("/reports/weekly/", ok=STAFF),
    *_page_rows("1", READERS1, TEAM1, ("t1_leader",)),
    *_page_rows("2", READERS2, TEAM2, ()),
    rule("/reports/weekly/rounds/{w.round.pk}/export/", ok=OFFICE_LG),
    rule("/reports/weekly/rounds/{w.county_round.pk}/export/", ok=("county_office",)),
    rule("/api/v1/weekly-reports/", ok=STAFF),
    empty_body("/api/v1/weekly-reports/"),
    rule("/api/v1/weekly-reports/late", ok=STAFF),
    *_api_rows("1", READERS1, TEAM1, ("t1_leader",)),
    *_api_rows("2", READERS2, TEAM2, ()),
    rule("/api/v1/work-log-entries/", ok=STAFF),
    empty_body("/api/v1/work-log-entries/"),
]
