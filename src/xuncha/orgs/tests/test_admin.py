from xuncha.core.models import AuditEvent
from xuncha.orgs.forms import SETTINGS_FIELDS
from xuncha.orgs.models import Committee

COMMITTEES = "/sysadmin/orgs/committee/"


def settings_url(world):
    return f"/sysadmin/orgs/committeesettings/{world.city.settings.pk}/change/"


def settings_data(world, **changes):
    data = {name: getattr(world.city.settings, name) for name in SETTINGS_FIELDS}
    return {**data, "totp_roles": [], "_save": "保存", **changes}


def test_the_sysadmin_sees_only_the_committees_they_administer(world, client_for):
    sysadmin = client_for("sysadmin")
    page = sysadmin.get(COMMITTEES)
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [world.city]
    assert sysadmin.get(f"{COMMITTEES}{world.county_a.pk}/change/").status_code == 302  # not found → list
    assert client_for("office").get(COMMITTEES).status_code == 404


def test_settings_are_changed_through_the_action_and_audited(world, client_for):
    sysadmin = client_for("sysadmin")
    response = sysadmin.post(
        settings_url(world), settings_data(world, plan_days=20, totp_roles=["leading_group"])
    )
    assert response.status_code == 302
    world.city.settings.refresh_from_db()
    assert (world.city.settings.plan_days, world.city.settings.totp_roles) == (20, ["leading_group"])
    event = AuditEvent.objects.get(action="committee_settings.updated")
    assert (event.actor_name, event.role) == ("sysadmin", "sysadmin")
    assert event.details["changes"] == {"plan_days": [15, 20], "totp_roles": [[], ["leading_group"]]}


def test_invalid_settings_are_shown_on_the_admin_form(world, client_for):
    response = client_for("sysadmin").post(settings_url(world), settings_data(world, review_days=0))
    assert response.status_code == 200
    assert (
        "评估回访期限（天）须为 1 至 730 之间的整数。"
        in response.context["adminform"].form.errors["review_days"]
    )
    world.city.settings.refresh_from_db()
    assert world.city.settings.review_days == 30


def test_a_lower_committee_is_added_through_the_action(world, client_for):
    sysadmin = client_for("sysadmin")
    data = {
        "name": "江东市北湖区委",
        "short_name": "",
        "level": "county",
        "parent": world.city.pk,
        "_save": "保存",
    }
    refused = sysadmin.post(f"{COMMITTEES}add/", {**data, "level": "city"})
    assert "下级党委的层级必须低于上级党委" in str(refused.context["adminform"].form.errors)
    assert sysadmin.post(f"{COMMITTEES}add/", data).status_code == 302
    created = Committee.objects.get(name="江东市北湖区委")
    assert created.settings.fieldwork_days == 60
    assert AuditEvent.objects.filter(action="committee.created", object_id=str(created.pk)).exists()
