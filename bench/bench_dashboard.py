"""The statistics dashboard as the office sees it: each figure through its query code (``figures.compute``)
beside the raw SQL of the same aggregates run on the same connection in the same run, the whole page and
the overview API; the ratio is what the ORM and the figure code add on top of the database's own work.

The raw SQL is the very statement each figure issued (captured once, then run again with a cursor and
fetched), so both sides count exactly the same rows the same way. When the office's committee has
committees below it, the figures are measured twice: for the committee alone, and with those below it
(``?tree=1``, every row of the tree), as `xuncha gen-data --bulk-petitions N` makes them.

The petitions', findings' and items' figures read the rollups (``analytics.rollups``), so their own SQL is
small; the page is also set beside the raw SQL of the same aggregates from the base tables: the GROUP BYs
that recount those rollups for the view's inspections (what the figures would scan without them), plus the
statements of the figures that read base tables anyway.
"""

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from xuncha.analytics import figures, rollups
from xuncha.analytics.scope import select
from xuncha.demo.benchmarks import timed
from xuncha.intake.models import Petition
from xuncha.rectification.models import Item
from xuncha.rounds.models import Inspection

ROLLUPS = ("analytics_tally", "analytics_itemtally")


def _raw(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def _captured(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def _base(ctx, point, filters):
    """p50 of the raw SQL recounting the rolled-up aggregates from the base tables for the view."""
    ids = list(Inspection.objects.filter(point.inspection_q() & filters.q()).values_list("pk", flat=True))
    statements = _captured(
        lambda: (rollups.petition_tallies(ids), rollups.finding_tallies(ids), rollups.item_tallies(ids))
    )
    timing = timed(lambda: _raw(statements), repeat=ctx.repeat)
    ctx.latency(f"raw SQL of the rolled-up aggregates, base tables ({len(statements)} statements)", timing)
    return timing.p50


def _figures(ctx, point, filters):
    """Each figure beside its own SQL; returns the p50 of the raw SQL of the figures reading base tables."""
    figure_total = raw_total = base_total = 0.0
    for key in figures.FIGURES:
        statements = _captured(lambda key=key: figures.compute(point, filters, key))
        try:
            raw = timed(lambda statements=statements: _raw(statements), repeat=ctx.repeat)
        except Exception as error:  # a statement the backend cannot run back as text: say so, go on
            ctx.write(f"  {key}: raw SQL not replayable ({type(error).__name__}), skipped")
            continue
        timing = timed(lambda key=key: figures.compute(point, filters, key), repeat=ctx.repeat)
        figure_total += timing.p50
        raw_total += raw.p50
        if not any(table in sql for sql in statements for table in ROLLUPS):
            base_total += raw.p50
        ratio = timing.p50 / raw.p50 if raw.p50 else float("inf")
        note = f"   raw SQL p50 {raw.p50:7.2f} ms ({len(statements)} statements)   ratio {ratio:4.2f}×"
        ctx.latency(f"figure {key}", timing, note)
    if raw_total:
        ctx.write(
            f"  all figures, sum of p50: {figure_total:.1f} ms, raw SQL {raw_total:.1f} ms, "
            f"ratio {figure_total / raw_total:.2f}× (target: at most 2×)"
        )
    return base_total


def run(ctx):
    office = ctx.users.get("office")
    if office is None:
        ctx.write("  no office user: skipped")
        return
    point, filters = select(office)
    views = [("", point, filters)]
    if point.lower:  # the committee with those below it: the heaviest view, every row of the tree
        views.append(("?tree=1", *select(office, tree=True)))
    tree = {"inspection__round__committee_id__in": views[-1][1].committee_ids}
    ctx.write(
        f"  党委：{point.committee.name}（下级党委 {len(point.lower)} 个；信访件 "
        f"{Petition.objects.filter(**tree).count()} 件，整改事项 {Item.objects.filter(**tree).count()} 项）"
    )
    same = {}  # the raw SQL of the same aggregates from the base tables, per page
    for query, view, view_filters in views:
        ctx.write(f"  {'本级及下级党委（含下级）' if view.tree else '本级'}：")
        same[query] = _figures(ctx, view, view_filters) + _base(ctx, view, view_filters)
        ctx.write(f"  the same aggregates as raw SQL on the base tables, sum of p50: {same[query]:.1f} ms")
    urls = [("page", f"/analytics/{query}", same[query]) for query, _, _ in views]
    urls.append(("API", "/api/v1/stats/overview", 0.0))
    with override_settings(ALLOWED_HOSTS=["testserver"], XUNCHA_DEMO=True):
        client = Client(raise_request_exception=False)
        client.force_login(office)
        for name, url, raw in urls:
            response = client.get(url, secure=settings.XUNCHA_HTTPS)
            if response.status_code != 200:
                ctx.write(f"  {name} {url}: HTTP {response.status_code}, skipped")
                continue
            timing = timed(lambda url=url: client.get(url, secure=settings.XUNCHA_HTTPS), repeat=ctx.repeat)
            note = "   target p95 < 500 ms (PostgreSQL)"
            if raw:
                note += f"; base-table SQL {raw:.1f} ms, p95 ratio {timing.p95 / raw:.2f}× (target ≤ 2×)"
            ctx.latency(f"{name} {url} (office {office.username})", timing, note)
        client.logout()
