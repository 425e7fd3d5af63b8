"""Filings (报备) of a lower office to the office above: what is owed and when, the snapshot, the 签收,
who is late; the pages and the API; who sees what."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.core.reminders import send_reminders
from xuncha.rounds import actions as rounds_actions
from xuncha.rounds.choices import RoundKind
from xuncha.rounds.tests.plan_support import approve_plan_for_tests

from .. import filings
from ..models import Filing, FilingKind
from .filing_support import county_filings


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return county_filings(world)


def _owed(w: SimpleNamespace) -> dict[str, filings.Owed]:
    return {entry.kind: entry for entry in filings.owed([w.county_a.pk])}


def test_the_county_owes_its_plan_its_team_report_and_its_rectification_summary(w):
    owed = _owed(w)
    assert set(owed) == {FilingKind.ROUND_PLAN, FilingKind.TEAM_REPORT, FilingKind.RECTIFICATION}
    today = timezone.localdate()
    assert owed[FilingKind.ROUND_PLAN].due_on == today + datetime.timedelta(days=filings.PLAN_FILING_DAYS)
    assert owed[FilingKind.TEAM_REPORT].due_on == today - datetime.timedelta(days=5)
    assert owed[FilingKind.TEAM_REPORT].overdue(today)
    assert not owed[FilingKind.ROUND_PLAN].overdue(today)
    assert owed[FilingKind.RECTIFICATION].source_id == w.county_inspection.pk
    # The city has nothing above it: it owes nothing, and may not file.
    assert filings.filing_committee_ids(w.users["office"]) == set()
    with pytest.raises(Refused, match="没有上级党委"):
        filings.file_filing(
            committee=w.city,
            kind=FilingKind.ROUND_PLAN,
            source_id=w.round.pk,
            by=w.users["office"],
        )


def test_a_late_team_report_filing_is_a_snapshot_without_case_content(w):
    filing = filings.file_filing(
        committee=w.county_a,
        kind=FilingKind.TEAM_REPORT,
        source_id=w.county_inspection.pk,
        summary="巡察发现问题2个，已按程序报告。",
        by=w.users["county_office"],
    )
    assert filing.upper_id == w.city.pk and filing.inspection_id == w.county_inspection.pk
    assert filing.snapshot["findings"] == 2
    assert filing.snapshot["by_focus"] == {w.focus_a.name: 1, w.focus_b.name: 1}
    assert filing.is_late and filing.days_late == 5
    assert "发现问题 2 个" in filing.text and "巡察发现问题2个" in filing.text
    assert "赵县长" not in filing.text and "违规发放津贴补贴" not in filing.text
    event = AuditEvent.objects.get(action="filing.filed")
    assert event.details["late_days"] == 5 and event.object_id == str(filing.pk)
    with pytest.raises(Refused, match="已报备"):
        filings.file_filing(
            committee=w.county_a,
            kind=FilingKind.TEAM_REPORT,
            source_id=w.county_inspection.pk,
            summary="再报一次",
            by=w.users["county_office"],
        )


def test_a_filing_needs_its_source_and_a_summary_and_the_county_s_office(w):
    office = w.users["county_office"]
    with pytest.raises(Refused, match="报备说明"):
        filings.file_filing(
            committee=w.county_a, kind=FilingKind.RECTIFICATION, source_id=w.county_inspection.pk, by=office
        )
    with pytest.raises(Refused, match="尚无定稿"):
        filings.file_filing(
            committee=w.county_a,
            kind=FilingKind.TEAM_REPORT,
            source_id=w.inspection1.pk,  # the city's, and without a final report
            summary="摘要",
            by=office,
        )
    with pytest.raises(NotAllowed):
        filings.file_filing(
            committee=w.county_a,
            kind=FilingKind.ROUND_PLAN,
            source_id=w.county_round.pk,
            by=w.users["office"],  # the upper office does not file for the county
        )
    assert not Filing.objects.exists()


def test_the_upper_office_acknowledges_once_and_sees_who_is_late(w):
    approve_plan_for_tests(w.county_round)
    plan = filings.file_filing(
        committee=w.county_a,
        kind=FilingKind.ROUND_PLAN,
        source_id=w.county_round.pk,
        by=w.users["county_office"],
    )
    assert plan.snapshot["round"] == "东安县委第一轮巡察" and plan.snapshot["units"] == 1
    assert plan.snapshot["work_plan"]["stationing_on"] == w.county_round.planned_start.isoformat()
    assert "巡察工作方案" in plan.text
    assert not plan.is_late
    with pytest.raises(NotAllowed):
        filings.acknowledge_filing(plan, note="收到", by=w.users["county_office"])
    filings.acknowledge_filing(plan, note="收到", by=w.users["office"])
    plan.refresh_from_db()
    assert plan.is_acknowledged and plan.acknowledgement == "收到"
    assert AuditEvent.objects.get(action="filing.acknowledged").committee_id == w.city.pk
    with pytest.raises(Refused, match="已签收"):
        filings.acknowledge_filing(plan, by=w.users["office"])
    rows = {row.committee.pk: row for row in filings.lateness([w.county_a, w.county_b])}
    county = rows[w.county_a.pk]
    assert (county.owed, county.filed, county.acknowledged, county.overdue, county.filed_late) == (
        3,
        1,
        1,
        1,
        0,
    )
    assert county.late == 1 and rows[w.county_b.pk].owed == 0


def test_pages_for_the_lower_and_the_upper_office(w, client_for):
    county = client_for("county_office")
    page = county.get("/analytics/filings/")
    assert page.status_code == 200
    assert "逾期未报备" in page.content.decode() and "东安县委第一轮巡察" in page.content.decode()
    url = f"/analytics/filings/new/{FilingKind.RECTIFICATION}/{w.county_inspection.pk}/"
    assert county.post(url, {"summary": ""}).status_code == 200  # the refusal shown on the form
    response = county.post(url, {"summary": "整改事项均已落实。"})
    filing = Filing.objects.get(kind=FilingKind.RECTIFICATION)
    assert response.status_code == 302 and response["Location"] == f"/analytics/filings/{filing.pk}/"
    assert filing.snapshot["reports"] == ["整改报告"]

    office = client_for("office")
    upper = office.get("/analytics/filings/").content.decode()
    assert "下级党委报备情况" in upper and filing.title in upper
    assert office.get(f"/analytics/filings/{filing.pk}/").status_code == 200
    assert office.post(f"/analytics/filings/{filing.pk}/acknowledge/", {"note": "已阅"}).status_code == 302
    assert county.post(f"/analytics/filings/{filing.pk}/acknowledge/", {"note": ""}).status_code == 403
    for persona in ("leader", "t1_member", "liaison1", "auditor", "outsider"):
        assert client_for(persona).get(f"/analytics/filings/{filing.pk}/").status_code == 404, persona
        assert client_for(persona).get("/analytics/filings/").status_code == 404, persona
    # What the county does not owe: no form.
    assert (
        county.get(f"/analytics/filings/new/{FilingKind.TEAM_REPORT}/{w.inspection1.pk}/").status_code == 404
    )


def test_the_api_files_lists_and_acknowledges_with_the_same_actions(w, client_for):
    county = client_for("county_office")
    body = {"committee": w.county_a.pk, "kind": FilingKind.ROUND_PLAN, "source": w.county_round.pk}
    response = county.post("/api/v1/filings/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    filing_id = response.json()["id"]
    again = county.post("/api/v1/filings/", body, content_type="application/json")
    assert again.status_code == 422 and "已报备" in again.content.decode()
    city = {"committee": w.city.pk, "kind": FilingKind.ROUND_PLAN, "source": w.round.pk}
    refused = client_for("office").post("/api/v1/filings/", city, content_type="application/json")
    assert refused.status_code == 422

    office = client_for("office")
    listed = office.get("/api/v1/filings/?pending=true").json()
    assert [f["id"] for f in listed["items"]] == [filing_id]
    forbidden = county.post(f"/api/v1/filings/{filing_id}/acknowledge", {}, content_type="application/json")
    assert forbidden.status_code == 403
    done = office.post(
        f"/api/v1/filings/{filing_id}/acknowledge", {"note": "收悉"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["acknowledgement"] == "收悉"
    assert office.get("/api/v1/filings/?pending=true").json()["count"] == 0

    lateness = office.get("/api/v1/filings/lateness").json()
    row = next(r for r in lateness if r["committee_id"] == w.county_a.pk)
    assert (row["owed"], row["filed"], row["acknowledged"], row["overdue"]) == (3, 1, 1, 1)
    assert county.get("/api/v1/filings/lateness").json() == []
    for persona in ("leader", "t1_leader", "jiwei", "sysadmin"):
        assert client_for(persona).get(f"/api/v1/filings/{filing_id}").status_code == 404, persona


def test_the_lower_office_is_reminded_and_the_upper_office_told_when_a_filing_is_overdue(w):
    sent = send_reminders(timezone.localdate())
    report_key = filings.deadline_key(FilingKind.TEAM_REPORT, w.county_inspection.pk)
    told = {n.recipient.username for n in sent if n.key.startswith(f"{report_key}:")}
    assert told == {"county_office", "office"}  # overdue: the county's office, and the city's above it
    plan_key = filings.deadline_key(FilingKind.ROUND_PLAN, w.county_round.pk)
    assert not [n for n in sent if n.key.startswith(f"{plan_key}:")]  # due in 10 days: not yet
    filings.file_filing(
        committee=w.county_a,
        kind=FilingKind.TEAM_REPORT,
        source_id=w.county_inspection.pk,
        summary="摘要",
        by=w.users["county_office"],
    )
    assert not Notification.objects.filter(key__startswith=f"{report_key}:").unhandled().exists()
    assert not [n for n in send_reminders(timezone.localdate()) if n.key.startswith("filing:")]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_filings_pages_take_as_many_queries_whatever_is_owed(w, client_for):
    office, county = client_for("office"), client_for("county_office")
    filings.file_filing(
        committee=w.county_a, kind=FilingKind.ROUND_PLAN, source_id=w.county_round.pk, by=None
    )
    before = _queries(office, "/analytics/filings/"), _queries(county, "/analytics/filings/")
    for number in (2, 3):
        round_ = rounds_actions.create_round(
            committee=w.county_b if number == 2 else w.county_a,
            number=number,
            name=f"第{number}轮巡察",
            kind=RoundKind.ROUTINE,
            planned_start=timezone.localdate(),
            planned_end=timezone.localdate() + datetime.timedelta(days=60),
            by=None,
        )
        filings.file_filing(
            committee=round_.committee, kind=FilingKind.ROUND_PLAN, source_id=round_.pk, by=None
        )
    after = _queries(office, "/analytics/filings/"), _queries(county, "/analytics/filings/")
    assert after == before
