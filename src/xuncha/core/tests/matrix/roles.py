"""Role assignments in the API: the sysadmin sees them all, an office those on its committee's scopes,
anyone else their own (an assignment outside that is a 404). The world adds a grant of the auditor role to
``outsider`` by the sysadmin, waiting for a second person's approval."""

from types import SimpleNamespace

from xuncha.core import actions
from xuncha.core.choices import Role
from xuncha.core.models import RoleAssignment
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, empty_body, refused, rule


def add_world(w: SimpleNamespace) -> None:
    w.outsider = w.users["outsider"]
    w.liaison_assignment = RoleAssignment.objects.get(user=w.users["liaison1"], role=Role.UNIT_LIAISON)
    w.county_office_assignment = RoleAssignment.objects.get(user=w.users["county_office"], role=Role.OFFICE)
    w.pending_assignment = actions.grant_role(
        user=w.outsider, role=Role.AUDITOR, scope_id=w.city.pk, by=w.users["sysadmin"]
    )


def _with(row: Row, **statuses: int) -> Row:
    row.expected.update(statuses)
    return row


ROLES = "/api/v1/role-assignments/"
LIAISON = "/api/v1/role-assignments/{w.liaison_assignment.pk}"
COUNTY_OFFICE = "/api/v1/role-assignments/{w.county_office_assignment.pk}"
PENDING = "/api/v1/role-assignments/{w.pending_assignment.pk}"

ROWS: list[Row] = [
    rule(ROLES, ok=STAFF),  # filtered: one's own at least
    rule(LIAISON, ok=("office", "sysadmin", "liaison1")),
    rule(COUNTY_OFFICE, ok=("county_office", "sysadmin")),
    rule(PENDING, ok=("office", "sysadmin", "outsider")),
    empty_body(ROLES),
    # A liaison of a county unit: the county's office and the sysadmin grant it, nobody else.
    rule(
        ROLES,
        "POST",
        ok=("county_office", "sysadmin"),
        ok_status=201,
        other=403,
        data={"user": Pk("outsider"), "role": Role.UNIT_LIAISON, "scope_id": Pk("county_unit")},
        note="county liaison",
    ),
    *(rule(f"{PENDING}/{verb}", ok=but(ALL, NO_OTP), ok_status=405) for verb in ("approve", "refuse", "end")),
    # The granter (sysadmin) may not approve its own grant, nor the grantee; the city's office may.
    _with(rule(f"{PENDING}/approve", "POST", ok=("office",), forbidden=("outsider",)), sysadmin=422),
    rule(f"{LIAISON}/approve", "POST", ok=("office", "sysadmin"), ok_status=422, forbidden=("liaison1",)),
    empty_body(f"{PENDING}/refuse"),
    rule(
        f"{PENDING}/refuse",
        "POST",
        ok=("office", "sysadmin"),
        forbidden=("outsider",),
        data={"reason": "不符合条件"},
        note="reason",
    ),
    refused(
        f"{LIAISON}/end",
        {"reason": ""},
        ok=("office", "sysadmin"),
        forbidden=("liaison1",),
        note="withdrawal without a reason",
    ),
    rule(
        f"{COUNTY_OFFICE}/end",
        "POST",
        ok=("sysadmin", "county_office"),
        data={"reason": "调离"},
        note="reason",
    ),
]
