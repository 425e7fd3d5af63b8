# Face-to-face appointments asked for on the portal.
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import xuncha.core.fields


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0006_petition_serial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('starts_at', models.DateTimeField(verbose_name='面谈时间')),
                ('place', models.CharField(max_length=200, verbose_name='面谈地点')),
                ('status', models.CharField(choices=[('open', '可预约'), ('booked', '已预约'), ('held', '已面谈'), ('missed', '未到'), ('withdrawn', '已撤回')], default='open', max_length=10, verbose_name='状态')),
                ('offered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发布时间')),
                ('reporter_name', xuncha.core.fields.EncryptedTextField(blank=True, verbose_name='预约人姓名')),
                ('reporter_phone', xuncha.core.fields.EncryptedTextField(blank=True, verbose_name='联系电话')),
                ('topic', xuncha.core.fields.EncryptedTextField(blank=True, verbose_name='反映事项概要')),
                ('booked_at', models.DateTimeField(blank=True, null=True, verbose_name='预约时间')),
                ('note', models.TextField(blank=True, verbose_name='面谈情况')),
                ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='登记时间')),
                ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='rounds.inspection', verbose_name='巡察')),
                ('offered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '预约面谈',
                'verbose_name_plural': '预约面谈',
                'ordering': ['starts_at'],
                'indexes': [models.Index(fields=['inspection', 'status', 'starts_at'], name='intake_appo_inspect_2dbcda_idx')],
            },
        ),
    ]
