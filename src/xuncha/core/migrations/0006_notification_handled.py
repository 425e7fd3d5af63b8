# Notifications marked handled with their object.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_user_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="handled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="已处理时间"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="对象"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="对象类型"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
        ),
    ]
