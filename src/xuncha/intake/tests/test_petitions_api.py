"""The petitions API: the list's shape, filters and search, one petition without identity, staff entry with
422 refusals naming the field in Chinese, 403 for who sees the inspection but may not enter, and the same
404 for a petition out of scope as for a missing one."""

import datetime
import json
from urllib.parse import quote

import pytest
from django.utils import timezone

from xuncha.core.api import NOT_FOUND
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.core.pagination import EMPTY_PAGE
from xuncha.intake.models import Petition

from .conftest import letter

API = "/api/v1/petitions/"
CANARY = "欧阳金丝雀"
IDENTITY = {"reporter_name", "reporter_phone", "reporter_id_number", "reporter_contact", "receipt_key"}
MISSING = "00000000-0000-0000-0000-000000000000"


def _post(client, data):
    return client.post(API, json.dumps(data), content_type="application/json")


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def test_the_list_shape_and_scope(world, client_for):
    named = letter(world, "市财政局张局长违规报销招待费", anonymous=False, reporter_name=CANARY)
    about_us = letter(world, "反映巡察组成员", about_inspectors=True)
    body = client_for("t1_member").get(API).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(named.pk) and item["number"] == named.number
    assert item["channel"] == "letter" and item["channel_label"] == "来信"
    assert item["status"] == "new" and item["status_label"] == "待分拣"
    assert item["anonymous"] is False and not IDENTITY & set(item)
    assert CANARY not in json.dumps(body, ensure_ascii=False)
    assert {i["id"] for i in client_for("office").get(API).json()["items"]} == {
        str(named.pk),
        str(about_us.pk),
    }
    for persona in ("t2_member", "liaison1", "county_office", "leader", "jiwei", "sysadmin"):
        assert client_for(persona).get(API).json() == EMPTY_PAGE, persona


def test_filters_and_search(world, client_for):
    now = timezone.now()
    old = letter(world, "市财政局张局长违规报销招待费", received_at=now - datetime.timedelta(days=20))
    call = letter(world, "反映李副局长收受礼金")
    client = client_for("t1_member")
    today = timezone.localdate()

    def ids(query: str) -> set[str]:
        response = client.get(f"{API}?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(f"q={quote('报销')}") == {str(old.pk)}
    assert ids(f"q={quote(CANARY)}") == set()
    assert ids(f"received_from={today.isoformat()}") == {str(call.pk)}
    assert ids(f"received_to={(today - datetime.timedelta(days=10)).isoformat()}") == {str(old.pk)}
    assert ids(f"inspection={world.inspection1.pk}&channel=letter&status=new") == {str(old.pk), str(call.pk)}
    assert ids("channel=phone") == ids("scope=in") == set()
    assert ids(f"inspection={world.inspection2.pk}") == set()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("received_from=2026-13-45", "received_from", "日期格式应为 YYYY-MM-DD"),
        ("received_from=9999-12-31", "received_from", "日期超出范围"),
        ("received_from=2026-05-02&received_to=2026-05-01", "received_to", "截止日期不能早于起始日期"),
        ("channel=fax", "channel", "取值不在允许范围内"),
        ("inspection=abc", "inspection", "请输入整数"),
    ],
)
def test_bad_filters_are_a_422_with_the_field(world, client_for, query, field, message):
    errors = _errors(client_for("t1_member").get(f"{API}?{query}"))
    assert message in errors[field]


def test_one_petition_without_identity_and_with_its_suggestions(world, client_for):
    petition = letter(
        world,
        "市财政局张局长违规报销招待费",
        anonymous=False,
        reporter_name=CANARY,
        reporter_phone="13800138000",
        files=[Upload("欧阳的材料.txt", "材料".encode())],
    )
    response = client_for("t1_leader").get(f"{API}{petition.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == petition.number and body["anonymous"] is False
    assert not IDENTITY & set(body)
    assert isinstance(body["suggestions"], list) and isinstance(body["persons"], list)
    assert [a["content_type"] for a in body["attachments"]] == ["text/plain"]
    text = json.dumps(body, ensure_ascii=False)
    assert CANARY not in text and "13800138000" not in text and "欧阳的材料" not in text


def test_out_of_scope_is_the_missing_404(world, client_for):
    petition = letter(world, "反映问题")
    about_us = letter(world, "反映巡察组", about_inspectors=True)
    for persona in ("t2_member", "liaison1", "county_office"):
        client = client_for(persona)
        out_of_scope, missing = client.get(f"{API}{petition.pk}"), client.get(f"{API}{MISSING}")
        assert out_of_scope.status_code == missing.status_code == 404, persona
        assert out_of_scope.content == missing.content and missing.json() == NOT_FOUND
    assert client_for("t1_member").get(f"{API}{about_us.pk}").status_code == 404
    assert client_for("office").get(f"{API}{about_us.pk}").status_code == 200
    assert _errors(client_for("t1_member").get(f"{API}not-a-uuid"))


def test_staff_entry_answers_201_without_identity(world, client_for):
    data = {
        "inspection": world.inspection1.pk,
        "channel": "phone",
        "received_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        "in_duty_hours": False,
        "anonymous": False,
        "reporter_name": CANARY,
        "reporter_phone": "13800138000",
        "subject_name": "张建国",
        "content": "来电反映张局长违规报销",
    }
    response = _post(client_for("t1_member"), data)
    assert response.status_code == 201, response.content
    body = response.json()
    petition = Petition.objects.get()
    assert body["id"] == str(petition.pk) and body["channel"] == "phone" and body["in_duty_hours"] is False
    assert petition.reporter_name == CANARY and petition.entered_by == world.users["t1_member"]
    assert timezone.now() - petition.received_at > datetime.timedelta(minutes=50)  # the naive time was local
    assert CANARY not in response.content.decode() and not IDENTITY & set(body)
    assert AuditEvent.objects.filter(action="petition.received").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"content": " "}, "content", "请填写反映内容"),
        ({"content": "x" * 10_001}, "content", "反映内容过长"),
        ({"channel": "phone"}, "in_duty_hours", "请注明来电是否在值班时间内"),
        ({"channel": "box"}, "channel", "意见箱信件请在开箱记录中登记"),
        ({"channel": "web"}, "channel", "请选择来信、来电、来访、电子邮件或意见箱"),
        ({"received_at": "2099-01-01T00:00:00+08:00"}, "received_at", "收到时间不能晚于现在"),
        ({"received_at": "yesterday"}, "received_at", "输入无效"),
        ({"received_at": "0001-01-01T00:00:00+08:00"}, "received_at", "收到时间早于 2000 年"),
        ({"anonymous": False}, "reporter_name", "请填写姓名"),
        ({"inspection": "abc"}, "inspection", "请输入整数"),
    ],
)
def test_staff_entry_refusals_name_the_field(world, client_for, changes, field, message):
    data = {"inspection": world.inspection1.pk, "channel": "letter", "content": "反映问题", **changes}
    errors = _errors(_post(client_for("t1_member"), data))
    assert message in errors[field], errors
    assert not Petition.objects.exists()


def test_staff_entry_for_other_scopes(world, client_for):
    data = {"inspection": world.inspection1.pk, "channel": "letter", "content": "反映问题"}
    for persona in ("liaison1", "leader"):
        assert _post(client_for(persona), data).status_code == 403, persona
    for persona in ("t2_member", "county_office"):
        assert "不存在或无权访问" in _errors(_post(client_for(persona), data))["inspection"], persona
    not_yet = {**data, "inspection": world.inspection2.pk}
    assert "不在受理信访期间" in _errors(_post(client_for("t2_member"), not_yet))["inspection"]
    assert not Petition.objects.exists()


def test_a_petition_about_the_inspectors_entered_by_a_member_then_leaves_the_members_reach(world, client_for):
    data = {
        "inspection": world.inspection1.pk,
        "channel": "email",
        "content": "反映巡察组",
        "about_inspectors": True,
    }
    response = _post(client_for("t1_member"), data)
    assert response.status_code == 201
    petition_id = response.json()["id"]
    assert client_for("t1_member").get(f"{API}{petition_id}").status_code == 404
    assert client_for("office").get(f"{API}{petition_id}").json()["about_inspectors"] is True
