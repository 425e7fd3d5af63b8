"""The authorisation matrix as data: persona × route × method → expected HTTP status.

Each row names a concrete path (with ``{w.…}`` placeholders filled from the ``matrix_world`` fixture of
test_authorization_matrix.py), a method, and the expected status for every persona. ``rule(...)`` builds
the common shapes: who gets ``ok``, who sees the object but may not act on it (``forbidden`` → 403), and
what everyone else gets (``other``: 404 for objects out of scope, as for a missing id). Anonymous visitors
are sent to the login page in the UI and get 401 from the API; ``office_no_otp`` (the office's account
logged in with its password but without its TOTP code yet) is sent to the OTP page from every UI route and
gets 401 from the API.

Unsafe methods carry an empty or invalid body, so nothing changes for those allowed: a form page is shown
again (200), the API refuses the input (422); only a confirmation page's POST is the action itself (each
case runs in a savepoint that is rolled back). Write routes have rows for the team1 and team2 objects (or
the city and a county) so that objects that *exist* in another scope are tried, never only missing ids.

The meta-test in test_authorization_matrix.py fails when a URL pattern, or a method it accepts, has no row.
"""

from dataclasses import dataclass
from typing import Any

from xuncha.conftest import PERSONAS

ANONYMOUS = "anonymous"
NO_OTP = "office_no_otp"  # password given, TOTP code not yet: the OTP middleware's gate
ALL = (*PERSONAS, NO_OTP, ANONYMOUS)
STAFF = PERSONAS  # every logged-in, verified persona

# Who sees what in the world fixture.
OFFICES = ("office", "county_office")  # some committee's 巡察办
ROUND = ("office", "leader", "t1_leader", "t1_member", "t2_member", "liaison1")  # the city's round
TEAM1 = ("office", "leader", "t1_leader", "t1_member", "liaison1")  # team1, inspection1, unit1
TEAM2 = ("office", "leader", "t2_member")  # team2, inspection2, unit2
INSPECTOR1 = ("office", "leader", "t1_leader", "t1_member")  # the pool entry of t1_member
INSPECTOR2 = ("office", "leader", "t2_member")
CITY = (*ROUND, "jiwei", "zuzhibu", "custodian", "auditor", "sysadmin")  # who sees the city committee


def but(group: tuple[str, ...], *left_out: str) -> tuple[str, ...]:
    return tuple(p for p in group if p not in left_out)


@dataclass(frozen=True)
class Pk:
    """The primary key of a world object, in a request body: ``Pk("unit1")``."""

    name: str


def resolved(data: dict[str, Any] | None, world: Any) -> dict[str, Any]:
    """A request body with its ``Pk`` placeholders replaced by the world's ids (a UUID as its text)."""

    def pk(name: str) -> int | str:
        value = getattr(world, name).pk
        return value if isinstance(value, int) else str(value)

    return {key: pk(value.name) if isinstance(value, Pk) else value for key, value in (data or {}).items()}


@dataclass(frozen=True)
class Row:
    path: str
    method: str
    expected: dict[str, int]
    data: dict[str, Any] | None = None
    note: str = ""


def rule(
    path: str,
    method: str = "GET",
    *,
    ok: tuple[str, ...] = (),
    ok_status: int = 200,
    forbidden: tuple[str, ...] = (),
    other: int = 404,
    anonymous: int | None = None,
    no_otp: int | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
) -> Row:
    api = path.startswith("/api/")
    expected: dict[str, int] = {}
    for persona in ALL:
        if persona in ok:
            expected[persona] = ok_status
        elif persona in forbidden:
            expected[persona] = 403
        elif persona == ANONYMOUS:
            expected[persona] = anonymous if anonymous is not None else (401 if api else 302)
        elif persona == NO_OTP:
            expected[persona] = no_otp if no_otp is not None else (401 if api else 302)
        else:
            expected[persona] = other
    return Row(path, method, expected, data, note)


def form(path: str, **kwargs: Any) -> list[Row]:
    """A form page: the same answers for GET and for an empty POST (the form shown again)."""
    return [rule(path, **kwargs), rule(path, "POST", **kwargs)]


def any_method(path: str, **kwargs: Any) -> list[Row]:
    """A page that answers every method alike (nothing there to change)."""
    return [rule(path, method, **kwargs) for method in ("GET", "POST", "PUT", "PATCH", "DELETE")]


def empty_body(path: str) -> Row:
    """An API verb with an empty body: the body is checked first, a 422 for every logged-in caller whatever
    the id (so it tells nothing about the object)."""
    return rule(path, "POST", other=422, note="empty body")


def refused(
    path: str,
    data: dict[str, Any],
    *,
    ok: tuple[str, ...],
    forbidden: tuple[str, ...],
    other: int = 404,
    note: str,
) -> Row:
    """An API verb with a well-formed body that the action refuses on its merits: 422 for who may act,
    403 for who sees the object but may not, ``other`` for the rest."""
    return rule(path, "POST", ok=ok, ok_status=422, forbidden=forbidden, other=other, data=data, note=note)


def confirm(path: str, *, ok: tuple[str, ...], **kwargs: Any) -> list[Row]:
    """A confirmation page (GET) for a destructive action that runs on POST and redirects."""
    return [rule(path, ok=ok, **kwargs), rule(path, "POST", ok=ok, ok_status=302, **kwargs)]


CORE = [
    rule("/", ok=STAFF),
    rule("/healthz", ok=ALL),
    rule("/accounts/login/", ok=(ANONYMOUS,), other=302),
    rule("/accounts/login/", "POST", ok=(ANONYMOUS,), other=302),  # empty: form errors
    rule("/accounts/logout/", ok=ALL, ok_status=405),  # logout only by POST
    rule("/accounts/logout/", "POST", ok=ALL, ok_status=302),
    *form("/accounts/password/", ok=STAFF),
    # Every persona has a confirmed device: setup sends them to verification, verification onward.
    rule("/accounts/otp/setup/", other=302),
    rule("/accounts/otp/setup/", "POST", other=302),
    rule("/accounts/otp/verify/", other=302, no_otp=200),
    rule("/accounts/otp/verify/", "POST", other=302, no_otp=200),  # empty: asked again, nothing logged
    rule("/audit/", ok=("auditor",)),
    rule("/audit/{w.audit_seq}/", ok=("auditor",)),
    rule("/audit/{w.county_audit_seq}/"),  # an event of a committee the auditor does not audit
    # The admin and everything under it (excluded from the meta-test, guarded by the same function).
    rule("/sysadmin/", ok=("sysadmin",)),
]

CORE_API = [
    # django-ninja's own views: its root (nothing there) and the API description, for any method.
    *any_method("/api/v1/", ok=but(ALL, NO_OTP), ok_status=404),
    *any_method("/api/v1/openapi.json", ok=but(ALL, NO_OTP)),
    *any_method("/api/v1/docs", ok=but(ALL, NO_OTP)),
    rule("/api/v1/me", ok=STAFF),
    # The list is filtered by scope (empty outside it), a single event is 404 outside it.
    rule("/api/v1/audit-events/", ok=STAFF),
    rule("/api/v1/audit-events/{w.audit_seq}", ok=("auditor",)),
    rule("/api/v1/audit-events/{w.county_audit_seq}"),
]

ORGS = [
    # Units and their rosters.
    rule("/orgs/units/", ok=STAFF),
    *form("/orgs/units/new/", ok=OFFICES, other=403),
    *form("/orgs/units/import/", ok=OFFICES, other=403),
    rule("/orgs/units/import/template/", ok=OFFICES, other=403),
    rule("/orgs/units/{w.unit1.pk}/", ok=TEAM1),
    rule("/orgs/units/{w.unit2.pk}/", ok=TEAM2),
    rule("/orgs/units/{w.unit1_child.pk}/", ok=("office", "leader")),  # not inspected: not unit1's liaison's
    rule("/orgs/units/{w.county_unit.pk}/", ok=("county_office",)),  # not the city's office either
    *form("/orgs/units/{w.unit1.pk}/edit/", ok=("office",), forbidden=but(TEAM1, "office")),
    *form("/orgs/units/{w.unit2.pk}/edit/", ok=("office",), forbidden=but(TEAM2, "office")),
    *form("/orgs/units/{w.county_unit.pk}/edit/", ok=("county_office",)),
    *form("/orgs/units/{w.unit1.pk}/people/new/", ok=("office",), forbidden=but(TEAM1, "office")),
    *form("/orgs/units/{w.county_unit.pk}/people/new/", ok=("county_office",)),
    *form("/orgs/people/{w.principal1.pk}/edit/", ok=("office",), forbidden=but(TEAM1, "office")),
    *form("/orgs/people/{w.principal2.pk}/edit/", ok=("office",), forbidden=but(TEAM2, "office")),
    *confirm("/orgs/people/{w.principal1.pk}/deactivate/", ok=("office",), forbidden=but(TEAM1, "office")),
    *confirm("/orgs/people/{w.principal2.pk}/deactivate/", ok=("office",), forbidden=but(TEAM2, "office")),
    # The inspector pool: a team sees its own members; former posts and relatives are the office's.
    rule("/orgs/inspectors/", ok=STAFF),
    *form("/orgs/inspectors/new/", ok=OFFICES, other=403),
    rule("/orgs/inspectors/{w.inspector_t1_member.pk}/", ok=INSPECTOR1),
    rule("/orgs/inspectors/{w.inspector_t1_member.pk}/?names=1", ok=INSPECTOR1, note="names shown"),
    rule("/orgs/inspectors/{w.inspector_t2_member.pk}/", ok=INSPECTOR2),
    rule("/orgs/inspectors/{w.county_inspector.pk}/", ok=("county_office",)),
    *form(
        "/orgs/inspectors/{w.inspector_t1_member.pk}/edit/",
        ok=("office",),
        forbidden=but(INSPECTOR1, "office"),
    ),
    *form(
        "/orgs/inspectors/{w.inspector_t2_member.pk}/edit/",
        ok=("office",),
        forbidden=but(INSPECTOR2, "office"),
    ),
    *form("/orgs/inspectors/{w.county_inspector.pk}/edit/", ok=("county_office",)),
    *form(
        "/orgs/inspectors/{w.inspector_t1_member.pk}/former-posts/new/",
        ok=("office",),
        forbidden=but(INSPECTOR1, "office"),
    ),
    *form("/orgs/inspectors/{w.county_inspector.pk}/former-posts/new/", ok=("county_office",)),
    *confirm(
        "/orgs/former-posts/{w.former_post.pk}/remove/", ok=("office",), forbidden=but(INSPECTOR1, "office")
    ),
    *confirm("/orgs/former-posts/{w.county_former_post.pk}/remove/", ok=("county_office",)),
    *form(
        "/orgs/inspectors/{w.inspector_t1_member.pk}/relatives/new/",
        ok=("office",),
        forbidden=but(INSPECTOR1, "office"),
    ),
    *form("/orgs/inspectors/{w.county_inspector.pk}/relatives/new/", ok=("county_office",)),
    # Only the office keeping the pool sees relatives at all: 404 for everyone else.
    *confirm("/orgs/relatives/{w.relative.pk}/remove/", ok=("office",)),
    *confirm("/orgs/relatives/{w.county_relative.pk}/remove/", ok=("county_office",)),
    # Departments and committees.
    rule("/orgs/departments/", ok=STAFF),
    *form("/orgs/departments/new/", ok=OFFICES, other=403),
    rule("/orgs/committees/", ok=STAFF),
    *form(
        "/orgs/committees/{w.city.pk}/settings/",
        ok=("office", "sysadmin"),
        forbidden=but(CITY, "office", "sysadmin"),
    ),
    # The city's office reads the county (业务指导) but does not set its rules.
    *form("/orgs/committees/{w.county_a.pk}/settings/", ok=("county_office",), forbidden=("office",)),
]

ORGS_API = [
    rule("/api/v1/committees/", ok=STAFF),
    rule("/api/v1/committees/{w.city.pk}", ok=CITY),
    rule("/api/v1/committees/{w.county_a.pk}", ok=OFFICES),
    # 党委设置: its own office and sysadmin only (the city's office does not read the county's rules).
    rule("/api/v1/committees/{w.city.pk}/settings", ok=("office", "sysadmin")),
    rule("/api/v1/committees/{w.city.pk}/settings", "PATCH", ok=("office", "sysadmin"), note="no change"),
    rule("/api/v1/committees/{w.county_a.pk}/settings", ok=("county_office",)),
    rule("/api/v1/committees/{w.county_a.pk}/settings", "PATCH", ok=("county_office",), note="no change"),
    rule("/api/v1/units/", ok=STAFF),
    empty_body("/api/v1/units/"),
    # A committee named in the body that the caller cannot see is a 422 on that field, like a missing one.
    refused(
        "/api/v1/units/",
        {"committee": Pk("city"), "name": "", "unit_type": "organ"},
        ok=("office",),
        forbidden=but(CITY, "office"),
        other=422,
        note="city",
    ),
    refused(
        "/api/v1/units/",
        {"committee": Pk("county_a"), "name": "", "unit_type": "organ"},
        ok=("county_office",),
        forbidden=("office",),
        other=422,
        note="county",
    ),
    rule("/api/v1/units/{w.unit1.pk}", ok=TEAM1),
    rule("/api/v1/units/{w.unit2.pk}", ok=TEAM2),
    rule("/api/v1/units/{w.county_unit.pk}", ok=("county_office",)),
    rule("/api/v1/people/", ok=STAFF),
    empty_body("/api/v1/people/"),
    refused(
        "/api/v1/people/",
        {"unit": Pk("unit1"), "name": "", "post": "", "category": "leadership"},
        ok=("office",),
        forbidden=but(TEAM1, "office"),
        other=422,
        note="unit1",
    ),
    refused(
        "/api/v1/people/",
        {"unit": Pk("unit2"), "name": "", "post": "", "category": "leadership"},
        ok=("office",),
        forbidden=but(TEAM2, "office"),
        other=422,
        note="unit2",
    ),
    rule("/api/v1/people/{w.principal1.pk}", ok=TEAM1),
    rule("/api/v1/people/{w.principal2.pk}", ok=TEAM2),
    rule("/api/v1/inspectors/", ok=STAFF),
    rule("/api/v1/inspectors/{w.inspector_t1_member.pk}", ok=INSPECTOR1),
    rule("/api/v1/inspectors/{w.inspector_t2_member.pk}", ok=INSPECTOR2),
    rule("/api/v1/inspectors/{w.county_inspector.pk}", ok=("county_office",)),
    rule("/api/v1/departments/", ok=STAFF),
    rule("/api/v1/departments/{w.jiwei_dept.pk}", ok=("office", "leader", "jiwei")),
    rule("/api/v1/departments/{w.zuzhibu_dept.pk}", ok=("office", "leader", "zuzhibu")),
]

ROUNDS = [
    # Rounds and teams.
    rule("/rounds/", ok=STAFF),
    *form("/rounds/new/", ok=OFFICES, other=403),
    rule("/rounds/{w.round.pk}/", ok=ROUND),
    rule("/rounds/{w.county_round.pk}/", ok=("county_office",)),
    *form("/rounds/{w.round.pk}/teams/new/", ok=("office",), forbidden=but(ROUND, "office")),
    *form("/rounds/{w.county_round.pk}/teams/new/", ok=("county_office",)),
    *form("/rounds/{w.round.pk}/inspections/new/", ok=("office",), forbidden=but(ROUND, "office")),
    *form("/rounds/{w.county_round.pk}/inspections/new/", ok=("county_office",)),
    rule("/rounds/teams/{w.team1.pk}/", ok=TEAM1),
    rule("/rounds/teams/{w.team2.pk}/", ok=TEAM2),
    *form("/rounds/teams/{w.team1.pk}/members/new/", ok=("office",), forbidden=but(TEAM1, "office")),
    *form("/rounds/teams/{w.team2.pk}/members/new/", ok=("office",), forbidden=but(TEAM2, "office")),
    # team1 is stationed: the office's POST is refused with a message on the team page (302).
    # Members are team internals: the unit's liaison sees the team, not who is on it.
    *confirm(
        "/rounds/members/{w.member_t1.pk}/remove/",
        ok=("office",),
        forbidden=but(TEAM1, "office", "liaison1"),
    ),
    *confirm("/rounds/members/{w.member_t2.pk}/remove/", ok=("office",), forbidden=but(TEAM2, "office")),
    # Inspections and their stages.
    rule("/rounds/inspections/", ok=STAFF),
    rule("/rounds/inspections/{w.inspection1.pk}/", ok=TEAM1),
    rule("/rounds/inspections/{w.inspection2.pk}/", ok=TEAM2),
    rule("/rounds/inspections/{w.inspection1.pk}/transition/", ok=STAFF, ok_status=405),  # POST only
    # The team leader moves the team's own inspection; an empty form is refused with a message (302).
    rule(
        "/rounds/inspections/{w.inspection1.pk}/transition/",
        "POST",
        ok=("office", "t1_leader"),
        ok_status=302,
        forbidden=but(TEAM1, "office", "t1_leader"),
    ),
    rule(
        "/rounds/inspections/{w.inspection2.pk}/transition/",
        "POST",
        ok=("office",),
        ok_status=302,
        forbidden=but(TEAM2, "office"),
    ),
    *form(
        "/rounds/inspections/{w.inspection1.pk}/fieldwork-end/",
        ok=("office",),
        forbidden=but(TEAM1, "office"),
    ),
    *form(
        "/rounds/inspections/{w.inspection2.pk}/fieldwork-end/",
        ok=("office",),
        forbidden=but(TEAM2, "office"),
    ),
    # Terms and coverage: the committee's office and leading group only.
    rule("/rounds/terms/", ok=STAFF),
    *form("/rounds/terms/new/", ok=OFFICES, other=403),
    rule("/rounds/terms/{w.term.pk}/", ok=("office", "leader")),
    rule("/rounds/terms/{w.county_term.pk}/", ok=("county_office",)),
]

ROUNDS_API = [
    rule("/api/v1/rounds/", ok=STAFF),
    empty_body("/api/v1/rounds/"),
    # Round number 1 exists already: the office's well-formed body is refused (422).
    refused(
        "/api/v1/rounds/",
        {
            "committee": Pk("city"),
            "number": 1,
            "name": "重复的轮次",
            "kind": "routine",
            "planned_start": "2026-03-01",
            "planned_end": "2026-05-01",
        },
        ok=("office",),
        forbidden=but(CITY, "office"),
        other=422,
        note="city",
    ),
    rule("/api/v1/rounds/{w.round.pk}", ok=ROUND),
    rule("/api/v1/rounds/{w.county_round.pk}", ok=("county_office",)),
    rule("/api/v1/teams/", ok=STAFF),
    rule("/api/v1/teams/{w.team1.pk}", ok=TEAM1),
    rule("/api/v1/teams/{w.team2.pk}", ok=TEAM2),
    rule("/api/v1/teams/{w.team1.pk}/members", ok=but(ALL, NO_OTP), ok_status=405),  # POST only
    empty_body("/api/v1/teams/{w.team1.pk}/members"),
    # An inspector who is already a member: the office is refused (422); the role is checked first.
    refused(
        "/api/v1/teams/{w.team1.pk}/members",
        {"inspector": Pk("inspector_t1_member"), "role": "member"},
        ok=("office",),
        forbidden=but(TEAM1, "office"),
        note="team1",
    ),
    refused(
        "/api/v1/teams/{w.team2.pk}/members",
        {"inspector": Pk("inspector_t2_member"), "role": "member"},
        ok=("office",),
        forbidden=but(TEAM2, "office"),
        note="team2",
    ),
    rule("/api/v1/inspections/", ok=STAFF),
    rule("/api/v1/inspections/{w.inspection1.pk}", ok=TEAM1),
    rule("/api/v1/inspections/{w.inspection2.pk}", ok=TEAM2),
    rule("/api/v1/inspections/{w.inspection1.pk}/transition", ok=but(ALL, NO_OTP), ok_status=405),
    empty_body("/api/v1/inspections/{w.inspection1.pk}/transition"),
    # The next stage, refused by its guard for those who may move it: fieldwork is not over (inspection1),
    # team2 has no leader yet (inspection2).
    refused(
        "/api/v1/inspections/{w.inspection1.pk}/transition",
        {"to": "reporting"},
        ok=("office", "t1_leader"),
        forbidden=but(TEAM1, "office", "t1_leader"),
        note="inspection1",
    ),
    refused(
        "/api/v1/inspections/{w.inspection2.pk}/transition",
        {"to": "stationed"},
        ok=("office",),
        forbidden=but(TEAM2, "office"),
        note="inspection2",
    ),
]

ROWS: list[Row] = [*CORE, *CORE_API, *ORGS, *ORGS_API, *ROUNDS, *ROUNDS_API]


def _core_areas() -> list[Any]:
    from xuncha.core.tests.matrix import audit, exports, notifications, roles, todos

    return [notifications, roles, audit, todos, exports]


def _orgs_areas() -> list[Any]:
    from xuncha.orgs.tests.matrix import people_access

    return [people_access]


def _rounds_areas() -> list[Any]:
    from xuncha.rounds.tests.matrix import archive, mobilisation
    from xuncha.rounds.tests.matrix import plans as rounds_plans

    return [mobilisation, archive, rounds_plans]


def _intake_areas() -> list[Any]:
    # Imported late: the area modules import Row from this module.
    from xuncha.intake.tests.matrix import (
        announcements,
        duplicates,
        petitions,
        portal,
        reveals,
        transfers,
        triage,
    )
    from xuncha.intake.tests.matrix import appointments as intake_appointments

    return [petitions, announcements, portal, triage, duplicates, reveals, transfers, intake_appointments]


def _fieldwork_areas() -> list[Any]:
    from xuncha.fieldwork.tests.matrix import activities, checks, documents, interviews, overview, surveys
    from xuncha.fieldwork.tests.matrix import notices as fieldwork_notices

    return [overview, interviews, documents, surveys, checks, activities, fieldwork_notices]


def _findings_areas() -> list[Any]:
    from xuncha.findings.tests import matrix as findings
    from xuncha.findings.tests.matrix import clues

    return [findings, clues]


def _reports_areas() -> list[Any]:
    from xuncha.reports.tests import matrix as reports
    from xuncha.reports.tests.matrix import meeting as reports_meeting
    from xuncha.reports.tests.matrix import weekly as reports_weekly

    return [reports, reports_meeting, reports_weekly]


def _rectification_areas() -> list[Any]:
    from xuncha.rectification.tests import matrix as rectification
    from xuncha.rectification.tests.matrix import lookback, publication, supervision
    from xuncha.rectification.tests.matrix import self_check as rectification_self_check

    return [rectification, supervision, lookback, publication, rectification_self_check]


def _preparation_areas() -> list[Any]:
    from xuncha.preparation.tests.matrix import requests as preparation_requests

    return [preparation_requests]


def _analytics_areas() -> list[Any]:
    from xuncha.analytics.tests.matrix import dashboard as analytics_dashboard
    from xuncha.analytics.tests.matrix import filings as analytics_filings
    from xuncha.analytics.tests.matrix import radar as analytics_radar

    return [analytics_dashboard, analytics_radar, analytics_filings]


AREAS = [
    *_core_areas(),
    *_orgs_areas(),
    *_rounds_areas(),
    *_intake_areas(),
    *_fieldwork_areas(),
    *_findings_areas(),
    *_reports_areas(),
    *_rectification_areas(),
    *_preparation_areas(),
    *_analytics_areas(),
]
ROWS += [row for area in AREAS for row in area.ROWS]
