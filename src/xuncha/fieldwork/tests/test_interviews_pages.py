"""Interviews through the pages and the API: the done criterion end to end, what the liaison sees (and
does not), scope with objects that exist elsewhere, documents read back, bad input, section and panels."""

import datetime
import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import docx
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.conftest import login_verified
from xuncha.core.audit import action_scope, record
from xuncha.core.choices import ROLE_SCOPE, Role
from xuncha.core.models import AuditEvent, RoleAssignment, User
from xuncha.core.officialdoc import elements, layout_problems
from xuncha.core.tests.pdf import read_back
from xuncha.fieldwork.actions import interviews as actions
from xuncha.fieldwork.api.interviews import ScheduleOut
from xuncha.fieldwork.choices import InterviewStatus, ProblemKind
from xuncha.fieldwork.models import Interview, InterviewRecord
from xuncha.fieldwork.views import interviews as views
from xuncha.intake.actions.petitions import PetitionInput, register_petition

from .test_interviews import PDF, RECORD, schedule

ClientFor = Callable[[str], Client]
TOPIC = "三重一大决策执行情况"
LOCAL = "%Y-%m-%dT%H:%M"


def _post_json(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


def other_liaison(world: SimpleNamespace) -> Client:
    """A liaison of unit2 (team2's inspected unit)."""
    user = User.objects.create(username="liaison2", full_name="联络人二")
    RoleAssignment.objects.create(
        user=user, role=Role.UNIT_LIAISON, scope_type=ROLE_SCOPE[Role.UNIT_LIAISON], scope_id=world.unit2.pk
    )
    TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
    return login_verified(Client(), user)


def test_done_criterion_planned_confirmed_without_topics_recorded_encrypted_and_404_elsewhere(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    member = client_for("t1_member")
    base = f"/fieldwork/interviews/inspections/{world.inspection1.pk}/"
    # The member generates the plan from the roster, then schedules the principal.
    assert "张建国" in member.get(f"{base}generate/").content.decode()
    assert member.post(f"{base}generate/").status_code == 302
    assert Interview.objects.filter(inspection=world.inspection1).count() == 3
    interview = Interview.objects.get(person=world.principal1)
    start = timezone.now() + datetime.timedelta(days=1)
    response = member.post(
        f"/fieldwork/interviews/{interview.pk}/edit/",
        {
            "starts_at": _local(start),
            "ends_at": _local(start + datetime.timedelta(hours=1)),
            "place": "巡察组谈话室（5楼501）",
            "inspectors": [world.inspector_t1_leader.pk, world.inspector_t1_member.pk],
            "topics": f"履行全面从严治党主体责任情况\n{TOPIC}",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert TOPIC in member.get(f"/fieldwork/interviews/{interview.pk}/").content.decode()

    # The liaison sees who, when and where, never the topics or the inspectors, and confirms.
    liaison = client_for("liaison1")
    schedule_page = liaison.get("/fieldwork/interviews/schedule/").content.decode()
    assert "张建国" in schedule_page and "巡察组谈话室" in schedule_page and TOPIC not in schedule_page
    assert "李文华" not in schedule_page  # generated but not scheduled yet: internal
    detail = liaison.get(f"/fieldwork/interviews/{interview.pk}/").content.decode()
    assert "张建国" in detail and TOPIC not in detail and "周敏" not in detail and "刘振华" not in detail
    api = liaison.get(f"/api/v1/interviews/{interview.pk}").json()
    assert api["name"] == "张建国" and "topics" not in api and "inspectors" not in api
    assert TOPIC not in json.dumps(liaison.get("/api/v1/interviews/").json(), ensure_ascii=False)
    assert liaison.get(f"/fieldwork/interviews/{interview.pk}/outline/").status_code == 404
    assert liaison.get(f"/api/v1/interviews/{interview.pk}/record").status_code == 403
    assert liaison.post(f"/fieldwork/interviews/{interview.pk}/confirm/").status_code == 302
    assert Interview.objects.get(pk=interview.pk).status == InterviewStatus.CONFIRMED

    # The interview happened: the record is saved encrypted.
    with action_scope("test.time_passes"):
        Interview.objects.filter(pk=interview.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=2),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
        )
        record("test.time_passes", None, by=None)
    response = member.post(f"/fieldwork/interviews/{interview.pk}/record/", {"text": RECORD})
    assert response.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM fieldwork_interviewrecord")
        (raw,) = cursor.fetchone()
    assert raw.startswith("x1:") and "小金库" not in raw
    assert InterviewRecord.objects.get().text == RECORD
    page = member.get(f"/fieldwork/interviews/{interview.pk}/").content.decode()
    assert "小金库" in page
    read = AuditEvent.objects.filter(action="interview.record_read").latest("seq")
    assert read.actor == world.users["t1_member"] and read.object_id == str(interview.pk)
    assert "小金库" in client_for("office").get(f"/fieldwork/interviews/{interview.pk}/").content.decode()
    leader_page = client_for("leader").get(f"/fieldwork/interviews/{interview.pk}/").content.decode()
    assert "小金库" not in leader_page and TOPIC in leader_page  # the leading group: topics, no record
    assert "小金库" not in liaison.get(f"/fieldwork/interviews/{interview.pk}/").content.decode()

    # Another team's member, another unit's liaison: 404 everywhere.
    for client in (client_for("t2_member"), other_liaison(world)):
        for path in (
            f"/fieldwork/interviews/{interview.pk}/",
            f"/fieldwork/interviews/{interview.pk}/record/",
            f"/fieldwork/interviews/{interview.pk}/outline/",
            f"/api/v1/interviews/{interview.pk}",
            f"/api/v1/interviews/{interview.pk}/record",
        ):
            assert client.get(path).status_code == 404, path
        assert client.get("/api/v1/interviews/").json()["count"] == 0


def test_documents_are_real_docx_and_downloads_are_audited(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    interview = schedule(world, world.principal1, hours=-3)
    member = client_for("t1_member")
    response = member.get(f"/fieldwork/interviews/{interview.pk}/outline/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert layout_problems(response.content) == []
    outline = _text(response.content)
    assert "个别谈话提纲" in outline and "张建国" in outline and "三重一大决策执行情况" in outline
    assert "刘振华、周敏" in outline or "周敏、刘振华" in outline
    blank_form = member.get(f"/fieldwork/interviews/{interview.pk}/record-form/").content
    assert layout_problems(blank_form) == []
    assert elements(response.content) == ["标题"]  # for the inspectors' own use
    assert elements(blank_form) == ["份号", "密级和保密期限", "标题"]  # what is said is classified
    read_back(
        {
            "谈话提纲": (response.content, ["个别谈话提纲", "张建国"]),
            "谈话记录": (blank_form, ["秘密", "个别谈话记录", "谈话对象（签字）"]),
        }
    )
    blank = _text(blank_form)
    assert "个别谈话记录" in blank and "小金库" not in blank and "谈话对象（签字）" in blank
    actions.record_interview(interview, text=RECORD, by=world.users["t1_member"])
    filled = _text(member.get(f"/fieldwork/interviews/{interview.pk}/record-form/").content)
    assert RECORD in filled
    events = AuditEvent.objects.filter(object_id=str(interview.pk))
    assert events.filter(action="interview.outline_read").count() == 1
    reads = events.filter(action="interview.record_form_read").order_by("seq")
    assert list(reads.values_list("details__filled", flat=True)) == [False, True]
    # The leading group reads the outline, not the record form.
    assert client_for("leader").get(f"/fieldwork/interviews/{interview.pk}/outline/").status_code == 200
    assert client_for("leader").get(f"/fieldwork/interviews/{interview.pk}/record-form/").status_code == 403


def test_scans_upload_and_audited_download(world: SimpleNamespace, client_for: ClientFor) -> None:
    interview = schedule(world, world.principal1, hours=-3)
    member = client_for("t1_member")
    upload = io.BytesIO(PDF)
    upload.name = "谈话记录签字页.pdf"
    assert member.post(f"/fieldwork/interviews/{interview.pk}/scans/", {"scans": [upload]}).status_code == 302
    scan = interview.scans.get()
    response = client_for("office").get(f"/fieldwork/interviews/scans/{scan.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert AuditEvent.objects.filter(action="interview.scan_read", object_id=str(scan.pk)).count() == 1
    assert client_for("leader").get(f"/fieldwork/interviews/scans/{scan.pk}/").status_code == 404
    assert client_for("liaison1").get(f"/fieldwork/interviews/scans/{scan.pk}/").status_code == 404
    bad = io.BytesIO(b"MZ\x90\x00")
    bad.name = "x.exe"
    page = member.post(f"/fieldwork/interviews/{interview.pk}/scans/", {"scans": [bad]})
    assert page.status_code == 200 and "文件类型不允许" in page.content.decode()
    assert interview.scans.count() == 1


def test_bad_input_on_the_form_and_the_api(world: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    path = f"/fieldwork/interviews/inspections/{world.inspection1.pk}/new/"
    start = timezone.now() + datetime.timedelta(days=2)
    good = {
        "name": "王某（退休干部）",
        "post": "原财政局副局长",
        "starts_at": _local(start),
        "ends_at": _local(start + datetime.timedelta(hours=1)),
        "place": "谈话室",
        "inspectors": [world.inspector_t1_leader.pk, world.inspector_t1_member.pk],
    }
    cases = [
        ({"inspectors": [world.inspector_t1_member.pk]}, "至少两名"),
        ({"starts_at": "2026-13-45T99:00"}, "开始时间格式不正确"),
        ({"ends_at": _local(start - datetime.timedelta(hours=1))}, "结束时间应晚于开始时间"),
        ({"name": "", "person": ""}, "请选择花名册人员，或填写姓名"),
        ({"place": "室" * 201}, "200"),
        ({"inspectors": [world.inspector_t2_member.pk, world.inspector_t1_member.pk]}, "不是本组成员"),
    ]
    for change, message in cases:
        page = member.post(path, {**good, **change})
        assert page.status_code == 200 and message in page.content.decode(), message
    assert not Interview.objects.exists()
    script = member.post(path, {**good, "name": "<script>alert(1)</script>"})
    assert script.status_code == 302
    listing = member.get(f"/fieldwork/interviews/inspections/{world.inspection1.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing

    api = _post_json(member, "/api/v1/interviews/", {"inspection": world.inspection1.pk, "name": "某"})
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "starts_at"
    api = _post_json(
        member,
        "/api/v1/interviews/",
        {"inspection": world.inspection1.pk, "name": "某", "starts_at": "明天", "place": "x"},
    )
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "starts_at"
    api = _post_json(
        member,
        "/api/v1/interviews/",
        {
            "inspection": world.inspection1.pk,
            "person": world.principal2.pk,  # another unit's roster
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
            "place": "谈话室",
            "inspectors": [world.inspector_t1_leader.pk, world.inspector_t1_member.pk],
        },
    )
    assert api.status_code == 422 and api.json()["detail"][0]["field"] == "person"
    assert Interview.objects.count() == 1


def test_api_plans_confirms_records_and_liaison_shape(world: SimpleNamespace, client_for: ClientFor) -> None:
    member = client_for("t1_member")
    generated = _post_json(member, "/api/v1/interviews/generate", {"inspection": world.inspection1.pk}).json()
    assert generated == {"added": 3, "planned": 3}
    assert _post_json(member, "/api/v1/interviews/generate", {"inspection": world.inspection1.pk}).json() == {
        "added": 0,
        "planned": 3,
    }
    interview = Interview.objects.get(person=world.deputy1)
    start = timezone.now() - datetime.timedelta(hours=3)
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "place": "谈话室",
        "inspectors": [world.inspector_t1_leader.pk, world.inspector_t1_member.pk],
        "topics": TOPIC,
    }
    out = _post_json(member, f"/api/v1/interviews/{interview.pk}/schedule", body)
    assert out.status_code == 200 and out.json()["topics"] == [TOPIC]
    assert {i["name"] for i in out.json()["inspectors"]} == {"刘振华", "周敏"}
    liaison = client_for("liaison1")
    listing = liaison.get(f"/api/v1/interviews/?inspection={world.inspection1.pk}").json()
    assert listing["count"] == 1 and set(listing["items"][0]) == set(schedule_fields())
    assert (
        _post_json(liaison, f"/api/v1/interviews/{interview.pk}/conflict", {"note": "出差"}).status_code
        == 200
    )
    assert _post_json(member, f"/api/v1/interviews/{interview.pk}/confirm").status_code == 403
    assert _post_json(liaison, f"/api/v1/interviews/{interview.pk}/confirm").json()["status"] == "confirmed"
    written = _post_json(member, f"/api/v1/interviews/{interview.pk}/record", {"text": RECORD})
    assert (
        written.status_code == 200 and written.json()["has_record"] is True and "text" not in written.json()
    )
    problem = _post_json(
        member, f"/api/v1/interviews/{interview.pk}/problems", {"kind": "clue", "text": "小金库"}
    )
    assert problem.status_code == 201
    read = member.get(f"/api/v1/interviews/{interview.pk}/record").json()
    assert read["text"] == RECORD and read["problems"][0]["kind"] == "clue"
    assert AuditEvent.objects.filter(action="interview.record_read").count() == 1
    assert liaison.get(f"/api/v1/interviews/{interview.pk}").json().keys() == set(schedule_fields())
    team_view = member.get("/api/v1/interviews/?status=done&person=李").json()
    assert team_view["count"] == 1 and team_view["items"][0]["topics"] == [TOPIC]


def schedule_fields() -> set[str]:
    return set(ScheduleOut.model_fields)


def test_petition_mark_for_the_team_only(world: SimpleNamespace, client_for: ClientFor) -> None:
    petition = register_petition(
        world.inspection1,
        data=PetitionInput(content="反映张建国违规收受礼金。", channel="letter"),
        by=world.users["t1_member"],
    )
    with action_scope("test.link"):
        petition.persons.add(world.principal1)
        record("test.link", None, by=None)
    marked = schedule(world, world.principal1)
    plain = schedule(world, world.deputy1, hours=30)
    listing = client_for("t1_member").get(f"/fieldwork/interviews/inspections/{world.inspection1.pk}/")
    assert listing.content.decode().count("涉信访") == 1
    api = {i["id"]: i for i in client_for("t1_member").get("/api/v1/interviews/").json()["items"]}
    assert (
        api[str(marked.pk)]["named_in_petitions"] is True
        and api[str(plain.pk)]["named_in_petitions"] is False
    )
    liaison = client_for("liaison1")
    assert "涉信访" not in liaison.get("/fieldwork/interviews/schedule/").content.decode()
    assert "涉信访" not in liaison.get(f"/fieldwork/interviews/{marked.pk}/").content.decode()
    assert "named_in_petitions" not in liaison.get(f"/api/v1/interviews/{marked.pk}").json()


def test_list_filters_and_pagination(world: SimpleNamespace, client_for: ClientFor) -> None:
    schedule(world, world.principal1, hours=24)
    later = schedule(world, world.deputy1, hours=72)
    actions.cancel_interview(later, reason="调离", by=world.users["t1_member"])
    member = client_for("t1_member")
    base = f"/fieldwork/interviews/inspections/{world.inspection1.pk}/"
    assert "李文华" not in member.get(f"{base}?status=planned").content.decode()
    day = timezone.localtime(later.starts_at).date().isoformat()
    page = member.get(f"{base}?date={day}").content.decode()
    assert "李文华" in page and "张建国" not in page
    assert "张建国" in member.get(f"{base}?person=建国").content.decode()
    assert "日期格式不正确" in member.get(f"{base}?date=2026-02-30").content.decode()
    assert member.get(f"{base}?page=999").status_code == 200
    assert client_for("liaison1").get(base).status_code == 403
    assert client_for("t2_member").get(base).status_code == 404


def test_section_and_home_panels(
    world: SimpleNamespace, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    schedule(world, world.principal1, hours=2)
    actions.generate_plan(world.inspection1, by=world.users["t1_member"])
    request = RequestFactory().get("/")
    request.user = world.users["t1_member"]
    with django_assert_max_num_queries(4):
        html = views.section(request, world.inspection1)
    assert "个别谈话" in html and "2 人尚未安排时间" in html and "张建国" in html
    request.user = world.users["liaison1"]
    assert views.section(request, world.inspection1) == ""
    request.user = world.users["t2_member"]
    assert views.section(request, world.inspection1) == ""
    home = client_for("t1_member").get("/").content.decode()
    assert "我的谈话安排" in home and "张建国" in home
    liaison_home = client_for("liaison1").get("/").content.decode()
    assert "待确认的谈话安排" in liaison_home and "张建国" in liaison_home


def test_list_page_and_api_list_queries_do_not_grow_with_the_plan(
    world: SimpleNamespace, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    actions.generate_plan(world.inspection1, by=world.users["t1_member"])
    for hours, person in ((24, world.principal1), (48, world.deputy1), (72, world.keypost1)):
        interview = Interview.objects.get(person=person)
        actions.update_interview(
            interview,
            place="谈话室",
            inspectors=[world.inspector_t1_leader, world.inspector_t1_member],
            topics=TOPIC,
            by=world.users["t1_member"],
            starts_at=timezone.now() + datetime.timedelta(hours=hours),
            ends_at=timezone.now() + datetime.timedelta(hours=hours + 1),
        )
    member = client_for("t1_member")
    path = f"/fieldwork/interviews/inspections/{world.inspection1.pk}/"
    member.get(path)  # warm the session
    with django_assert_max_num_queries(12):  # with the navigation bar's unread notifications
        assert member.get(path).status_code == 200
    with django_assert_max_num_queries(10):
        assert member.get("/api/v1/interviews/").json()["count"] == 3


def test_problems_shown_without_a_record_are_an_audited_read(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    interview = schedule(world, world.principal1, hours=-2)
    actions.add_problem(
        interview, kind=ProblemKind.CLUE, text="办公室主任经手小金库", by=world.users["t1_member"]
    )
    page = client_for("t1_member").get(f"/fieldwork/interviews/{interview.pk}/").content.decode()
    assert "办公室主任经手小金库" in page
    assert AuditEvent.objects.filter(action="interview.record_read", actor_name="t1_member").count() == 1


def test_a_far_date_in_the_filter_and_mixed_time_zones_in_the_api_are_no_500(
    world: SimpleNamespace, client_for: ClientFor
) -> None:
    client = client_for("t1_member")
    listed = client.get(f"/fieldwork/interviews/inspections/{world.inspection1.pk}/?date=9999-12-31")
    assert listed.status_code == 200
    body = {
        "inspection": world.inspection1.pk,
        "person": world.principal1.pk,
        "starts_at": "2026-06-01T09:00",
        "ends_at": "2026-06-01T08:00+08:00",
        "place": "谈话室",
        "inspectors": [world.inspector_t1_leader.pk, world.inspector_t1_member.pk],
    }
    answer = _post_json(client, "/api/v1/interviews/", body)
    assert answer.status_code == 422, answer.content
