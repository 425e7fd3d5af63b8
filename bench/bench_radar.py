"""The key-person radar (重点人) and a unit portrait (政治生态画像) as the office sees them: the radar's
computation (``radar.key_persons``) beside the raw SQL of the same grouped queries run on the same
connection in the same run, the radar page and API, then the portrait of the unit with the most petitions
(``portrait.build``, its raw SQL, the page and the API).

The raw SQL is the very statements the code issued (captured once, then run again with a cursor and
fetched), so both sides read exactly the same rows; the ratio is what the ORM and the adding-up in Python
cost on top of the database's own work. The pages' audit events are rolled back at the end.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from xuncha.analytics import portrait, radar
from xuncha.demo.benchmarks import timed
from xuncha.orgs.models import Unit


def _raw(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def _beside_raw_sql(ctx, name, fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = [q["sql"] for q in captured.captured_queries]
    timing = timed(fn, repeat=ctx.repeat)
    try:
        raw = timed(lambda: _raw(statements), repeat=ctx.repeat)
    except Exception as error:  # a statement the backend cannot run back as text: say so, go on
        ctx.latency(name, timing, f"   raw SQL not replayable ({type(error).__name__})")
        return
    ratio = timing.p50 / raw.p50 if raw.p50 else float("inf")
    note = f"   raw SQL p50 {raw.p50:7.2f} ms ({len(statements)} statements)   ratio {ratio:4.2f}×"
    ctx.latency(name, timing, note)


def _pages(ctx, office, urls):
    """Each page and API answer timed; every reading is an audit event, so the whole run is rolled back:
    the benchmark leaves no trace in the audit chain."""
    with override_settings(ALLOWED_HOSTS=["testserver"], XUNCHA_DEMO=True), transaction.atomic():
        client = Client(raise_request_exception=False)
        client.force_login(office)
        for name, url in urls:
            response = client.get(url, secure=settings.XUNCHA_HTTPS)
            if response.status_code != 200:
                ctx.write(f"  {name} {url}: HTTP {response.status_code}, skipped")
                continue
            timing = timed(lambda url=url: client.get(url, secure=settings.XUNCHA_HTTPS), repeat=ctx.repeat)
            ctx.latency(f"{name} {url}", timing, "   target p95 < 500 ms (PostgreSQL)")
        client.logout()
        transaction.set_rollback(True)


def run(ctx):
    office = ctx.users.get("office")
    committee_id = radar.default_committee_id(office) if office is not None else None
    if office is None or committee_id is None:
        ctx.write("  no office user: skipped")
        return
    scope = radar.scope_for(office, committee_id)
    everyone = radar.key_persons(scope)
    listed = sum(k.listed for k in everyone)
    ctx.write(f"  党委：{scope.committee.name}（被反映 {len(everyone)} 人，列入重点人 {listed} 人）")
    _beside_raw_sql(ctx, "radar key_persons", lambda: radar.key_persons(scope))
    unit = (
        Unit.objects.filter(committee_id=committee_id)
        .annotate(n=Count("inspections__petitions"))
        .order_by("-n", "pk")
        .first()
    )
    urls = [
        ("radar page", "/analytics/key-persons/"),
        ("radar API", f"/api/v1/key-persons/?committee={committee_id}"),
    ]
    if unit is not None:
        ctx.write(f"  画像单位：{unit.name}")
        _beside_raw_sql(ctx, "portrait build", lambda: portrait.build(unit, office))
        urls += [
            ("portrait page", f"/analytics/units/{unit.pk}/portrait/"),
            ("portrait API", f"/api/v1/units/{unit.pk}/portrait"),
        ]
    _pages(ctx, office, urls)
