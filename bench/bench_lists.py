"""The big lists, page and API, as the office and a team member: p50/p95, the queries each request
issued, and those very queries replayed with a cursor in the same run (the raw SQL of the same rows and
the ratio); the first page and a deep page (80% down the list, entered by the keyset cursor the API
hands out, or by position for a list without one). Targets at 100k rows (issue 13): p95 < 150 ms on
PostgreSQL, < 250 ms on SQLite, within 3x of the raw SQL."""

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from xuncha.demo.benchmarks import timed

# (name, page, API): the page and the API list the same rows.
LISTS = [
    ("petitions", "/intake/petitions/", "/api/v1/petitions/"),
    ("rectification items", "/rectification/", "/api/v1/rectification-items/"),
    ("findings", None, "/api/v1/findings/"),  # the page is per inspection
    ("clues", None, "/api/v1/clues/"),  # the page is per inspection
    ("audit log", "/audit/", "/api/v1/audit-events/"),
    ("inspections", "/rounds/inspections/", "/api/v1/inspections/"),
]
DEEP = 0.8


def _deep(client, api):
    """The query parameters of a page 80% down the list: (page's, API's), or None for a short list."""
    first = client.get(api, {"limit": 1}, secure=settings.XUNCHA_HTTPS)
    if first.status_code != 200:
        return None
    count = first.json()["count"]
    if count < 100:
        return None
    offset = int(count * DEEP)
    body = client.get(api, {"limit": 1, "offset": offset}, secure=settings.XUNCHA_HTTPS).json()
    if body.get("next_cursor"):
        return {"after": body["next_cursor"]}, {"cursor": body["next_cursor"]}
    return {"page": offset // 25 + 1}, {"offset": offset}


def _issued(get):
    """The statements one request issued, with their parameters."""
    issued = []

    def record(execute, sql, params, many, context):
        issued.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        get()
    return issued


def _replayed(statements, repeat):
    """The request's reads replayed with a cursor (no ORM, no rendering; its writes, such as the session's
    refresh, are left out)."""
    reads = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]

    def replay():
        with connection.cursor() as cursor:
            for sql, params in reads:
                cursor.execute(sql, params)
                cursor.fetchall()

    return timed(replay, repeat=repeat)


def _measure(ctx, client, label, url, params):
    get = lambda: client.get(url, params, secure=settings.XUNCHA_HTTPS)  # noqa: E731
    status = get().status_code
    if status != 200:
        ctx.write(f"  {label}: HTTP {status}, skipped")
        return
    statements = _issued(get)
    timing = timed(get, repeat=ctx.repeat)
    raw = _replayed(statements, ctx.repeat)
    ratio = timing.p50 / raw.p50 if raw.p50 else float("inf")
    note = f"   {len(statements)} queries, raw SQL p50 {raw.p50:.2f} ms, ratio {ratio:.1f}x"
    ctx.latency(label, timing, note)
    record = getattr(ctx, "record", None)
    if record:
        record(label, timing, queries=len(statements), raw_p50=raw.p50, raw_p95=raw.p95, ratio=ratio)


def run(ctx):
    # The test client's host, and no TOTP prompt: the benchmark measures the pages, not the login.
    with override_settings(ALLOWED_HOSTS=["testserver"], XUNCHA_DEMO=True):
        for persona, user in ctx.users.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            for name, page, api in LISTS:
                deep = _deep(client, api)
                places = [("first", ({}, {}))] + ([("deep", deep)] if deep else [])
                for where, (page_params, api_params) in places:
                    if page:
                        _measure(ctx, client, f"{name} page {where} ({persona})", page, page_params)
                    _measure(ctx, client, f"{name} API {where} ({persona})", api, api_params)
            client.logout()
