"""Regulations by name, then article in numeric order (第六章 … 第十一章), kept in ``sort_key``."""

from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from xuncha.taxonomy.ordering import natural_key

    Regulation = apps.get_model("findings", "Regulation")
    for regulation in Regulation.objects.all():
        regulation.sort_key = natural_key(regulation.article)
        regulation.save(update_fields=["sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0003_interview_problem"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="regulation",
            options={"ordering": ["committee_id", "name", "sort_key", "id"], "verbose_name": "定性依据", "verbose_name_plural": "定性依据"},
        ),
        migrations.AddField(
            model_name="regulation",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=160, verbose_name="排序键"),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
