# Open to-dos closed when their stage ends.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('fieldwork', '0002_unit_notices'),
    ]

    operations: list[migrations.operations.base.Operation] = []
