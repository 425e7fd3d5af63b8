# Information requests and their answers.
from django.db import migrations


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0002_committee_settings_for_intake'),
        ('rounds', '0004_archive_package'),
    ]

    operations: list[migrations.operations.base.Operation] = []
