# The unit's self-check problems.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rectification', '0005_publication'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SelfCheckItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('problem', models.TextField(verbose_name='自查发现的问题')),
                ('measure', models.TextField(verbose_name='整改措施')),
                ('leader', models.CharField(max_length=100, verbose_name='责任领导')),
                ('department', models.CharField(max_length=100, verbose_name='责任部门')),
                ('due_on', models.DateField(verbose_name='拟完成时限')),
                ('status', models.CharField(choices=[('pending', '待组长审核'), ('accepted', '已纳入边巡边改'), ('declined', '未予纳入')], default='pending', max_length=12, verbose_name='状态')),
                ('decline_reason', models.TextField(blank=True, verbose_name='未予纳入的理由')),
                ('reported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='self_check_items', to='rounds.inspection', verbose_name='巡察')),
                ('item', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='self_check', to='rectification.item', verbose_name='整改事项')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '自查问题',
                'verbose_name_plural': '自查问题',
                'ordering': ['inspection_id', 'pk'],
            },
        ),
    ]
