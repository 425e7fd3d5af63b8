"""Transfers through the pages and the API: the done criterion end to end, scope, the letter, the panels."""

import datetime
import io
import json
from collections.abc import Callable
from types import SimpleNamespace

import docx
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.pagination import EMPTY_PAGE
from xuncha.core.tests.pdf import read_back
from xuncha.intake.archive import open_petitions
from xuncha.intake.choices import Status, TransferStatus
from xuncha.intake.models import Petition, Transfer
from xuncha.intake.views import transfers as views
from xuncha.orgs.actions import create_department
from xuncha.orgs.choices import DepartmentKind

from .test_transfers import CLAIM, PHONE, REASON, REPORTER, RESULT, named, out_of_scope, send

ClientFor = Callable[[str], Client]


def _post_json(client: Client, path: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def _letter_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_done_criterion_out_of_scope_petition_transferred_received_reported_complete(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    petition = named(world)
    leader = client_for("t1_leader")
    page = f"/intake/petitions/{petition.pk}/"
    # The petition page shows the transfer form to the team leader once triage decided 转交.
    assert f'action="/intake/petitions/{petition.pk}/transfer/"' in leader.get(page).content.decode()
    response = leader.post(
        f"/intake/petitions/{petition.pk}/transfer/",
        {"department": world.jiwei_dept.pk, "reason": REASON, "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    transfer = Transfer.objects.get(petition=petition)
    assert Petition.objects.get(pk=petition.pk).status == Status.TRANSFERRED

    # The letter, downloaded by the sender: the receiver and the content, not the reporter.
    response = leader.get(f"/intake/transfers/{transfer.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert layout_problems(response.content) == []
    assert elements(response.content) == ["发文机关标志", "发文字号", "标题"]
    read_back(
        {"转交函": (response.content, ["江东市委第一巡察组", transfer.letter_number, "关于转交信访件的函"])}
    )
    assert "下载" in docx.Document(io.BytesIO(response.content)).sections[0].header.paragraphs[0].text
    text = _letter_text(response.content)
    assert "市纪委监委：" in text and CLAIM in text and "反映人信息依规保密" in text
    assert REPORTER not in text and PHONE not in text
    read = AuditEvent.objects.get(action="transfer.letter_read")
    assert read.actor == world.users["t1_leader"] and read.role == "team_leader"

    # The receiver finds it, reads it without the reporter, signs and reports.
    jiwei = client_for("jiwei")
    listing = jiwei.get("/intake/transfers/").content.decode()
    assert transfer.letter_number in listing
    detail = jiwei.get(f"/intake/transfers/{transfer.pk}/").content.decode()
    assert CLAIM in detail and "反映人信息依规保密" in detail and "签收" in detail
    assert REPORTER not in detail and PHONE not in detail
    assert page not in detail  # the receiver has no way into the petition itself
    assert page in leader.get(f"/intake/transfers/{transfer.pk}/").content.decode()
    assert jiwei.get(f"/intake/transfers/{transfer.pk}/letter/").status_code == 200
    assert jiwei.post(f"/intake/transfers/{transfer.pk}/receive/").status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.RECEIVED
    assert "报送办理结果" in jiwei.get(f"/intake/transfers/{transfer.pk}/").content.decode()
    response = jiwei.post(f"/intake/transfers/{transfer.pk}/report/", {"result": RESULT})
    assert response.status_code == 302

    # Complete: the petition concluded with the result, and nothing left open for the archive.
    petition.refresh_from_db()
    assert petition.status == Status.CONCLUDED and petition.conclusion == RESULT
    assert not [line for line in open_petitions(world.inspection1) if petition.number in line]
    shown = leader.get(page).content.decode()
    assert "已报结果" in shown and RESULT in shown


def test_outsiders_get_404_on_a_transfer_to_jiwei(world: SimpleNamespace, client_for: ClientFor) -> None:
    transfer = send(world, out_of_scope(world))
    for persona in ("zuzhibu", "t2_member", "liaison1", "county_office", "leader", "custodian"):
        client = client_for(persona)
        for path in ("/", "/letter/", "/report/"):
            assert client.get(f"/intake/transfers/{transfer.pk}{path}").status_code == 404, (persona, path)
        assert client.post(f"/intake/transfers/{transfer.pk}/receive/").status_code == 404
        assert transfer.letter_number not in client.get("/intake/transfers/").content.decode()
        assert client.get(f"/api/v1/petition-transfers/{transfer.pk}").status_code == 404
        assert _post_json(client, f"/api/v1/petition-transfers/{transfer.pk}/receive").status_code == 404
        assert client.get("/api/v1/petition-transfers/").json() == EMPTY_PAGE
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SENT
    assert not AuditEvent.objects.filter(action="transfer.letter_read").exists()


def test_the_liaison_sees_the_unit_s_transfers_only(world: SimpleNamespace, client_for: ClientFor) -> None:
    to_unit = send(world, out_of_scope(world), unit=world.unit1)
    to_jiwei = send(world, out_of_scope(world, "另一件个人诉求。"))
    to_child = send(world, out_of_scope(world, "第三件个人诉求。"), unit=world.unit1_child)
    liaison = client_for("liaison1")
    listing = liaison.get("/intake/transfers/").content.decode()
    assert to_unit.letter_number in listing
    assert to_jiwei.letter_number not in listing and to_child.letter_number not in listing
    assert [t["id"] for t in liaison.get("/api/v1/petition-transfers/").json()["items"]] == [to_unit.pk]
    assert liaison.get(f"/intake/transfers/{to_child.pk}/").status_code == 404
    assert liaison.post(f"/intake/transfers/{to_unit.pk}/receive/").status_code == 302
    assert liaison.get(f"/intake/transfers/{to_unit.pk}/report/").status_code == 200


def test_the_sender_side_may_not_sign_or_report(world: SimpleNamespace, client_for: ClientFor) -> None:
    transfer = send(world, out_of_scope(world))
    for persona in ("office", "t1_leader", "t1_member"):
        client = client_for(persona)
        assert client.get(f"/intake/transfers/{transfer.pk}/").status_code == 200
        assert client.post(f"/intake/transfers/{transfer.pk}/receive/").status_code == 403
        assert client.get(f"/intake/transfers/{transfer.pk}/report/").status_code == 403
        assert _post_json(client, f"/api/v1/petition-transfers/{transfer.pk}/receive").status_code == 403
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SENT


def test_the_transfer_form_is_the_leader_s_and_the_office_s(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    petition = out_of_scope(world)
    path = f"/intake/petitions/{petition.pk}/transfer/"
    assert client_for("t1_member").get(path).status_code == 403
    assert client_for("t2_member").get(path).status_code == 404
    assert client_for("jiwei").get(path).status_code == 404
    leader = client_for("t1_leader")
    page = leader.get(path).content.decode()
    assert "市纪委监委" in page and "市委组织部" in page and "市财政局国库支付中心" in page
    assert "市交通运输局" not in page  # another unit is not offered
    # Both receivers: the refusal is shown on the form, nothing is saved.
    response = leader.post(
        path, {"department": world.jiwei_dept.pk, "unit": world.unit1.pk, "reason": REASON}
    )
    assert response.status_code == 200 and "只能选择其一" in response.content.decode()
    response = leader.post(path, {"department": world.jiwei_dept.pk, "reason": ""})
    assert response.status_code == 200
    assert not Transfer.objects.exists()
    response = leader.post(path, {"unit": world.unit1_child.pk, "reason": REASON})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/transfers/{transfer.pk}/"


def test_the_list_filters_by_status_and_overdue(world: SimpleNamespace, client_for: ClientFor) -> None:
    fresh = send(world, out_of_scope(world))
    late = send(world, out_of_scope(world, "另一件个人诉求。"), unit=world.unit1)
    with action_scope("test.backdate"):
        Transfer.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
        record("test.backdate", late, by=None)
    office = client_for("office")
    overdue = office.get("/intake/transfers/?overdue=yes").content.decode()
    assert late.letter_number in overdue and fresh.letter_number not in overdue and "逾期" in overdue
    on_time = office.get("/intake/transfers/?overdue=no").content.decode()
    assert fresh.letter_number in on_time and late.letter_number not in on_time
    assert office.get("/intake/transfers/?status=reported").content.decode().count("巡转〔") == 0
    assert office.get("/intake/transfers/?status=bogus&overdue=maybe&page=x").status_code == 200
    api = office.get("/api/v1/petition-transfers/?overdue=true").json()
    assert [t["id"] for t in api["items"]] == [late.pk] and api["items"][0]["is_overdue"] is True
    assert office.get("/api/v1/petition-transfers/?status=bogus").status_code == 422


def test_the_list_s_queries_do_not_grow_with_its_rows(world: SimpleNamespace, client_for: ClientFor) -> None:
    send(world, out_of_scope(world))
    office = client_for("office")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get("/intake/transfers/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(3):
        send(
            world, out_of_scope(world, f"个人诉求第{n}件。"), unit=world.unit1_child if n % 2 else world.unit1
        )
    assert queries() == few


def test_home_panels(world: SimpleNamespace, client_for: ClientFor) -> None:
    transfer = send(world, out_of_scope(world))
    home = client_for("jiwei").get("/").content.decode()
    assert "待签收/待报结果的转交件" in home and transfer.letter_number in home
    assert transfer.letter_number not in client_for("zuzhibu").get("/").content.decode()
    office_home = client_for("office").get("/").content.decode()
    assert "逾期未报结果的转交件" in office_home and transfer.letter_number not in office_home
    with action_scope("test.backdate"):
        Transfer.objects.filter(pk=transfer.pk).update(
            due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        record("test.backdate", transfer, by=None)
    for persona in ("office", "t1_leader", "t1_member"):
        assert transfer.letter_number in client_for(persona).get("/").content.decode(), persona
    assert transfer.letter_number not in client_for("t2_member").get("/").content.decode()


def test_the_petition_page_section(world: SimpleNamespace) -> None:
    petition = out_of_scope(world)
    factory = RequestFactory()

    def render(persona: str) -> str:
        request = factory.get(f"/intake/petitions/{petition.pk}/")
        request.user = world.users[persona]
        return views.panel(request, petition)

    assert 'name="reason"' in render("t1_leader") and 'name="reason"' in render("office")
    member_view = render("t1_member")
    assert 'name="reason"' not in member_view and "转交由组长或巡察办办理" in member_view
    transfer = send(world, petition)
    petition.refresh_from_db()
    shown = render("t1_member")
    assert transfer.letter_number in shown and "下载转交函" in shown and "市纪委监委" in shown


# API ------------------------------------------------------------------------------------------------


def test_api_transfer_receive_report(world: SimpleNamespace, client_for: ClientFor) -> None:
    petition = named(world)
    leader = client_for("t1_leader")
    path = f"/api/v1/petitions/{petition.pk}/transfer"
    response = _post_json(leader, path, {"department": world.jiwei_dept.pk, "reason": REASON})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receiver_name"] == "市纪委监委" and body["status"] == "sent"
    assert body["petition"]["reporter"] == "反映人信息依规保密。"
    assert REPORTER not in response.content.decode() and PHONE not in response.content.decode()
    transfer_id = body["id"]

    jiwei = client_for("jiwei")
    listed = jiwei.get("/api/v1/petition-transfers/").json()
    assert listed["count"] == 1 and listed["items"][0]["petition"]["content"].endswith(CLAIM)
    assert REPORTER not in jiwei.get(f"/api/v1/petition-transfers/{transfer_id}").content.decode()
    report = f"/api/v1/petition-transfers/{transfer_id}/report"
    refused = _post_json(jiwei, report, {"result": RESULT})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "transfer"
    assert (
        _post_json(jiwei, f"/api/v1/petition-transfers/{transfer_id}/receive").json()["status"] == "received"
    )
    assert _post_json(jiwei, report).status_code == 422  # no result
    assert _post_json(jiwei, report, {"result": RESULT}).json()["status"] == "reported"
    assert Petition.objects.get(pk=petition.pk).status == Status.CONCLUDED


def test_api_transfer_refusals(world: SimpleNamespace, client_for: ClientFor) -> None:
    petition = out_of_scope(world)
    path = f"/api/v1/petitions/{petition.pk}/transfer"
    county_dept = create_department(
        committee=world.county_a, name="东安县纪委监委", kind=DepartmentKind.JIWEI, by=None
    )
    office = client_for("office")

    def field_of(data: dict[str, object]) -> str:
        response = _post_json(office, path, data)
        assert response.status_code == 422, response.content
        return str(response.json()["detail"][0]["field"])

    assert field_of({"department": world.jiwei_dept.pk}) == "reason"
    assert field_of({"department": world.jiwei_dept.pk, "reason": " "}) == "reason"
    assert field_of({"department": world.jiwei_dept.pk, "unit": world.unit1.pk, "reason": REASON}) == "unit"
    assert field_of({"reason": REASON}) == "department"
    assert field_of({"department": county_dept.pk, "reason": REASON}) == "department"
    assert field_of({"unit": world.unit2.pk, "reason": REASON}) == "unit"
    assert field_of({"unit": world.county_unit.pk, "reason": REASON}) == "unit"
    member = _post_json(client_for("t1_member"), path, {"department": world.jiwei_dept.pk, "reason": REASON})
    assert member.status_code == 403
    other_team = _post_json(
        client_for("t2_member"), path, {"department": world.jiwei_dept.pk, "reason": REASON}
    )
    assert other_team.status_code == 404
    assert _post_json(office, "/api/v1/petitions/not-a-uuid/transfer", {"reason": REASON}).status_code == 422
    assert not Transfer.objects.exists()
