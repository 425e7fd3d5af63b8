import json

import pytest

from xuncha.core.audit import verify_chain
from xuncha.core.choices import Role
from xuncha.core.errors import Refused
from xuncha.core.models import AuditEvent
from xuncha.core.permissions import NotAllowed
from xuncha.orgs import actions
from xuncha.orgs.choices import CommitteeLevel, DepartmentKind, Expertise, PostCategory, UnitType
from xuncha.orgs.models import CommitteeSettings, InspectorRelative, Person, Unit


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()  # type: ignore[return-value]


# Committees


def test_system_creates_a_root_committee_with_default_settings(db):
    province = actions.create_committee(name="某省委", level=CommitteeLevel.PROVINCE, by=None)
    assert province.settings.fieldwork_days == 60
    event = last_event()
    assert (event.action, event.actor_name, event.committee_id) == (
        "committee.created",
        "system",
        province.pk,
    )


def test_office_creates_a_lower_committee_and_nobody_creates_a_root(world):
    office = world.users["office"]
    county = actions.create_committee(
        name="江东市南湖区委", level=CommitteeLevel.COUNTY, parent=world.city, by=office
    )
    assert county.parent == world.city
    assert CommitteeSettings.objects.filter(committee=county).exists()
    assert last_event().role == Role.OFFICE
    with pytest.raises(NotAllowed):
        actions.create_committee(name="另一市委", level=CommitteeLevel.CITY, by=office)
    with pytest.raises(NotAllowed):
        actions.create_committee(
            name="某县委", level=CommitteeLevel.COUNTY, parent=world.city, by=world.users["county_office"]
        )


def test_committee_level_must_be_below_its_parent(world):
    with pytest.raises(Refused) as refused:
        actions.create_committee(
            name="某市委", level=CommitteeLevel.CITY, parent=world.city, by=world.users["office"]
        )
    assert refused.value.field == "level"
    with pytest.raises(Refused, match="已有名为"):
        actions.create_committee(
            name="江东市东安县委", level=CommitteeLevel.COUNTY, parent=world.city, by=world.users["office"]
        )


def test_settings_update_records_before_and_after(world):
    settings = world.city.settings
    actions.update_committee_settings(
        settings, fieldwork_days=90, totp_roles=["unit_liaison", "leading_group"], by=world.users["sysadmin"]
    )
    settings.refresh_from_db()
    assert settings.fieldwork_days == 90
    assert settings.totp_roles == [Role.LEADING_GROUP, Role.UNIT_LIAISON]
    event = last_event()
    assert event.action == "committee_settings.updated"
    assert event.role == Role.SYSADMIN
    assert event.details["changes"]["fieldwork_days"] == [60, 90]
    assert event.details["changes"]["totp_roles"] == [[], ["leading_group", "unit_liaison"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"totp_roles": ["boss"]}, "totp_roles"),
        ({"totp_roles": "office"}, "totp_roles"),
        ({"fieldwork_days": 0}, "fieldwork_days"),
        ({"plan_days": 10_000}, "plan_days"),
        ({"report_days": "30"}, "report_days"),
        ({"committee": None}, "committee"),
    ],
)
def test_settings_update_validates(world, changes, field):
    with pytest.raises(Refused) as refused:
        actions.update_committee_settings(world.city.settings, by=world.users["office"], **changes)
    assert refused.value.field == field
    world.city.settings.refresh_from_db()
    assert world.city.settings.fieldwork_days == 60


def test_settings_of_another_committee_cannot_be_changed(world):
    for persona in ("county_office", "t1_member", "leader"):
        with pytest.raises(NotAllowed):
            actions.update_committee_settings(world.city.settings, fieldwork_days=30, by=world.users[persona])


# Units


def test_office_creates_a_unit_and_the_event_is_chained(world):
    unit = actions.create_unit(
        committee=world.city,
        name=" 市审计局 ",
        unit_type=UnitType.ORGAN,
        code="A01",
        by=world.users["office"],
    )
    assert unit.name == "市审计局"
    event = last_event()
    assert (event.action, event.object_id, event.committee_id) == (
        "unit.created",
        str(unit.pk),
        world.city.pk,
    )
    assert event.details["name"] == "市审计局"
    assert verify_chain().ok


@pytest.mark.parametrize(
    "persona", ["county_office", "t1_member", "t1_leader", "liaison1", "sysadmin", "leader"]
)
def test_only_the_office_of_the_committee_creates_units(world, persona):
    with pytest.raises(NotAllowed):
        actions.create_unit(
            committee=world.city, name="市审计局", unit_type=UnitType.ORGAN, by=world.users[persona]
        )
    assert not Unit.objects.filter(name="市审计局").exists()


def test_unit_input_is_validated_in_chinese(world):
    office = world.users["office"]
    with pytest.raises(Refused, match="本党委已有名为“市财政局”的单位") as refused:
        actions.create_unit(committee=world.city, name="市财政局", unit_type=UnitType.ORGAN, by=office)
    assert refused.value.field == "name"
    with pytest.raises(Refused, match="缺少单位名称"):
        actions.create_unit(committee=world.city, name="  ", unit_type=UnitType.ORGAN, by=office)
    with pytest.raises(Refused, match="单位类型“bank”无效"):
        actions.create_unit(committee=world.city, name="市审计局", unit_type="bank", by=office)
    with pytest.raises(Refused, match="上级单位必须属于同一党委"):
        actions.create_unit(
            committee=world.city,
            name="市审计局",
            unit_type=UnitType.ORGAN,
            parent=world.county_unit,
            by=office,
        )


def test_update_unit_records_changes_and_refuses_cycles(world):
    office = world.users["office"]
    actions.update_unit(world.unit2, name="市交通局", code="B2", by=office)
    event = last_event()
    assert event.action == "unit.updated"
    assert event.details["changes"] == {"name": ["市交通运输局", "市交通局"], "code": ["", "B2"]}
    with pytest.raises(Refused, match="下级单位") as refused:
        actions.update_unit(world.unit1, parent=world.unit1_child, by=office)
    assert refused.value.field == "parent"
    with pytest.raises(Refused):
        actions.update_unit(world.unit1, parent=world.unit1, by=office)
    assert world.unit1.parent is None  # a refused update leaves the instance as it was
    assert Unit.objects.get(pk=world.unit1.pk).parent is None
    with pytest.raises(Refused, match="不能通过修改操作更改"):
        actions.update_unit(world.unit1, is_active=False, by=office)
    with pytest.raises(NotAllowed):
        actions.update_unit(world.unit1, name="改名", by=world.users["liaison1"])


# Rosters


def test_at_most_one_active_principal_per_unit(world):
    office = world.users["office"]
    with pytest.raises(Refused, match="已有在职的主要负责人张建国") as refused:
        actions.add_person(
            unit=world.unit1, name="赵刚", post="局长", category=PostCategory.PRINCIPAL, by=office
        )
    assert refused.value.field == "category"
    with pytest.raises(Refused, match="主要负责人"):
        actions.update_person(world.deputy1, category=PostCategory.PRINCIPAL, by=office)
    actions.deactivate_person(world.principal1, by=office)
    event = last_event()
    assert (event.action, event.details["changes"]) == ("person.deactivated", {"is_active": [True, False]})
    successor = actions.add_person(
        unit=world.unit1, name="赵刚", post="党组书记、局长", category=PostCategory.PRINCIPAL, by=office
    )
    assert successor.is_active
    with pytest.raises(Refused, match="离任"):
        actions.deactivate_person(world.principal1, by=office)


def test_person_updates_are_audited_and_status_is_not_editable(world):
    office = world.users["office"]
    actions.update_person(world.deputy1, post="常务副局长", by=office)
    assert last_event().details["changes"] == {"post": ["副局长", "常务副局长"]}
    with pytest.raises(Refused):
        actions.update_person(world.deputy1, is_active=False, by=office)
    with pytest.raises(NotAllowed):
        actions.add_person(
            unit=world.unit1,
            name="钱某",
            post="科员",
            category=PostCategory.OTHER,
            by=world.users["county_office"],
        )
    assert not Person.objects.filter(name="钱某").exists()


# Departments and inspectors


def test_departments(world):
    office = world.users["office"]
    dept = actions.create_department(
        committee=world.city, name="市委宣传部", kind=DepartmentKind.XUANCHUANBU, by=office
    )
    assert last_event().object_id == str(dept.pk)
    with pytest.raises(Refused, match="已有名为"):
        actions.create_department(
            committee=world.city, name="市纪委监委", kind=DepartmentKind.JIWEI, by=office
        )
    with pytest.raises(NotAllowed):
        actions.create_department(
            committee=world.city, name="市审计局", kind=DepartmentKind.AUDIT, by=world.users["jiwei"]
        )


def test_inspectors(world):
    office = world.users["office"]
    inspector = actions.create_inspector(
        committee=world.city,
        name="郑洁",
        home_unit=world.county_unit,  # a county unit: the city draws on its counties (上下联动)
        expertise=("finance", "audit", "finance"),
        by=office,
    )
    assert inspector.expertise == [Expertise.AUDIT, Expertise.FINANCE]
    actions.update_inspector(inspector, post="副主任", expertise=["law"], by=office)
    assert last_event().details["changes"] == {
        "post": ["", "副主任"],
        "expertise": [["audit", "finance"], ["law"]],
    }
    with pytest.raises(Refused, match="未知的专长"):
        actions.update_inspector(inspector, expertise=["magic"], by=office)
    with pytest.raises(Refused, match="已关联其他巡察干部"):
        actions.update_inspector(inspector, user=world.users["t1_member"], by=office)
    # An account working for another committee cannot be pulled into this one's pool.
    with pytest.raises(Refused) as refusal:
        actions.update_inspector(inspector, user=world.users["county_office"], by=office)
    assert refusal.value.message == actions.UNLINKABLE
    with pytest.raises(Refused, match="不属于本党委"):
        actions.create_inspector(
            committee=world.county_a, name="冯某", home_unit=world.unit1, by=world.users["county_office"]
        )
    with pytest.raises(NotAllowed):
        actions.update_inspector(inspector, post="主任", by=world.users["t1_leader"])


def test_relative_name_is_encrypted_and_never_audited(world):
    office = world.users["office"]
    inspector = world.inspector_t1_member
    relative = actions.declare_relative(
        inspector, name="周大伟", relation="兄弟", unit=world.unit2, post="科长", by=office
    )
    stored = InspectorRelative.objects.get(pk=relative.pk)
    assert stored.name == "周大伟"
    assert "周大伟" not in InspectorRelative._meta.get_field("name").raw_value(stored)  # type: ignore[attr-defined]
    assert inspector.conflicts_with(world.unit2) == ["申报的亲属（兄弟）在“市交通运输局”任职"]
    actions.remove_relative(stored, by=office)
    assert not inspector.relatives.exists()
    events = AuditEvent.objects.filter(object_id=str(relative.pk))
    assert [e.action for e in events.order_by("seq")] == [
        "inspector.relative_declared",
        "inspector.relative_removed",
    ]
    assert all("周大伟" not in json.dumps(e.details, ensure_ascii=False) + e.object_repr for e in events)
    with pytest.raises(Refused, match="缺少亲属姓名"):
        actions.declare_relative(inspector, name=" ", relation="父亲", unit=world.unit2, by=office)


def test_former_posts(world):
    office = world.users["office"]
    inspector = world.inspector_t2_member
    former = actions.add_former_post(
        inspector, unit=world.unit1_child, post="副主任", period="2019—2022", by=office
    )
    assert inspector.conflicts_with(world.unit1) == ["曾在“市财政局国库支付中心”任“副主任”"]
    with pytest.raises(NotAllowed):
        actions.remove_former_post(former, by=world.users["t2_member"])
    actions.remove_former_post(former, by=office)
    assert inspector.conflicts_with(world.unit1) == []
    assert last_event().action == "inspector.former_post_removed"


def test_the_intake_settings_are_bounded_and_cleaned(world):
    settings = world.city.settings
    office = world.users["office"]
    for name, value in (("reveal_hours", 0), ("reveal_hours", 169), ("learned_triage_min_samples", 5)):
        with pytest.raises(Refused) as refusal:
            actions.update_committee_settings(settings, **{name: value}, by=office)
        assert refusal.value.field == name
    with pytest.raises(Refused) as refusal:
        actions.update_committee_settings(settings, petition_elsewhere="  ", by=office)
    assert refusal.value.field == "petition_elsewhere"
    actions.update_committee_settings(
        settings, reveal_hours=48, petition_elsewhere="请向市纪委监委信访室反映。", by=office
    )
    settings.refresh_from_db()
    assert settings.reveal_hours == 48 and settings.petition_elsewhere == "请向市纪委监委信访室反映。"
