# Work logs and weekly reports.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations: list[migrations.operations.base.Operation] = []
