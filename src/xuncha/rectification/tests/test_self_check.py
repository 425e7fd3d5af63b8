"""The unit's self-check problems (自查问题): the liaison registers them, the team leader accepts one (it
becomes a 边巡边改 item in the rectification lists) or declines it with a reason. Scope, refusals, audit,
the pages and the API."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.rectification.actions.self_check import (
    SelfCheckInput,
    accept_self_check,
    decline_self_check,
    report_self_check,
)
from xuncha.rectification.choices import ItemKind, ItemSource
from xuncha.rectification.models import Item, SelfCheckItem, SelfCheckStatus
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def register(world: SimpleNamespace, **overrides: object) -> SelfCheckItem:
    values: dict[str, object] = {
        "problem": "公务用车使用登记不全，2025年有12次出车无审批记录",
        "measure": "补齐登记，修订公务用车管理办法",
        "leader": "李文华",
        "department": "办公室",
        "due_on": in_days(10),
    }
    values.update(overrides)
    return report_self_check(world.inspection1, data=SelfCheckInput(**values), by=world.users["liaison1"])  # type: ignore[arg-type]


def test_registered_the_leader_is_told(world: SimpleNamespace) -> None:
    entry = register(world)
    assert entry.status == SelfCheckStatus.PENDING and entry.code.startswith("自查")
    told = Notification.objects.filter(link=f"/rectification/self-check/{entry.pk}/")
    assert [n.recipient.username for n in told] == ["t1_leader"]
    assert AuditEvent.objects.get(action="self_check.reported").actor_name == "liaison1"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"problem": ""}, "problem"),
        ({"leader": " "}, "leader"),
        ({"due_on": None}, "due_on"),
        ({"due_on": in_days(-1)}, "due_on"),
    ],
)
def test_bad_registrations_are_refused(world, overrides, field) -> None:
    with pytest.raises(Refused) as refused:
        register(world, **overrides)
    assert refused.value.field == field and not SelfCheckItem.objects.exists()


def test_only_the_liaison_registers_while_the_team_is_there(world: SimpleNamespace) -> None:
    for persona in ("t1_leader", "office"):
        with pytest.raises(NotAllowed):
            report_self_check(
                world.inspection1,
                data=SelfCheckInput("问题", "措施", "李文华", "办公室", in_days(3)),
                by=world.users[persona],
            )
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage=Stage.REPORTING)
    world.inspection1.refresh_from_db()
    with pytest.raises(Refused, match="进驻"):
        register(world)


def test_accepted_it_becomes_a_fieldwork_item_in_the_lists(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    entry = register(world)
    accept_self_check(entry, by=world.users["t1_leader"])
    entry.refresh_from_db()
    item = Item.objects.get()
    assert entry.status == SelfCheckStatus.ACCEPTED and entry.item == item
    assert item.source == ItemSource.FIELDWORK and item.kind == ItemKind.IMMEDIATE
    assert item.issue.endswith(entry.problem) and item.measure == entry.measure
    assert item.due_on == entry.due_on and item.department == "办公室"
    assert {"rectification_item.issued", "self_check.accepted"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    # In the rectification list of the team and of the unit.
    for persona in ("t1_leader", "liaison1", "office"):
        page = client_for(persona).get("/rectification/").content.decode()
        assert item.code in page and "公务用车" in page, persona
    with pytest.raises(Refused, match="已审核"):
        decline_self_check(entry, reason="重复", by=world.users["t1_leader"])


def test_accept_refusals_leave_nothing_behind(world: SimpleNamespace) -> None:
    entry = register(world)
    for persona in ("t1_member", "liaison1", "office"):
        with pytest.raises(NotAllowed):
            accept_self_check(entry, by=world.users[persona])
    with pytest.raises(Refused, match="立行立改或限期整改"):
        accept_self_check(entry, kind=ItemKind.LONG_TERM, by=world.users["t1_leader"])
    with pytest.raises(Refused, match="完成时限"):
        accept_self_check(entry, kind=ItemKind.DEADLINE, due_on=in_days(-2), by=world.users["t1_leader"])
    entry.refresh_from_db()
    assert entry.is_pending and not Item.objects.exists()


def test_declined_with_a_reason_the_liaison_sees(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    entry = register(world)
    with pytest.raises(Refused):
        decline_self_check(entry, reason="", by=world.users["t1_leader"])
    decline_self_check(entry, reason="已在上轮审计整改中销号，不再重复纳入。", by=world.users["t1_leader"])
    entry.refresh_from_db()
    assert entry.status == SelfCheckStatus.DECLINED and not Item.objects.exists()
    assert (
        "不再重复纳入"
        in client_for("liaison1").get(f"/rectification/self-check/{entry.pk}/").content.decode()
    )


def test_scope_and_the_pages(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    liaison = client_for("liaison1")
    new = f"/rectification/self-check/inspections/{world.inspection1.pk}/new/"
    assert liaison.get(new).status_code == 200
    answer = liaison.post(
        new,
        {
            "problem": "会议费超标准列支",
            "measure": "退回超标部分",
            "leader": "李文华",
            "department": "财务科",
            "due_on": in_days(5).isoformat(),
        },
    )
    entry = SelfCheckItem.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/rectification/self-check/{entry.pk}/"
    page = f"/rectification/self-check/{entry.pk}/"
    for persona in ("liaison1", "t1_leader", "t1_member", "office", "leader"):
        assert client_for(persona).get(page).status_code == 200, persona
    for persona in ("t2_member", "jiwei", "county_office"):
        assert client_for(persona).get(page).status_code == 404, persona
    assert client_for("t1_member").get(f"{page}accept/").status_code == 403
    assert client_for("t2_member").get(f"{page}accept/").status_code == 404
    leader = client_for("t1_leader")
    done = leader.post(f"{page}accept/", {"kind": "deadline", "due_on": in_days(20).isoformat()})
    assert done.status_code == 302
    item = Item.objects.get()
    assert item.kind == ItemKind.DEADLINE and item.due_on == in_days(20)
    assert f"/rectification/items/{item.pk}/" in leader.get(page).content.decode()


def test_the_api(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    liaison = client_for("liaison1")
    body = {
        "inspection": world.inspection1.pk,
        "problem": "固定资产账实不符",
        "measure": "全面盘点，补登资产卡片",
        "leader": "李文华",
        "department": "财务科",
        "due_on": in_days(15).isoformat(),
    }
    created = liaison.post("/api/v1/self-check-items/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert (
        liaison.post(
            "/api/v1/self-check-items/", {**body, "measure": ""}, content_type="application/json"
        ).json()["detail"][0]["field"]
        == "measure"
    )
    assert client_for("t2_member").get(f"/api/v1/self-check-items/{entry_id}").status_code == 404
    assert client_for("office").get("/api/v1/self-check-items/?status=pending").json()["count"] == 1
    url = f"/api/v1/self-check-items/{entry_id}"
    assert (
        client_for("t1_member").post(f"{url}/accept", {}, content_type="application/json").status_code == 403
    )
    accepted = client_for("t1_leader").post(f"{url}/accept", {}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    item_id = accepted.json()["item_id"]
    assert client_for("liaison1").get(f"/api/v1/rectification-items/{item_id}").status_code == 200
    again = client_for("t1_leader").post(f"{url}/decline", {"reason": "x"}, content_type="application/json")
    assert again.status_code == 422


def test_the_way_in_home_panels_and_the_inspection_pages(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    new = f"/rectification/self-check/inspections/{world.inspection1.pk}/new/"
    listing = f"/rectification/self-check/inspections/{world.inspection1.pk}/"
    assert new in client_for("liaison1").get("/").content.decode()
    detail = f"/rounds/inspections/{world.inspection1.pk}/"
    for persona in ("liaison1", "t1_leader", "office"):
        assert listing in client_for(persona).get(detail).content.decode(), persona
    entry = register(world)
    home = client_for("t1_leader").get("/").content.decode()
    assert "待组长审核：<strong>1</strong> 项" in home and f"/rectification/self-check/{entry.pk}/" in home
    assert f"/rectification/self-check/{entry.pk}/" not in client_for("t1_member").get("/").content.decode()
    accept_self_check(entry, by=world.users["t1_leader"])
    assert f"/rectification/self-check/{entry.pk}/" not in client_for("t1_leader").get("/").content.decode()
    rect = f"/rectification/inspections/{world.inspection1.pk}/"
    assert listing in client_for("t1_member").get(rect).content.decode()


def test_once_fieldwork_is_over_a_pending_problem_leaves_the_leader_s_panel(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    entry = register(world)
    page = f"/rectification/self-check/{entry.pk}/"
    assert f"{page}accept/" in client_for("t1_leader").get(page).content.decode()
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage=Stage.REPORTING)
    assert page not in client_for("t1_leader").get("/").content.decode()
    assert f"{page}accept/" not in client_for("t1_leader").get(page).content.decode()
    with pytest.raises(Refused, match="进驻"):
        decline_self_check(SelfCheckItem.objects.get(pk=entry.pk), reason="晚了", by=world.users["t1_leader"])


def test_the_list_page_and_api_list_cost_the_same_queries_whatever_the_rows(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    leader = client_for("t1_leader")
    urls = (
        f"/rectification/self-check/inspections/{world.inspection1.pk}/",
        "/api/v1/self-check-items/",
        "/",
    )

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert leader.get(url).status_code == 200
            found.append(len(queries))
        return found

    accept_self_check(register(world), by=world.users["t1_leader"])
    before = counts()
    for n in range(3):
        accept_self_check(register(world, problem=f"问题{n}"), by=world.users["t1_leader"])
        register(world, problem=f"待审核问题{n}")
    assert counts() == before
