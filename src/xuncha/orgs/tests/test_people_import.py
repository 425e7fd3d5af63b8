"""Excel import of accounts and appointments: every row on its own, with the reason of each refusal."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from xuncha.core.choices import Role, RoleStatus
from xuncha.core.errors import Refused
from xuncha.core.models import RoleAssignment, User
from xuncha.core.permissions import NotAllowed
from xuncha.orgs import access_import
from xuncha.orgs.actions import import_appointments

HEADERS = ["用户名", "姓名", "电话", "角色", "单位或部门", "结束日期"]


def xlsx(*rows, headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.create_sheet("人员与角色", 0)
    for row in [headers, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_each_row_is_appointed_or_refused_with_its_reason(world):
    report = import_appointments(
        committee=world.city,
        file=xlsx(
            ("wangfang", "王芳", "0571-8765 4321", "被巡察单位联络人", "市交通运输局", "2030-12-31"),
            ("jiwei", "jiwei", "", "移交接收部门", "市委组织部", ""),  # an account of the committee
            ("qianli", "钱力", "", "身份信息保管人", "", ""),
            ("lisi", "李四", "", "被巡察单位联络人", "东安县农业农村局", ""),  # the county's unit
            ("county_office", "county_office", "", "巡察工作领导小组", "", ""),  # another committee's account
            ("zhaolei", "赵磊", "", "系统管理员", "", ""),
            ("wangfang", "王芳", "", "被巡察单位联络人", "市交通运输局", ""),
            ("sunli", "孙立", "", "审计员", "", "明年"),
            ("zhouyu", "周瑜", "", "被巡察单位联络人", "市财政局", "2020-01-01"),  # the grant is refused
        ),
        by=world.users["office"],
    )
    lines = {line.row: line for line in report.lines}
    assert [row for row, line in lines.items() if line.ok] == [2, 3, 4]
    assert (report.appointed_count, report.refused_count) == (3, 6)
    wangfang = User.objects.get(username="wangfang")
    assert wangfang.check_password(lines[2].password) and wangfang.must_change_password
    assert wangfang.phone == "0571-8765 4321"
    assert wangfang.scopes.has(Role.UNIT_LIAISON, world.unit2.pk)
    assert (
        lines[3].password == ""
        and world.users["jiwei"]
        .role_assignments.filter(role=Role.RECEIVER, scope_id=world.zuzhibu_dept.pk)
        .exists()
    )
    custodian = RoleAssignment.objects.get(user__username="qianli")
    assert custodian.status() == RoleStatus.PENDING and "待另一人审批" in lines[4].message
    assert "本党委没有名为“东安县农业农村局”的单位" in lines[5].message
    assert "不是本党委的账号" in lines[6].message
    assert "角色应为以下之一" in lines[7].message
    assert "与第 2 行重复" in lines[8].message
    assert "结束日期“明年”无法识别" in lines[9].message
    assert "终止日期不能早于今天" in lines[10].message
    # Nothing half-saved: the refused rows left no account.
    assert not User.objects.filter(username__in=["lisi", "zhaolei", "sunli", "zhouyu"]).exists()


def test_only_the_committee_s_office_imports_and_the_file_must_be_the_template(world):
    with pytest.raises(NotAllowed):
        import_appointments(committee=world.county_a, file=xlsx(), by=world.users["office"])
    with pytest.raises(Refused, match="表头"):
        import_appointments(
            committee=world.city, file=xlsx(("a",), headers=["姓名"]), by=world.users["office"]
        )


def test_the_template_has_the_sheet_and_the_role_list(world, client_for):
    response = client_for("office").get("/orgs/people-access/import/template/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[access_import.SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert "被巡察单位联络人" in sheet.data_validations.dataValidation[0].formula1
    # The template read back (empty) is refused for having no data, not for its form.
    with pytest.raises(Refused, match="没有可导入的数据"):
        access_import.read(io.BytesIO(response.content), world.city)


def test_the_import_page_shows_the_report_and_the_passwords_once(world, client_for):
    file = xlsx(
        ("wangfang", "王芳", "", "被巡察单位联络人", "市交通运输局", ""), ("x", "", "", "组长", "", "")
    )
    file.name = "人员.xlsx"
    response = client_for("office").post(
        "/orgs/people-access/import/", {"committee": world.city.pk, "file": file}
    )
    page = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "任命 1 项，未导入 1 行" in page and "新建账号并任命" in page
    assert response.context["report"].lines[0].password in page
