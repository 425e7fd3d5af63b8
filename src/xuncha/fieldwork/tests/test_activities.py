"""Activities (the other working methods): recording, listing with filters, editing, deleting with
confirmation, special checks by the right department, encrypted notes, audited downloads, bad input, scope,
and the API."""

import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from xuncha.core.errors import Refused
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.fieldwork.actions.activities import (
    ActivityInput,
    create_activity,
    delete_activity,
    update_activity,
)
from xuncha.fieldwork.choices import ActivityKind, SpecialCheckTopic
from xuncha.fieldwork.models import Activity, ActivityAttachment
from xuncha.orgs.actions import create_department
from xuncha.orgs.choices import DepartmentKind
from xuncha.rounds.models import TeamMember

from .test_checks import liaison_of_unit2

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTES = "局党组书记汇报了2025年度工作情况，对“三重一大”决策执行情况说明不清。"


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def briefing(world: SimpleNamespace, *, days: int = -3, **overrides: object) -> Activity:
    values: dict[str, object] = {
        "kind": ActivityKind.BRIEFING,
        "title": "听取局党组工作汇报",
        "starts_at": at(days),
        "ends_at": at(days, 11),
        "place": "市财政局三楼会议室",
        "members": list(TeamMember.objects.filter(team=world.team1)),
        "other_participants": "局党组全体成员",
        "notes": NOTES,
    }
    values.update(overrides)
    return create_activity(world.inspection1, data=ActivityInput(**values), by=world.users["t1_member"])  # type: ignore[arg-type]


def test_an_activity_is_recorded_with_encrypted_notes_and_sealed_files(world: SimpleNamespace) -> None:
    activity = create_activity(
        world.inspection1,
        data=ActivityInput(
            kind=ActivityKind.SYMPOSIUM, title="中层干部座谈会", starts_at=at(-1), place="会议室", notes=NOTES
        ),
        uploads=[Upload(name="座谈会记录.pdf", data=PDF)],
        by=world.users["t1_leader"],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM fieldwork_activity")
        (stored,) = cursor.fetchone()
    assert stored.startswith("x1:") and "三重一大" not in stored
    attachment = ActivityAttachment.objects.get(activity=activity)
    assert attachment.read() == PDF and attachment.filename == "座谈会记录.pdf"
    event = AuditEvent.objects.filter(action="activity.created").latest("seq")
    assert event.details["changes"]["notes"] == [None, "***"] and event.details["attachments"] == 1


def test_a_special_check_is_carried_out_by_the_matching_department(world: SimpleNamespace) -> None:
    special = {"kind": ActivityKind.SPECIAL_CHECK, "topic": SpecialCheckTopic.SELECTION}
    activity = briefing(world, **special, department=world.zuzhibu_dept)
    assert (activity.topic, activity.department) == (SpecialCheckTopic.SELECTION, world.zuzhibu_dept)
    for overrides, field in (
        ({"department": world.zuzhibu_dept}, "topic"),  # no topic
        ({"topic": SpecialCheckTopic.SELECTION}, "department"),  # no department
        ({"topic": SpecialCheckTopic.IDEOLOGY, "department": world.zuzhibu_dept}, "department"),
        ({"topic": SpecialCheckTopic.SELECTION, "department": world.jiwei_dept}, "department"),
    ):
        with pytest.raises(Refused) as refused:
            briefing(world, kind=ActivityKind.SPECIAL_CHECK, **overrides)
        assert refused.value.field == field
    county_zuzhibu = create_department(
        committee=world.county_a, name="东安县委组织部", kind=DepartmentKind.ZUZHIBU, by=None
    )
    with pytest.raises(Refused, match="本级党委的组织部"):
        briefing(world, **special, department=county_zuzhibu)
    # Another kind keeps neither topic nor department.
    plain = briefing(world, topic=SpecialCheckTopic.SELECTION, department=world.zuzhibu_dept)
    assert (plain.topic, plain.department) == ("", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "parade"}, "kind"),
        ({"title": " \u200b\u200d "}, "title"),
        ({"title": "汇" * 201}, "title"),
        ({"starts_at": None}, "starts_at"),
        ({"ends_at": at(-5)}, "ends_at"),
        ({"place": ""}, "place"),
        ({"notes": "记" * 20001}, "notes"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    world: SimpleNamespace, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(Refused) as refused:
        briefing(world, **overrides)
    assert refused.value.field == field
    assert not Activity.objects.exists()


def test_members_of_another_team_are_refused(world: SimpleNamespace) -> None:
    with pytest.raises(Refused) as refused:
        briefing(world, members=list(TeamMember.objects.filter(team=world.team2)))
    assert refused.value.field == "members"


def test_odd_unicode_is_cleaned(world: SimpleNamespace) -> None:
    activity = briefing(world, title="听取\u200b汇报\u202e😀")
    assert activity.title == "听取汇报😀"


def test_only_the_team_writes(world: SimpleNamespace) -> None:
    activity = briefing(world)
    for persona in ("office", "leader", "t2_member", "liaison1"):
        with pytest.raises(NotAllowed):
            delete_activity(activity, by=world.users[persona])
        with pytest.raises(NotAllowed):
            update_activity(
                activity,
                data=ActivityInput(kind="other", title="x", starts_at=at(0), place="x"),
                by=world.users[persona],
            )
    assert Activity.objects.filter(pk=activity.pk).exists()


# Pages ---------------------------------------------------------------------------------------------


def _form(world: SimpleNamespace, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "meeting",
        "title": "列席局党组会议",
        "starts_at": "2026-05-06T09:30",
        "ends_at": "2026-05-06T11:30",
        "place": "局党组会议室",
        "members": [m.pk for m in TeamMember.objects.filter(team=world.team1)],
        "other_participants": "局办公室主任",
        "notes": "会议研究了<script>alert(1)</script>专项资金分配。",
    }
    data.update(overrides)
    return data


def test_record_list_edit_and_delete_through_the_pages(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    base = f"/fieldwork/activities/inspections/{world.inspection1.pk}/"
    assert member.get(f"{base}new/").status_code == 200
    data = _form(world, attachments=[SimpleUploadedFile("会议纪要.pdf", PDF)])
    response = member.post(f"{base}new/", data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/fieldwork/activities/{activity.pk}/"
    page = member.get(f"/fieldwork/activities/{activity.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert AuditEvent.objects.filter(action="activity.viewed", object_id=str(activity.pk)).exists()

    briefing(world, days=-20)
    listing = member.get(f"{base}?kind=meeting").content.decode()
    assert "列席局党组会议" in listing and "听取局党组工作汇报" not in listing
    dated = member.get(f"{base}?since=2026-05-06&until=2026-05-06").content.decode()
    assert "列席局党组会议" in dated and "听取局党组工作汇报" not in dated
    bad = member.get(f"{base}?since=2026-13-01&until=x").content.decode()
    assert "请输入有效的日期，例如 2026-05-01。" in bad
    backwards = member.get(f"{base}?since=2026-05-07&until=2026-05-06").content.decode()
    assert "截止日期不能早于起始日期。" in backwards

    attachment = ActivityAttachment.objects.get(activity=activity)
    download = client_for("office").get(f"/fieldwork/activities/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert AuditEvent.objects.filter(
        action="activity_attachment.downloaded", object_id=str(attachment.pk)
    ).exists()

    edit = member.post(
        f"/fieldwork/activities/{activity.pk}/edit/", _form(world, title="列席局党组（扩大）会议")
    )
    assert edit.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "列席局党组（扩大）会议"
    assert (
        "列席局党组（扩大）会议" in member.get(f"/fieldwork/activities/{activity.pk}/edit/").content.decode()
    )

    confirm = member.get(f"/fieldwork/activities/{activity.pk}/delete/")
    assert confirm.status_code == 200 and "确认删除" in confirm.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert member.post(f"/fieldwork/activities/{activity.pk}/delete/").status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityAttachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEvent.objects.filter(action="activity.deleted", object_id=str(activity.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "请填写事项。"),
        ({"starts_at": "2026-02-30T09:00"}, "请输入有效的日期和时间，例如 2026-05-01 09:30。"),
        ({"ends_at": "2026-05-06T08:00"}, "结束时间不能早于开始时间。"),
        ({"kind": "special_check", "topic": "selection", "department": ""}, "请选择开展专项检查的部门。"),
        ({"kind": "nonsense"}, "请选择工作方式。"),
        ({"members": ["999999"]}, "参加人员须为本巡察组成员。"),
        ({"attachments": [SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03")]}, "文件类型不允许"),
    ],
)
def test_bad_form_input_is_shown_and_nothing_saved(
    world: SimpleNamespace, client_for: Callable[[str], Client], overrides: dict[str, object], message: str
) -> None:
    response = client_for("t1_member").post(
        f"/fieldwork/activities/inspections/{world.inspection1.pk}/new/", _form(world, **overrides)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Activity.objects.exists() and not ActivityAttachment.objects.exists()


def test_who_sees_activities(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    activity = create_activity(
        world.inspection1,
        data=ActivityInput(kind="inquiry", title="向知情人询问", starts_at=at(-1), place="驻地"),
        uploads=[Upload(name="询问笔录.pdf", data=PDF)],
        by=world.users["t1_member"],
    )
    attachment = activity.attachments.get()
    paths = [
        f"/fieldwork/activities/inspections/{world.inspection1.pk}/",
        f"/fieldwork/activities/{activity.pk}/",
        f"/fieldwork/activities/attachments/{attachment.pk}/",
    ]
    for persona, status in (
        ("t1_leader", 200),
        ("office", 200),
        ("liaison1", 404),
        ("leader", 404),
        ("t2_member", 404),
    ):
        client = client_for(persona)
        assert [client.get(p).status_code for p in paths] == [status] * 3, persona
    other = liaison_of_unit2(world)
    assert [other.get(p).status_code for p in paths] == [404] * 3
    office = client_for("office")
    assert office.get(f"/fieldwork/activities/{activity.pk}/edit/").status_code == 403
    assert office.post(f"/fieldwork/activities/{activity.pk}/delete/").status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


# API -----------------------------------------------------------------------------------------------


def test_the_api_records_lists_updates_and_deletes(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    member = client_for("t1_member")
    json = "application/json"
    body = {
        "inspection": world.inspection1.pk,
        "kind": "special_check",
        "topic": "selection",
        "department": world.zuzhibu_dept.pk,
        "title": "选人用人专项检查",
        "starts_at": "2026-05-08T09:00:00+08:00",
        "place": "市财政局",
        "members": [m.pk for m in TeamMember.objects.filter(team=world.team1)],
        "notes": "抽查干部档案 20 卷。",
    }
    created = member.post("/api/v1/activities/", body, content_type=json)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["department_id"] == world.zuzhibu_dept.pk
    listed = (
        client_for("office")
        .get(
            f"/api/v1/activities/?inspection={world.inspection1.pk}&kind=special_check&since=2026-05-08&until=2026-05-08"
        )
        .json()
    )
    assert listed["count"] == 1 and "notes" not in listed["items"][0]
    assert client_for("office").get("/api/v1/activities/?since=2026-05-09").json()["count"] == 0
    detail = client_for("office").get(f"/api/v1/activities/{pk}").json()
    assert detail["notes"] == "抽查干部档案 20 卷。"
    update = {k: v for k, v in body.items() if k != "inspection"} | {"kind": "other", "title": "调阅干部档案"}
    updated = member.put(f"/api/v1/activities/{pk}", update, content_type=json)
    assert updated.status_code == 200 and updated.json()["department_id"] is None
    assert client_for("office").put(f"/api/v1/activities/{pk}", update, content_type=json).status_code == 403
    for persona in ("t2_member", "liaison1", "leader"):
        assert client_for(persona).get(f"/api/v1/activities/{pk}").status_code == 404
        assert client_for(persona).delete(f"/api/v1/activities/{pk}").status_code == 404
    assert member.delete(f"/api/v1/activities/{pk}").status_code == 204
    assert not Activity.objects.exists()


def test_the_api_refuses_bad_input(world: SimpleNamespace, client_for: Callable[[str], Client]) -> None:
    member = client_for("t1_member")
    good = {
        "inspection": world.inspection1.pk,
        "kind": "briefing",
        "title": "汇报",
        "starts_at": "2026-05-08T09:00:00",
        "place": "会议室",
    }
    for change, field in (
        ({"inspection": world.inspection2.pk}, "inspection"),
        ({"kind": "x"}, "kind"),
        ({"title": ""}, "title"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"members": [999999]}, "members"),
        ({"kind": "special_check", "topic": "ideology", "department": world.jiwei_dept.pk}, "department"),
    ):
        response = member.post("/api/v1/activities/", good | change, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == field, change
    assert not Activity.objects.exists()


def test_the_edit_page_shows_the_notes_as_an_audited_read(
    world: SimpleNamespace, client_for: Callable[[str], Client]
) -> None:
    activity = briefing(world)
    page = client_for("t1_member").get(f"/fieldwork/activities/{activity.pk}/edit/").content.decode()
    assert activity.notes and activity.notes in page
    assert AuditEvent.objects.filter(action="activity.viewed", object_id=str(activity.pk)).count() == 1
