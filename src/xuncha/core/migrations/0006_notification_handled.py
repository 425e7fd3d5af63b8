# Notifications marked handled with their object.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_user_phone'),
    ]

    operations: list[migrations.operations.base.Operation] = []
