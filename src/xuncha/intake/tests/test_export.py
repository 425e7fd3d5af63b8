"""The Excel 台账: it opens, carries the watermark on every sheet (header, footer, first line), follows the
list's filters and scope, holds no reporter identity, keeps text as text, and each export is audited."""

import io
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from xuncha.core.audit import action_scope, record
from xuncha.core.files import Upload
from xuncha.core.models import AuditEvent
from xuncha.intake.actions.transfers import transfer_petition
from xuncha.intake.choices import Status
from xuncha.intake.ledger import COLUMNS
from xuncha.intake.models import DuplicateGroup, Petition

from .conftest import letter

EXPORT = "/intake/petitions/export/"
CANARY = "欧阳金丝雀"
MARK_TAIL = "内部资料 注意保密"


def _book(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.content[:300]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(book) -> list[tuple]:
    return list(book.worksheets[0].iter_rows(min_row=3, values_only=True))


def _everything(book) -> str:
    parts = []
    for sheet in book.worksheets:
        parts += [sheet.oddHeader.center.text or "", sheet.oddFooter.left.text or ""]
        parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(parts)


def test_the_export_opens_with_its_watermark_and_columns(world, client_for):
    petition = letter(
        world,
        "市财政局张局长违规报销招待费",
        subject_name="张建国",
        subject_post="局长",
        anonymous=False,
        reporter_name=CANARY,
        reporter_phone="13800138000",
        reporter_id_number="11010519491231002X",
        files=[Upload("欧阳的材料.txt", "材料".encode())],
    )
    response = client_for("t1_member").get(EXPORT)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote("信访件台账") in response["Content-Disposition"]
    book = _book(response)
    sheet = book.worksheets[0]
    assert sheet.title == "信访件台账"
    first = sheet["A1"].value
    assert first.startswith("导出人：t1_member　导出时间：") and first.endswith(MARK_TAIL)
    for sheet in book.worksheets:  # every sheet: the header and footer printed on each page
        assert sheet.oddHeader.center.text == first
        assert sheet.oddFooter.left.text == first
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert list(header) == [title for title, _ in COLUMNS]
    assert list(header) == [
        "编号",
        "渠道",
        "收到时间",
        "被反映人",
        "反映内容",
        "状态",
        "分拣意见",
        "受理范围",
        "六项纪律",
        "三个聚焦",
        "重复件组",
        "转交情况",
    ]
    (row,) = _rows(book)
    assert row[0] == petition.number and row[1] == "来信" and row[3] == "张建国 局长"
    assert row[4] == "市财政局张局长违规报销招待费" and row[5] == "待分拣"
    assert f"{row[2]:%Y-%m-%d %H:%M}" == f"{timezone.localtime(petition.received_at):%Y-%m-%d %H:%M}"
    text = _everything(book)
    for secret in (CANARY, "13800138000", "11010519491231002X", "欧阳的材料"):
        assert secret not in text


def test_the_export_follows_the_filters_and_is_audited(world, client_for):
    wanted = letter(world, "市财政局张局长违规报销招待费")
    letter(world, "反映公车私用")
    response = client_for("t1_member").get(f"{EXPORT}?q={quote('报销')}&channel=letter")
    assert [row[0] for row in _rows(_book(response))] == [wanted.number]
    event = AuditEvent.objects.get(action="petition.exported")
    assert event.actor == world.users["t1_member"] and event.role == "team_member"
    assert event.committee_id == world.city.pk
    assert event.details == {"filters": {"q": "报销", "channel": "letter"}, "rows": 1}


def test_duplicates_and_transfers_are_in_the_ledger(world, client_for):
    a, b = letter(world, "同一问题一"), letter(world, "同一问题二")
    out = letter(world, "反映个人工资拖欠")
    with action_scope("test.set"):
        group = DuplicateGroup.objects.create(committee=world.city, confirmed_by=world.users["office"])
        Petition.objects.filter(pk__in=[a.pk, b.pk]).update(duplicate_group=group)
        Petition.objects.filter(pk=out.pk).update(decision="transfer", scope="out")
        record("test.set", None, by=None)
    transfer = transfer_petition(
        Petition.objects.get(pk=out.pk),
        department=world.jiwei_dept,
        reason="属个人诉求，按属地管理转交",
        by=world.users["office"],
    )
    rows = {row[0]: row for row in _rows(_book(client_for("office").get(EXPORT)))}
    assert rows[a.number][10] == rows[b.number][10] == f"第 {group.pk} 组"
    assert rows[out.number][5] == "已转交" and rows[out.number][7] == "不属于受理范围"
    assert "市纪委监委" in rows[out.number][11] and transfer.letter_number in rows[out.number][11]


def test_text_that_looks_like_a_formula_stays_text(world, client_for):
    letter(world, '=HYPERLINK("http://example.com","点此")', subject_name="+张三")
    (row,) = _rows(_book(client_for("t1_member").get(EXPORT)))
    assert row[4] == '=HYPERLINK("http://example.com","点此")' and row[3] == "+张三"
    sheet = _book(client_for("t1_member").get(EXPORT)).worksheets[0]
    assert sheet["E3"].data_type == "s"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("t2_member", 200),
        ("county_office", 200),
        ("liaison1", 403),
        ("leader", 403),
        ("jiwei", 403),
        ("custodian", 403),
        ("sysadmin", 403),
        ("outsider", 403),
    ],
)
def test_other_scopes_export_nothing_of_team1(world, client_for, persona, status):
    petition = letter(world, "市财政局张局长违规报销招待费")
    response = client_for(persona).get(EXPORT)
    assert response.status_code == status
    if status == 200:
        book = _book(response)
        assert _rows(book) == [] and petition.number not in _everything(book)
        assert AuditEvent.objects.get(action="petition.exported").details["rows"] == 0
    else:
        assert not AuditEvent.objects.filter(action="petition.exported").exists()


def test_the_office_exports_what_the_team_may_not_see(world, client_for):
    letter(world, "反映问题")
    about_us = letter(world, "反映巡察组成员", about_inspectors=True)
    assert about_us.number in {r[0] for r in _rows(_book(client_for("office").get(EXPORT)))}
    assert about_us.number not in {r[0] for r in _rows(_book(client_for("t1_leader").get(EXPORT)))}
    event = AuditEvent.objects.get(action="petition.exported", actor=world.users["office"])
    assert event.role == "office" and event.details["rows"] == 2


def test_bad_filters_send_back_to_the_list_and_export_nothing(world, client_for):
    letter(world, "反映问题")
    response = client_for("t1_member").get(f"{EXPORT}?received_from=2026-13-45&status=new")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('intake:petition-list')}?received_from=2026-13-45&status=new"
    assert "筛选条件有误" in str(next(iter(get_messages(response.wsgi_request))))
    assert not AuditEvent.objects.filter(action="petition.exported").exists()


def test_the_list_links_to_the_export_with_its_filters(world, client_for):
    letter(world, "反映问题")
    page = client_for("t1_member").get(f"/intake/petitions/?status={Status.NEW}").content.decode()
    assert f"{EXPORT}?status=new" in page
    assert EXPORT not in client_for("liaison1").get("/intake/petitions/").content.decode()
