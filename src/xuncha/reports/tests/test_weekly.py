"""The work log and the weekly reports: who may write, submit and acknowledge (and who gets 404), the
refusals, the audit events, the figures kept at submission, the late weeks (overview, home panel, API,
reminders), the Excel summary of a round, and the API calling the same actions."""

import datetime
import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent, Notification
from xuncha.core.permissions import NotAllowed
from xuncha.core.reminders import send_reminders
from xuncha.findings.tests.support import petition, set_stage
from xuncha.rounds.choices import Stage

from .. import weekly
from ..choices import WeeklyStatus
from ..models import WeeklyReport, WorkLogEntry

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    """inspection1 stationed three weeks ago Monday (in 了解): two weeks are past due."""
    today = timezone.localdate()
    w = world
    w.today = today
    w.this_week = weekly.monday(today)
    w.last_week = w.this_week - datetime.timedelta(days=7)
    w.first_week = w.this_week - datetime.timedelta(days=14)
    set_stage(w.inspection1, Stage.FIELDWORK)
    type(w.inspection1).objects.filter(pk=w.inspection1.pk).update(stationed_on=w.first_week)
    w.inspection1.refresh_from_db()
    return w


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _start(w: SimpleNamespace, week: datetime.date, persona: str = "t1_member") -> WeeklyReport:
    return weekly.start_weekly_report(w.inspection1, week_start=week, by=w.users[persona])


def test_a_weekly_report_is_drafted_by_the_team_submitted_by_its_leader_and_acknowledged_by_the_office(
    w: SimpleNamespace,
) -> None:
    u = w.users
    report = _start(w, w.last_week + datetime.timedelta(days=3))
    assert report.week_start == w.last_week and report.status == WeeklyStatus.DRAFT
    assert report.counts["petitions_received"] == 0
    data = weekly.WeeklyInput(narrative="本周开展谈话。", problems="发现宴请问题。", next_plan="继续谈话。")
    weekly.update_weekly_report(report, data=data, by=u["t1_member"])
    with pytest.raises(NotAllowed):
        weekly.submit_weekly_report(report, by=u["t1_member"])
    with pytest.raises(NotAllowed):
        weekly.acknowledge_weekly_report(report, comment="", by=u["t1_leader"])  # refused before the status
    with pytest.raises(NotAllowed):
        weekly.update_weekly_report(report, data=data, by=u["office"])
    with pytest.raises(Refused, match="尚未报送"):
        weekly.acknowledge_weekly_report(report, comment="", by=u["office"])
    weekly.submit_weekly_report(report, by=u["t1_leader"])
    assert report.status == WeeklyStatus.SUBMITTED and report.submitted_by == u["t1_leader"]
    assert report.is_late == (w.today > report.due_on)

    # The figures are kept as submitted: a petition of that week received later does not change them.
    late_petition = petition(w, w.inspection1, "t1_member", "反映李文华违规报销。")
    type(late_petition).objects.filter(pk=late_petition.pk).update(
        received_at=timezone.make_aware(datetime.datetime.combine(w.last_week, datetime.time(9)))
    )
    report.refresh_from_db()
    assert report.counts["petitions_received"] == 0
    with pytest.raises(Refused, match="不能再修改"):
        weekly.update_weekly_report(report, data=data, by=u["t1_member"])

    with pytest.raises(NotAllowed):
        weekly.acknowledge_weekly_report(report, comment="", by=u["leader"])
    weekly.acknowledge_weekly_report(report, comment="请加快谈话进度。", by=u["office"])
    assert report.status == WeeklyStatus.ACKNOWLEDGED and report.office_comment == "请加快谈话进度。"
    with pytest.raises(Refused, match="已经阅知"):
        weekly.acknowledge_weekly_report(report, comment="", by=u["office"])

    for action, actor in (
        ("weekly_report.created", "t1_member"),
        ("weekly_report.updated", "t1_member"),
        ("weekly_report.submitted", "t1_leader"),
        ("weekly_report.acknowledged", "office"),
    ):
        (event,) = _events(action)
        assert event.actor == u[actor] and event.object_id == str(report.pk)
        assert event.committee_id == w.city.pk
    assert _events("weekly_report.submitted")[0].details["late"] == (w.today > report.due_on)
    assert _events("weekly_report.updated")[0].details["sections"] == ["narrative", "problems", "next_plan"]


def test_starting_a_weekly_report_is_refused_with_a_reason(w: SimpleNamespace) -> None:
    member = w.users["t1_member"]
    with pytest.raises(Refused, match="进驻之前"):
        _start(w, w.first_week - datetime.timedelta(days=1))
    with pytest.raises(Refused, match="尚未开始"):
        _start(w, w.this_week + datetime.timedelta(days=7))
    _start(w, w.last_week)
    with pytest.raises(Refused, match="已经起草"):
        _start(w, w.last_week + datetime.timedelta(days=6))
    with pytest.raises(NotAllowed):
        _start(w, w.this_week, persona="office")
    with pytest.raises(NotAllowed):
        weekly.start_weekly_report(w.inspection2, week_start=w.this_week, by=member)  # another team's
    set_stage(w.inspection1, Stage.ARCHIVED)
    with pytest.raises(Refused, match="进驻和了解阶段"):
        _start(w, w.this_week)
    with pytest.raises(Refused, match="已归档"):
        weekly.add_worklog_entry(w.inspection1, on_date=w.today, content="谈话", by=member)
    assert WeeklyReport.objects.count() == 1


def test_the_work_log_is_kept_by_the_team_and_read_by_the_office_not_by_the_liaison(
    w: SimpleNamespace, client_for: ClientFor
) -> None:
    url = f"/reports/weekly/inspections/{w.inspection1.pk}/worklog/"
    member = client_for("t1_member")
    response = member.post(url, {"on_date": w.today.isoformat(), "content": "与张建国个别谈话。"})
    assert response.status_code == 302
    (entry,) = WorkLogEntry.objects.all()
    assert entry.by == w.users["t1_member"] and entry.content == "与张建国个别谈话。"
    (event,) = _events("worklog.added")
    assert event.actor == w.users["t1_member"] and event.details["on_date"] == w.today.isoformat()
    future = (w.today + datetime.timedelta(days=1)).isoformat()
    response = member.post(url, {"on_date": future, "content": "明天的事"})
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    weekly.add_worklog_entry(
        w.inspection1, on_date=w.first_week, content="进驻当周座谈。", by=w.users["t1_leader"]
    )

    page = client_for("office").get(url, {"since": w.today.isoformat()}).content.decode()
    assert "与张建国个别谈话" in page and "进驻当周座谈" not in page
    assert client_for("office").post(url, {"on_date": w.today.isoformat(), "content": "x"}).status_code == 403
    for persona in ("liaison1", "t2_member", "jiwei"):
        assert client_for(persona).get(url).status_code == 404
    api = f"/api/v1/work-log-entries/?inspection={w.inspection1.pk}&until={w.first_week.isoformat()}"
    items = client_for("leader").get(api).json()["items"]
    assert [item["content"] for item in items] == ["进驻当周座谈。"]
    assert client_for("liaison1").get(api).json()["count"] == 0
    body = {"inspection": w.inspection1.pk, "on_date": w.today.isoformat(), "content": "谈话"}
    assert _send(client_for("liaison1"), "POST", "/api/v1/work-log-entries/", body).status_code == 422
    assert _send(client_for("t2_member"), "POST", "/api/v1/work-log-entries/", body).status_code == 422
    assert _send(client_for("t1_member"), "POST", "/api/v1/work-log-entries/", body).status_code == 200


def test_another_team_and_the_liaison_get_404(w: SimpleNamespace, client_for: ClientFor) -> None:
    report = _start(w, w.last_week)
    pages = [
        f"/reports/weekly/{report.pk}/",
        f"/reports/weekly/{report.pk}/edit/",
        f"/reports/weekly/{report.pk}/submit/",
        f"/reports/weekly/{report.pk}/acknowledge/",
        f"/reports/weekly/inspections/{w.inspection1.pk}/",
        f"/api/v1/weekly-reports/{report.pk}",
    ]
    for persona in ("t2_member", "liaison1", "county_office"):
        client = client_for(persona)
        for url in pages:
            assert client.get(url).status_code == 404, (persona, url)
        assert _send(client, "POST", f"/api/v1/weekly-reports/{report.pk}/submit").status_code == 404
        assert client.get("/api/v1/weekly-reports/").json()["count"] == 0
    for persona in ("office", "leader", "t1_leader", "t1_member"):
        assert client_for(persona).get(f"/reports/weekly/{report.pk}/").status_code == 200
    assert client_for("office").get(f"/reports/weekly/{report.pk}/edit/").status_code == 403
    assert client_for("t1_member").get(f"/reports/weekly/{report.pk}/submit/").status_code == 403
    assert client_for("leader").get(f"/reports/weekly/{report.pk}/acknowledge/").status_code == 403


def test_the_pages_start_edit_submit_and_acknowledge(w: SimpleNamespace, client_for: ClientFor) -> None:
    member, leader, office = client_for("t1_member"), client_for("t1_leader"), client_for("office")
    base = f"/reports/weekly/inspections/{w.inspection1.pk}/"
    response = member.post(base, {"week_start": w.last_week.isoformat()})
    report = WeeklyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/weekly/{report.pk}/"
    assert "个别谈话（已谈话）" in member.get(f"/reports/weekly/{report.pk}/").content.decode()
    response = member.post(
        f"/reports/weekly/{report.pk}/edit/", {"narrative": "本周谈话3人。", "next_plan": "走访"}
    )
    assert response.status_code == 302
    assert leader.post(f"/reports/weekly/{report.pk}/submit/").status_code == 302
    assert office.post(f"/reports/weekly/{report.pk}/acknowledge/", {"comment": "已阅"}).status_code == 302
    report.refresh_from_db()
    assert report.status == WeeklyStatus.ACKNOWLEDGED and report.narrative == "本周谈话3人。"
    assert office.get(f"/reports/weekly/{report.pk}/edit/").status_code == 403
    assert member.get(f"/reports/weekly/{report.pk}/edit/").status_code == 302  # no longer a draft
    assert office.post(base, {"week_start": w.this_week.isoformat()}).status_code == 403


def test_the_api_calls_the_same_actions(w: SimpleNamespace, client_for: ClientFor) -> None:
    member, leader, office = client_for("t1_member"), client_for("t1_leader"), client_for("office")
    body = {"inspection": w.inspection1.pk, "week_start": w.last_week.isoformat()}
    created = _send(member, "POST", "/api/v1/weekly-reports/", body).json()
    assert created["status"] == "draft" and created["week_start"] == w.last_week.isoformat()
    assert created["figures"][0]["label"] == "个别谈话（已谈话）"
    again = _send(member, "POST", "/api/v1/weekly-reports/", body)
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "week_start"
    url = f"/api/v1/weekly-reports/{created['id']}"
    patched = _send(member, "PATCH", url, {"next_plan": "继续谈话", "status": "acknowledged", "counts": {}})
    assert patched.json()["status"] == "draft" and patched.json()["next_plan"] == "继续谈话"
    assert patched.json()["counts"]["interviews_held"] == 0
    assert _send(member, "POST", f"{url}/submit").status_code == 403
    assert _send(leader, "POST", f"{url}/submit").json()["status"] == "submitted"
    assert _send(leader, "POST", f"{url}/acknowledge", {}).status_code == 403
    acknowledged = _send(office, "POST", f"{url}/acknowledge", {"comment": "已阅"}).json()
    assert acknowledged["status"] == "acknowledged" and acknowledged["office_comment"] == "已阅"
    listed = office.get(f"/api/v1/weekly-reports/?round={w.round.pk}&status=acknowledged").json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    assert len(_events("weekly_report.submitted")) == 1


def test_the_office_sees_which_teams_are_late(w: SimpleNamespace, client_for: ClientFor) -> None:
    office = client_for("office")
    first = w.first_week.isoformat()
    late = office.get("/api/v1/weekly-reports/late").json()["items"]
    assert [(i["inspection_id"], i["week_start"]) for i in late] == [
        (w.inspection1.pk, first),
        (w.inspection1.pk, w.last_week.isoformat()),
    ][: len(late)]
    assert late[0]["week_start"] == first and late[0]["report_id"] is None
    page = office.get("/reports/weekly/").content.decode()
    assert "逾期未报" in page and "第一巡察组" in page
    home = office.get("/").content.decode()
    assert "逾期未报周报" in home
    assert "待报送周报" in client_for("t1_leader").get("/").content.decode()
    assert client_for("t2_member").get("/api/v1/weekly-reports/late").json()["count"] == 0

    # Reminders: the team leader is told, the office and leading group are escalated to.
    keys = {d.key for d in weekly.deadlines(w.today)}
    assert f"weekly-report:{w.inspection1.pk}:{first}" in keys
    send_reminders(w.today)
    key = f"weekly-report:{w.inspection1.pk}:{first}:{weekly.due_on(w.first_week).isoformat()}"
    told = set(Notification.objects.filter(key__startswith=key).values_list("recipient__username", "key"))
    assert ("t1_leader", f"{key}:overdue") in told
    assert ("office", f"{key}:escalation") in told and ("leader", f"{key}:escalation") in told

    # Submitted late: no longer missing, marked as late.
    report = _start(w, w.first_week)
    weekly.update_weekly_report(report, data=weekly.WeeklyInput(narrative="进驻。"), by=w.users["t1_member"])
    weekly.submit_weekly_report(report, by=w.users["t1_leader"])
    assert report.is_late and _events("weekly_report.submitted")[0].details["late"] is True
    # Its reminders ask nothing any more (those of the other late week still do).
    reminders = Notification.objects.filter(key__startswith=f"weekly-report:{w.inspection1.pk}:")
    handled = {n.key.split(":")[2] for n in reminders.filter(handled_at__isnull=False)}
    assert handled == {first}
    assert not Notification.objects.visible_to(w.users["t1_leader"]).unread().filter(key__startswith=key)
    weeks = [i["week_start"] for i in office.get("/api/v1/weekly-reports/late").json()["items"]]
    assert first not in weeks
    assert first not in {d.key.rsplit(":", 1)[1] for d in weekly.deadlines(w.today)}
    assert "逾期报送" in office.get(f"/reports/weekly/inspections/{w.inspection1.pk}/").content.decode()


def test_the_round_summary_is_a_watermarked_audited_excel(w: SimpleNamespace, client_for: ClientFor) -> None:
    report = _start(w, w.last_week)
    weekly.update_weekly_report(
        report, data=weekly.WeeklyInput(narrative="=SUM(A1)", next_plan="走访"), by=w.users["t1_member"]
    )
    weekly.submit_weekly_report(report, by=w.users["t1_leader"])
    url = f"/reports/weekly/rounds/{w.round.pk}/export/"
    response = client_for("office").get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    assert "导出人：office" in str(sheet["A1"].value)
    assert sheet["A3"].value == "第一巡察组" and sheet["J3"].value == "=SUM(A1)"  # text, never a formula
    assert "个别谈话" in str(sheet["I3"].value)
    (event,) = _events("weekly_report.exported")
    assert event.actor == w.users["office"] and event.details == {"rows": 1}
    assert event.object_id == str(w.round.pk)
    for persona in ("t1_leader", "liaison1", "county_office"):
        assert client_for(persona).get(url).status_code == 404
    assert client_for("leader").get(url).status_code == 200
