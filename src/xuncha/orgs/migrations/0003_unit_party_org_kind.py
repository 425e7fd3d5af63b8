from django.db import migrations, models

# The principal's post names the kind most reliably (党组书记、局长); otherwise the usual kind of the type.
_POSTS = (
    ("党组书记", "leading_group"),
    ("党工委书记", "working_committee"),
    ("党总支书记", "general_branch"),
    ("党支部书记", "branch"),
    ("党委书记", "committee"),
)
_OF_TYPE = {"organ": "leading_group", "village": "branch"}


def fill_party_org_kind(apps, schema_editor):
    Unit = apps.get_model("orgs", "Unit")
    Person = apps.get_model("orgs", "Person")
    posts = dict(Person.objects.filter(category="principal", is_active=True).values_list("unit_id", "post"))
    for unit in Unit.objects.filter(party_org_kind=""):
        post = posts.get(unit.pk, "")
        kind = next((k for word, k in _POSTS if word in post), _OF_TYPE.get(unit.unit_type, "committee"))
        Unit.objects.filter(pk=unit.pk).update(party_org_kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_committee_settings_for_intake"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="party_org_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("leading_group", "党组"),
                    ("committee", "党委"),
                    ("working_committee", "党工委"),
                    ("general_branch", "党总支"),
                    ("branch", "党支部"),
                ],
                help_text="单位党组织署名的形式（党组、党委、党工委、党总支、党支部）；不填时按单位类型确定。",
                max_length=20,
                verbose_name="党组织类别",
            ),
        ),
        migrations.RunPython(fill_party_org_kind, migrations.RunPython.noop),
    ]
