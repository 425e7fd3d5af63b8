"""Paging through a big list without counting it all or skipping rows by OFFSET (core.pagination), on the
petition list and its API: every row once and in order, forwards and back, with ties on the date; the
count stops at the cap; a date jumps into the list; a bad cursor is the first page."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from xuncha.core import pagination, ui
from xuncha.intake.listing import listed
from xuncha.intake.models import Petition

from .conftest import letter

API = "/api/v1/petitions/"


@pytest.fixture
def petitions(world, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(ui, "PER_PAGE", 3)
    base = timezone.now().replace(microsecond=123456) - datetime.timedelta(days=30)
    for n in range(11):
        # Three petitions share each moment: the keyset must break the ties.
        letter(world, f"反映第{n}号问题", received_at=base + datetime.timedelta(days=n // 3))
    return [p.pk for p in listed(world.users["office"])]


def _walk(client, params):
    seen, pages = [], []
    while params is not None:
        page = client.get("/intake/petitions/", params).context["page_obj"]
        pages.append(page)
        seen += [p.pk for p in page]
        params = dict(p.split("=", 1) for p in [page.next]) if page.next else None
    return seen, pages


def test_next_links_visit_every_row_once_in_order(world, client_for, petitions):
    client = client_for("office")
    seen, pages = _walk(client, {})
    assert seen == petitions and len(petitions) == 11
    assert [p.count_label for p in pages[:1]] == ["5+"]
    assert pages[0].next == "page=2" and pages[1].next.startswith("after=")  # numbered within the count
    assert all(p.next.startswith("after=") for p in pages[2:-1]) and not pages[-1].next
    # Back from the last page by "before" cursors: the same rows, page by page.
    back, page = [], pages[-1]
    while page.previous.startswith("before="):
        page = client.get("/intake/petitions/", {"before": page.previous.removeprefix("before=")}).context[
            "page_obj"
        ]
        back = [p.pk for p in page] + back
    assert back == petitions[: len(back)] and len(back) >= 6
    html = client.get("/intake/petitions/").content.decode()
    assert "共 5+ 条" in html and 'name="at"' in html and 'type="date"' in html


def test_a_date_jumps_into_the_list(world, client_for, petitions):
    client = client_for("office")
    rows = {p.pk: p for p in Petition.objects.filter(pk__in=petitions)}
    day = timezone.localdate(rows[petitions[5]].received_at)
    page = client.get("/intake/petitions/", {"at": day.isoformat()}).context["page_obj"]
    first = next(pk for pk in petitions if timezone.localdate(rows[pk].received_at) <= day)
    assert page[0].pk == first and page.previous.startswith("before=")
    for bad in ("after", "before", "at"):
        response = client.get("/intake/petitions/", {bad: "not-a-cursor!"})
        assert response.status_code == 200 and [p.pk for p in response.context["page_obj"]] == petitions[:3]


def test_the_api_continues_from_a_cursor(world, client_for, petitions):
    client = client_for("office")
    body = client.get(API, {"limit": 4}).json()
    assert body["count"] == 5 and body["count_capped"] is True
    seen = [i["id"] for i in body["items"]]
    while body["next_cursor"]:
        body = client.get(API, {"limit": 4, "cursor": body["next_cursor"], "offset": 999}).json()
        seen += [i["id"] for i in body["items"]]
    assert seen == [str(pk) for pk in petitions]
    assert client.get(API, {"cursor": "x" * 2000}).status_code == 422
    assert [i["id"] for i in client.get(API, {"cursor": "garbage", "limit": 2}).json()["items"]] == seen[:2]


def test_a_huge_page_number_of_a_list_without_a_keyset_is_a_page_not_an_error(world, petitions):
    # Ordered by an annotation: no keyset, so a capped list pages by number as deep as asked, within bounds.
    rows = Petition.objects.filter(pk__in=petitions).annotate(day=F("received_at")).order_by("-day", "pk")
    assert pagination.keyset(rows) is None
    page = pagination.window(rows, per_page=3, page="9" * 30)
    assert page.rows == [] and page.number == pagination.MAX_OFFSET // 3
