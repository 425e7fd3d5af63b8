# The unit's self-check problems.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rectification', '0005_publication'),
    ]

    operations: list[migrations.operations.base.Operation] = []
