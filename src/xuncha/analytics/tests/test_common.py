"""Common problems across rounds (跨轮次共性问题): categories recurring across rounds, findings similar in
text, the lower committees' counts, and the 建章立制 recommendation sent as a 督办单 (led by a department or
a unit); the page, the API and who sees what."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuncha.core.audit import action_scope, record
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.rectification.models import SupervisionNotice

from .. import common
from ..models import Recommendation, RecommendationBasis
from .filing_support import common_problems, days, finding


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return common_problems(world)


def _recommend(w: SimpleNamespace, **overrides: object) -> Recommendation:
    values: dict[str, object] = {
        "basis": RecommendationBasis.FOCUS,
        "category": w.focus_a,
        "subject": "建立健全公务接待管理制度",
        "requirements": "制定公务接待管理办法，明确标准和审批程序。",
        "due_on": days(60),
        "lead_department": w.zuzhibu_dept,
        "by": w.users["office"],
    }
    values.update(overrides)
    return common.recommend(w.city, **values)  # type: ignore[arg-type]


def test_a_category_found_in_two_rounds_is_common_and_one_in_a_single_round_is_not(w):
    (problem,) = common.across_rounds(w.city.pk, RecommendationBasis.FOCUS)
    assert problem.category == w.focus_a
    assert (problem.rounds, problem.inspections, problem.findings) == (2, 2, 2)
    assert sorted(problem.finding_ids) == sorted([w.old_a.pk, w.new_a.pk])
    assert len(problem.years) == 2  # a year ago and now
    assert common.across_rounds(w.city.pk, RecommendationBasis.DISCIPLINE) == []


def test_similar_findings_are_grouped_across_rounds_only(w):
    (group,) = common.similar_findings(w.city.pk)
    ids = set(group.finding_ids)
    assert {w.old_a.pk, w.new_a.pk} <= ids
    assert w.unrelated.pk not in ids
    assert group.rounds == sorted([w.earlier_round.name, w.round.name])
    assert group.similarity >= common.SIMILARITY


def test_the_lower_committees_are_counted_per_category(w):
    categories, entries = common.lower_counts(w.city.pk, RecommendationBasis.FOCUS)
    assert categories == [w.focus_a]
    county = next(e for e in entries if e.committee == w.county_a)
    assert county.counts == {w.focus_a.pk: 1} and county.common() == 0
    assert next(e for e in entries if e.committee == w.county_b).counts == {}


def test_a_recommendation_is_a_notice_led_by_a_department_on_the_inspection_in_rectification(w):
    recommendation = _recommend(w)
    notice = recommendation.notice
    assert notice.lead_department == w.zuzhibu_dept and notice.lead_unit is None
    assert notice.inspection == w.earlier_inspection  # the only one of the problem in 整改
    assert set(recommendation.findings.all()) == {w.old_a, w.new_a}
    event = AuditEvent.objects.get(action="common_problem.recommended")
    assert event.details["notice"] == notice.number and event.details["rounds"] == 2
    # The department's receiver sees the notice it is to answer.
    assert SupervisionNotice.objects.visible_to(w.users["zuzhibu"]).filter(pk=notice.pk).exists()


def test_a_recommendation_from_similar_findings_may_be_led_by_a_unit(w):
    recommendation = _recommend(
        w,
        basis=RecommendationBasis.SIMILAR,
        category=None,
        finding_ids=[w.old_a.pk, w.new_a.pk],
        lead_department=None,
        lead_unit=w.unit2,
    )
    assert recommendation.notice.lead_unit == w.unit2 and recommendation.category is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": "focus_b"}, "2轮以上"),
        ({"category": "discipline_a"}, "不是三个聚焦的分类"),
        ({"lead_department": None}, "牵头部门或牵头单位"),
        ({"basis": RecommendationBasis.SIMILAR, "finding_ids": ["new_a", "new_same_round"]}, "2轮以上"),
        ({"basis": RecommendationBasis.SIMILAR, "finding_ids": ["old_a", "county_finding"]}, "不属于本级"),
        ({"due_on": days(-1)}, "不能早于今天"),
    ],
)
def test_what_is_not_a_common_problem_is_refused_and_nothing_is_saved(w, overrides, message):
    values = dict(overrides)
    if isinstance(values.get("category"), str):
        values["category"] = getattr(w, values["category"])
    if "finding_ids" in values:
        values["finding_ids"] = [getattr(w, name).pk for name in values["finding_ids"]]
    with pytest.raises(Refused, match=message):
        _recommend(w, **values)
    assert not Recommendation.objects.exists() and not SupervisionNotice.objects.exists()


def test_only_the_office_recommends(w):
    with pytest.raises(NotAllowed):
        _recommend(w, by=w.users["leader"])
    assert not SupervisionNotice.objects.exists()


def test_the_page_shows_the_problems_and_the_office_recommends_through_it(w, client_for):
    office = client_for("office")
    page = office.get("/analytics/common-problems/").content.decode()
    assert w.focus_a.name in page and w.old_a.title in page and "下级党委" in page
    leader = client_for("leader").get("/analytics/common-problems/").content.decode()
    assert w.focus_a.name in leader and "下级党委" not in leader and "建章立制</a>" not in leader
    url = f"/analytics/common-problems/recommend/?committee={w.city.pk}&basis=focus&category={w.focus_a.pk}"
    assert client_for("leader").get(url).status_code == 403
    response = office.post(
        url,
        {
            "subject": "建立健全公务接待管理制度",
            "requirements": "制定公务接待管理办法。",
            "due_on": days(30).isoformat(),
            "lead_department": w.jiwei_dept.pk,
        },
    )
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rectification/supervision/{notice.pk}/"
    assert notice.lead_department == w.jiwei_dept
    assert notice.number in office.get("/analytics/common-problems/").content.decode()
    for persona in ("t1_leader", "liaison1", "jiwei", "auditor", "sysadmin"):
        assert client_for(persona).get("/analytics/common-problems/").status_code == 404, persona
    county = client_for("county_office")
    assert county.get(f"/analytics/common-problems/?committee={w.city.pk}").status_code == 404


def test_the_api_answers_the_page_s_numbers_and_recommends(w, client_for):
    office = client_for("office")
    data = office.get(f"/api/v1/common-problems?committee={w.city.pk}").json()
    assert [(p["category"]["id"], p["rounds"], p["findings"]) for p in data["problems"]] == [
        (w.focus_a.pk, 2, 2)
    ]
    assert {w.old_a.pk, w.new_a.pk} <= {f["id"] for f in data["similar"][0]["findings"]}
    county = next(row for row in data["lower"] if row["committee_id"] == w.county_a.pk)
    assert county == {
        "committee_id": w.county_a.pk,
        "committee": w.county_a.name,
        "counts": {w.focus_a.name: 1},
        "common": 0,
    }
    assert client_for("leader").get("/api/v1/common-problems").json()["lower"] == []
    discipline = office.get("/api/v1/common-problems?by=discipline").json()
    assert discipline["by"] == "discipline" and discipline["problems"] == []
    assert office.get("/api/v1/common-problems?by=nature").status_code == 422
    assert (
        client_for("county_office").get(f"/api/v1/common-problems?committee={w.city.pk}").status_code == 404
    )

    body = {
        "committee": w.city.pk,
        "basis": "focus",
        "category": w.focus_a.pk,
        "subject": "建立健全公务接待管理制度",
        "requirements": "制定公务接待管理办法。",
        "due_on": days(30).isoformat(),
        "lead_unit": w.unit2.pk,
    }
    forbidden = client_for("leader").post("/api/v1/recommendations/", body, content_type="application/json")
    assert forbidden.status_code == 403
    outsider = client_for("county_office").post(
        "/api/v1/recommendations/", body, content_type="application/json"
    )
    assert outsider.status_code == 422 and outsider.json()["detail"][0]["field"] == "committee"
    bad = office.post(
        "/api/v1/recommendations/", {**body, "lead_unit": w.county_unit.pk}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "lead_unit"
    response = office.post("/api/v1/recommendations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["findings"] == sorted([w.old_a.pk, w.new_a.pk])
    assert created["notice"]["lead_unit_id"] == w.unit2.pk
    assert client_for("leader").get(f"/api/v1/recommendations/{created['id']}").status_code == 200
    assert client_for("county_office").get(f"/api/v1/recommendations/{created['id']}").status_code == 404
    assert client_for("county_office").get("/api/v1/recommendations/").json()["count"] == 0


def test_the_page_takes_as_many_queries_whatever_the_findings(w, client_for):
    office = client_for("office")
    _recommend(w)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get("/analytics/common-problems/").status_code == 200
        return len(captured)

    before = queries()
    with action_scope("test.common.more"):
        for title in ("公务接待超标准、超范围问题", "公务接待超范围"):
            finding(w.inspection2, title, description="以会议名义安排公务接待。", focus=w.focus_b)
        record("test.common.more", None, by=None, committee_id=w.city.pk)
    _recommend(w, category=w.focus_a, lead_department=None, lead_unit=w.unit1)
    assert queries() == before
