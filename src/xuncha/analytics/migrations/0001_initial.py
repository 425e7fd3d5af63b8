# Key-person radar settings.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0002_committee_settings_for_intake'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RadarSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('min_score', models.PositiveSmallIntegerField(default=4, verbose_name='列入重点人的最低分值')),
                ('matter_weight', models.PositiveSmallIntegerField(default=2, verbose_name='每件信访（重复件归并后）')),
                ('channel_weight', models.PositiveSmallIntegerField(default=1, verbose_name='每多一个反映渠道')),
                ('round_weight', models.PositiveSmallIntegerField(default=1, verbose_name='每多一轮巡察被反映')),
                ('interview_weight', models.PositiveSmallIntegerField(default=1, verbose_name='每个谈话反映的问题')),
                ('finding_weight', models.PositiveSmallIntegerField(default=2, verbose_name='每个问题底稿')),
                ('clue_weight', models.PositiveSmallIntegerField(default=3, verbose_name='每条问题线索')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='修改时间')),
                ('committee', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='radar_settings', to='orgs.committee', verbose_name='党委')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
            ],
            options={
                'verbose_name': '重点人研判设置',
                'verbose_name_plural': '重点人研判设置',
                'ordering': ['committee_id'],
            },
        ),
    ]
