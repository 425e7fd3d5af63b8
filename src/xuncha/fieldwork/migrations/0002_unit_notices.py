# What the unit tells the team: notices.
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import xuncha.core.fields


class Migration(migrations.Migration):

    dependencies = [
        ('fieldwork', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitNotice',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('meeting', '重要会议'), ('event', '重大活动'), ('opinion', '舆情事件'), ('emergency', '突发事件')], max_length=12, verbose_name='类别')),
                ('subject', models.CharField(max_length=200, verbose_name='事由')),
                ('starts_at', models.DateTimeField(blank=True, null=True, verbose_name='时间')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='地点')),
                ('details', xuncha.core.fields.EncryptedTextField(blank=True, verbose_name='具体情况')),
                ('status', models.CharField(choices=[('reported', '待巡察组处理'), ('attended', '巡察组列席'), ('noted', '巡察组已阅知')], default='reported', max_length=12, verbose_name='状态')),
                ('remark', models.TextField(blank=True, verbose_name='处理意见')),
                ('reported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='报告时间')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('activity', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='unit_notice', to='fieldwork.activity', verbose_name='列席记录')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='unit_notices', to='rounds.inspection', verbose_name='巡察')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '被巡察单位报告事项',
                'verbose_name_plural': '被巡察单位报告事项',
                'ordering': ['-reported_at'],
                'indexes': [models.Index(fields=['inspection', 'status'], name='fieldwork_u_inspect_d1bf76_idx')],
            },
        ),
    ]
