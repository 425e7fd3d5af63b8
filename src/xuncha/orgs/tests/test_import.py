import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.orgs import importing
from xuncha.orgs.actions import import_units_and_rosters
from xuncha.orgs.choices import PostCategory, UnitType
from xuncha.orgs.models import Person, Unit

UNIT_HEADERS = ["单位名称", "上级单位", "单位类型", "单位代码", "党组织类别"]
PEOPLE_HEADERS = ["单位名称", "姓名", "职务", "类别"]


def xlsx(units=(), people=(), *, unit_headers=UNIT_HEADERS, people_headers=PEOPLE_HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "单位"
    for row in [unit_headers, *units]:
        sheet.append(list(row))
    sheet = workbook.create_sheet("人员")
    for row in [people_headers, *people]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "单位名册.xlsx"
    return buffer


GOOD_UNITS = [
    ("市审计局", "", "党政机关", 1001),
    ("市审计局经济责任审计中心", "市审计局", "事业单位", ""),
    ("市财政局票据管理所", "市财政局", "事业单位", "C-9", "党支部"),  # parent is an existing unit
]
GOOD_PEOPLE = [
    ("市审计局", "冯立新", "党组书记、局长", "主要负责人"),
    ("市审计局", "韩梅", "副局长", "领导班子成员"),
    ("市审计局经济责任审计中心", "蒋涛", "主任", "下一级党组织主要负责人"),
    ("市财政局", "沈丽", "出纳", "关键岗位"),  # an existing unit
]


def test_a_valid_file_is_imported_whole_with_one_summary_event(world):
    before = AuditEvent.objects.count()
    result = import_units_and_rosters(
        committee=world.city, file=xlsx(GOOD_UNITS, GOOD_PEOPLE), by=world.users["office"]
    )
    assert result.ok
    assert (result.units_created, result.people_created) == (3, 4)
    audit = Unit.objects.get(name="市审计局")
    assert (audit.unit_type, audit.code, audit.parent) == (UnitType.ORGAN, "1001", None)
    assert Unit.objects.get(name="市审计局经济责任审计中心").parent == audit
    assert Unit.objects.get(name="市财政局票据管理所").parent == world.unit1
    assert audit.people.get(name="冯立新").category == PostCategory.PRINCIPAL
    assert world.unit1.people.filter(name="沈丽", category=PostCategory.KEY_POST).exists()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.committee_id) == ("units.imported", world.city.pk)
    assert (event.details["units"], event.details["people"], event.details["file"]) == (3, 4, "单位名册.xlsx")


def test_a_child_listed_before_its_parent_is_created_after_it(world):
    units = [("乡甲村", "某镇", "村（社区）", ""), ("某镇", "", "乡镇（街道）", "")]
    result = import_units_and_rosters(committee=world.city, file=xlsx(units), by=world.users["office"])
    assert result.ok
    assert Unit.objects.get(name="乡甲村").parent == Unit.objects.get(name="某镇")


def test_every_bad_row_is_reported_and_nothing_is_saved(world):
    units = [
        ("市审计局", "", "党政机关", ""),
        ("市统计局", "", "银行", ""),  # row 3: unknown type
        ("", "市审计局", "事业单位", ""),  # row 4: missing name
        ("市审计局", "", "党政机关", ""),  # row 5: duplicate in the file
        ("市档案馆", "市档案局", "事业单位", ""),  # row 6: parent not found
    ]
    people = [
        ("市审计局", "冯立新", "局长", "主要负责人"),
        ("市审计局", "韩梅", "局长", "主要负责人"),  # row 3: second principal
        ("市气象局", "褚明", "局长", "主要负责人"),  # row 4: unknown unit
        ("市财政局", "赵刚", "局长", "主要负责人"),  # row 5: the existing unit has a principal
        ("市审计局", "杨帆", "科长", "科员"),  # row 6: unknown category
    ]
    events = AuditEvent.objects.count()
    result = import_units_and_rosters(
        committee=world.city, file=xlsx(units, people), by=world.users["office"]
    )
    assert not result.ok
    got = [(e.sheet, e.row) for e in result.errors]
    assert got == [
        ("单位", 3),
        ("单位", 4),
        ("单位", 5),
        ("单位", 6),
        ("人员", 3),
        ("人员", 4),
        ("人员", 5),
        ("人员", 6),
    ]
    messages = {(e.sheet, e.row): e.message for e in result.errors}
    assert "单位类型“银行”无效" in messages[("单位", 3)]
    assert "缺少单位名称" in messages[("单位", 4)]
    assert "与第 2 行重复" in messages[("单位", 5)]
    assert "上级单位“市档案局”不存在" in messages[("单位", 6)]
    assert "已有主要负责人冯立新（第 2 行）" in messages[("人员", 3)]
    assert "单位“市气象局”不存在" in messages[("人员", 4)]
    assert "已有在职的主要负责人张建国" in messages[("人员", 5)]
    assert "类别“科员”无效" in messages[("人员", 6)]
    assert not Unit.objects.filter(name__in=["市审计局", "市统计局", "市档案馆"]).exists()
    assert not Person.objects.filter(name__in=["冯立新", "杨帆", "赵刚"]).exists()
    assert AuditEvent.objects.count() == events


def test_three_bad_rows_are_all_reported(world):
    units = [
        ("市审计局", "", "党政机关", ""),
        ("市财政局", "", "党政机关", ""),  # exists already
        ("市统计局", "", "", ""),  # no type
        ("市档案馆", "市档案馆", "事业单位", ""),  # its own parent
    ]
    result = import_units_and_rosters(committee=world.city, file=xlsx(units), by=world.users["office"])
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "本党委已有名为“市财政局”的单位"),
        (4, "缺少单位类型"),
        (5, "上级单位不能是单位本身"),
    ]
    assert not Unit.objects.filter(name="市审计局").exists()


def test_a_cycle_inside_the_file_is_reported(world):
    units = [("甲单位", "乙单位", "其他", ""), ("乙单位", "甲单位", "其他", ""), ("丙单位", "", "其他", "")]
    result = import_units_and_rosters(committee=world.city, file=xlsx(units), by=world.users["office"])
    assert [(e.row, e.message) for e in result.errors] == [
        (2, "上级单位关系形成循环"),
        (3, "上级单位关系形成循环"),
    ]
    assert not Unit.objects.filter(name="丙单位").exists()


def _zip_without_workbook() -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是表格")
    buffer.seek(0)
    return buffer


def test_a_file_of_the_template_before_party_organisation_kinds_still_imports(world):
    units = [row[:4] for row in GOOD_UNITS]
    result = import_units_and_rosters(
        committee=world.city,
        file=xlsx(units, GOOD_PEOPLE, unit_headers=UNIT_HEADERS[:4]),
        by=world.users["office"],
    )
    assert result.ok and result.units_created == 3
    assert Unit.objects.get(name="市财政局票据管理所").party_org_kind == ""  # the usual kind of its type


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (io.BytesIO("单位名称,上级单位\n市审计局,\n".encode()), "不是 Excel（.xlsx）格式"),
        (io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100), "另存为 .xlsx"),
        (io.BytesIO(b""), "文件是空的"),
        (_zip_without_workbook(), "无法读取该文件"),
        (io.BytesIO(b"PK\x03\x04garbage"), "无法读取该文件"),
        (xlsx(), "没有可导入的数据"),
        (
            xlsx(GOOD_UNITS, unit_headers=["名称", "上级", "类型", "代码"]),
            "表头应为：单位名称、上级单位、单位类型、单位代码",
        ),
        (io.BytesIO(b"PK\x03\x04" + b"\0" * (importing.MAX_BYTES + 1)), "文件过大"),
    ],
    ids=["csv", "xls", "empty", "zip", "broken-zip", "no-rows", "headers", "too-big"],
)
def test_bad_files_are_refused_in_chinese(world, file, message):
    with pytest.raises(Refused, match=message) as refused:
        import_units_and_rosters(committee=world.city, file=file, by=world.users["office"])
    assert refused.value.field == "file"


def test_a_missing_sheet_is_named(world):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(Refused, match="缺少工作表“单位”"):
        import_units_and_rosters(committee=world.city, file=buffer, by=world.users["office"])


def test_too_many_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    units = [(f"单位{i}", "", "其他", "") for i in range(4)]
    with pytest.raises(Refused, match="一次最多导入 3 行"):
        import_units_and_rosters(committee=world.city, file=xlsx(units), by=world.users["office"])


def test_only_the_office_of_the_committee_imports(world):
    for persona in ("county_office", "t1_member", "sysadmin"):
        with pytest.raises(NotAllowed):
            import_units_and_rosters(committee=world.city, file=xlsx(GOOD_UNITS), by=world.users[persona])
    assert not Unit.objects.filter(name="市审计局").exists()


def test_the_template_is_a_real_workbook_that_imports_once_filled(world):
    workbook = load_workbook(io.BytesIO(importing.build_template()))
    assert workbook.sheetnames[:2] == ["单位", "人员"]
    assert [c.value for c in workbook["单位"][1]] == UNIT_HEADERS
    assert [c.value for c in workbook["人员"][1]] == PEOPLE_HEADERS
    workbook["单位"].append(["市审计局", None, "党政机关", None])
    workbook["人员"].append(["市审计局", "冯立新", "局长", "主要负责人"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_units_and_rosters(committee=world.city, file=buffer, by=world.users["office"])
    assert (result.units_created, result.people_created) == (1, 1)
