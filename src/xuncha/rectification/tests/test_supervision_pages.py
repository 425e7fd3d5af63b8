"""Supervision through the pages and the API: the office issues a 督办单 from the inspection's rectification
page, the cooperating liaison reports how it took part and the lead liaison the result with a file (the
download audited), the office returns and closes it; the list's filters and pagination; the .docx in the
official layout, watermarked and audited; assessment and 回访 forms on the inspection page; 404 for another
unit's liaison."""

import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.tests.pdf import read_back

from ..actions import supervision as sv
from ..choices import NoticeStatus
from ..models import Assessment, NoticeResponse, SupervisionNotice, Visit
from .support import approved_plan, days, delivered
from .test_supervision import issue, with_liaisons

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    delivered(world)
    approved_plan(world)
    return with_liaisons(world)


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_a_notice_goes_round_through_the_pages(w: SimpleNamespace, client_for: ClientFor) -> None:
    office, lead, helper = client_for("office"), client_for("liaison1"), client_for("liaison2")
    page = f"/rectification/inspections/{w.inspection1.pk}/"
    assert "签发督办单" in office.get(page).content.decode()
    assert "签发督办单" not in lead.get(page).content.decode()
    url = f"{page}supervision/new/"
    data = {
        "subject": "违规报销整改滞后",
        "requirements": "请限期清退。",
        "due_on": days(-1).isoformat(),
        "lead_unit": w.unit1.pk,
        "cooperating_units": [w.unit2.pk],
        "items": [w.task_a.pk],
    }
    refused = office.post(url, data)
    assert refused.status_code == 200 and "办理时限不能早于今天" in refused.content.decode()
    data["due_on"] = days(7).isoformat()
    assert office.post(url, data).status_code == 302
    notice = SupervisionNotice.objects.get()
    link = f"/rectification/supervision/{notice.pk}/"
    shown = helper.get(link).content.decode()
    assert notice.number in shown and "报送配合情况" in shown and "任务01" not in shown  # not unit2's item
    assert helper.get(page).status_code == 404  # a cooperating unit sees the notice, not the inspection
    assert client_for("liaison3").get(link).status_code == 404
    assert client_for("t2_member").get(link).status_code == 404
    assert helper.post(f"{link}respond/", {"text": "已配合核查。"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED
    assert "任务01" in lead.get(link).content.decode() and "报送办理结果" in lead.get(link).content.decode()
    upload = SimpleUploadedFile("清退凭证.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    assert lead.post(f"{link}respond/", {"text": "已清退。", "attachments": upload}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED
    assert client_for("t1_leader").get(f"{link}close/").status_code == 403
    assert lead.get(f"{link}return/").status_code == 403
    assert office.post(f"{link}return/", {"reason": "凭证不全。"}).status_code == 302
    assert "凭证不全" in lead.get(link).content.decode()
    file = NoticeResponse.objects.get(is_result=True).files.get()
    download = helper.get(f"/rectification/supervision/files/{file.pk}/")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 proof"
    assert AuditEvent.objects.filter(action="supervision_file.downloaded", actor=w.users["liaison2"]).exists()
    assert lead.post(f"{link}respond/", {"text": "已补齐凭证。"}).status_code == 302
    assert office.post(f"{link}close/", {"note": "同意办结。"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert "报送办理结果" not in lead.get(link).content.decode()


def test_the_list_filters_and_paginates(
    w: SimpleNamespace, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    first = issue(w)
    issue(w, cooperating_units=[])
    sv.respond(first, unit=w.unit1, text="已办理。", by=w.users["liaison1"])
    late = issue(w, due_on=days(1))
    SupervisionNotice.objects.filter(pk=late.pk).update(due_on=days(-2))
    office = client_for("office")
    with django_assert_max_num_queries(14):
        body = office.get("/rectification/supervision/").content.decode()
    assert body.count("督办〔") == 3 and "逾期" in body
    answered = office.get("/rectification/supervision/?status=answered").content.decode()
    assert first.number in answered and answered.count("督办〔") == 1
    overdue = office.get("/rectification/supervision/?overdue=on").content.decode()
    assert late.number in overdue and overdue.count("督办〔") == 1
    cooperating = office.get(f"/rectification/supervision/?unit={w.unit2.pk}").content.decode()
    assert cooperating.count("督办〔") == 2  # first and late have unit2 cooperating
    assert client_for("liaison2").get("/rectification/supervision/").content.decode().count("督办〔") == 2
    assert client_for("liaison3").get("/rectification/supervision/").content.decode().count("督办〔") == 0
    assert client_for("jiwei").get("/rectification/supervision/").status_code == 403
    for n in range(25):
        issue(w, subject=f"督办事项{n}")
    page2 = office.get("/rectification/supervision/?page=2").content.decode()
    assert "第 2 /" in page2


def test_the_notice_document_is_official_watermarked_and_audited(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    notice = issue(w)
    response = client_for("liaison2").get(f"/rectification/supervision/{notice.pk}/document/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert layout_problems(response.content) == []
    assert elements(response.content) == ["发文机关标志", "发文字号", "标题", "抄送", "印发机关和印发日期"]
    read_back({"督办单": (response.content, [notice.number, "巡察整改督办单", "抄送：市交通运输局。"])})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert notice.number in text and "巡察整改督办单" in text and "市交通运输局配合" in text
    assert "任务01" not in text  # liaison2 does not see unit1's items
    header = docx.Document(io.BytesIO(response.content)).sections[0].header.paragraphs[0].text
    assert "liaison2" in header
    event = AuditEvent.objects.get(action="supervision_notice.read")
    assert event.actor == w.users["liaison2"] and event.details["number"] == notice.number


def test_assessment_and_visit_forms_on_the_inspection_page(w: SimpleNamespace, client_for: ClientFor) -> None:
    office, leader = client_for("office"), client_for("t1_leader")
    page = f"/rectification/inspections/{w.inspection1.pk}/"
    assert office.post(f"{page}assessments/new/", {"score": 120, "comments": "好"}).status_code == 200
    assert office.post(f"{page}assessments/new/", {"score": 70, "comments": "初评"}).status_code == 302
    assert office.post(f"{page}assessments/new/", {"score": 86, "comments": "整改较好。"}).status_code == 302
    assert leader.get(f"{page}assessments/new/").status_code == 403
    visit = {
        "visited_on": days(0).isoformat(),
        "visitors": "刘组长",
        "method": "走访群众",
        "findings": "反映良好。",
    }
    assert leader.post(f"{page}visits/new/", visit).status_code == 302
    assert client_for("t1_member").get(f"{page}visits/new/").status_code == 403
    body = client_for("liaison1").get(page).content.decode()
    assert "86" in body and "整改较好" in body and "共评估 2 次" in body and "反映良好" in body
    assert "记录回访" not in body and "整改评估</a>" not in body
    assert Assessment.objects.count() == 2 and Visit.objects.count() == 1


def test_the_api_issues_answers_and_closes(w: SimpleNamespace, client_for: ClientFor) -> None:
    office, lead, helper = client_for("office"), client_for("liaison1"), client_for("liaison2")
    body = {
        "inspection": w.inspection1.pk,
        "subject": "违规报销整改滞后",
        "requirements": "请限期清退。",
        "due_on": days(5).isoformat(),
        "cooperating_units": [w.unit2.pk],
        "items": [w.task_a.pk],
    }
    assert _send(lead, "POST", "/api/v1/supervision-notices/", body).status_code == 403
    unseen = _send(helper, "POST", "/api/v1/supervision-notices/", body)
    assert unseen.status_code == 422 and unseen.json()["detail"][0]["field"] == "inspection"
    bad = _send(office, "POST", "/api/v1/supervision-notices/", {**body, "cooperating_units": [w.unit1.pk]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "cooperating_units"
    created = _send(office, "POST", "/api/v1/supervision-notices/", body)
    assert created.status_code == 201, created.content
    notice = created.json()
    url = f"/api/v1/supervision-notices/{notice['id']}"
    assert notice["lead_unit"]["id"] == w.unit1.pk and notice["items"] == [w.task_a.pk]
    assert _send(helper, "GET", url).json()["items"] == []  # unit1's item is not unit2's to see
    assert _send(client_for("liaison3"), "GET", url).status_code == 404
    part = _send(helper, "POST", f"{url}/respond", {"text": "已配合。"}).json()
    assert part["status"] == "issued" and part["responses"][0]["is_result"] is False
    assert _send(office, "POST", f"{url}/close").status_code == 422
    assert _send(lead, "POST", f"{url}/respond", {"text": "已清退。"}).json()["status"] == "answered"
    assert _send(office, "POST", f"{url}/return", {"reason": "不全"}).json()["status"] == "returned"
    _send(lead, "POST", f"{url}/respond", {"text": "已补齐。"})
    closed = _send(office, "POST", f"{url}/close", {"note": "同意"}).json()
    assert closed["status"] == "closed" and len(closed["responses"]) == 3
    listed = _send(helper, "GET", f"/api/v1/supervision-notices/?unit={w.unit2.pk}&status=closed").json()
    assert listed["count"] == 1
    assert (
        _send(helper, "GET", f"/api/v1/supervision-notices/?inspection={w.inspection2.pk}").json()["count"]
        == 0
    )
    assessment = sv.assess(w.inspection1, score=90, comments="好", by=w.users["office"])
    found = _send(lead, "GET", f"/api/v1/rectification-assessments/?inspection={w.inspection1.pk}").json()
    assert [a["score"] for a in found["items"]] == [90]
    assert _send(helper, "GET", f"/api/v1/rectification-assessments/{assessment.pk}").status_code == 404


def test_the_section_and_the_api_list_do_not_query_per_notice(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    office = client_for("office")
    page = f"/rectification/inspections/{w.inspection1.pk}/"

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(url).status_code == 200
        return len(queries)

    issue(w)
    few = counted(page), counted("/api/v1/supervision-notices/")
    for n in range(4):
        issue(w, subject=f"督办事项{n}", cooperating_units=[w.unit2, w.unit3])
    assert (counted(page), counted("/api/v1/supervision-notices/")) == few


def test_the_home_page_shows_what_waits(w: SimpleNamespace, client_for: ClientFor) -> None:
    notice = issue(w)
    assert "待办理的督办单" in client_for("liaison2").get("/").content.decode()
    assert notice.number not in client_for("liaison3").get("/").content.decode()
    assert "待审核办理结果的督办单" not in client_for("office").get("/").content.decode()
    sv.respond(notice, unit=w.unit1, text="已办理。", by=w.users["liaison1"])
    office = client_for("office").get("/").content.decode()
    assert "待审核办理结果的督办单" in office and notice.number in office
    assert "待办理的督办单" not in client_for("liaison1").get("/").content.decode()
