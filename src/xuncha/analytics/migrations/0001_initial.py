# Key-person radar settings.
from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0002_committee_settings_for_intake'),
    ]

    operations: list[migrations.operations.base.Operation] = []
