"""Look-back (巡察“回头看”): what a look-back inspection re-examines (only the earlier inspections of its
unit, only their items in force), the team's checks (stages, roles, one per item, updated with the changes
audited), a draft finding following a false or relapsed check, the page, the ledger, the archive check and
the API."""

import datetime
import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, User
from xuncha.core.permissions import NotAllowed
from xuncha.findings.models import Finding
from xuncha.findings.tests.support import category
from xuncha.rounds import actions as rounds
from xuncha.rounds.choices import RoundKind, Stage, TeamRole
from xuncha.rounds.tests.conftest import new_inspector
from xuncha.taxonomy.choices import SchemeKind

from .. import archive, archive_documents, lookback
from ..actions import items, plans
from ..actions import lookback as actions
from ..choices import ItemKind, Verdict
from ..models import LookbackCheck
from .support import approved_plan, days, delivered, set_stage, task

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def _user(w: SimpleNamespace, username: str, name: str) -> User:
    user = User.objects.create_user(username=username, full_name=name)
    TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
    w.users[username] = user
    return user


def _issue(w: SimpleNamespace, inspection: Any, by: User | None) -> Any:
    stage = inspection.stage
    set_stage(inspection, Stage.FIELDWORK)
    item = items.issue_item(
        inspection,
        issue="食堂账目不公开",
        measure="立即公开食堂账目",
        kind=ItemKind.IMMEDIATE,
        leader="李局长",
        department="机关服务中心",
        due_on=days(10),
        by=by,
    )
    set_stage(inspection, stage)
    return item


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    return lookback_world(world)


def lookback_world(world: SimpleNamespace) -> SimpleNamespace:
    """inspection1 in 整改 with its feedback delivered and a 边巡边改 item (``w.issued``); inspection2 of
    unit2 in 整改 with one too; a look-back round of both, and ``w.lb``, the look-back inspection of unit1
    in 了解 by a team led by ``lb_leader`` with ``lb_member``."""
    delivered(world)
    office = world.users["office"]
    world.issued = _issue(world, world.inspection1, world.users["t1_leader"])
    set_stage(world.inspection2, Stage.RECTIFYING)
    world.issued2 = _issue(world, world.inspection2, None)
    world.lb_round = rounds.create_round(
        committee=world.city,
        number=2,
        name="市委第一轮巡察“回头看”",
        kind=RoundKind.LOOKBACK,
        planned_start=datetime.date(2027, 3, 1),
        planned_end=datetime.date(2027, 4, 30),
        lookback_of=[world.inspection1, world.inspection2],
        by=office,
    )
    team = rounds.create_team(round=world.lb_round, name="回头看第一组", by=office)
    for username, name, role in (
        ("lb_leader", "高明", TeamRole.LEADER),
        ("lb_member", "林静", TeamRole.MEMBER),
    ):
        inspector = new_inspector(world.city, name, user=_user(world, username, name))
        rounds.add_team_member(team=team, inspector=inspector, role=role, by=office)
    world.lb = rounds.create_inspection(round=world.lb_round, team=team, unit=world.unit1, by=office)
    set_stage(world.lb, Stage.FIELDWORK)
    return world


def _check(w: SimpleNamespace, item: Any, verdict: str = Verdict.GENUINE, persona: str = "lb_member") -> Any:
    return actions.record_check(
        w.lb, item=item, verdict=verdict, note="实地查看，已整改。", by=w.users[persona]
    )


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


# What is re-examined ----------------------------------------------------------------------------------


def test_only_the_earlier_inspections_of_the_same_unit_and_their_items_in_force(w: SimpleNamespace) -> None:
    assert list(lookback.earlier_inspections(w.lb)) == [w.inspection1]
    assert list(lookback.earlier_inspections(w.inspection1)) == []  # not a look-back inspection
    # The plan is drafted but not approved: its tasks are not in force, the 边巡边改 item is.
    plan = plans.start_plan(w.inspection1, by=w.users["liaison1"])
    draft_task = plans.add_task(plan, task(w, w.problem_a), by=w.users["liaison1"])
    other_task = plans.add_task(plan, task(w, w.problem_b), by=w.users["liaison1"])
    assert list(lookback.earlier_items(w.lb)) == [w.issued]
    plans.submit_plan(plan, by=w.users["liaison1"])
    plans.approve_plan(plan, note="同意", by=w.users["office"])
    assert set(lookback.earlier_items(w.lb)) == {w.issued, draft_task, other_task}
    assert w.issued2 not in lookback.earlier_items(w.lb)  # unit2's item


def test_the_checklist_groups_items_by_problem_and_shows_problems_without_items(w: SimpleNamespace) -> None:
    approved_plan(w)
    found = lookback.checklist(w.lb, w.users["lb_leader"])
    (section,) = found.sections
    assert section.inspection == w.inspection1
    groups = {g.problem: [r.item for r in g.rows] for g in section.groups}
    assert groups[w.problem_a] == [w.task_a] and groups[w.problem_b] == [w.task_b]
    assert groups[w.problem_p] == []  # the principal leader's problem has no task
    assert groups[None] == [w.issued]
    assert (found.total, found.checked, found.percent) == (3, 0, 0)
    # The liaison reads nothing of the principal leader's problem list.
    liaison = lookback.checklist(w.lb, w.users["liaison1"])
    assert w.problem_p not in {g.problem for g in liaison.sections[0].groups}


# Checks -----------------------------------------------------------------------------------------------


def test_a_check_is_recorded_once_per_item_and_updated_with_its_changes_audited(w: SimpleNamespace) -> None:
    check = _check(w, w.issued)
    event = AuditEvent.objects.filter(action="lookback_check.recorded").latest("seq")
    assert event.details["verdict"] == "genuine" and event.details["earlier_inspection"] == w.inspection1.pk
    again = actions.record_check(
        w.lb, item=w.issued, verdict=Verdict.RELAPSED, note="账目又不公开了。", by=w.users["lb_leader"]
    )
    assert again.pk == check.pk and LookbackCheck.objects.count() == 1
    assert again.verdict == Verdict.RELAPSED and again.checked_by == w.users["lb_leader"]
    changes = AuditEvent.objects.filter(action="lookback_check.updated").latest("seq").details["changes"]
    assert changes["verdict"] == ["genuine", "relapsed"]


def test_checks_are_the_look_back_teams_in_fieldwork_and_reporting_only(w: SimpleNamespace) -> None:
    for persona in ("office", "liaison1", "t1_leader"):
        with pytest.raises(NotAllowed):
            _check(w, w.issued, persona=persona)
    with pytest.raises(Refused) as refused:
        actions.record_check(w.lb, item=w.issued, verdict=Verdict.GENUINE, note=" ", by=w.users["lb_member"])
    assert refused.value.field == "note"
    with pytest.raises(Refused) as refused:
        actions.record_check(w.lb, item=w.issued, verdict="maybe", note="看了", by=w.users["lb_member"])
    assert refused.value.field == "verdict"
    with pytest.raises(Refused) as refused:  # unit2's item is not re-examined by this inspection
        _check(w, w.issued2)
    assert refused.value.field == "item"
    set_stage(w.lb, Stage.REPORTING)
    assert _check(w, w.issued).verdict == Verdict.GENUINE
    for stage in (Stage.STATIONED, Stage.FEEDBACK, Stage.ARCHIVED):
        set_stage(w.lb, stage)
        with pytest.raises(Refused) as refused:
            _check(w, w.issued)
        assert refused.value.field == "inspection"


def test_a_false_or_relapsed_check_is_followed_by_a_draft_finding_once(w: SimpleNamespace) -> None:
    approved_plan(w)
    genuine = _check(w, w.task_b)
    with pytest.raises(Refused) as refused:
        actions.follow_up(genuine, by=w.users["lb_member"])
    assert refused.value.field == "verdict"
    false = actions.record_check(
        w.lb, item=w.task_a, verdict=Verdict.FALSE, note="清退凭证系补做。", by=w.users["lb_member"]
    )
    with pytest.raises(NotAllowed):
        actions.follow_up(false, by=w.users["liaison1"])
    focus = category(SchemeKind.FOCUS, "2.4")
    followed = actions.follow_up(false, focus=focus, by=w.users["lb_member"])
    finding = Finding.objects.get(pk=followed.finding_id)
    assert finding.inspection == w.lb and finding.focus == focus
    assert w.problem_a.title in finding.title and "虚假整改" in finding.title
    assert "清退凭证系补做。" in finding.description and w.task_a.code in finding.description
    with pytest.raises(Refused) as refused:
        actions.follow_up(followed, by=w.users["lb_member"])
    assert refused.value.field == "finding" and finding.number in refused.value.message
    assert Finding.objects.filter(inspection=w.lb).count() == 1


def test_a_follow_up_needs_a_focus_when_the_earlier_problem_has_none(w: SimpleNamespace) -> None:
    relapsed = _check(w, w.issued, verdict=Verdict.RELAPSED)
    with pytest.raises(Refused) as refused:
        actions.follow_up(relapsed, by=w.users["lb_member"])
    assert refused.value.field == "focus" and not Finding.objects.filter(inspection=w.lb).exists()


# Archive ----------------------------------------------------------------------------------------------


def test_a_look_back_inspection_is_not_archived_while_an_earlier_item_is_unchecked(
    w: SimpleNamespace,
) -> None:
    approved_plan(w)
    assert archive.unchecked_lookback(w.inspection1) == []
    lines = archive.unchecked_lookback(w.lb)
    assert len(lines) == 3 and any(w.issued.code in line for line in lines)
    for item in (w.task_a, w.task_b, w.issued):
        _check(w, item)
    assert archive.unchecked_lookback(w.lb) == []
    names = [f.path for f in archive_documents.documents(w.lb, w.users["office"])]
    assert "整改/回头看核查台账.xlsx" in names


# Pages ------------------------------------------------------------------------------------------------


def test_the_page_shows_the_earlier_items_preloaded_and_records_verdicts(
    w: SimpleNamespace, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    approved_plan(w)
    url = f"/rectification/inspections/{w.lb.pk}/lookback/"
    leader = client_for("lb_leader")
    with django_assert_max_num_queries(16):
        page = leader.get(url).content.decode()
    for text in (
        w.problem_a.title,
        w.problem_p.title,
        w.task_a.code,
        "食堂账目不公开",
        "已核查 0 / 3",
        "记录结论",
    ):
        assert text in page
    response = leader.post(
        f"/rectification/inspections/{w.lb.pk}/lookback/items/{w.task_a.pk}/",
        {"verdict": Verdict.FALSE, "note": "凭证补做"},
    )
    assert response.status_code == 302 and response["Location"] == url
    page = leader.get(url).content.decode()
    assert "已核查 1 / 3" in page and "形成问题底稿" in page and "凭证补做" in page
    check = LookbackCheck.objects.get()
    response = leader.post(
        f"/rectification/lookback-checks/{check.pk}/follow-up/",
        {"focus": category(SchemeKind.FOCUS, "2.4").pk},
    )
    check.refresh_from_db()
    assert response["Location"] == f"/findings/{check.finding_id}/"
    # The liaison reads the verdicts, with no form and nothing of the principal leader's problems.
    liaison = client_for("liaison1").get(url).content.decode()
    assert "凭证补做" in liaison and "记录结论" not in liaison and w.problem_p.title not in liaison
    assert check.finding is not None and check.finding.number not in liaison
    assert (
        client_for("liaison1")
        .post(
            f"/rectification/inspections/{w.lb.pk}/lookback/items/{w.task_a.pk}/",
            {"verdict": "genuine", "note": "x"},
        )
        .status_code
        == 403
    )
    # Another inspection has no look-back page; another team sees nothing of it.
    assert leader.get(f"/rectification/inspections/{w.inspection1.pk}/lookback/").status_code == 404
    assert client_for("t2_member").get(url).status_code == 404
    # The rectification pages link the look-back both ways.
    assert url in leader.get(f"/rectification/inspections/{w.lb.pk}/").content.decode()
    assert url in client_for("office").get(f"/rectification/inspections/{w.inspection1.pk}/").content.decode()


def test_the_ledger_is_watermarked_and_audited(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    _check(w, w.task_a, verdict=Verdict.RELAPSED)
    response = client_for("office").get(f"/rectification/inspections/{w.lb.pk}/lookback/ledger/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "导出人：office" in rows[0][0] and rows[1][0] == "原巡察"
    verdicts = {row[3]: row[8] for row in rows[2:]}
    assert verdicts == {w.task_a.code: "反弹回潮", w.task_b.code: "未核查", w.issued.code: "未核查"}
    event = AuditEvent.objects.filter(action="lookback.ledger_exported").latest("seq")
    assert event.details["rows"] == 3 and event.actor == w.users["office"]


# API --------------------------------------------------------------------------------------------------


def test_checks_through_the_api(w: SimpleNamespace, client_for: ClientFor) -> None:
    approved_plan(w)
    member = client_for("lb_member")
    body = {"inspection": w.lb.pk, "item": w.task_a.pk, "verdict": "false", "note": "凭证补做"}
    created = _send(member, "POST", "/api/v1/lookback-checks/", body)
    assert created.status_code == 201 and created.json()["earlier_inspection_id"] == w.inspection1.pk
    updated = _send(member, "POST", "/api/v1/lookback-checks/", body | {"verdict": "relapsed"})
    assert updated.status_code == 200 and updated.json()["id"] == created.json()["id"]
    response = _send(member, "POST", "/api/v1/lookback-checks/", body | {"item": w.issued2.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "item"
    assert _send(client_for("liaison1"), "POST", "/api/v1/lookback-checks/", body).status_code == 403
    listed = _send(client_for("liaison1"), "GET", f"/api/v1/lookback-checks/?inspection={w.lb.pk}").json()
    assert [c["verdict"] for c in listed["items"]] == ["relapsed"]
    assert _send(member, "GET", "/api/v1/lookback-checks/?verdict=genuine").json()["items"] == []
    check_id = created.json()["id"]
    assert _send(client_for("t2_member"), "GET", f"/api/v1/lookback-checks/{check_id}").status_code == 404
    focus = category(SchemeKind.FOCUS, "2.4").pk
    followed = _send(member, "POST", f"/api/v1/lookback-checks/{check_id}/follow-up", {"focus": focus})
    assert followed.status_code == 200 and followed.json()["finding_id"]
    again = _send(member, "POST", f"/api/v1/lookback-checks/{check_id}/follow-up", {})
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "finding"
    # The team's new finding is not the unit's to read.
    liaison = _send(client_for("liaison1"), "GET", f"/api/v1/lookback-checks/{check_id}").json()
    assert liaison["finding_id"] is None and liaison["verdict"] == "relapsed"


def test_the_liaison_never_reads_a_check_on_the_principal_leaders_problem(w: SimpleNamespace) -> None:
    plan = approved_plan(w)
    principal_task = plans.add_task(plan, task(w, w.problem_p), by=w.users["office"])
    check = _check(w, principal_task)
    assert not LookbackCheck.objects.visible_to(w.users["liaison1"]).filter(pk=check.pk).exists()
    assert LookbackCheck.objects.visible_to(w.users["office"]).filter(pk=check.pk).exists()
