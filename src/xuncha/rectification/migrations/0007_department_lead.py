# Supervision notices whose lead is a department (建章立制 recommendations from common problems).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_committee_settings_for_intake"),
        ("rectification", "0006_self_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="noticeresponse",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.department",
                verbose_name="报送部门",
            ),
        ),
        migrations.AddField(
            model_name="supervisionnotice",
            name="lead_department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="led_supervision_notices",
                to="orgs.department",
                verbose_name="牵头部门",
            ),
        ),
        migrations.AlterField(
            model_name="noticeresponse",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
                verbose_name="报送单位",
            ),
        ),
        migrations.AlterField(
            model_name="supervisionnotice",
            name="lead_unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="led_supervision_notices",
                to="orgs.unit",
                verbose_name="牵头单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="noticeresponse",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("department__isnull", True), ("unit__isnull", False)),
                    models.Q(("department__isnull", False), ("unit__isnull", True)),
                    _connector="OR",
                ),
                name="notice_response_one_sender",
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisionnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("lead_department__isnull", True), ("lead_unit__isnull", False)),
                    models.Q(("lead_department__isnull", False), ("lead_unit__isnull", True)),
                    _connector="OR",
                ),
                name="supervision_notice_one_lead",
            ),
        ),
    ]
