"""A unit's party organisation as it signs documents (中共江东市财政局党组): its kind, entered or the usual
one of the unit's type, with the committee's place name; on the form, in the import and in the API."""

import json
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from xuncha.core.errors import Refused
from xuncha.orgs.actions import add_person, create_unit, import_units_and_rosters, update_unit
from xuncha.orgs.choices import CommitteeLevel, PartyOrgKind, UnitType
from xuncha.orgs.models import Committee, Unit

from .test_import import xlsx


def _unit(committee: Committee, name: str, unit_type: str, kind: str = "") -> Unit:
    return Unit(committee=committee, name=name, unit_type=unit_type, party_org_kind=kind)


@pytest.mark.parametrize(
    ("name", "unit_type", "kind", "signed"),
    [
        ("市财政局", UnitType.ORGAN, "", "中共江东市财政局党组"),  # a bureau has a 党组, never "…局委员会"
        ("市住房和城乡建设局", UnitType.ORGAN, "", "中共江东市住房和城乡建设局党组"),
        ("市城市建设投资集团", UnitType.SOE, "", "中共江东市城市建设投资集团委员会"),
        ("江东学院", UnitType.SCHOOL, "", "中共江东学院委员会"),  # the name carries the place already
        ("江东市人民医院", UnitType.HOSPITAL, "", "中共江东市人民医院委员会"),
        (
            "市财政局国库支付中心",
            UnitType.INSTITUTION,
            PartyOrgKind.BRANCH,
            "中共江东市财政局国库支付中心支部委员会",
        ),
        ("市直机关", UnitType.ORGAN, PartyOrgKind.WORKING_COMMITTEE, "中共江东市直机关工作委员会"),
        ("市水务公司", UnitType.SOE, PartyOrgKind.GENERAL_BRANCH, "中共江东市水务公司总支部委员会"),
    ],
)
def test_the_signature_of_a_city_unit(world, name, unit_type, kind, signed) -> None:
    assert _unit(world.city, name, unit_type, kind).party_organisation == signed


def test_county_units_take_the_countys_place() -> None:
    county = Committee(name="江东市东安县委", short_name="东安县委", level=CommitteeLevel.COUNTY)
    assert county.place == "东安县"
    assert _unit(county, "东安县城关镇", UnitType.TOWNSHIP).party_organisation == "中共东安县城关镇委员会"
    village = _unit(county, "城关镇东街村", UnitType.VILLAGE)
    assert village.party_organisation == "中共东安县城关镇东街村支部委员会"
    assert _unit(county, "县农业农村局", UnitType.ORGAN).full_name == "东安县农业农村局"
    # Without a short name the full name gives the place: 江东市西平县委 → 江东市西平县.
    unnamed = Committee(name="江东市西平县委", level=CommitteeLevel.COUNTY)
    assert _unit(unnamed, "西平县交通运输局", UnitType.ORGAN).full_name == "江东市西平县交通运输局"


def test_the_kind_is_entered_checked_and_audited(world) -> None:
    office = world.users["office"]
    unit = create_unit(
        committee=world.city, name="市审计局", unit_type=UnitType.ORGAN, party_org_kind="", by=office
    )
    assert unit.party_kind == PartyOrgKind.LEADING_GROUP
    update_unit(unit, party_org_kind=PartyOrgKind.COMMITTEE, by=office)
    unit.refresh_from_db()
    assert unit.party_organisation == "中共江东市审计局委员会"
    with pytest.raises(Refused, match="党组织类别"):
        update_unit(unit, party_org_kind="党小组", by=office)


def test_the_unit_form_offers_the_kind_and_the_page_shows_the_signature(world, client_for) -> None:
    office = client_for("office")
    form = office.get(reverse("orgs:unit-edit", args=[world.unit1.pk])).content.decode()
    assert "党组织类别" in form and "党工委" in form
    data = {"name": "市财政局", "unit_type": "organ", "party_org_kind": "committee", "code": "", "parent": ""}
    response = office.post(reverse("orgs:unit-edit", args=[world.unit1.pk]), data)
    assert response.status_code == 302
    world.unit1.refresh_from_db()
    assert world.unit1.party_org_kind == PartyOrgKind.COMMITTEE
    page = office.get(reverse("orgs:unit-detail", args=[world.unit1.pk])).content.decode()
    assert "中共江东市财政局委员会" in page


def test_the_import_reads_the_kind_by_its_label(world) -> None:
    units = [("市审计局", "", "党政机关", "", ""), ("市审计中心", "市审计局", "事业单位", "", "党支部")]
    import_units_and_rosters(committee=world.city, file=xlsx(units), by=world.users["office"])
    kinds = dict(
        Unit.objects.filter(name__in=["市审计局", "市审计中心"]).values_list("name", "party_org_kind")
    )
    assert kinds == {"市审计局": "", "市审计中心": PartyOrgKind.BRANCH}
    bad = xlsx([("市统计局", "", "党政机关", "", "党小组")])
    result = import_units_and_rosters(committee=world.city, file=bad, by=world.users["office"])
    assert [e.message for e in result.errors] == [
        "党组织类别“党小组”无效，应为：党组、党委、党工委、党总支、党支部"
    ]


def test_the_api_gives_and_takes_the_kind(world, client_for) -> None:
    office = client_for("office")
    body = {
        "committee": world.city.pk,
        "name": "市统计局",
        "unit_type": "organ",
        "party_org_kind": "committee",
    }
    response = office.post("/api/v1/units/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["party_org_kind"] == "committee"
    assert response.json()["party_organisation"] == "中共江东市统计局委员会"
    shown = office.get(f"/api/v1/units/{world.unit1.pk}").json()
    assert (shown["party_org_kind"], shown["party_organisation"]) == ("", "中共江东市财政局党组")


def test_the_migration_fills_existing_units_from_the_principals_post_or_the_type(world) -> None:
    migration = import_module("xuncha.orgs.migrations.0003_unit_party_org_kind")
    add_person(
        unit=world.unit3,
        name="赵一",
        post="党支部书记、董事长",
        category="principal",
        by=world.users["office"],
    )
    migration.fill_party_org_kind(apps, None)
    kinds = {u.name: u.party_org_kind for u in Unit.objects.all()}
    assert kinds["市财政局"] == PartyOrgKind.LEADING_GROUP  # 党组书记、局长
    assert kinds["市城市建设投资集团"] == PartyOrgKind.BRANCH  # from the post, not the type's 党委
    assert kinds["市财政局国库支付中心"] == PartyOrgKind.COMMITTEE  # no principal: the type's usual kind
