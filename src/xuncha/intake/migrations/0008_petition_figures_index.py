# The dashboard's petition figures read only these columns: an index-only scan instead of the wide rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0007_appointments"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=[
                    "inspection",
                    "channel",
                    "scope",
                    "received_at",
                    "discipline",
                    "focus",
                    "duplicate_group",
                ],
                name="petition_figures_idx",
            ),
        ),
    ]
