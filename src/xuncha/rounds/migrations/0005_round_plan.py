# Work plans, their versions and approval; the round's 动员部署会; inspectors' readiness.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0002_committee_settings_for_intake'),
        ('rounds', '0004_archive_package'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RoundMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_at', models.DateTimeField(verbose_name='会议时间')),
                ('place', models.CharField(max_length=200, verbose_name='会议地点')),
                ('chair', models.CharField(max_length=100, verbose_name='主持人')),
                ('leading_group', models.TextField(verbose_name='出席的领导小组成员')),
                ('office', models.TextField(verbose_name='巡察办人员')),
                ('teams', models.TextField(verbose_name='巡察组')),
                ('units', models.TextField(verbose_name='被巡察单位')),
                ('notes', models.TextField(blank=True, verbose_name='会议情况')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
                ('round', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='deployment_meeting', to='rounds.round', verbose_name='轮次')),
            ],
            options={
                'verbose_name': '巡察工作动员部署会',
                'verbose_name_plural': '巡察工作动员部署会',
            },
        ),
        migrations.CreateModel(
            name='TrainingSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(verbose_name='培训日期')),
                ('topic', models.CharField(max_length=200, verbose_name='培训内容')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='培训地点')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('attendees', models.ManyToManyField(blank=True, related_name='training_sessions', to='orgs.inspector', verbose_name='参训人员')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training_sessions', to='rounds.round', verbose_name='轮次')),
            ],
            options={
                'verbose_name': '巡前培训',
                'verbose_name_plural': '巡前培训',
                'ordering': ['round_id', 'held_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WorkPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待审批'), ('returned', '已退回'), ('approved', '已批准'), ('ratified', '已审定')], default='draft', max_length=20, verbose_name='状态')),
                ('stationing_on', models.DateField(verbose_name='进驻日期')),
                ('withdrawal_on', models.DateField(verbose_name='撤离日期')),
                ('focus', models.JSONField(blank=True, default=list, verbose_name='巡察重点（三个聚焦）')),
                ('topic', models.CharField(blank=True, max_length=200, verbose_name='专项主题')),
                ('division', models.TextField(blank=True, verbose_name='工作分工')),
                ('requirements', models.TextField(blank=True, verbose_name='工作要求')),
                ('tasks', models.JSONField(blank=True, default=dict, verbose_name='成员任务分工')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='批准时间')),
                ('ratified_by_name', models.CharField(blank=True, max_length=100, verbose_name='审定人')),
                ('ratified_on', models.DateField(blank=True, null=True, verbose_name='审定日期')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='批准人')),
                ('drafted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('ratification_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                ('round', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='work_plan', to='rounds.round', verbose_name='轮次')),
            ],
            options={
                'verbose_name': '巡察工作方案',
                'verbose_name_plural': '巡察工作方案',
                'ordering': ['-round__planned_start', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Commitment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('confidentiality', '保密承诺'), ('conduct', '巡察干部行为规范承诺')], max_length=20, verbose_name='承诺事项')),
                ('text', models.TextField(verbose_name='承诺内容')),
                ('signed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='签署时间')),
                ('on_paper', models.BooleanField(default=False, verbose_name='纸质签署')),
                ('inspector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commitments', to='orgs.inspector', verbose_name='巡察干部')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commitments', to='rounds.round', verbose_name='轮次')),
                ('signed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签署账号')),
            ],
            options={
                'verbose_name': '巡察干部承诺',
                'verbose_name_plural': '巡察干部承诺',
                'ordering': ['round_id', 'inspector_id', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('round', 'inspector', 'kind'), name='unique_commitment')],
            },
        ),
        migrations.CreateModel(
            name='WorkPlanVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='版本号')),
                ('text', models.TextField(verbose_name='方案文本')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='报送时间')),
                ('decision', models.CharField(blank=True, choices=[('', '待审批'), ('approved', '批准'), ('returned', '退回')], default='', max_length=20, verbose_name='审批结果')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('opinion', models.TextField(blank=True, verbose_name='审批意见')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='rounds.workplan', verbose_name='方案')),
                ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '巡察工作方案版本',
                'verbose_name_plural': '巡察工作方案版本',
                'ordering': ['plan_id', 'number'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'number'), name='unique_work_plan_version')],
            },
        ),
    ]
