"""The office's people and roles page (人员与权限). Only an office (and, for the list, approvals, refusals
and ends, the sysadmin) reaches it: everyone else gets 403. An assignment of another committee is a 404
like a missing one: the city's office does not see the county's liaison, nor the county's office the
city's. The world gains a city grant waiting for approval and a county liaison, on accounts of their own
(the personas keep their scopes)."""

from types import SimpleNamespace

from xuncha.core import actions as accounts
from xuncha.core.choices import Role
from xuncha.core.models import RoleAssignment
from xuncha.tests.matrix import (
    ALL,
    NO_OTP,
    OFFICES,
    STAFF,
    Pk,
    Row,
    but,
    confirm,
    empty_body,
    form,
    refused,
    rule,
)

MANAGERS = ("office", "sysadmin")
NOT_MANAGERS = but(STAFF, *OFFICES, "sysadmin")


def add_world(w: SimpleNamespace) -> None:
    auditor = accounts.create_user(username="auditor2", password="Matrix-audit-2026", by=None)
    w.pending_grant = accounts.grant_role(
        user=auditor, role=Role.AUDITOR, scope_id=w.city.pk, by=w.users["office"]
    )
    w.city_liaison = RoleAssignment.objects.get(user=w.users["liaison1"], role=Role.UNIT_LIAISON)
    liaison = accounts.create_user(username="county_liaison", password="Matrix-county-2026", by=None)
    w.county_liaison = accounts.grant_role(
        user=liaison, role=Role.UNIT_LIAISON, scope_id=w.county_unit.pk, by=None
    )


def _per_assignment(path: str, ok: tuple[str, ...], note: str) -> list[Row]:
    """Approve (a confirmation page), refuse and end (reason forms) of one assignment."""
    common = {"ok": ok, "forbidden": NOT_MANAGERS, "note": note}
    return [
        *confirm(f"{path}approve/", **common),
        *form(f"{path}refuse/", **common),
        *form(f"{path}end/", **common),
    ]


ROWS: list[Row] = [
    rule("/orgs/people-access/", ok=(*OFFICES, "sysadmin"), other=403),
    rule(
        "/orgs/people-access/?state=pending&role=auditor",
        ok=(*OFFICES, "sysadmin"),
        other=403,
        note="filters",
    ),
    *form("/orgs/people-access/appoint/liaison/", ok=OFFICES, other=403),
    *form("/orgs/people-access/appoint/committee/", ok=OFFICES, other=403),
    *form("/orgs/people-access/import/", ok=OFFICES, other=403),
    rule("/orgs/people-access/import/template/", ok=OFFICES, other=403),
    *_per_assignment("/orgs/people-access/{w.pending_grant.pk}/", MANAGERS, "city, pending"),
    *_per_assignment("/orgs/people-access/{w.city_liaison.pk}/", MANAGERS, "city, in force"),
    *_per_assignment("/orgs/people-access/{w.county_liaison.pk}/", ("county_office", "sysadmin"), "county"),
    rule("/api/v1/appointments/", ok=but(ALL, NO_OTP), ok_status=405),  # POST only, for whoever calls
    empty_body("/api/v1/appointments/"),
    refused(
        "/api/v1/appointments/",
        {"role": Role.UNIT_LIAISON, "scope_id": Pk("unit2"), "username": "office", "full_name": "重名"},
        ok=("office",),
        forbidden=but(STAFF, "office"),
        note="username taken",
    ),
]
