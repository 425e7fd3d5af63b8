"""What the unit tells the team: the liaison reports meetings, events, public-opinion incidents and
emergencies; the team attends (列席, an activity is recorded) or notes them. Scope, refusals, audit, the
pages, the home panel and the API."""

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
from xuncha.fieldwork.actions.notices import NoticeInput, attend_notice, note_notice, report_notice
from xuncha.fieldwork.choices import ActivityKind
from xuncha.fieldwork.models import Activity, NoticeKind, UnitNotice, UnitNoticeStatus
from xuncha.rounds.choices import Stage
from xuncha.rounds.models import Inspection, TeamMember

from .test_checks import liaison_of_unit2


def tomorrow(hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting(world: SimpleNamespace, **overrides: object) -> UnitNotice:
    values: dict[str, object] = {
        "kind": NoticeKind.MEETING,
        "subject": "党组（扩大）会议研究年度预算调整",
        "starts_at": tomorrow(),
        "place": "市财政局五楼会议室",
        "details": "议题：2026年预算调整方案。",
    }
    values.update(overrides)
    return report_notice(world.inspection1, data=NoticeInput(**values), by=world.users["liaison1"])  # type: ignore[arg-type]


def test_the_liaison_reports_a_meeting_and_the_team_is_told(world: SimpleNamespace) -> None:
    notice = meeting(world)
    assert notice.status == UnitNoticeStatus.REPORTED and notice.details.startswith("议题")
    raw = UnitNotice.objects.filter(pk=notice.pk).values_list("details", flat=True).get()
    assert "议题" not in raw  # encrypted
    told = set(
        Notification.objects.filter(link__contains=str(notice.pk)).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"t1_leader", "t1_member"}
    event = AuditEvent.objects.get(action="unit_notice.reported")
    assert event.actor_name == "liaison1" and event.details["kind"] == "meeting"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"subject": " "}, "subject"),
        ({"starts_at": None}, "starts_at"),
        ({"place": ""}, "place"),
        ({"kind": NoticeKind.OPINION, "details": ""}, "details"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_saved(world, overrides, field) -> None:
    with pytest.raises(Refused) as refused:
        meeting(world, **overrides)
    assert refused.value.field == field
    assert not UnitNotice.objects.exists()


def test_an_opinion_incident_needs_no_time_or_place(world: SimpleNamespace) -> None:
    notice = meeting(
        world,
        kind=NoticeKind.OPINION,
        subject="网传我局违规发放补贴",
        starts_at=None,
        place="",
        details="某论坛帖子，阅读量约2万。",
    )
    assert notice.kind == NoticeKind.OPINION and not notice.attendable


def test_only_the_unit_s_liaison_reports_and_only_while_the_team_is_there(world: SimpleNamespace) -> None:
    data = NoticeInput(kind=NoticeKind.EMERGENCY, subject="办公楼停电", details="全楼停电两小时。")
    for persona in ("t1_member", "office"):
        with pytest.raises(NotAllowed):
            report_notice(world.inspection1, data=data, by=world.users[persona])
    with pytest.raises(NotAllowed):
        report_notice(world.inspection2, data=data, by=world.users["liaison1"])  # another unit
    Inspection.objects.filter(pk=world.inspection1.pk).update(stage=Stage.REPORTING)
    world.inspection1.refresh_from_db()
    with pytest.raises(Refused, match="进驻"):
        report_notice(world.inspection1, data=data, by=world.users["liaison1"])


def test_the_team_attends_a_meeting_recorded_as_an_activity(world: SimpleNamespace) -> None:
    notice = meeting(world)
    members = list(TeamMember.objects.filter(team=world.team1))
    attend_notice(notice, members=members, remark="组长带一名组员列席。", by=world.users["t1_leader"])
    notice.refresh_from_db()
    activity = Activity.objects.get(pk=notice.activity_id)
    assert notice.status == UnitNoticeStatus.ATTENDED and notice.handled_by == world.users["t1_leader"]
    assert activity.kind == ActivityKind.MEETING and activity.inspection == world.inspection1
    assert activity.title == notice.subject and activity.starts_at == notice.starts_at
    assert activity.place == notice.place and activity.members.count() == 2
    assert AuditEvent.objects.filter(action="activity.created", object_id=str(activity.pk)).exists()
    assert AuditEvent.objects.get(action="unit_notice.attended").details["activity"] == str(activity.pk)
    with pytest.raises(Refused, match="已处理"):
        note_notice(notice, remark="再阅", by=world.users["t1_member"])


def test_attending_refusals(world: SimpleNamespace) -> None:
    opinion = meeting(world, kind=NoticeKind.OPINION, starts_at=None, place="", details="帖子")
    with pytest.raises(Refused, match="只有会议和活动"):
        attend_notice(opinion, by=world.users["t1_member"])
    notice = meeting(world)
    for persona in ("liaison1", "office", "t2_member"):
        with pytest.raises(NotAllowed):
            attend_notice(notice, by=world.users[persona])
    other = TeamMember.objects.filter(team=world.team2)
    with pytest.raises(Refused, match="本巡察组成员"):
        attend_notice(notice, members=list(other), by=world.users["t1_member"])
    notice.refresh_from_db()
    assert notice.status == UnitNoticeStatus.REPORTED and not Activity.objects.exists()


def test_the_team_notes_an_incident_with_a_remark(world: SimpleNamespace) -> None:
    notice = meeting(world, kind=NoticeKind.OPINION, starts_at=None, place="", details="帖子")
    with pytest.raises(Refused):
        note_notice(notice, remark=" ", by=world.users["t1_member"])
    note_notice(notice, remark="请单位按规定处置并报告进展。", by=world.users["t1_member"])
    notice.refresh_from_db()
    assert notice.status == UnitNoticeStatus.NOTED and notice.remark.startswith("请单位")


def test_scope_of_the_pages(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    notice = meeting(world)
    detail = f"/fieldwork/notices/{notice.pk}/"
    listing = f"/fieldwork/notices/inspections/{world.inspection1.pk}/"
    for persona in ("liaison1", "t1_leader", "t1_member", "office"):
        assert client_for(persona).get(detail).status_code == 200
        assert client_for(persona).get(listing).status_code == 200
    for persona in ("t2_member", "leader", "jiwei", "county_office"):
        assert client_for(persona).get(detail).status_code == 404
        assert client_for(persona).get(listing).status_code == 404
    assert liaison_of_unit2(world).get(detail).status_code == 404
    # The team reading the details is recorded; the liaison who wrote them is not.
    assert AuditEvent.objects.filter(action="unit_notice.viewed").count() == 3
    assert client_for("office").get(f"{detail}attend/").status_code == 403
    assert client_for("liaison1").post(f"{detail}note/", {"remark": "x"}).status_code == 403


def test_the_pages_from_report_to_attendance(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    liaison = client_for("liaison1")
    new = f"/fieldwork/notices/inspections/{world.inspection1.pk}/new/"
    assert "向巡察组报告重要事项" in liaison.get(new).content.decode()
    refused = liaison.post(new, {"kind": "meeting", "subject": "党组会", "place": "会议室"})
    assert refused.status_code == 200 and "会议和活动请填写时间" in refused.content.decode()
    answer = liaison.post(
        new,
        {"kind": "meeting", "subject": "党组会", "starts_at": "2030-05-01T09:30", "place": "会议室"},
    )
    notice = UnitNotice.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/fieldwork/notices/{notice.pk}/"
    home = client_for("t1_leader").get("/").content.decode()
    assert "被巡察单位报告事项" in home and "党组会" in home
    assert "报告事项" in liaison.get("/").content.decode()
    member = TeamMember.objects.get(team=world.team1, role="leader")
    leader = client_for("t1_leader")
    done = leader.post(f"/fieldwork/notices/{notice.pk}/attend/", {"members": [member.pk], "remark": ""})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.status == UnitNoticeStatus.ATTENDED
    page = leader.get(f"/fieldwork/notices/{notice.pk}/").content.decode()
    assert f"/fieldwork/activities/{notice.activity_id}/" in page
    assert "党组会" not in client_for("t1_leader").get("/").content.decode()


def test_the_api(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    liaison = client_for("liaison1")
    body = {
        "inspection": world.inspection1.pk,
        "kind": "event",
        "subject": "开展“送温暖”走访慰问活动",
        "starts_at": "2030-05-01T09:00",
        "place": "各社区",
    }
    created = liaison.post("/api/v1/unit-notices/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    notice_id = created.json()["id"]
    bad = liaison.post("/api/v1/unit-notices/", {**body, "place": ""}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "place"
    other = {**body, "inspection": world.inspection2.pk}
    assert liaison.post("/api/v1/unit-notices/", other, content_type="application/json").status_code == 422
    member = client_for("t1_member")
    assert member.post("/api/v1/unit-notices/", body, content_type="application/json").status_code == 403
    listed = member.get(f"/api/v1/unit-notices/?inspection={world.inspection1.pk}&status=reported").json()
    assert listed["count"] == 1 and listed["items"][0]["kind_label"] == "重大活动"
    assert client_for("t2_member").get(f"/api/v1/unit-notices/{notice_id}").status_code == 404
    assert client_for("t2_member").get("/api/v1/unit-notices/").json()["count"] == 0
    attended = member.post(
        f"/api/v1/unit-notices/{notice_id}/attend", {"members": []}, content_type="application/json"
    )
    assert attended.status_code == 200 and attended.json()["status"] == "attended"
    assert attended.json()["activity_id"]
    again = member.post(
        f"/api/v1/unit-notices/{notice_id}/note", {"remark": "阅"}, content_type="application/json"
    )
    assert again.status_code == 422


def test_the_fieldwork_page_shows_the_reports_block(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    notice = meeting(world)
    meeting(world, kind=NoticeKind.EMERGENCY, subject="办公楼停电", starts_at=None, place="", details="停电")
    attend_notice(notice, by=world.users["t1_leader"])
    page = f"/fieldwork/inspections/{world.inspection1.pk}/"
    expected = (
        "单位已报告 <strong>2</strong> 项，待巡察组处理 <strong>1</strong> 项，"
        "巡察组列席 <strong>1</strong> 项"
    )
    for persona in ("t1_member", "office", "liaison1"):
        assert expected in client_for(persona).get(page).content.decode(), persona
    new = f"/fieldwork/notices/inspections/{world.inspection1.pk}/new/"
    assert new in client_for("liaison1").get(page).content.decode()
    assert new not in client_for("t1_member").get(page).content.decode()


def test_the_list_page_and_api_list_cost_the_same_queries_whatever_the_rows(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    urls = (f"/fieldwork/notices/inspections/{world.inspection1.pk}/", "/api/v1/unit-notices/", "/")

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert member.get(url).status_code == 200
            found.append(len(queries))
        return found

    meeting(world)
    before = counts()
    for n in range(3):
        meeting(world, subject=f"党组会议{n}")
    assert counts() == before
