# Face-to-face appointments asked for on the portal.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0006_petition_serial'),
    ]

    operations: list[migrations.operations.base.Operation] = []
