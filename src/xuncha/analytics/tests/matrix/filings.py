"""Authorisation matrix rows of filings (报备, 上下联动) and of common problems across rounds (跨轮次共性问题)
with their 建章立制 recommendations (joined in src/xuncha/tests/matrix.py).

The world gets ``county_filing`` (the county's plan of its first round, filed by ``county_office`` with the
city's office above it) and ``recommendation`` (a 建章立制 recommendation of the city on ``notice1``; made
directly, since the world's findings do not recur across rounds).

A filing is seen by the office that filed it and the office above; everyone else gets 404. Only the upper
office acknowledges (the county's office sees the form: 403). Common problems are read by the office and the
leading group of their committee (404 for everyone else, a county's office included for the city's); only
the office recommends (the leading group: 403).
"""

from types import SimpleNamespace

from xuncha.core.audit import action_scope, record
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.models import Category
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, empty_body, form, refused, rule

from ... import filings
from ...models import FilingKind, Recommendation, RecommendationBasis

OFFICES = ("office", "county_office")  # the county's office files, the city's office above receives
READERS = ("office", "leader", "county_office")  # each on its own committee
CITY = ("office", "leader")
POSTS_ONLY = but(ALL, NO_OTP)  # a verb answers GET with 405 (the OTP gate answers first)


def add_world(w: SimpleNamespace) -> None:
    w.county_filing = filings.file_filing(
        committee=w.county_a,
        kind=FilingKind.ROUND_PLAN,
        source_id=w.county_round.pk,
        by=w.users["county_office"],
    )
    w.common_focus = Category.objects.filter(scheme__kind=SchemeKind.FOCUS, scheme__is_default=True).first()
    with action_scope("test.matrix.recommendation"):
        w.recommendation = Recommendation(
            committee=w.city, basis=RecommendationBasis.FOCUS, category=w.common_focus, notice=w.notice1
        )
        w.recommendation.save()
        record("test.matrix.recommendation", w.recommendation, by=None)


FILING = "/analytics/filings/{w.county_filing.pk}"
RECOMMEND = "/analytics/common-problems/recommend/"
TOO_LONG = {"summary": "说" * (filings.SUMMARY_LIMIT + 1)}

ROWS: list[Row] = [
    # Filings: pages.
    rule("/analytics/filings/", ok=OFFICES),
    rule(
        "/analytics/filings/?kind=round_plan&committee={w.county_a.pk}&pending=1", ok=OFFICES, note="filters"
    ),
    rule(f"{FILING}/", ok=OFFICES),
    *form(f"{FILING}/acknowledge/", ok=("office",), forbidden=("county_office",)),
    rule("/analytics/filings/new/round_plan/{w.county_round.pk}/", ok=("county_office",)),
    rule(
        "/analytics/filings/new/round_plan/{w.county_round.pk}/",
        "POST",
        ok=("county_office",),
        data=TOO_LONG,
        note="summary too long",
    ),
    rule("/analytics/filings/new/round_plan/{w.round.pk}/", note="the city owes nothing"),
    rule("/analytics/filings/new/nothing/{w.county_round.pk}/", note="unknown kind"),
    # Filings: API.
    rule("/api/v1/filings/", ok=STAFF),
    rule("/api/v1/filings/?pending=true&kind=round_plan", ok=STAFF, note="filters"),
    rule("/api/v1/filings/lateness", ok=STAFF),
    rule("/api/v1/filings/{w.county_filing.pk}", ok=OFFICES),
    empty_body("/api/v1/filings/"),
    rule(
        "/api/v1/filings/",
        "POST",
        other=422,
        data={"committee": Pk("county_a"), "kind": "round_plan", "source": Pk("county_round")},
        note="already filed, or not the caller's committee",
    ),
    rule("/api/v1/filings/{w.county_filing.pk}/acknowledge", ok=POSTS_ONLY, ok_status=405),
    rule(
        "/api/v1/filings/{w.county_filing.pk}/acknowledge",
        "POST",
        ok=("office",),
        forbidden=("county_office",),
        note="empty note: acknowledged",
    ),
    # Common problems: pages.
    rule("/analytics/common-problems/", ok=READERS),
    rule("/analytics/common-problems/?committee={w.city.pk}&by=discipline", ok=CITY),
    rule("/analytics/common-problems/?committee={w.county_a.pk}", ok=("county_office",)),
    *form(
        RECOMMEND + "?committee={w.city.pk}&basis=focus&category={w.common_focus.pk}",
        ok=("office",),
        forbidden=("leader",),
    ),
    *form(
        RECOMMEND + "?committee={w.city.pk}&basis=similar&findings=1,2",
        ok=("office",),
        forbidden=("leader",),
        note="similar",
    ),
    rule(RECOMMEND, note="no common problem named"),
    # Common problems: API.
    rule("/api/v1/common-problems", ok=READERS),
    rule("/api/v1/common-problems?committee={w.city.pk}&by=discipline", ok=CITY),
    rule("/api/v1/common-problems?committee={w.county_a.pk}", ok=("county_office",)),
    rule("/api/v1/recommendations/", ok=STAFF),
    rule("/api/v1/recommendations/?committee={w.city.pk}", ok=STAFF, note="filter"),
    rule("/api/v1/recommendations/{w.recommendation.pk}", ok=CITY),
    empty_body("/api/v1/recommendations/"),
    refused(
        "/api/v1/recommendations/",
        {
            "committee": Pk("city"),
            "basis": "focus",
            "category": Pk("common_focus"),
            "subject": "建立健全公务接待制度",
            "requirements": "制定公务接待管理办法。",
            "due_on": "2099-12-31",
            "lead_department": Pk("jiwei_dept"),
        },
        ok=("office",),
        forbidden=("leader",),
        other=422,
        note="not found in two rounds",
    ),
]
