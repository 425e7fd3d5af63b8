# Supervision notices whose lead is a department (建章立制 recommendations from common problems).
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0006_self_check"),
    ]

    operations: list[migrations.operations.base.Operation] = []
