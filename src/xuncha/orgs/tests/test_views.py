import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.core.models import AuditEvent
from xuncha.orgs import actions
from xuncha.orgs.choices import Expertise, PostCategory, UnitType
from xuncha.orgs.models import Person, Unit

from .test_import import GOOD_PEOPLE, GOOD_UNITS, xlsx


def url(name, *args):
    return reverse(f"orgs:{name}", args=args)


def names_on(response):
    return [unit.name for unit in response.context["page_obj"]]


# Unit list


def test_unit_list_shows_only_units_in_scope_with_filters(world, client_for):
    office = client_for("office")
    assert names_on(office.get(url("unit-list"))) == [
        "市财政局",
        "市财政局国库支付中心",
        "市交通运输局",
        "市城市建设投资集团",
    ]
    assert names_on(office.get(url("unit-list"), {"type": UnitType.SOE})) == ["市城市建设投资集团"]
    assert names_on(office.get(url("unit-list"), {"q": "财政"})) == ["市财政局", "市财政局国库支付中心"]
    assert names_on(office.get(url("unit-list"), {"committee": world.county_a.pk})) == []
    assert names_on(client_for("county_office").get(url("unit-list"))) == ["东安县农业农村局"]
    assert names_on(client_for("liaison1").get(url("unit-list"))) == ["市财政局"]
    assert names_on(client_for("t2_member").get(url("unit-list"))) == ["市交通运输局"]
    assert names_on(client_for("sysadmin").get(url("unit-list"))) == []


def _many_units(world, count):
    for i in range(count):
        actions.create_unit(committee=world.city, name=f"市直单位{i:02d}", unit_type=UnitType.ORGAN, by=None)


def test_unit_list_paginates(world, client_for):
    _many_units(world, 30)
    office = client_for("office")
    page2 = office.get(url("unit-list"), {"page": 2, "type": UnitType.ORGAN})
    assert page2.context["page_obj"].number == 2
    assert len(page2.context["page_obj"]) == 32 - 25
    assert "?type=organ&page=1" in page2.content.decode()
    assert office.get(url("unit-list"), {"page": "abc"}).status_code == 200


def test_unit_list_query_count_does_not_grow_with_rows(world, client_for, django_assert_num_queries):
    office = client_for("office")
    office.get(url("unit-list"))  # warm the session
    # Session, user, OTP device and roles (4); the count and the page (2); the committees of the filter
    # (1, plus 2 walking the committee tree below the office's); saving the session's last-seen time (3).
    with django_assert_num_queries(10):  # with the navigation bar's unread notifications
        office.get(url("unit-list"))
    _many_units(world, 30)
    with django_assert_num_queries(10):  # with the navigation bar's unread notifications
        response = office.get(url("unit-list"))
    assert len(response.context["page_obj"]) == 25


# Unit detail and scope


@pytest.mark.parametrize(
    ("persona", "unit"),
    [
        ("liaison1", "unit2"),
        ("county_office", "unit1"),
        ("t2_member", "unit1"),
        ("jiwei", "unit1"),
        ("sysadmin", "unit1"),
    ],
)
def test_units_out_of_scope_are_404(world, client_for, persona, unit):
    pk = getattr(world, unit).pk
    client = client_for(persona)
    for name in ("unit-detail", "unit-edit", "person-add"):
        assert client.get(url(name, pk)).status_code == 404, name


def test_unit_detail_shows_roster_by_category_children_and_inspections(world, client_for):
    actions.deactivate_person(world.keypost1, by=None)
    response = client_for("liaison1").get(url("unit-detail", world.unit1.pk))
    assert response.status_code == 200
    roster = {label: [p.name for p in people] for label, people in response.context["roster"]}
    assert roster == {"主要负责人": ["张建国"], "领导班子成员": ["李文华"]}
    assert [p.name for p in response.context["former"]] == ["王海燕"]
    assert list(response.context["inspections"]) == [world.inspection1]
    assert list(response.context["children"]) == []  # the child unit is not the liaison's
    assert url("unit-edit", world.unit1.pk) not in response.content.decode()
    office = client_for("office").get(url("unit-detail", world.unit1.pk))
    assert list(office.context["children"]) == [world.unit1_child]
    assert url("unit-edit", world.unit1.pk) in office.content.decode()


def test_visible_but_not_office_is_403(world, client_for):
    liaison = client_for("liaison1")
    assert liaison.get(url("unit-edit", world.unit1.pk)).status_code == 403
    assert (
        liaison.post(
            url("person-add", world.unit1.pk), {"name": "某", "post": "某", "category": "other"}
        ).status_code
        == 403
    )
    assert liaison.get(url("person-edit", world.principal1.pk)).status_code == 403
    for name in (
        "unit-create",
        "unit-import",
        "unit-import-template",
        "inspector-create",
        "department-create",
    ):
        assert client_for("t1_member").get(url(name)).status_code == 403, name


# Unit and roster forms


def test_office_creates_a_unit_and_sees_refusals_on_the_form(world, client_for):
    office = client_for("office")
    form = office.get(url("unit-create"))
    assert list(form.context["form"].fields["committee"].queryset) == [world.city]
    data = {
        "committee": world.city.pk,
        "name": "市审计局",
        "unit_type": UnitType.ORGAN,
        "parent": "",
        "code": "",
    }
    response = office.post(url("unit-create"), data)
    unit = Unit.objects.get(name="市审计局")
    assert response.status_code == 302 and response["Location"] == url("unit-detail", unit.pk)
    again = office.post(url("unit-create"), data)
    assert again.status_code == 200
    assert again.context["form"].errors["name"] == ["本党委已有名为“市审计局”的单位。"]
    bad = office.post(url("unit-create"), {**data, "name": "", "unit_type": "bank"})
    assert set(bad.context["form"].errors) == {"name", "unit_type"}
    assert Unit.objects.filter(name="市审计局").count() == 1


def test_unit_edit_refuses_a_cycle_on_the_parent_field(world, client_for):
    office = client_for("office")
    data = {"name": "市财政局", "unit_type": UnitType.ORGAN, "code": "", "parent": world.unit1_child.pk}
    response = office.post(url("unit-edit", world.unit1.pk), data)
    assert response.status_code == 200
    assert "下级单位" in response.context["form"].errors["parent"][0]
    ok = office.post(url("unit-edit", world.unit1.pk), {**data, "parent": "", "code": "F01"})
    assert ok.status_code == 302
    world.unit1.refresh_from_db()
    assert world.unit1.code == "F01"


def test_roster_forms(world, client_for):
    office = client_for("office")
    second = {"name": "赵刚", "post": "局长", "category": PostCategory.PRINCIPAL}
    response = office.post(url("person-add", world.unit1.pk), second)
    assert "已有在职的主要负责人张建国" in response.context["form"].errors["category"][0]
    confirm = office.get(url("person-deactivate", world.principal1.pk))
    assert confirm.status_code == 200 and "确认" in confirm.content.decode()
    world.principal1.refresh_from_db()
    assert world.principal1.is_active  # a GET only asks
    assert office.post(url("person-deactivate", world.principal1.pk)).status_code == 302
    world.principal1.refresh_from_db()
    assert not world.principal1.is_active
    assert office.post(url("person-add", world.unit1.pk), second).status_code == 302
    person = Person.objects.get(name="赵刚")
    response = office.post(url("person-edit", person.pk), {**second, "post": "党组书记、局长"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.post == "党组书记、局长"


# Import


def test_import_page_imports_a_valid_file(world, client_for):
    office = client_for("office")
    response = office.post(
        url("unit-import"), {"committee": world.city.pk, "file": xlsx(GOOD_UNITS, GOOD_PEOPLE)}
    )
    assert response.status_code == 302
    assert Unit.objects.filter(name="市审计局", committee=world.city).exists()


def test_import_page_lists_every_bad_row(world, client_for):
    units = [("市审计局", "", "银行", ""), ("", "", "党政机关", "")]
    response = client_for("office").post(
        url("unit-import"), {"committee": world.city.pk, "file": xlsx(units)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "发现 2 行有误，未导入任何数据" in page
    assert "第 2 行" in page and "第 3 行" in page and "单位类型“银行”无效" in page
    assert not Unit.objects.filter(name="市审计局").exists()


def test_import_page_refuses_a_file_that_is_not_xlsx(world, client_for):
    file = io.BytesIO("名称\n市审计局\n".encode())
    file.name = "units.csv"
    response = client_for("office").post(url("unit-import"), {"committee": world.city.pk, "file": file})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件不是 Excel（.xlsx）格式，请使用下载的模板。"]


def test_import_into_another_committee_is_not_offered(world, client_for):
    response = client_for("county_office").post(
        url("unit-import"), {"committee": world.city.pk, "file": xlsx(GOOD_UNITS)}
    )
    assert "committee" in response.context["form"].errors
    assert not Unit.objects.filter(name="市审计局").exists()


def test_template_download_is_a_real_workbook(world, client_for):
    response = client_for("office").get(url("unit-import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == ["单位", "人员"]


# Inspectors


def test_inspector_list_filters(world, client_for):
    actions.update_inspector(world.inspector_t1_member, expertise=[Expertise.AUDIT], post="审计科长", by=None)
    office = client_for("office")
    everyone = office.get(url("inspector-list"))
    assert [i.name for i in everyone.context["page_obj"]] == ["刘振华", "周敏", "吴涛", "孙立"]
    assert [
        i.name for i in office.get(url("inspector-list"), {"expertise": "audit"}).context["page_obj"]
    ] == ["周敏"]
    assert [i.name for i in office.get(url("inspector-list"), {"q": "审计"}).context["page_obj"]] == ["周敏"]
    team = client_for("t1_member").get(url("inspector-list"))
    assert [i.name for i in team.context["page_obj"]] == ["刘振华", "周敏"]


def test_relatives_are_shown_only_to_the_office_and_reading_names_is_audited(world, client_for):
    relative = actions.declare_relative(
        world.inspector_t1_member, name="周大伟", relation="兄弟", unit=world.unit2, by=None
    )
    detail = url("inspector-detail", world.inspector_t1_member.pk)
    office = client_for("office")
    masked = office.get(detail).content.decode()
    assert "兄弟" in masked and "周大伟" not in masked
    assert not AuditEvent.objects.filter(action="inspector.relatives_viewed").exists()
    shown = office.get(detail, {"names": "1"}).content.decode()
    assert "周大伟" in shown
    event = AuditEvent.objects.get(action="inspector.relatives_viewed")
    assert (event.actor_name, event.object_id, event.details) == (
        "office",
        str(world.inspector_t1_member.pk),
        {"count": 1},
    )
    teammate = client_for("t1_leader").get(detail, {"names": "1"})
    assert teammate.status_code == 200
    assert "兄弟" not in teammate.content.decode() and "周大伟" not in teammate.content.decode()
    assert client_for("t2_member").get(detail).status_code == 404
    assert client_for("t1_leader").get(url("relative-remove", relative.pk)).status_code == 404
    assert client_for("county_office").post(url("relative-remove", relative.pk)).status_code == 404


def test_office_maintains_the_pool_through_forms(world, client_for):
    office = client_for("office")
    data = {
        "committee": world.city.pk,
        "name": "郑洁",
        "home_unit": world.unit3.pk,
        "post": "科长",
        "expertise": ["finance", "law"],
        "username": "nobody",
    }
    response = office.post(url("inspector-create"), data)
    refusal = response.context["form"].errors["username"]
    assert refusal == [actions.UNLINKABLE]
    # An account linked elsewhere, and one working for another committee: the same neutral refusal.
    for username in ("t1_member", "county_office"):
        response = office.post(url("inspector-create"), {**data, "username": username})
        assert response.context["form"].errors["username"] == refusal
    response = office.post(url("inspector-create"), {**data, "username": ""})
    inspector = world.city.inspectors.get(name="郑洁")
    assert response["Location"] == url("inspector-detail", inspector.pk)
    assert inspector.expertise == ["finance", "law"]
    edit = {**data, "username": "", "post": "副处长"}
    del edit["committee"]
    assert office.post(url("inspector-edit", inspector.pk), edit).status_code == 302
    former = {"unit": world.unit2.pk, "post": "科员", "period": "2015—2018"}
    assert office.post(url("former-post-add", inspector.pk), former).status_code == 302
    assert inspector.conflicts_with(world.unit2) == ["曾在“市交通运输局”任“科员”"]
    removal = url("former-post-remove", inspector.former_posts.get().pk)
    assert office.get(removal).status_code == 200
    assert client_for("t1_leader").post(removal).status_code == 404
    assert office.post(removal).status_code == 302
    assert not inspector.former_posts.exists()
    relative = {"name": "郑明", "relation": "父亲", "unit": world.unit1.pk, "post": ""}
    assert office.post(url("relative-add", inspector.pk), relative).status_code == 302
    assert office.post(url("relative-remove", inspector.relatives.get().pk)).status_code == 302
    assert not inspector.relatives.exists()


# Departments and committees


def test_department_list_and_create(world, client_for):
    jiwei = client_for("jiwei").get(url("department-list"))
    assert [d.name for d in jiwei.context["page_obj"]] == ["市纪委监委"]
    office = client_for("office")
    response = office.post(
        url("department-create"), {"committee": world.city.pk, "name": "市委组织部", "kind": "zuzhibu"}
    )
    assert response.context["form"].errors["name"] == ["本党委已有名为“市委组织部”的部门。"]
    assert (
        office.post(
            url("department-create"),
            {"committee": world.city.pk, "name": "市委宣传部", "kind": "xuanchuanbu"},
        ).status_code
        == 302
    )
    listed = office.get(url("department-list"), {"kind": "xuanchuanbu"})
    assert [d.name for d in listed.context["page_obj"]] == ["市委宣传部"]


def test_committee_tree_and_settings(world, client_for):
    tree = client_for("office").get(url("committee-list")).context["tree"]
    assert [(c.name, depth, manageable) for c, depth, manageable in tree] == [
        ("江东市委", 0, True),
        ("江东市东安县委", 1, False),
        ("江东市西平县委", 1, False),
    ]
    county_tree = client_for("county_office").get(url("committee-list")).context["tree"]
    assert [(c.name, depth) for c, depth, _ in county_tree] == [("江东市东安县委", 0)]
    settings_url = url("committee-settings", world.city.pk)
    assert client_for("county_office").get(settings_url).status_code == 404
    assert client_for("leader").get(settings_url).status_code == 403
    assert client_for("office").get(url("committee-settings", world.county_a.pk)).status_code == 403
    sysadmin = client_for("sysadmin")
    form = sysadmin.get(settings_url).context["form"]
    data = {name: value for name, value in form.initial.items() if name != "totp_roles"}
    response = sysadmin.post(settings_url, {**data, "fieldwork_days": 0})
    assert "了解阶段时长（天）须为 1 至 730 之间的整数。" in response.context["form"].errors["fieldwork_days"]
    response = sysadmin.post(settings_url, {**data, "fieldwork_days": 75, "totp_roles": ["leading_group"]})
    assert response.status_code == 302
    world.city.settings.refresh_from_db()
    assert (world.city.settings.fieldwork_days, world.city.settings.totp_roles) == (75, ["leading_group"])


def test_the_office_puts_petition_attachments_in_the_archive_on_the_settings_page(world, client_for):
    office = client_for("office")
    settings_url = url("committee-settings", world.city.pk)
    page = office.get(settings_url)
    assert "归档材料包收入信访件附件" in page.content.decode()
    data = {name: value for name, value in page.context["form"].initial.items() if name != "totp_roles"}
    assert data["archive_petition_attachments"] is False
    data = {name: value for name, value in data.items() if value is not False}  # unticked boxes are not sent
    response = office.post(settings_url, {**data, "archive_petition_attachments": "on"})
    assert response.status_code == 302
    world.city.settings.refresh_from_db()
    assert world.city.settings.archive_petition_attachments
    assert not world.city.settings.archive_interview_records
    event = AuditEvent.objects.filter(action="committee_settings.updated").latest("pk")
    assert event.details["changes"]["archive_petition_attachments"] == [False, True]
