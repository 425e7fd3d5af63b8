"""The authorisation matrix as data: persona × route × method → expected HTTP status.

Each row names a concrete path (with ``{w.…}`` placeholders filled from the ``world`` fixture), a method,
and the expected status for every persona. ``rule(...)`` builds the common shapes: who gets ``ok`` and
what everyone else gets (404 for case data out of scope; anonymous users are sent to the login page in the
UI and get 401 from the API). The meta-test in test_authorization_matrix.py fails when a URL pattern of the
project has no row here.
"""

from dataclasses import dataclass

from xuncha.conftest import PERSONAS

ALL = (*PERSONAS, "anonymous")
STAFF = tuple(p for p in PERSONAS)  # every logged-in persona


@dataclass(frozen=True)
class Row:
    path: str
    method: str
    expected: dict[str, int]
    data: dict[str, object] | None = None


def rule(
    path: str,
    method: str = "GET",
    *,
    ok: tuple[str, ...] = (),
    ok_status: int = 200,
    forbidden: tuple[str, ...] = (),
    other: int = 404,
    anonymous: int | None = None,
    data: dict[str, object] | None = None,
) -> Row:
    api = path.startswith("/api/")
    expected: dict[str, int] = {}
    for persona in ALL:
        if persona in ok:
            expected[persona] = ok_status
        elif persona in forbidden:
            expected[persona] = 403
        elif persona == "anonymous":
            expected[persona] = anonymous if anonymous is not None else (401 if api else 302)
        else:
            expected[persona] = other
    return Row(path, method, expected, data)


ROWS: list[Row] = [
    # core
    rule("/", ok=STAFF),
    rule("/healthz", ok=ALL),
    rule("/accounts/login/", ok=("anonymous",), other=302),
    rule("/sysadmin/", ok=("sysadmin",), other=302, anonymous=302),
    rule("/accounts/logout/", "POST", ok=ALL, ok_status=302),
    rule("/api/v1/", ok=ALL, ok_status=404, anonymous=404),  # ninja's root: nothing there
    rule("/api/v1/openapi.json", ok=ALL),
    rule("/api/v1/docs", ok=ALL),
    rule("/api/v1/me", ok=STAFF),
    # The list is filtered by scope (empty outside it), a single event is 404 outside it.
    rule("/api/v1/audit-events/", ok=STAFF),
    rule("/api/v1/audit-events/{w.audit_seq}", ok=("auditor",)),
]
