"""The default schemes of the seeds (三个聚焦, 六项纪律, 问题性质, 四风): data in xuncha.taxonomy.defaults."""

from django.db import migrations


def install_defaults(apps, schema_editor):
    from xuncha.taxonomy.defaults import install

    install(apps.get_model("taxonomy", "Scheme"), apps.get_model("taxonomy", "Category"))


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
    ]

    # Reversing leaves the rows: cases may point at them, and installing again skips existing schemes.
    operations = [
        migrations.RunPython(install_defaults, migrations.RunPython.noop),
    ]
