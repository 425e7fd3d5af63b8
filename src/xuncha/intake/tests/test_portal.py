"""The public portal (码上巡察) and its API: the announcement and the form, closed forms, submission end to
end with attachments, receipts (shown once, never in a URL, wrong = missing), the reporter's thread, who sees
a petition about the inspectors, the throttle that keeps no address, and the server's access log."""

import datetime
import io
import json
import logging
import re
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from gunicorn.config import Config
from PIL import ExifTags, Image

from xuncha.core import throttle
from xuncha.core.management.commands.serve import ACCESS_LOG_FORMAT, PrivateLogger, gunicorn_argv
from xuncha.core.models import AuditEvent
from xuncha.intake.actions import messages
from xuncha.intake.actions.announcements import ABOUT_INSPECTORS, ACCEPTED, NOT_ACCEPTED
from xuncha.intake.actions.messages import ask_reporter
from xuncha.intake.choices import Status
from xuncha.intake.models import Attachment, Petition, PetitionMessage
from xuncha.rounds.choices import Stage

from .conftest import announce

pytestmark = pytest.mark.django_db

CANARY = "欧阳金丝雀"
ELSEWHERE = "请向本级纪委监委信访室反映（举报电话 12388）。"


def page_url(announcement):
    return f"/portal/{announcement.public_code}/"


def submit(client, announcement, **fields):
    data = {"anonymous": "1", "content": "市财政局张局长违规发放津贴"} | fields
    return client.post(page_url(announcement), data)


def receipt_of(response):
    match = re.search(r'id="receipt">([A-Z0-9-]+(?:<wbr>[A-Z0-9-]+)*)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1).replace("<wbr>", "")


def png_with_gps() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (28.0, 41.0, 12.0)
    exif[ExifTags.Base.Artist] = CANARY
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file has GPS
    return data


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="JPEG")
    return out.getvalue()


def sideways_jpeg() -> bytes:
    """A photo as a phone stores a portrait: 40 wide, 20 high, left half red, with EXIF orientation 6
    (turn 90° clockwise to view)."""
    image = Image.new("RGB", (40, 20), "blue")
    image.paste("red", (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(name, data):
    file = io.BytesIO(data)
    file.name = name
    return file


# The announcement and the form ----------------------------------------------------------------------


def test_the_page_shows_the_announcement_and_what_is_accepted(world, announcement):
    page = Client().get(page_url(announcement))
    html = page.content.decode()
    assert page.status_code == 200
    for shown in (
        "第一巡察组",
        "市财政局",
        "0791-12345678",
        "每天 8:00—20:00",
        "江东市 A 信箱",
        "xuncha1@example.cn",
    ):
        assert shown in html
    assert "市财政局一楼大厅" in html and "市财政局 5 楼 501 室" in html
    start = timezone.localtime(announcement.window_starts_at)
    assert f"{start.year}年{start.month}月{start.day}日" in html
    # The scope in the same words as the 巡察公告 document.
    assert ACCEPTED in html and NOT_ACCEPTED in html and ABOUT_INSPECTORS in html
    assert "反映的是巡察组或巡察干部的问题" in html and 'type="file"' in html and "multiple" in html
    assert "巡察工作平台" not in html and "navbar" not in html  # the portal's own frame, no staff navigation
    assert "no-store" in page["Cache-Control"]


def test_a_logged_in_visitor_sees_no_user_data(world, announcement, client_for):
    html = client_for("t1_member").get(page_url(announcement)).content.decode()
    assert "t1_member" not in html and "退出" not in html


def test_an_unknown_code_is_404(world, announcement):
    missing = Client().get("/portal/no-such-code/")
    assert missing.status_code == 404 and "码上巡察" in missing.content.decode()
    assert "navbar" not in missing.content.decode()
    assert Client().post("/portal/no-such-code/", {"content": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"published_at": None}, "尚未发布公告"),
        ({"window_starts_at": timezone.now() + datetime.timedelta(days=2)}, "将于"),
        ({"window_ends_at": timezone.now() - datetime.timedelta(minutes=1)}, "受理时间已经结束"),
    ],
)
def test_outside_the_window_the_form_is_closed_and_names_where_to_report(world, overrides, why):
    closed = announce(world.inspection1, **overrides)
    page = Client().get(page_url(closed))
    html = page.content.decode()
    assert page.status_code == 200 and why in html and ELSEWHERE in html
    assert "<textarea" not in html
    assert submit(Client(), closed).status_code == 200
    assert not Petition.objects.exists()


def test_the_form_is_closed_once_the_inspection_stops_receiving(world, announcement):
    world.inspection1.stage = Stage.FEEDBACK
    from xuncha.core.audit import action_scope, record

    with action_scope("test.stage"):
        world.inspection1.save()
        record("test.stage", world.inspection1, by=None)
    assert ELSEWHERE in Client().get(page_url(announcement)).content.decode()
    submit(Client(), announcement)
    assert not Petition.objects.exists()


def test_the_elsewhere_message_is_the_committees_setting(world):
    settings = world.city.settings
    from xuncha.core.audit import action_scope, record

    with action_scope("test.settings"):
        settings.petition_elsewhere = "请拨打江东市纪委监委举报电话 0791-12388。"
        settings.save()
        record("test.settings", settings, by=None)
    closed = announce(world.inspection1, published_at=None)
    assert "0791-12388" in Client().get(page_url(closed)).content.decode()


# Submitting -----------------------------------------------------------------------------------------


def test_a_sideways_photo_is_stored_upright_without_its_exif(world, announcement):
    data = {"anonymous": "1", "content": "现场照片", "attachments": [upload("现场.jpg", sideways_jpeg())]}
    receipt_of(Client().post(page_url(announcement), data))
    stored = Image.open(io.BytesIO(Attachment.objects.get(content_type="image/jpeg").read()))
    assert stored.size == (20, 40) and not stored.getexif()
    red, blue = stored.getpixel((10, 5)), stored.getpixel((10, 35))  # the left half is now on top
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]


def test_a_submission_end_to_end_with_an_image_stripped_of_its_metadata(world, announcement):
    client = Client(enforce_csrf_checks=True)
    page = client.get(page_url(announcement))
    token = page.cookies["csrftoken"].value
    response = client.post(
        page_url(announcement),
        {
            "csrfmiddlewaretoken": token,
            "anonymous": "0",
            "reporter_name": CANARY,
            "reporter_phone": "13800138000",
            "subject_name": "张建国",
            "subject_post": "局长",
            "content": "张局长违规发放津贴",
            "attachments": [upload("现场.png", png_with_gps()), upload("说明.txt", "补充说明".encode())],
        },
    )
    assert response.status_code == 200 and "Location" not in response
    assert "no-store" in response["Cache-Control"]
    receipt = receipt_of(response)
    assert "请立即复制、打印或保存查询码" in response.content.decode()
    petition = Petition.objects.get()
    assert petition.channel == "web" and not petition.anonymous and petition.reporter_name == CANARY
    assert petition.subject_name == "张建国" and petition.entered_by is None
    image = Attachment.objects.get(petition=petition, content_type="image/png")
    stored = Image.open(io.BytesIO(image.read()))
    assert not stored.getexif() and "exif" not in stored.info
    assert CANARY.encode() not in image.read()
    assert petition.attachments.count() == 2
    event = AuditEvent.objects.get(action="petition.received")
    assert event.role == "public" and CANARY not in json.dumps(event.details, ensure_ascii=False)
    assert receipt not in json.dumps(event.details) and receipt.replace("-", "") not in str(event.details)
    # The receipt works, once typed in.
    status = Client().post("/portal/lookup/", {"receipt": receipt})
    assert "已受理" in status.content.decode()


def test_a_jpeg_named_exe_is_an_image_and_an_exe_named_pdf_is_refused(world, announcement):
    response = submit(Client(), announcement, attachments=[upload("photo.exe", jpeg())])
    receipt_of(response)
    assert Attachment.objects.get().content_type == "image/jpeg"
    response = submit(
        Client(), announcement, attachments=[upload("材料.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary")]
    )
    html = response.content.decode()
    assert "文件类型不允许" in html and 'id="receipt"' not in html
    assert Petition.objects.count() == 1 and Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"content": ""}, "请填写反映内容"),
        ({"content": "长" * 10_001}, "反映内容过长"),
        ({"content": "\u200b\u200d"}, "请填写反映内容"),
        ({"anonymous": "0", "reporter_name": ""}, "请填写姓名"),
        ({"anonymous": "0", "reporter_name": "甲", "reporter_id_number": "123"}, "身份证号格式不正确"),
        ({"anonymous": "maybe"}, "选择一个有效的选项"),
    ],
)
def test_bad_submissions_are_answered_in_chinese_and_nothing_is_saved(world, announcement, fields, message):
    response = submit(Client(), announcement, **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Petition.objects.exists() and not Attachment.objects.exists()


def test_an_empty_form_is_refused(world, announcement):
    response = Client().post(page_url(announcement), {})
    assert "请填写反映内容" in response.content.decode()
    assert not Petition.objects.exists()


def test_script_is_shown_escaped_and_odd_unicode_is_cleaned(world, announcement):
    refused = submit(Client(), announcement, content="", subject_name="<script>alert(1)</script>")
    html = refused.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    receipt_of(submit(Client(), announcement, content="\u200b张局长\u200d收受ＡＢＣ公司礼金😀<script>"))
    assert Petition.objects.get().content == "张局长收受ＡＢＣ公司礼金😀<script>"


def test_a_petition_about_the_inspectors_goes_to_the_office_alone(world, announcement):
    receipt_of(submit(Client(), announcement, content="巡察组成员接受宴请", about_inspectors="on"))
    petition = Petition.objects.get()
    assert petition.about_inspectors
    assert Petition.objects.visible_to(world.users["office"]).filter(pk=petition.pk).exists()
    for persona in ("t1_leader", "t1_member", "t2_member", "liaison1"):
        assert not Petition.objects.visible_to(world.users[persona]).filter(pk=petition.pk).exists()


def test_a_petition_about_the_inspectors_leaves_no_gap_in_the_teams_numbers(world, announcement):
    """Numbered in the office's own series: the team cannot tell from its numbers that one arrived."""
    receipt_of(submit(Client(), announcement, content="张局长违规发放津贴"))
    receipt_of(submit(Client(), announcement, content="巡察组成员接受宴请", about_inspectors="on"))
    receipt_of(submit(Client(), announcement, content="巡察组组长收受礼品", about_inspectors="on"))
    receipt_of(submit(Client(), announcement, content="李科长违规报销差旅费"))
    received = Petition.objects.order_by("received_at", "number")
    numbers = list(received.values_list("number", "about_inspectors"))
    team = [number for number, about in numbers if not about]
    office = [number for number, about in numbers if about]
    assert [n[-4:] for n in team] == ["0001", "0002"]
    assert [n[-4:] for n in office] == ["办001", "办002"]


# The receipt ----------------------------------------------------------------------------------------


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_lookup_shows_the_status_and_the_teams_questions(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    petition = Petition.objects.get()
    ask_reporter(petition, text="请问津贴是哪个月发放的？", by=world.users["t1_member"])
    html = Client().post("/portal/lookup/", {"receipt": receipt.lower().replace("-", " ")}).content.decode()
    assert "已受理" in html and "请问津贴是哪个月发放的？" in html and "巡察组提问" in html
    assert "张局长违规发放津贴" not in html  # the status, not the petition


def test_the_reporter_answers_with_text_and_a_file(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    petition = Petition.objects.get()
    ask_reporter(petition, text="请补充时间", by=world.users["t1_member"])
    response = Client().post(
        "/portal/lookup/",
        {
            "receipt": receipt,
            "reply": "1",
            "text": "三月发放<script>",
            "attachments": [upload("名单.txt", "名单".encode())],
        },
    )
    html = response.content.decode()
    assert "已收到您的答复" in html and "三月发放&lt;script&gt;" in html and "附件 1 个" in html
    assert "名单.txt" not in html and "no-store" in response["Cache-Control"]
    reply = PetitionMessage.objects.get(direction="from_reporter")
    assert reply.text == "三月发放<script>" and reply.by is None and reply.attachments.count() == 1
    event = AuditEvent.objects.get(action="petition.reporter_replied")
    assert event.role == "public" and "三月" not in str(event.details)


def test_a_reporter_s_replies_are_capped_in_total(world, announcement, monkeypatch):
    receipt = receipt_of(submit(Client(), announcement))
    petition = Petition.objects.get()
    monkeypatch.setattr(messages, "REPLIES_TEXT_LIMIT", 10)
    monkeypatch.setattr(messages, "REPLIES_FILES_LIMIT", 2)

    def reply(text, *files):  # type: ignore[no-untyped-def]
        data = {"receipt": receipt, "reply": "1", "text": text, "attachments": list(files)}
        return Client().post("/portal/lookup/", data).content.decode()

    assert "已收到您的答复" in reply("一二三四五六", upload("a.txt", b"a"))
    html = reply("七八九十一")
    assert "答复和补充内容合计最多 10 字，已提交 6 字，本次 5 字" in html and "邮寄或当面提交" in html
    assert "已收到您的答复" in reply("七八九十", upload("b.txt", b"b"))
    html = reply("", upload("c.txt", b"c"))
    assert "补充材料的附件合计最多 2 个，已提交 2 个，本次 1 个" in html
    replies = PetitionMessage.objects.filter(petition=petition, direction="from_reporter")
    assert [m.text for m in replies.order_by("at")] == ["一二三四五六", "七八九十"]
    assert petition.attachments.count() == 2


def test_an_empty_reply_is_refused_and_a_wrong_receipt_cannot_reply(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    html = Client().post("/portal/lookup/", {"receipt": receipt, "reply": "1", "text": ""}).content.decode()
    assert "请填写答复或补充内容" in html
    wrong = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    Client().post("/portal/lookup/", {"receipt": wrong, "reply": "1", "text": "冒充的答复"})
    assert not PetitionMessage.objects.exists()


def test_a_wrong_receipt_gets_the_same_page_as_a_missing_one(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    wrong_secret = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    unknown_key = ("A" if receipt[0] != "A" else "B") + receipt[1:]
    answers = [
        Client().post("/portal/lookup/", {"receipt": code})
        for code in (wrong_secret, unknown_key, "", "not a receipt")
    ]
    missing = Client().post("/portal/lookup/", {})
    bodies = {without_csrf(r) for r in [*answers, missing]}
    assert len(bodies) == 1 and "查询码不正确或不存在" in bodies.pop()
    assert {r.status_code for r in [*answers, missing]} == {200}
    assert wrong_secret not in without_csrf(answers[0])


def test_the_receipt_never_travels_in_a_url(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    client = Client()
    response = client.get(f"/portal/lookup/?receipt={receipt}")
    assert "已受理" not in response.content.decode()  # a receipt in a URL is not looked at
    for response in (
        client.post("/portal/lookup/", {"receipt": receipt}),
        client.post("/portal/lookup/", {"receipt": receipt, "reply": "1", "text": "补充"}),
    ):
        assert "Location" not in response and "no-store" in response["Cache-Control"]
        assert "?receipt" not in response.content.decode()
    assert 'method="post"' in response.content.decode()


def test_the_status_follows_the_petition(world, announcement):
    receipt = receipt_of(submit(Client(), announcement))
    petition = Petition.objects.get()
    from xuncha.core.audit import action_scope, record

    for status, label in (
        (Status.TRANSFERRED, "已转交"),
        (Status.FILED, "已办结"),
        (Status.CONCLUDED, "已办结"),
    ):
        with action_scope("test.status"):
            petition.status = status
            petition.save()
            record("test.status", petition, by=None)
        assert label in Client().post("/portal/lookup/", {"receipt": receipt}).content.decode()


# The throttle ---------------------------------------------------------------------------------------


@pytest.fixture
def low_limits(settings):
    settings.XUNCHA_PORTAL_LIMITS = {throttle.SUBMIT: 2, throttle.LOOKUP: 3}


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM intake_throttle_cache")
        return cursor.fetchall()


def test_submissions_are_throttled_per_address_without_keeping_it(world, announcement, low_limits):
    address = "203.0.113.77"
    client = Client(REMOTE_ADDR=address)
    for _ in range(2):
        receipt_of(submit(client, announcement))
    over = submit(client, announcement)
    assert over.status_code == 429 and "请一小时后再试" in over.content.decode()
    assert 0 < int(over["Retry-After"]) <= 3600
    assert Petition.objects.count() == 2
    receipt_of(submit(Client(REMOTE_ADDR="203.0.113.78"), announcement))  # another address is counted apart
    rows = cache_rows()
    assert rows and all(address not in key and address not in value for key, value in rows)
    assert all("203.0.113" not in key for key, _ in rows)
    assert not AuditEvent.objects.filter(details__icontains="203.0.113").exists()
    assert Client(REMOTE_ADDR=address).get(page_url(announcement)).status_code == 200  # reading is free


def test_lookups_are_throttled_and_the_api_shares_the_counter(world, announcement, low_limits):
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(2):
        assert client.post("/portal/lookup/", {"receipt": "x"}).status_code == 200
    api = client.post("/api/v1/public/petitions/lookup", {"receipt": "x"}, content_type="application/json")
    assert api.status_code == 404
    assert client.post("/portal/lookup/", {"receipt": "x"}).status_code == 429
    api = client.post("/api/v1/public/petitions/lookup", {"receipt": "x"}, content_type="application/json")
    assert api.status_code == 429 and api.json() == {"detail": throttle.MESSAGE}


def test_behind_the_proxy_the_forwarded_client_is_counted(world, announcement, low_limits, settings):
    settings.XUNCHA_FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    data = {"anonymous": "1", "content": "反映问题"}
    for n in range(3):  # nginx appends the client it sees last; earlier hops are the client's own
        forwarded = {"X-Forwarded-For": f"1.2.3.4, 192.0.2.{n}"}
        receipt_of(proxy.post(page_url(announcement), data, headers=forwarded))
    # A client that is not the proxy cannot choose its address by the header.
    client = Client(REMOTE_ADDR="192.0.2.200")
    answers = [
        client.post(page_url(announcement), data, headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_a_past_hours_counters_are_deleted_at_the_next_request(world, announcement):
    stale = throttle.counter_key(throttle.SUBMIT, "203.0.113.90", time.time() - 3600)
    expired = connection.ops.adapt_datetimefield_value(timezone.now() - datetime.timedelta(minutes=1))
    with connection.cursor() as cursor:  # as Django's cache leaves it: expired, still in the table
        cursor.execute(
            "INSERT INTO intake_throttle_cache (cache_key, value, expires) VALUES (%s, %s, %s)",
            [f":1:{stale}", "gAVLAS4=", expired],
        )
    receipt_of(submit(Client(REMOTE_ADDR="203.0.113.91"), announcement))
    keys = [key for key, _ in cache_rows()]
    assert len(keys) == 1 and stale not in keys[0]


def test_an_ipv6_client_is_counted_by_its_64(world, announcement, low_limits):
    """Addresses of one /64 share a counter (a client picks any of them); the next /64 is someone else."""
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:abcd:ef01:2345:6789"):
        receipt_of(submit(Client(REMOTE_ADDR=address), announcement))
    assert submit(Client(REMOTE_ADDR="2001:db8:1:2:ffff::9"), announcement).status_code == 429
    receipt_of(submit(Client(REMOTE_ADDR="2001:db8:1:3::1"), announcement))
    assert throttle.counted_as("::ffff:203.0.113.5") == "203.0.113.5"
    assert all("2001" not in key for key, _ in cache_rows())


def test_the_counter_name_is_a_keyed_hash_that_changes_every_hour():
    one = throttle.counter_key("submit", "203.0.113.5", 7200.0)
    assert "203.0.113.5" not in one and one == throttle.counter_key("submit", "203.0.113.5", 10799.0)
    assert one != throttle.counter_key("submit", "203.0.113.5", 10800.0)
    assert one != throttle.counter_key("lookup", "203.0.113.5", 7200.0)
    assert throttle.seconds_left(7200.0) == 3600 and throttle.seconds_left(10799.0) == 1


# The public API -------------------------------------------------------------------------------------


def api_post(path, body, client=None):
    client = client or Client(enforce_csrf_checks=True)
    return client.post(f"/api/v1/public/{path}", json.dumps(body), content_type="application/json")


def test_the_api_takes_a_petition_and_answers_its_receipt(world, announcement):
    response = api_post(
        "petitions",
        {
            "public_code": announcement.public_code,
            "content": "张局长违规发放津贴",
            "anonymous": False,
            "reporter_name": CANARY,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received" and body["status_label"] == "已受理"
    petition = Petition.objects.get()
    assert petition.channel == "web" and petition.reporter_name == CANARY
    lookup = api_post("petitions/lookup", {"receipt": body["receipt"]})
    assert lookup.status_code == 200 and lookup.json() == {
        "status": "received",
        "status_label": "已受理",
        "messages": [],
    }
    ask_reporter(petition, text="请补充时间", by=world.users["t1_member"])
    messages = api_post("petitions/lookup", {"receipt": body["receipt"]}).json()["messages"]
    assert [(m["direction"], m["text"], m["attachments"]) for m in messages] == [
        ("to_reporter", "请补充时间", 0)
    ]


def test_the_api_needs_no_csrf_token_even_from_a_logged_in_browser(world, announcement, client_for):
    browser = client_for("t1_member")
    browser.handler.enforce_csrf_checks = True
    response = api_post("petitions", {"public_code": announcement.public_code, "content": "反映"}, browser)
    assert response.status_code == 201 and Petition.objects.get().entered_by is None


def test_api_wrong_and_missing_receipts_are_the_same_404(world, announcement):
    receipt = api_post("petitions", {"public_code": announcement.public_code, "content": "反映"}).json()[
        "receipt"
    ]
    wrong = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    answers = [api_post("petitions/lookup", body) for body in ({"receipt": wrong}, {"receipt": ""}, {})]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert answers[0].json() == {"detail": "对象不存在或无权访问"}  # the API's 404 for any missing object


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "长" * 10_001}, "content"),
        ({"content": "反映", "anonymous": False}, "reporter_name"),
        ({"content": "反映", "anonymous": "sometimes"}, "anonymous"),
        ({"content": ["列表"]}, "content"),
    ],
)
def test_api_bad_input_is_a_422_with_the_field_and_nothing_is_saved(world, announcement, body, field):
    response = api_post("petitions", {"public_code": announcement.public_code} | body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["field"] == field and re.search(r"[\u4e00-\u9fff]", detail[0]["message"])
    assert not Petition.objects.exists()


def test_api_closed_and_unknown_announcements(world):
    closed = announce(world.inspection1, published_at=None)
    response = api_post("petitions", {"public_code": closed.public_code, "content": "反映"})
    assert response.status_code == 422
    assert (
        response.json()["detail"][0]["field"] == "public_code"
        and ELSEWHERE in response.json()["detail"][0]["message"]
    )
    assert api_post("petitions", {"public_code": "nope", "content": "反映"}).status_code == 404
    assert api_post("petitions", {}).status_code == 422
    assert not Petition.objects.exists()


def test_api_submissions_are_throttled(world, announcement, low_limits):
    client = Client(REMOTE_ADDR="203.0.113.99")
    body = {"public_code": announcement.public_code, "content": "反映"}
    assert [api_post("petitions", body, client).status_code for _ in range(3)] == [201, 201, 429]


# The server's logs ----------------------------------------------------------------------------------


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_the_server_logs_no_client_address():
    argv = gunicorn_argv("127.0.0.1", 8000, 2, 120)
    assert f"--access-logformat={ACCESS_LOG_FORMAT}" in argv and "%(h)s" not in ACCESS_LOG_FORMAT
    assert "--logger-class=xuncha.core.management.commands.serve.PrivateLogger" in argv
    logger = PrivateLogger(Config())
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-Id", "abc123")])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.7")])
    environ = {
        "REMOTE_ADDR": "203.0.113.7",
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/portal/lookup/?q=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/portal/lookup/",
    }
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    line = ACCESS_LOG_FORMAT % atoms
    assert line.endswith('"POST /portal/lookup/" 200 10 5ms abc123')
    # Whatever format an operator configures, the address atoms are blank.
    assert "203.0.113.7" not in str(atoms)
    # gunicorn's warning about a malformed request names no client either.
    collected = Collected()
    logger.error_log.addHandler(collected)
    logger.warning("Invalid request from ip=203.0.113.7: Invalid HTTP Version 'x'")
    assert collected.lines == ["Invalid request: Invalid HTTP Version 'x'"]
