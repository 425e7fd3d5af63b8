# Work plans, their versions and approval; inspectors' readiness.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0004_archive_package'),
    ]

    operations: list[migrations.operations.base.Operation] = []
