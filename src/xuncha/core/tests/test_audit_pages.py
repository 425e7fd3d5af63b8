"""The auditor's pages: only auditors, only their committees' events, filters, pagination, details."""

import datetime
import io

import pytest
from django.utils import timezone

from xuncha.core import actions
from xuncha.core.audit import action_scope, changes, record, snapshot
from xuncha.core.models import AuditEvent
from xuncha.core.pagination import EMPTY_PAGE

pytestmark = pytest.mark.django_db


def _note(action_name: str, committee_id: int | None, **details) -> AuditEvent:
    with action_scope(action_name):
        return record(action_name, None, by=None, committee_id=committee_id, details=details)


@pytest.mark.parametrize(
    "persona", ["office", "leader", "t1_leader", "custodian", "sysadmin", "jiwei", "liaison1", "outsider"]
)
def test_only_auditors_see_the_audit_pages(world, client_for, persona):
    client = client_for(persona)
    assert client.get("/audit/").status_code == 404
    assert client.get(f"/audit/{world.audit_seq}/").status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_auditor_reads_own_committee_and_installation_events_only(world, client_for):
    county_event = _note("test.county", world.county_a.pk)
    account_event = _note("test.installation", None)
    client = client_for("auditor")
    listing = client.get("/audit/")
    seqs = {row.seq for row in listing.context["rows"]}
    assert world.audit_seq in seqs and account_event.seq in seqs
    assert county_event.seq not in seqs
    # An event that exists, in another committee: the same 404 as a missing one.
    assert client.get(f"/audit/{county_event.seq}/").status_code == 404
    assert client.get("/audit/999999/").status_code == 404
    assert client.get(f"/audit/{world.audit_seq}/").status_code == 200


def test_filters(world, client_for):
    sysadmin = world.users["sysadmin"]
    user = actions.create_user(username="filtered", password="Qingfeng-zhengqi-2026", by=sysadmin)
    actions.disable_user(user, by=sysadmin)
    client = client_for("auditor")

    def seqs(**params):
        response = client.get("/audit/", params)
        assert response.status_code == 200
        return [row.action_code for row in response.context["rows"]]

    assert seqs(action="user.disabled") == ["user.disabled"]
    assert set(seqs(actor="sysadmin")) >= {"user.created", "user.disabled"}
    assert "test.world" not in seqs(actor="sysadmin")
    assert seqs(object_type="core.user", object_id=str(user.pk)) == ["user.disabled", "user.created"]
    today = timezone.localdate()
    assert "user.created" in seqs(since=today.isoformat(), until=today.isoformat())
    assert seqs(until=(today - datetime.timedelta(days=1)).isoformat()) == []


def test_bad_filter_input_gives_field_errors_not_500(world, client_for):
    client = client_for("auditor")
    response = client.get("/audit/", {"since": "2026-13-45", "until": "昨天", "page": "abc"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["since"] and form.errors["until"]
    reversed_range = client.get("/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert "截止日期不能早于起始日期" in reversed_range.content.decode()


def test_pagination(world, client_for):
    for index in range(30):
        _note("test.bulk", world.city.pk, index=index)
    client = client_for("auditor")
    first = client.get("/audit/", {"action": "test.bulk"})
    assert len(first.context["rows"]) == 25
    assert first.context["page_obj"].paginator.count == 30
    second = client.get("/audit/", {"action": "test.bulk", "page": 2})
    assert len(second.context["rows"]) == 5
    assert "?action=test.bulk&page=2" in first.content.decode()


def test_list_query_count_does_not_grow(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sysadmin = world.users["sysadmin"]
    client = client_for("auditor")

    def accounts(count: int) -> None:
        for index in range(count):
            user = actions.create_user(
                username=f"n{index}-{count}", password="Qingfeng-zhengqi-2026", by=sysadmin
            )
            actions.disable_user(user, by=sysadmin)
            _note("test.bulk", world.city.pk, index=index)

    accounts(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    accounts(8)
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/audit/").context["rows"]
    assert len(rows) == 25 and len(many) == len(few)  # users and numbers: one query each, not per row


def test_details_show_before_and_after(world, client_for):
    user = world.users["t1_member"]
    before = snapshot(user, ["full_name", "email"])
    with action_scope("test.change"):
        user.full_name, user.email = "周敏", "zhoumin@example.cn"
        user.save()
        event = record(
            "test.change",
            user,
            by=None,
            committee_id=world.city.pk,
            details={"changes": changes(before, snapshot(user, ["full_name", "email"])), "reason": "更正"},
        )
    page = client_for("auditor").get(f"/audit/{event.seq}/").content.decode()
    assert "修改前" in page and "修改后" in page
    assert '<td>姓名</td><td class="text-break">t1_member</td><td class="text-break">周敏</td>' in page
    assert "更正" in page and "用户" in page  # the object type's Chinese name


def test_audit_events_api_follows_the_same_visibility(world, client_for):
    county_event = _note("test.county", world.county_a.pk)
    client = client_for("auditor")
    items = client.get("/api/v1/audit-events/").json()["items"]
    assert county_event.seq not in {item["id"] for item in items}
    assert client.get(f"/api/v1/audit-events/{county_event.seq}").status_code == 404
    assert client_for("sysadmin").get("/api/v1/audit-events/").json() == EMPTY_PAGE


def test_home_page_shows_each_role_its_core_entry_points(world, client_for):
    auditor = client_for("auditor").get("/").content.decode()
    assert 'href="/audit/"' in auditor and "修改密码" in auditor
    sysadmin = client_for("sysadmin").get("/").content.decode()
    assert 'href="/sysadmin/"' in sysadmin and 'href="/audit/"' not in sysadmin
    member = client_for("t1_member").get("/").content.decode()
    assert 'href="/audit/"' not in member and 'href="/sysadmin/"' not in member
    assert "动态口令：" in member


def test_events_are_named_in_chinese(world, client_for):
    from xuncha.rounds import actions as rounds_actions

    rounds_actions.set_fieldwork_end(
        world.inspection1, ends_on=timezone.localdate(), reason="提前结束", by=world.users["office"]
    )
    event = AuditEvent.objects.filter(action="inspection.fieldwork_end_changed").latest("seq")
    page = client_for("auditor").get(f"/audit/{event.seq}/").content.decode()
    assert "调整了解阶段结束日期" in page and "巡察办" in page
    assert "了解阶段结束日期" in page and "理由" in page  # a field's verbose_name and a detail key
    assert "提前结束" not in page  # free text on a case object is named, not shown
    assert "office" in page and "巡察 第一巡察组巡察市财政局" in page  # no number: by team and unit


def test_a_generic_code_is_named_from_its_model_and_verb(world):
    from xuncha.core.audit_labels import action_label, field_label, role_label

    assert action_label("unit.created", "orgs.unit") == "新建单位"
    assert action_label("unknown.frobbed", "orgs.unit") == "unknown.frobbed"
    assert field_label("orgs.unit", "unit_type") == "单位类型"
    assert role_label("system") == "系统" and role_label("custodian") == "身份信息保管人"


def _actions_of(client, **params):
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return {row.action_code for row in response.context["rows"]}


def test_filter_by_chinese_names(world, client_for):
    from xuncha.intake.actions.petitions import PetitionInput, register_petition

    petition = register_petition(
        world.inspection1,
        data=PetitionInput(content="反映某局违规发放津贴。", channel="letter"),
        by=world.users["t1_member"],
    )
    client_for("office")  # a login: a user.logged_in event
    client = client_for("auditor")
    assert _actions_of(client, q="登录") == {"user.logged_in"}
    assert "petition.received" in _actions_of(client, q="信访件")
    assert _actions_of(client, q="信访件") <= {"petition.received", "petition.analysed"}
    assert _actions_of(client, q="user.logged") == {"user.logged_in"}  # the codes still work
    assert _actions_of(client, action="user.logged_in") == {"user.logged_in"}
    assert _actions_of(client, object_type="intake.petition") == {"petition.received"}
    page = client.get("/audit/", {"q": "信访件"}).content.decode()
    assert f"信访件 {petition.number}" in page and str(petition.pk) not in page.replace(
        f"object_id={petition.pk}", ""
    )
    form = client.get("/audit/").content.decode()
    assert '<option value="user.logged_in">登录</option>' in form
    assert '<option value="intake.petition">信访件</option>' in form


def test_users_are_named_with_their_username(world, client_for):
    sysadmin = world.users["sysadmin"]
    sysadmin.full_name = "王管理"
    sysadmin.save()
    user = actions.create_user(username="lihua", password="Qingfeng-zhengqi-2026", by=sysadmin)
    actions.update_user(user, username="lihua", full_name="李华", email="", by=sysadmin)
    client = client_for("auditor")
    page = client.get("/audit/", {"actor": "王管理"}).content.decode()
    assert "王管理（sysadmin）" in page and "用户 李华（lihua）" in page
    assert "用户 #" not in page


def test_export_is_watermarked_filtered_and_audited(world, client_for):
    from openpyxl import load_workbook

    client_for("office")
    client = client_for("auditor")
    response = client.get("/audit/export/", {"q": "登录"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("导出人：auditor") and rows[1][0] == "序号"
    assert {row[4] for row in rows[2:]} == {"登录"} and {row[5] for row in rows[2:]} == {"user.logged_in"}
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == world.users["auditor"] and exported.role == "auditor"
    assert exported.details["rows"] == len(rows) - 2 and exported.committee_id == world.city.pk
    assert client_for("office").get("/audit/export/").status_code == 404


def test_api_answers_in_chinese_without_the_stored_name(world, client_for):
    from xuncha.rounds import actions as rounds_actions

    rounds_actions.set_fieldwork_end(
        world.inspection1, ends_on=timezone.localdate(), reason="内部理由", by=world.users["office"]
    )
    client = client_for("auditor")
    items = client.get("/api/v1/audit-events/", {"q": "了解阶段"}).json()["items"]
    (item,) = items
    assert (
        item["action"] == "调整了解阶段结束日期" and item["action_code"] == "inspection.fieldwork_end_changed"
    )
    assert item["object_type"] == "巡察" and item["actor"] == "office" and item["role"] == "巡察办"
    assert {"name": "理由", "value": "（内容不显示）"} in item["details"]
    assert "object_repr" not in item
    assert client.get(f"/api/v1/audit-events/{item['id']}").json() == item


def test_an_action_named_twice_differently_is_refused_at_start():
    from xuncha.core.audit_labels import action_label, register_audit_labels

    register_audit_labels({"petition.received": action_label("petition.received")})  # the same name again
    with pytest.raises(ValueError, match=r"petition\.received"):
        register_audit_labels({"petition.received": "登记信访件"})
    assert action_label("petition.received") == "收到信访件"
