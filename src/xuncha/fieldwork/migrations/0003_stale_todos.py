# Open to-dos closed when their stage ends.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0002_unit_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentitem",
            name="closed_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="未提供说明"),
        ),
        migrations.AlterField(
            model_name="documentitem",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待提供"),
                    ("provided", "已提供"),
                    ("accepted", "已接收"),
                    ("returned", "已退回"),
                    ("missing", "未提供"),
                ],
                default="pending",
                max_length=10,
                verbose_name="状态",
            ),
        ),
    ]
