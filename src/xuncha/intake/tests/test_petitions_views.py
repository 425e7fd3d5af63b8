"""The petition pages: list filters and Chinese search, pagination, bad dates; a petition with the other
areas' panels and its audited attachments; staff entry by every channel and by box opening, with refusals
on the form and nothing half-saved; concluding; the home panel and the links from the inspection page;
and the canary: a reporter's name that no page, export, search or API response of any persona shows."""

import datetime
import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.intake.actions.duplicates import confirm_duplicates
from xuncha.intake.actions.petitions import PetitionInput, open_box, register_petition
from xuncha.intake.choices import Status
from xuncha.intake.forms.petitions import in_duty_hours
from xuncha.intake.models import Announcement, BoxOpening, DuplicateGroup, Petition
from xuncha.intake.views import petitions as petition_views
from xuncha.taxonomy.models import Category

from .conftest import announce, letter

CANARY = "欧阳金丝雀"
LIST = "/intake/petitions/"
OUTSIDERS = ("t2_member", "liaison1", "county_office")


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _without_csrf(content: bytes) -> str:
    """A page without its per-request CSRF tokens."""
    text = re.sub(r'"X-CSRFToken": "[^"]*"', "", content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _detail(petition) -> str:
    return reverse("intake:petition-detail", args=[petition.pk])


def _set(petition, **fields) -> None:
    """Triage outcomes set directly: the triage actions are another area's, tested there."""
    persons = fields.pop("persons", [])
    with action_scope("test.set"):
        Petition.objects.filter(pk=petition.pk).update(**fields)
        petition.persons.add(*persons)
        record("test.set", None, by=None)


def _numbers(response) -> list[str]:
    return [p.number for p in response.context["page_obj"]]


# The list ---------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_petitions_newest_first_and_nothing_of_other_scopes(world, client_for):
    now = timezone.now()
    older = letter(world, "反映甲", received_at=now - datetime.timedelta(days=2))
    newer = letter(world, "反映乙", received_at=now - datetime.timedelta(days=1))
    about_us = letter(world, "反映巡察组成员接受宴请", about_inspectors=True)

    response = client_for("t1_member").get(LIST)
    assert response.status_code == 200
    assert _numbers(response) == [newer.number, older.number]
    assert _numbers(client_for("office").get(LIST)) == [about_us.number, newer.number, older.number]
    for persona in (*OUTSIDERS, "leader", "jiwei", "outsider"):
        assert _numbers(client_for(persona).get(LIST)) == [], persona


@pytest.fixture
def spread(world):
    """Petitions that differ in every filtered field."""
    now = timezone.now()
    discipline = Category.objects.filter(scheme__kind="discipline", scheme__is_default=True).first()
    focus_item = Category.objects.filter(
        scheme__kind="focus", scheme__is_default=True, parent__isnull=False
    ).first()
    member = world.users["t1_member"]
    p = {
        "letter": letter(
            world, "市财政局张局长违规报销招待费", received_at=now - datetime.timedelta(days=10)
        ),
        "phone": register_petition(
            world.inspection1,
            data=PetitionInput(content="来电反映李副局长收受礼金", channel="phone", in_duty_hours=True),
            by=member,
        ),
        "visit": register_petition(
            world.inspection1,
            data=PetitionInput(content="来访反映会计科账目混乱", channel="visit"),
            by=member,
        ),
    }
    _set(
        p["letter"],
        status=Status.ACCEPTED,
        scope="in",
        discipline=discipline,
        important=True,
        persons=[world.principal1],
    )
    _set(p["phone"], status=Status.ACCEPTED, scope="in", focus=focus_item, persons=[world.deputy1])
    _set(p["visit"], status=Status.TRANSFERRED, scope="out")
    p["discipline"], p["focus_item"] = discipline, focus_item
    return p


def _filtered(client, query: str) -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return set(_numbers(response))


def test_every_filter_narrows_the_list(world, client_for, spread):
    client = client_for("t1_member")
    n = {key: p.number for key, p in spread.items() if isinstance(p, Petition)}
    today = timezone.localdate()
    cases = {
        f"inspection={world.inspection1.pk}": {n["letter"], n["phone"], n["visit"]},
        "channel=phone": {n["phone"]},
        "status=accepted": {n["letter"], n["phone"]},
        "scope=out": {n["visit"]},
        f"category={spread['discipline'].pk}": {n["letter"]},
        f"category={spread['focus_item'].pk}": {n["phone"]},
        # A 三个聚焦 item also finds what was filed under its sub-items.
        f"category={spread['focus_item'].parent_id}": {n["phone"]},
        f"person={world.deputy1.pk}": {n["phone"]},
        "important=on": {n["letter"]},
        f"received_from={today.isoformat()}": {n["phone"], n["visit"]},
        f"received_to={(today - datetime.timedelta(days=5)).isoformat()}": {n["letter"]},
        "status=accepted&channel=letter": {n["letter"]},
    }
    for query, expected in cases.items():
        assert _filtered(client, query) == expected, query


def test_choices_of_another_scope_are_refused_not_used(world, client_for, spread):
    """t2_member cannot filter by team1's inspection or unit1's people: a message, and an empty list."""
    client = client_for("t2_member")
    for query in (f"inspection={world.inspection1.pk}", f"person={world.principal1.pk}", "inspection=abc"):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert "不存在或无权查看" in response.content.decode(), query
        assert _numbers(response) == []


def test_search_finds_chinese_words(world, client_for, spread):
    client = client_for("t1_member")
    assert _filtered(client, f"q={quote('报销')}") == {spread["letter"].number}
    assert _filtered(client, f"q={quote('礼金 李副局长')}") == {spread["phone"].number}
    assert _filtered(client, f"q={quote('账目')}&channel=visit") == {spread["visit"].number}
    assert _filtered(client, f"q={quote('拆迁补偿')}") == set()
    assert _filtered(client_for("t2_member"), f"q={quote('报销')}") == set()


def test_the_list_pages_25_at_a_time_and_a_bad_page_is_no_error(world, client_for):
    for i in range(27):
        letter(world, f"第 {i} 件反映")
    client = client_for("t1_member")
    first = client.get(LIST)
    assert len(first.context["page_obj"]) == 25
    assert "第 1 / 2 页" in first.content.decode()
    assert len(client.get(f"{LIST}?page=2").context["page_obj"]) == 2
    for page in ("999", "abc", "-1"):
        assert client.get(f"{LIST}?page={page}").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("received_from=2026-13-45", "请输入有效的日期"),
        ("received_to=not-a-date", "请输入有效的日期"),
        ("received_from=0001-01-01", "日期超出范围"),
        ("received_from=9999-12-31&received_to=9999-12-31", "日期超出范围"),
        ("received_from=2026-05-02&received_to=2026-05-01", "截止日期不能早于起始日期"),
    ],
)
def test_bad_dates_get_a_chinese_message_not_an_error(world, client_for, query, message):
    letter(world, "反映问题")
    response = client_for("t1_member").get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["page_obj"]) == 1  # the bad date is left out, the rest still applies


def test_the_count_is_shown_in_items_and_in_distinct_matters(world, client_for):
    a, b, _ = letter(world, "同一问题一"), letter(world, "同一问题二"), letter(world, "另一问题")
    with action_scope("test.group"):
        group = DuplicateGroup.objects.create(committee=world.city, confirmed_by=world.users["office"])
        Petition.objects.filter(pk__in=[a.pk, b.pk]).update(duplicate_group=group)
        record("test.group", group, by=None)
    response = client_for("t1_member").get(LIST)
    page = response.content.decode()
    assert "共 <strong>3</strong> 件，涉及 <strong>2</strong> 个问题" in page
    assert f"重复件组 {group.pk}" in page


def test_the_list_takes_the_same_queries_for_few_or_many_petitions(world, client_for):
    client = client_for("t1_member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{LIST}?status=new").status_code == 200
        return len(captured)

    letter(world, "反映一", files=[Upload("a.txt", b"text")])
    few = queries()
    for i in range(20):
        letter(world, f"反映 {i}", subject_name="张建国")
    assert queries() == few


def test_the_list_shows_whether_named_never_who(world, client_for):
    letter(world, "实名反映", anonymous=False, reporter_name=CANARY, reporter_phone="13800138000")
    letter(world, "匿名反映")
    page = client_for("t1_member").get(LIST).content.decode()
    assert "实名" in page and "匿名" in page
    assert CANARY not in page and "13800138000" not in page


# One petition -----------------------------------------------------------------------------------------


def test_the_detail_shows_the_petition_escaped_and_the_areas_panels_in_order(world, client_for, monkeypatch):
    petition = letter(world, "<script>alert(1)</script>张局长\n违规报销", title="<b>标题</b>")
    for area in ("triage", "duplicates", "reveals", "transfers", "portal"):
        module = getattr(petition_views, area)
        monkeypatch.setattr(
            module, "panel", lambda request, p, area=area: f'<section id="panel-{area}"></section>'
        )
    response = client_for("t1_member").get(_detail(petition))
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;张局长<br>违规报销" in page
    assert "<script>alert(1)" not in page and "&lt;b&gt;标题&lt;/b&gt;" in page
    order = ("triage", "duplicates", "reveals", "transfers", "portal")
    positions = [page.index(f'<section id="panel-{area}">') for area in order]
    assert positions == sorted(positions)


def test_the_detail_is_the_missing_404_outside_the_scope(world, client_for):
    petition = letter(world, "反映问题")
    about_us = letter(world, "反映巡察组", about_inspectors=True)
    missing = reverse("intake:petition-detail", args=["00000000-0000-0000-0000-000000000000"])
    for persona in OUTSIDERS:
        client = client_for(persona)
        out_of_scope, absent = client.get(_detail(petition)), client.get(missing)
        assert out_of_scope.status_code == absent.status_code == 404, persona
        assert _without_csrf(out_of_scope.content) == _without_csrf(absent.content)
    assert client_for("t1_leader").get(_detail(about_us)).status_code == 404
    assert client_for("office").get(_detail(about_us)).status_code == 200


def test_an_attachment_is_downloaded_with_its_name_audited_and_only_in_scope(world, client_for):
    petition = letter(world, "反映问题", files=[Upload("报销单据说明.txt", "单据内容".encode())])
    attachment = petition.attachments.get()
    url = reverse("intake:attachment-download", args=[attachment.pk])
    page = client_for("t1_member").get(_detail(petition)).content.decode()
    assert url in page and "报销单据说明" not in page  # the name only comes with the download

    response = client_for("t1_member").get(url)
    assert response.status_code == 200
    assert response.content == "单据内容".encode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote("报销单据说明.txt") in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="attachment.downloaded")
    assert event.actor == world.users["t1_member"] and event.role == "team_member"
    assert event.details["petition_number"] == petition.number
    assert "报销单据说明" not in str(event.details) and "报销单据说明" not in event.object_repr

    for persona in OUTSIDERS:
        assert client_for(persona).get(url).status_code == 404, persona
    assert AuditEvent.objects.filter(action="attachment.downloaded").count() == 1


# Staff entry --------------------------------------------------------------------------------------------


def _new(world, inspection=None) -> str:
    return reverse("intake:petition-new", args=[(inspection or world.inspection1).pk])


@pytest.mark.parametrize(
    ("fields", "channel", "duty"),
    [
        ({"channel": "letter"}, "letter", None),
        ({"channel": "phone", "in_duty_hours": "0"}, "phone", False),
        ({"channel": "visit", "in_duty_hours": "1"}, "visit", None),  # the duty flag is for calls only
        ({"channel": "email"}, "email", None),
    ],
)
def test_entry_by_each_channel(world, client_for, fields, channel, duty):
    data = {"anonymous": "1", "content": "反映张局长违规报销", "subject_name": "张建国", **fields}
    response = client_for("t1_member").post(_new(world), data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(petition)
    assert petition.channel == channel and petition.in_duty_hours is duty
    assert petition.entered_by == world.users["t1_member"] and petition.subject_name == "张建国"
    assert f"已登记信访件 {petition.number}" in _messages(response)[0]


def test_a_named_entry_with_attachments_keeps_the_identity_encrypted(world, client_for):
    files = [
        SimpleUploadedFile("一.txt", "第一份材料".encode()),
        SimpleUploadedFile("二.pdf", b"%PDF-1.4 minimal"),
    ]
    data = {
        "channel": "letter",
        "received_at": (timezone.localtime() - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "anonymous": "0",
        "reporter_name": CANARY,
        "reporter_phone": "13800138000",
        "content": "反映问题",
        "attachments": files,
    }
    response = client_for("t1_member").post(_new(world), data)
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.reporter_name == CANARY and not petition.anonymous
    assert sorted(a.content_type for a in petition.attachments.all()) == ["application/pdf", "text/plain"]
    assert timezone.now() - petition.received_at > datetime.timedelta(hours=2)
    page = client_for("t1_member").get(_detail(petition)).content.decode()
    assert CANARY not in page and "13800138000" not in page and "实名" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"content": "  \u200b "}, "content", "请填写反映内容"),
        ({"content": "x" * 10_001}, "content", "反映内容过长"),
        ({"channel": "phone"}, "in_duty_hours", "请注明来电是否在值班时间内"),
        ({"channel": "web"}, "channel", "选择一个有效的选项"),
        ({"anonymous": "0", "reporter_name": ""}, "reporter_name", "请填写姓名"),
        (
            {"anonymous": "0", "reporter_name": "甲", "reporter_id_number": "123"},
            "reporter_id_number",
            "身份证号",
        ),
        ({"received_at": "2099-01-01T10:00"}, "received_at", "收到时间不能晚于现在"),
        ({"received_at": "2026-02-30T10:00"}, "received_at", "请输入有效的日期和时间"),
        ({"received_at": "0001-01-01T08:00"}, "received_at", "收到时间早于 2000 年"),
        (
            {"attachments": [SimpleUploadedFile("a.exe", b"MZ\x90\x00binary")]},
            "attachments",
            "文件类型不允许",
        ),
        (
            {"attachments": [SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))]},
            "attachments",
            "超过",
        ),
        (
            {"attachments": [SimpleUploadedFile(f"{i}.txt", b"text") for i in range(6)]},
            "attachments",
            "附件最多 5 个",
        ),
    ],
)
def test_refusals_are_shown_on_the_field_and_nothing_is_saved(world, client_for, fields, field, message):
    data = {"channel": "letter", "anonymous": "1", "content": "反映问题", **fields}
    response = client_for("t1_member").post(_new(world), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not Petition.objects.exists()
    assert not AuditEvent.objects.filter(action="petition.received").exists()


def test_an_inspection_not_yet_receiving_refuses_entry_with_a_message(world, client_for):
    url = _new(world, world.inspection2)
    page = client_for("t2_member").get(url).content.decode()
    assert "不在受理信访期间" in page
    response = client_for("t2_member").post(url, {"channel": "letter", "anonymous": "1", "content": "反映"})
    assert response.status_code == 200
    assert "不在受理信访期间" in " ".join(response.context["form"].non_field_errors())
    assert not Petition.objects.exists()


def test_who_may_enter(world, client_for):
    url = _new(world)
    data = {"channel": "letter", "anonymous": "1", "content": "反映"}
    for persona in ("liaison1", "leader"):  # they see the inspection, they do not enter its petitions
        assert client_for(persona).post(url, data).status_code == 403
    for persona in ("t2_member", "county_office", "jiwei"):
        assert client_for(persona).post(url, data).status_code == 404
    assert not Petition.objects.exists()
    assert client_for("office").post(url, data).status_code == 302


def test_the_phone_duty_flag_is_prefilled_from_the_announcement(world, client_for, monkeypatch):
    announcement = announce(world.inspection1)
    at = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30))
    assert in_duty_hours(announcement, at) is True
    assert in_duty_hours(announcement, at.replace(hour=21)) is False
    announcement.duty_starts, announcement.duty_ends = datetime.time(20), datetime.time(8)  # a night duty
    assert in_duty_hours(announcement, at.replace(hour=23)) is True
    assert in_duty_hours(announcement, at.replace(hour=9)) is False
    assert in_duty_hours(None, at) is None

    monkeypatch.setattr(petition_views.timezone, "now", lambda: at.replace(hour=21))
    form = client_for("t1_member").get(_new(world)).context["form"]
    assert form.initial["in_duty_hours"] == "0"
    assert "每天 8:00—20:00" in form.fields["in_duty_hours"].help_text
    with action_scope("test.no_duty"):
        Announcement.objects.filter(pk=announcement.pk).update(duty_starts=None)
        record("test.no_duty", None, by=None)
    assert client_for("t1_member").get(_new(world)).context["form"].initial["in_duty_hours"] == ""


def test_a_petition_about_the_inspectors_goes_to_the_office_and_the_member_is_told(world, client_for):
    data = {
        "channel": "letter",
        "anonymous": "1",
        "content": "反映巡察组成员接受宴请",
        "about_inspectors": "on",
    }
    response = client_for("t1_member").post(_new(world), data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and str(world.inspection1.pk) in response["Location"]
    assert "已转巡察办办理" in _messages(response)[0]
    assert client_for("t1_member").get(_detail(petition)).status_code == 404
    assert client_for("office").get(_detail(petition)).status_code == 200


# Box openings -----------------------------------------------------------------------------------------


def test_a_box_opening_then_its_items_one_after_another(world, client_for):
    client = client_for("t1_member")
    url = reverse("intake:box-new", args=[world.inspection1.pk])
    opened = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    same = {"opened_at": opened, "place": "一楼大厅", "witness_1": "甲", "witness_2": "甲"}
    refused = client.post(url, same)
    assert refused.status_code == 200 and "witness_2" in refused.context["form"].errors
    assert not BoxOpening.objects.exists()
    too_early = client.post(url, {**same, "opened_at": "0001-01-01T08:00", "witness_2": "乙"})
    assert "开箱时间早于 2000 年" in str(too_early.context["form"].errors["opened_at"])

    response = client.post(url, {**same, "witness_2": "乙"})
    opening = BoxOpening.objects.get()
    detail = reverse("intake:box-detail", args=[opening.pk])
    assert response["Location"] == detail

    for content in ("箱内第一封：反映违规报销", "箱内第二封：反映公车私用"):
        response = client.post(detail, {"anonymous": "1", "content": content})
        assert response.status_code == 302 and response["Location"] == detail
    empty = client.post(detail, {"anonymous": "1", "content": ""})
    assert "请填写反映内容" in " ".join(empty.context["form"].errors["content"])

    items = Petition.objects.filter(box_opening=opening).order_by("number")
    assert [p.channel for p in items] == ["box", "box"]
    assert all(p.received_at == opening.opened_at for p in items)
    page = client.get(detail).content.decode()
    assert "已登记的信件（2 件）" in page and all(p.number in page for p in items)


def test_box_pages_are_the_teams(world, client_for):
    opening = open_box(
        world.inspection1,
        opened_at=timezone.now(),
        place="大厅",
        witness_1="甲",
        witness_2="乙",
        by=world.users["t1_member"],
    )
    detail = reverse("intake:box-detail", args=[opening.pk])
    for persona in ("t1_leader", "office"):
        assert client_for(persona).get(detail).status_code == 200
    for persona in (*OUTSIDERS, "leader"):
        assert client_for(persona).get(detail).status_code == 404, persona
        assert client_for(persona).post(detail, {"anonymous": "1", "content": "x"}).status_code == 404
    assert not Petition.objects.exists()


# Concluding ---------------------------------------------------------------------------------------------


def test_the_team_leader_concludes_an_accepted_petition(world, client_for):
    petition = letter(world, "反映问题")
    url = reverse("intake:petition-conclude", args=[petition.pk])
    refused = client_for("t1_leader").post(url, {"conclusion": "已核实", "confirm": "on"})
    assert "只有已受理的信访件可以办结" in " ".join(refused.context["form"].non_field_errors())

    _set(petition, status=Status.ACCEPTED)
    assert client_for("t1_member").get(url).status_code == 403
    assert client_for("t2_member").get(url).status_code == 404
    empty = client_for("t1_leader").post(url, {"conclusion": " ", "confirm": "on"})
    assert "请填写办结情况" in " ".join(empty.context["form"].errors["conclusion"])
    assert 'href="' + url + '"' in client_for("t1_leader").get(_detail(petition)).content.decode()

    response = client_for("t1_leader").post(url, {"conclusion": "经核实，已责令整改", "confirm": "on"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.CONCLUDED and petition.concluded_at is not None
    assert petition.conclusion == "经核实，已责令整改"
    event = AuditEvent.objects.get(action="petition.concluded")
    assert event.role == "team_leader" and "经核实" not in str(event.details)
    assert "经核实，已责令整改" in client_for("t1_member").get(_detail(petition)).content.decode()


def test_a_petition_about_the_inspectors_is_concluded_by_the_office_alone(world, client_for):
    petition = letter(world, "反映巡察组", about_inspectors=True)
    _set(petition, status=Status.ACCEPTED)
    url = reverse("intake:petition-conclude", args=[petition.pk])
    assert client_for("t1_leader").get(url).status_code == 404
    response = client_for("office").post(url, {"conclusion": "已核查", "confirm": "on"})
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).status == Status.CONCLUDED


# The home page and the links into the petitions ------------------------------------------------------


def test_the_home_panel_counts_what_waits_for_the_team(world, client_for):
    letter(world, "待分拣一")
    letter(world, "待分拣二")
    _set(letter(world, "重要问题"), status=Status.ACCEPTED, important=True)
    _set(letter(world, "已办结的重要问题"), status=Status.CONCLUDED, important=True)
    letter(world, "反映巡察组", about_inspectors=True)  # not the team's to see
    panels = {p.title: p for p in petition_views.home_panels(world.users["t1_member"])}
    assert panels["信访件"].context["new"] == 2 and panels["信访件"].context["important"] == 1
    page = client_for("t1_member").get("/").content.decode()
    assert "待分拣的信访件" in page and "重要问题须及时约谈" in page
    assert f"{LIST}?status=new" in page
    for persona in ("office", "liaison1", "jiwei", "sysadmin"):
        assert petition_views.home_panels(world.users[persona]) == [], persona
    assert petition_views.home_panels(world.users["t2_member"])[0].context["new"] == 0


def test_the_navigation_and_the_inspection_page_lead_to_the_petitions(world, client_for):
    letter(world, "反映一")
    letter(world, "反映二")
    letter(world, "反映巡察组", about_inspectors=True)
    inspection = reverse("rounds:inspection-detail", args=[world.inspection1.pk])
    page = client_for("t1_member").get(inspection).content.decode()
    assert "信访件 (2)" in page and _new(world) in page
    assert "信访件 (3)" in client_for("office").get(inspection).content.decode()
    for persona in ("liaison1", "leader"):
        page = client_for(persona).get(inspection).content.decode()
        assert "信访件 (" not in page and _new(world) not in page, persona
        assert f'href="{LIST}"' not in page
    assert f'href="{LIST}"' in client_for("t1_member").get("/").content.decode()


def test_the_inspection_page_counts_pieces_and_says_how_many_matters(world, client_for):
    first, second = letter(world, "反映张局长公款宴请"), letter(world, "反映张局长公款吃喝")
    letter(world, "反映另一件事")
    inspection = reverse("rounds:inspection-detail", args=[world.inspection1.pk])
    page = client_for("t1_member").get(inspection).content.decode()
    assert "信访件 (3)" in page and "个问题" not in page  # as many matters as pieces: nothing to add
    confirm_duplicates(first, others=[second], by=world.users["t1_member"])
    page = client_for("t1_member").get(inspection).content.decode()
    assert "信访件 (3)" in page and "涉及 2 个问题（经确认的重复件合并计数）" in page


# The canary ---------------------------------------------------------------------------------------------


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    parts = []
    for sheet in book.worksheets:
        parts += [str(sheet.oddHeader.center.text), str(sheet.oddFooter.left.text)]
        parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(parts)


def test_the_canary_appears_nowhere_for_any_persona(world, client_for):
    petition = letter(
        world,
        "市财政局张局长违规报销招待费",
        anonymous=False,
        reporter_name=CANARY,
        reporter_phone="13912345678",
        reporter_contact=f"{CANARY}的邮箱",
        files=[Upload("说明.txt", "材料".encode())],
    )
    attachment = petition.attachments.get()
    api = f"/api/v1/petitions/{petition.pk}"
    for persona in world.users:
        client = client_for(persona)
        pages = [
            client.get(LIST),
            client.get(f"{LIST}?q={quote(CANARY)}"),
            client.get(f"{LIST}?q={quote('报销')}"),
            client.get(_detail(petition)),
            client.get("/api/v1/petitions/"),
            client.get(f"/api/v1/petitions/?q={quote(CANARY)}"),
            client.get(api),
            client.get(reverse("intake:attachment-download", args=[attachment.pk])),
        ]
        for response in pages:
            # The search box shows back what its user typed: that is not the system telling anyone.
            text = response.content.decode().replace(f'value="{CANARY}"', "")
            assert CANARY not in text, (persona, response.request["PATH_INFO"])
            assert "13912345678" not in text
        if pages[1].status_code == 200 and pages[1].context:
            assert list(pages[1].context["page_obj"]) == [], persona  # searching the name finds nothing
        export = client.get(reverse("intake:petition-export"))
        if export.status_code == 200:
            text = _xlsx_text(b"".join(export.streaming_content))
            assert CANARY not in text and "13912345678" not in text, persona
    for table, column in (("intake_petition", "reporter_name"), ("intake_petition", "reporter_contact")):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
            assert all(CANARY not in (value or "") for (value,) in cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute("SELECT details, object_repr FROM core_auditevent")
        assert all(CANARY not in str(row) for row in cursor.fetchall())
