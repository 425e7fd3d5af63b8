# Work logs and weekly reports.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WeeklyReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week_start', models.DateField(verbose_name='周起始日（星期一）')),
                ('due_on', models.DateField(verbose_name='报送期限')),
                ('counts', models.JSONField(default=dict, verbose_name='本周数据')),
                ('narrative', models.TextField(blank=True, verbose_name='本周工作情况')),
                ('problems', models.TextField(blank=True, verbose_name='发现的主要问题')),
                ('next_plan', models.TextField(blank=True, verbose_name='下周工作计划')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '已报送'), ('acknowledged', '巡察办已阅')], default='draft', max_length=12, verbose_name='状态')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='起草时间')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='修改时间')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='报送时间')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='阅知时间')),
                ('office_comment', models.TextField(blank=True, verbose_name='巡察办意见')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='阅知人')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='起草人')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='weekly_reports', to='rounds.inspection', verbose_name='巡察')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
            ],
            options={
                'verbose_name': '周报',
                'verbose_name_plural': '周报',
                'ordering': ['inspection_id', '-week_start'],
                'constraints': [models.UniqueConstraint(fields=('inspection', 'week_start'), name='one_weekly_report_per_week')],
            },
        ),
        migrations.CreateModel(
            name='WorkLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on_date', models.DateField(verbose_name='日期')),
                ('content', models.TextField(verbose_name='工作内容')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_log', to='rounds.inspection', verbose_name='巡察')),
            ],
            options={
                'verbose_name': '工作日志',
                'verbose_name_plural': '工作日志',
                'ordering': ['-on_date', '-pk'],
                'indexes': [models.Index(fields=['inspection', 'on_date'], name='reports_wor_inspect_ed3bdb_idx')],
            },
        ),
    ]
