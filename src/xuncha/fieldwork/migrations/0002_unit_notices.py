# What the unit tells the team: notices.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('fieldwork', '0001_initial'),
    ]

    operations: list[migrations.operations.base.Operation] = []
