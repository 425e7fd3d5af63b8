"""Categories in the natural order of their codes (1, 1.1, 1.2 … 2, 2.1), kept in ``sort_key``; the
per-sibling ``position`` it replaces listed 1, 1.1, 2.1, 3.1, 1.2 … (and Chinese names of the scheme and
parent fields, which the admin showed in English)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_sort_keys(apps, schema_editor):
    from xuncha.taxonomy.ordering import natural_key

    Category = apps.get_model("taxonomy", "Category")
    for category in Category.objects.all():
        category.sort_key = natural_key(category.code)
        category.save(update_fields=["sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0002_default_schemes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="category",
            options={"ordering": ["scheme_id", "sort_key", "id"], "verbose_name": "分类项", "verbose_name_plural": "分类项"},
        ),
        migrations.RemoveField(
            model_name="category",
            name="position",
        ),
        migrations.AddField(
            model_name="category",
            name="sort_key",
            field=models.CharField(default="", editable=False, max_length=80, verbose_name="排序键"),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="category",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="taxonomy.category",
                verbose_name="上级分类项",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="scheme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="categories",
                to="taxonomy.scheme",
                verbose_name="分类体系",
            ),
        ),
    ]
